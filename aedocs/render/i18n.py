"""Languages: the labels, dates and money of documents in English, Spanish and Chinese.

Dates and money come from Babel (CLDR data), so "20 de noviembre de 2026", "20 November
2026" and "2026年11月20日" are each written the way their readers expect.
"""

from __future__ import annotations

import datetime as dt
import decimal
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

LOCALES = {"en": "en_GB", "es": "es_ES", "zh": "zh_Hans_CN"}
WORD_LANG = {"en": "en-GB", "es": "es-ES", "zh": "zh-CN"}

# One row per label: English, Spanish, Chinese.
_LABELS: dict[str, tuple[str, str, str]] = {
    "minutes": ("Minutes", "Acta de reunión", "会议纪要"),
    "minutes_client": ("Client meeting minutes", "Acta de reunión con cliente", "客户会议纪要"),
    "minutes_internal": ("Internal meeting minutes", "Acta de reunión interna", "内部会议纪要"),
    "proposal": ("Proposal outline", "Esquema de propuesta", "提案大纲"),
    "schedule": ("Progress schedule", "Calendario de trabajo", "工作进度表"),
    "workorder": ("Work order", "Orden de trabajo", "工作单"),
    "weekly": ("Weekly report", "Informe semanal", "周报"),
    "invoice": ("Invoice request", "Solicitud de factura", "开票申请"),
    "client": ("Client", "Cliente", "客户"),
    "name": ("Name", "Nombre", "姓名"),
    "party": ("Party", "Parte", "所属方"),
    "date": ("Date", "Fecha", "日期"),
    "time": ("Time", "Hora", "时间"),
    "place": ("Place", "Lugar", "地点"),
    "chair": ("Chair", "Preside", "主持人"),
    "minute_taker": ("Minutes by", "Redacta el acta", "记录人"),
    "attendees": ("Attendees", "Asistentes", "出席人员"),
    "apologies": ("Apologies", "Excusan asistencia", "缺席人员"),
    "agenda": ("Agenda", "Orden del día", "议程"),
    "notes": ("Notes", "Desarrollo de la reunión", "会议记录"),
    "decisions": ("Decisions", "Acuerdos", "决定事项"),
    "actions": ("Actions", "Tareas acordadas", "行动事项"),
    "task": ("Task", "Tarea", "任务"),
    "owner": ("Owner", "Responsable", "负责人"),
    "due": ("Due", "Fecha límite", "截止日期"),
    "status": ("Status", "Estado", "状态"),
    "conclusion": ("Conclusion", "Conclusiones", "结论"),
    "conclusion_internal": (
        "Conclusion and division of work",
        "Conclusiones y reparto de trabajo",
        "结论与分工",
    ),
    "next_meeting": ("Next meeting", "Próxima reunión", "下次会议"),
    "signatures": ("Signatures", "Firmas", "签字"),
    "signed_on": ("Signed on", "Firmado el", "签字日期"),
    "to_sign": ("Signature and date", "Firma y fecha", "签字及日期"),
    "agency": ("Agency", "Agencia", "代理公司"),
    "revision": ("Revision", "Revisión", "修订版"),
    "changes": ("Changes in this revision", "Cambios en esta revisión", "本次修订内容"),
    "open": ("open", "pendiente", "进行中"),
    "done": ("done", "hecha", "已完成"),
    "dropped": ("dropped", "descartada", "已取消"),
    "pending": ("pending", "pendiente", "未开始"),
    "in-progress": ("in progress", "en curso", "进行中"),
    "meeting": ("Meeting", "Reunión", "会议"),
    "presenters": ("Presenters", "Presentan", "演示人"),
    "client_attendees": ("Client attendees", "Asistentes del cliente", "客户出席人员"),
    "equipment": ("Equipment", "Equipo técnico", "设备"),
    "outline_sent": ("Outline sent", "Esquema enviado", "大纲发送日期"),
    "objective": ("Objective", "Objetivo", "目标"),
    "strategy": ("Presentation strategy", "Estrategia de presentación", "演示策略"),
    "sections": ("Content", "Contenido", "内容"),
    "budget": ("Budget", "Presupuesto", "预算"),
    "item": ("Item", "Concepto", "项目"),
    "amount": ("Amount", "Importe", "金额"),
    "total": ("Total", "Total", "合计"),
    "review": ("Review", "Valoración", "会后评估"),
    "purpose_achieved": ("Purpose achieved", "Objetivo alcanzado", "是否达成目的"),
    "cause": ("Cause", "Causa", "原因"),
    "proposal-details": ("the details of the proposal", "los detalles de la propuesta", "提案细节"),
    "professional-error": ("a professional error", "un error profesional", "专业失误"),
    "insights": ("Insights and conclusions", "Aprendizajes y conclusiones", "心得与结论"),
    "yes": ("yes", "sí", "是"),
    "no": ("no", "no", "否"),
    "draft": ("draft", "borrador", "草稿"),
    "sent": ("sent", "enviada", "已发送"),
    "presented": ("presented", "presentada", "已演示"),
    "approved": ("approved", "aprobada", "已通过"),
    "rejected": ("rejected", "rechazada", "未通过"),
    "tasks": ("Tasks", "Tareas", "任务"),
    "start": ("Start", "Inicio", "开始"),
    "end": ("End", "Fin", "结束"),
    "depends_on": ("After", "Después de", "前置任务"),
    "milestone": ("milestone", "hito", "里程碑"),
    "timeline": ("Week by week", "Semana a semana", "按周进度"),
    "week": ("Week", "Semana", "周"),
    "number": ("Finance number", "Número de finanzas", "财务编号"),
    "type": ("Type", "Tipo", "类型"),
    "creative": ("creative", "creatividad", "创意"),
    "research": ("research", "investigación", "调研"),
    "media": ("media placement", "compra de medios", "媒体投放"),
    "requested_by": ("Requested by", "Solicita", "申请人"),
    "assigned_to": ("Assigned to", "Asignada a", "执行人"),
    "origin": ("Origin", "Origen", "来源"),
    "opened": ("Opened", "Apertura", "开单日期"),
    "delivered": ("Delivered", "Entregada", "交付日期"),
    "brief": ("Brief", "Briefing", "需求说明"),
    "specs": ("Specifications", "Especificaciones", "规格要求"),
    "requirement": ("Requirement", "Requisito", "要求"),
    "value": ("Value", "Valor", "内容"),
    "placements": ("Media placements", "Inserciones en medios", "媒体投放"),
    "outlet": ("Outlet", "Medio", "媒体"),
    "placement": ("Placement", "Ubicación", "版位"),
    "impressions": ("Impressions", "Impactos", "曝光量"),
    "cpm": ("CPM", "CPM", "千次成本"),
    "cost": ("Cost", "Coste", "费用"),
    "estimate": ("Cost estimate", "Presupuesto estimado", "成本预估"),
    "hours": ("Hours", "Horas", "工时"),
    "rate": ("Rate", "Tarifa", "费率"),
    "subcontractor": ("Subcontractor", "Subcontrata", "外包方"),
    "in_house": ("in house", "interno", "内部"),
    "subtotal": ("Subtotal", "Subtotal", "小计"),
    "subcontracted": ("Subcontracted", "Subcontratado", "外包部分"),
    "invoice_number": ("Invoice number", "Número de factura", "发票号"),
    "issued": ("Issued", "Emitida", "开票日期"),
    "payment_due": ("Payment due", "Vencimiento del pago", "付款到期日"),
    "paid_on": ("Paid", "Pagada", "付款日期"),
    "paid": ("paid", "pagada", "已付款"),
    "invoiced": ("invoiced", "facturada", "已开票"),
    "work_order": ("Work order", "Orden de trabajo", "工作单"),
    "invoice_pending": (
        "The invoice number and due date are set once finance issues the invoice.",
        "El número de factura y el vencimiento se fijan cuando finanzas emita la factura.",
        "财务开具发票后填写发票号及付款到期日。",
    ),
    "payment_terms": (
        "Payment terms: {days} days from the invoice date.",
        "Condiciones de pago: {days} días desde la fecha de factura.",
        "付款期限：开票后 {days} 天内。",
    ),
    "to": ("To", "Para", "致"),
    "finance": ("Finance", "Finanzas", "财务部"),
    "period": ("Period", "Periodo", "报告期间"),
    "delivery": ("Delivered on", "Entrega", "提交时间"),
    "monday_noon": ("{date}, 12:00", "{date}, 12:00 h", "{date} 12:00"),
    "meetings_held": ("Meetings held", "Reuniones celebradas", "本周会议"),
    "actions_done": ("Done this week", "Hecho esta semana", "本周完成"),
    "actions_open": (
        "Open actions by owner",
        "Tareas pendientes por responsable",
        "按负责人列出的待办事项",
    ),
    "overdue": ("overdue", "vencida", "已逾期"),
    "this_week": ("This week", "Esta semana", "本周"),
    "next_week": ("Next week", "Próxima semana", "下周"),
    "schedule_tasks": ("Schedule", "Calendario", "进度安排"),
    "work_orders": ("Work orders", "Órdenes de trabajo", "工作单"),
    "invoices_due": ("Invoices due or overdue", "Facturas por cobrar o vencidas", "待收及逾期款项"),
    "nothing": ("Nothing to report.", "Nada que reseñar.", "无。"),
    "page": ("Page", "Página", "页"),
}
_INDEX = {"en": 0, "es": 1, "zh": 2}


