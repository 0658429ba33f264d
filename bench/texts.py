"""Word pools for synthetic workspaces: Spanish text with some Chinese, like a Madrid agency.

Every pool is plain data. `VOCABULARY` holds every word they contain, so generated client
names can be kept out of the text (a client's name in another client's files would break
the confidentiality rule).
"""

from __future__ import annotations

import re
import unicodedata

AGENCY = {"name": "Estudio Norte", "address": "Calle de Fuencarral 112, 3.º izq., 28004 Madrid"}
FIRST_NAMES = (
    "Ana", "Lucía", "Javier", "Marta", "Raúl", "Irene", "Pablo", "Elena", "Sergio", "Nuria",
    "Diego", "Carmen", "Álvaro", "Paula", "Hugo", "Inés", "Tomás", "Rocío", "Iván", "Beatriz",
)  # fmt: skip
SURNAMES = (
    "García", "Herrero", "Ortega", "Quintana", "Becerra", "Casado", "Morales", "Pastor",
    "Ruiz", "Iglesias", "Navarro", "Domínguez", "Serrano", "Vidal", "Molina", "Cabrera",
    "Fuentes", "Lozano", "Prieto", "Sanz", "Castillo", "Rubio", "Benítez", "Gallego",
)  # fmt: skip
CHINESE_NAMES = ("王丽华", "陈静", "李明", "张伟", "刘洋", "赵敏", "周婷", "吴磊", "孙悦", "黄蕾")
STAFF_ROLES = (
    "Account Executive", "Account Executive", "Director Creativo", "Planificadora de Medios",
    "Directora de Estrategia", "Diseñador Gráfico", "Redactora Creativa", "Finanzas",
)  # fmt: skip
CONTACT_ROLES = (
    "Directora de Marketing", "Responsable de Publicidad", "Trade Marketing Manager",
    "Jefe de Producto", "Responsable de Comunicación", "Brand Manager",
)  # fmt: skip
CHINESE_ROLES = ("总经理", "市场专员", "品牌经理", "运营主管")