class Labels:
    """`t.attendees` in a template: the label in the document's language."""

    def __init__(self, language: str) -> None:
        self.language = language
        column = _INDEX[language]
        self._labels = {name: row[column] for name, row in _LABELS.items()}
        self.__dict__.update(self._labels)  # plain attributes: templates read them a lot

    def __getattr__(self, name: str) -> str:  # only called for a name that is not a label
        raise AttributeError(f"no label '{name}'")

    def __getitem__(self, name: str) -> str:
        try:
            return self._labels[name]
        except KeyError:
            raise AttributeError(f"no label '{name}'") from None


@lru_cache(maxsize=16)
def labels(language: str) -> Labels:
    return Labels(language)


# `compact`: a date that fits a table column: 7 dic 2026, 7 Dec 2026, 2026/12/7.
_COMPACT = {"en": "medium", "es": "medium", "zh": "short"}


@lru_cache(maxsize=4096)  # Babel is slow and documents repeat the same dates
def format_date(value: dt.date, language: str, form: str = "long") -> str:
    """A date as its readers write it: `long` (20 de noviembre de 2026), `medium`, `short`,
    `compact` (for tables), `day-month` (20/11, 11/20 in Chinese: a week's column), or a
    CLDR pattern such as `dd/MM` (the same in every language)."""
    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    if form == "day-month":
        return str(format_skeleton("MMdd", value, locale=LOCALES[language]))
    form = _COMPACT[language] if form == "compact" else form
    return str(babel_date(value, format=form, locale=LOCALES[language]))


@lru_cache(maxsize=4096)
def format_money(value: float, currency: str, language: str, exact: bool = False) -> str:
    """An amount in the currency's digits (JP¥4,500, 4.500,00 €); `exact`: digits the
    value has beyond them are kept (a CPM of JP¥0.3 is not JP¥0)."""
    from babel.numbers import format_currency

    if value == 0:
        value = 0.0  # -0.0 from a calculation is no "-€0.00"
    with _digits_for(value):
        return str(
            format_currency(
                value, currency, locale=LOCALES[language], decimal_quantization=not exact
            )
        )


@lru_cache(maxsize=4096)
def format_number(value: Any, language: str) -> str:
    from babel.numbers import format_decimal

    if value == 0:
        value = 0  # not "-0"
    with _digits_for(value):
        return str(format_decimal(value, locale=LOCALES[language]))


def _digits_for(value: Any) -> AbstractContextManager[decimal.Context]:
    """A decimal context precise enough to write `value` in full: Babel rounds in the
    current one, whose 28 digits fail on an amount of 27 digits and two decimals."""
    try:
        digits = int(int(abs(value)).bit_length() * 0.30103) + 1
    except (TypeError, ValueError, OverflowError):  # no finite number: Babel says what
        digits = 0
    return decimal.localcontext(prec=max(decimal.getcontext().prec, digits + 16))