CAMPAIGNS = (
    "Navidad", "Rebajas de enero", "Primavera", "Vuelta al cole", "Verano", "Black Friday",
    "Día de la Madre", "Aniversario", "San Valentín", "Semana Santa",
)  # fmt: skip
CLIENT_TITLES = (
    "Seguimiento semanal de la campaña {c}", "Revisión de creatividades {c}",
    "Presentación del plan de medios {c}", "Revisión de resultados {c}",
    "Arranque de la campaña {c}", "Revisión del presupuesto {c}",
)  # fmt: skip
INTERNAL_TITLES = (
    "Reunión interna: reparto de trabajo {c}", "Revisión interna de plazos {c}",
    "Preparación de la presentación {c}", "Control interno de costes {c}",
)  # fmt: skip
PLACES = (
    "Oficinas del cliente, sala de juntas #2", "Videollamada", "Estudio, sala grande",
    "Estudio, sala pequeña", "Oficinas del cliente, sala 3 (I+D & Marketing)",
)  # fmt: skip
TIMES = ("09:00-10:00", "09:30-10:30", "10:00-11:30", "12:00-13:00", "16:00-17:00")
AGENDA = (
    "Resultados de la semana anterior", "Estado de las piezas creativas", "Plan de medios",
    "Calendario y próximos pasos", "Presupuesto y facturación", "Pretest con compradores",
    "Redes sociales", "Material en punto de venta", "Riesgos de calendario", "Ruegos y preguntas",
)  # fmt: skip
NOTE_OPENINGS = (
    "**Contexto.** Las ventas de la semana suben un **{n} %** frente al año pasado, pero el "
    "tráfico en tienda baja en los *fines de semana*.",
    "**Resumen.** El cliente valora bien las piezas entregadas; pide *más presencia* en "
    "digital y mantener el cartel como eje de la campaña.",
    "**Estado.** La campaña va según calendario; el presupuesto consumido es del **{n} %** "
    "y no se esperan desviaciones.",
)
NOTE_POINTS = (
    "El cartel en tienda sigue siendo la pieza que **mejor funciona**.",
    "Se pide concentrar la inversión en *fines de semana*.",
    "La radio local entra en el mix si cabe en el presupuesto.",
    "El concepto se prueba con compradores antes de producir.",
    "La imprenta confirma la entrega de la PLV en **{n} tiendas**.",
    "Las creatividades digitales se adaptan a los formatos *300x250* y *728x90*.",
    "El equipo de redes propone dos publicaciones más por semana.",
    "Finanzas pide revisar la factura antes del cierre de mes.",
)
CHINESE_NOTES = (
    "供应商确认：**样品下周寄出**，包装为中西文双语。",
    "客户希望在社交媒体上增加 *小红书* 的推广。",
    "海报两款：一款介绍礼盒，一款介绍茶会活动。",
    "**时间安排：** 礼盒须在下个月中旬上架。",
    "去年活动客流增加约 **{n}%**，今年希望吸引更多本地年轻顾客。",
)
CHINESE_TITLES = ("推广周会", "设计稿确认会", "社交媒体推广会", "内部分工会议")
CHINESE_AGENDA = ("活动回顾", "礼盒与海报", "社交媒体推广", "时间安排", "预算")
CHINESE_TASKS = ("提供产品照片", "确认设计稿", "社交媒体推广报价", "联系印刷厂", "准备礼盒清单")
CHINESE_DECISIONS = ("设计限定礼盒包装和两款店内海报", "社交媒体推广以小红书为主", "预算另行报价")
CHINESE_CONCLUSIONS = (
    "双方确认：**设计稿**先行，下周定稿。",
    "**结论：** 按计划推进，下周再开会。",
)
DECISIONS = (
    "Concepto creativo único para toda la campaña",
    "Mix de medios con prensa, exterior y digital; sin televisión",
    "Pretest del concepto antes de producir ninguna pieza",
    "Reposición de carteles para tiendas con doble acceso",
    "Los informes semanales se envían también a marketing central",
    "Aprobar la cuña de radio sin cambios",
)
TASKS = (
    "Enviar el acta y el resumen del brief", "Facilitar datos de tráfico por tienda",
    "Borrador del plan de medios", "Presupuesto de reposición de carteles",
    "Revisar la factura con Finanzas del cliente", "Cuestionario del pretest",
    "Dos rutas creativas para el pretest", "Tres presupuestos de imprenta",
    "Tarifas de radio local", "Confirmar la entrega de PLV", "Certificados de emisión",
    "Adaptar los banners a los nuevos formatos",
)  # fmt: skip
CONCLUSIONS = (
    "Todo listo para el lanzamiento. **Pendiente del cliente:** confirmar la PLV. "
    "*Pendiente nuestro:* la factura del cartel.",
    "**Conclusión:** el calendario es justo pero viable.\n\n"
    "**Reparto de trabajo**\n- **Cuentas:** coordinación con el cliente.\n"
    "- **Creatividad:** piezas y adaptaciones.\n- **Medios:** compra y seguimiento.",
    "Se mantiene el plan. Próxima revisión de resultados en *dos semanas*.",
)
SCHEDULE_TASKS = (
    ("brief", "Brief y reunión de arranque"),
    ("investigacion", "Pretest del concepto con compradores"),
    ("creatividad", "Cartel 70x100 y adaptaciones de PLV"),
    ("plan-medios", "Reserva y compra de medios"),
    ("aprobacion", "Aprobación de la campaña"),
    ("produccion", "Impresión y distribución de PLV"),
    ("lanzamiento", "Lanzamiento de la campaña"),
    ("emision", "Campaña en medios"),
)
ORDER_TITLES = {
    "creative": ("Cartel {c} 70x100", "Cuña de radio de 20 s {c}", "Banners digitales {c}"),
    "research": ("Pretest del concepto {c}", "Encuesta de notoriedad {c}"),
    "media": ("Plan de medios {c}", "Campaña digital {c}"),
}
OUTLETS = (
    ("Exterior Urbano Madrid", "Circuito de 120 mupis"),
    ("Diario La Meseta", "Contraportada color los domingos"),
    ("Red Display Iberia", "Display programático 300x250 y 728x90"),
    ("Instagram y Facebook", "Vídeo 15 s y carrusel"),
    ("Onda Centro Radio", "Cuña de 20 s en desconexiones locales"),
)
CPMS = (4.5, 6.5, 9.25, 12.0, 15.75, 18.0)  # exact in binary: cost = impressions * cpm / 1000
SUBCONTRACTORS = ("Gráficas Manzanares S.L.", "Sonoro 7 Estudios", "Campo & Dato S.L.")
BRIEF_POINTS = (
    "Titular corto y legible a **cinco metros**.",
    "Logotipo del cliente abajo a la derecha.",
    "Sin precios: la pieza dura toda la campaña.",
    "Texto legal en cuerpo 8 como mínimo.",
    "Entregar también una *versión reducida*.",
)
SPECS = {
    "creative": {"formato": "70x100 cm vertical", "tintas": "4/0 CMYK", "entrega": "PDF/X-4"},
    "research": {"muestra": "400 compradores", "método": "Encuesta online + 4 grupos"},
    "media": {"zona": "Madrid capital", "público": "Responsables de compra, 30-65 años"},
}

# Fixed phrases the generator writes, and every key and status word of the file format
# (keys are scanned for client names too).
PHRASES = {
    "supplier": "Proveedor de Shenzhen: ",
    "points": "**Puntos tratados**",
    "closing": "Datos de referencia en el *informe semanal* del cliente.",
    "pending": " (pendiente de confirmar)",
    "piece": "Pieza de la campaña **{c}**.",
    "requirements": "**Requisitos**",
    "lead": "Dirección y coordinación",
    "design": "Diseño y producción",
    "external": "Trabajo externo",
    "schedule": "Calendario campaña {c}",
    "review": "**回顾：** ",
    "edit": "**Añadido:** el cliente confirma la fecha de entrega.",
    "staff": "Lin Siyu (林思雨) siyu.lin@estudionorte.example",
}
FORMAT_WORDS = (
    "agency name address language currency payment_terms_days staff id role email aliases "
    "tier contacts team kind title date time place chair minute_taker attendees apologies "
    "agenda notes decisions text actions task owner due status done_on conclusion "
    "next_meeting signatures by on tasks start end milestone depends_on number type "
    "requested_by assigned_to origin opened brief specs placements outlet placement cost "
    "impressions cpm estimate item hours rate amount subcontractor delivered invoice issued "
    "paid client internal open done dropped pending in-progress creative research media "
    "invoiced revision changes extra true false null es zh eur ka seguimiento interna"
)

_POOLS: tuple[object, ...] = (
    PHRASES, FORMAT_WORDS, AGENCY, FIRST_NAMES, SURNAMES, STAFF_ROLES, CONTACT_ROLES,
    CAMPAIGNS, CLIENT_TITLES,
    INTERNAL_TITLES, PLACES, AGENDA, NOTE_OPENINGS, NOTE_POINTS, DECISIONS, TASKS,
    CONCLUSIONS, SCHEDULE_TASKS, ORDER_TITLES, OUTLETS, SUBCONTRACTORS, BRIEF_POINTS, SPECS,
)  # fmt: skip


def fold(text: str) -> str:
    """Case- and accent-insensitive form, as the confidentiality rule compares names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(value: object) -> set[str]:
    if isinstance(value, str):
        return set(re.findall(r"\w+", fold(value)))
    if isinstance(value, dict):
        return _words(tuple(value)) | _words(tuple(value.values()))
    if isinstance(value, tuple):
        return set().union(*(_words(v) for v in value))
    return set()


VOCABULARY: frozenset[str] = frozenset(_words(_POOLS))

# Every Chinese character the text pools use: brand names must be made of other ones,
# since names are matched as substrings in Chinese text.
CHINESE_TEXT = "".join(
    (*CHINESE_NAMES, *CHINESE_ROLES, *CHINESE_NOTES, *CHINESE_TITLES, *CHINESE_AGENDA,
     *CHINESE_TASKS, *CHINESE_DECISIONS, *CHINESE_CONCLUSIONS, "林思雨")
)  # fmt: skip
