"""Synthetic, valid workspaces of any size, deterministic for a seed.

`generate(root, clients, meetings_per_client, seed)` writes `aedocs.yaml` and, per client,
`client.yaml`, M meetings (alternating client / internal), one schedule and about M/3 work
orders. The number of documents a build produces is known in advance (`expected`):

- one per source document (meetings, the schedule, work orders);
- one invoice request per work order from status `done` on (a fixed status cycle);
- one weekly report per ISO week of the client's span: the schedule's tasks run
  back to back from its first Monday to its last Sunday and every other dated event
  (actions, deliveries, invoices and their due dates) falls inside that span, which ends
  before `AS_OF`.

Client names are made-up single words that appear nowhere else, so no file names another
client (the confidentiality rule). Command line:
`python -m bench.generate DIR --clients N --meetings M [--seed S]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import texts
from bench.yamlout import Quoted, dump

AS_OF = dt.date(2027, 1, 11)  # a Monday: builds use it so weekly reports stay the same
STATUS_CYCLE = ("paid", "invoiced", "done", "open", "invoiced", "open")
TAIL_WEEKS = 11  # weeks after the last meeting week: orders, invoices and their due dates
STAFF_SIZE = 12
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "qu", "r", "s", "t", "v", "x", "z")
_ONSETS2 = ("br", "tr", "kl", "dr", "zh", "vr")
_NUCLEI = ("a", "e", "i", "o", "u")
_CODAS = ("", "", "n", "r", "x", "l", "k")
_BRAND_CHARS = [c for c in "瑞澜珑曦璟岚翔霖朗峰鑫瀚琪铭" if c not in texts.CHINESE_TEXT]


@dataclass(frozen=True)
class Counts:
    """How many source files and output documents a generated workspace has."""

    clients: int
    meetings: int
    schedules: int
    workorders: int
    invoices: int
    weekly: int

    @property
    def sources(self) -> int:
        return self.meetings + self.schedules + self.workorders

    @property
    def documents(self) -> int:
        """.docx files a full build writes."""
        return self.sources + self.invoices + self.weekly


def orders_per_client(meetings: int) -> int:
    return max(1, meetings // 3)


def span_weeks(meetings: int) -> int:
    """Weeks from a client's first Monday to its last Sunday: one weekly report each."""
    return math.ceil(meetings / 2) + TAIL_WEEKS


def expected(clients: int, meetings: int) -> Counts:
    """The counts `generate(root, clients, meetings)` produces, by formula."""
    orders = orders_per_client(meetings)
    invoiced = sum(STATUS_CYCLE[k % len(STATUS_CYCLE)] != "open" for k in range(orders))
    return Counts(
        clients=clients,
        meetings=clients * meetings,
        schedules=clients,
        workorders=clients * orders,
        invoices=clients * invoiced,
        weekly=clients * span_weeks(meetings),
    )


def size_for(documents: int, meetings: int = 18) -> tuple[int, int]:
    """(clients, meetings per client) whose document count is closest to `documents`."""
    per_client = expected(1, meetings).documents
    return max(1, round(documents / per_client)), meetings


@dataclass
class Account:
    """One generated client and what its documents may name."""

    index: int
    id: str
    name: str
    aliases: list[str]
    chinese: bool
    team: list[str]
    contacts: list[str]
    start: dt.date  # a Monday
    rng: random.Random

    @property
    def lead(self) -> str:
        return self.team[0]

    def campaign(self) -> str:
        return texts.CAMPAIGNS[self.index % len(texts.CAMPAIGNS)]


@dataclass
class Numbers:
    """Workspace-wide sequences: finance numbers are unique across clients."""

    order: int = 0
    invoice: int = 0

    def next_order(self, year: int) -> str:
        self.order += 1
        return f"WO-{year}-{self.order:05d}"

    def next_invoice(self, year: int) -> str:
        self.invoice += 1
        return f"F-{year}-{self.invoice:05d}"


def generate(root: Path, clients: int, meetings_per_client: int, seed: int = 0) -> Counts:
    """Write a valid workspace into `root` (replacing its `clients/`); return its counts."""
    if clients < 1 or meetings_per_client < 1:
        raise ValueError("need at least one client and one meeting per client")
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / "clients", ignore_errors=True)
    staff = _staff(rng)
    dump(root / "aedocs.yaml", _config(staff), "Configuración del espacio de trabajo")
    numbers = Numbers()
    names = _client_names(rng, clients)
    for index, (name, brand) in enumerate(names):
        account = _account(seed, index, name, brand, [s["id"] for s in staff], meetings_per_client)
        _write_client(root / "clients" / account.id, account, meetings_per_client, numbers)
    return expected(clients, meetings_per_client)


# -- the agency and its clients ---------------------------------------------------------


def _staff(rng: random.Random) -> list[dict[str, Any]]:
    firsts = rng.sample(texts.FIRST_NAMES, STAFF_SIZE - 1)
    people = []
    for i, first in enumerate(firsts):
        surnames = " ".join(rng.sample(texts.SURNAMES, 2))
        person = _ascii(first)
        people.append(
            {
                "id": person,
                "name": f"{first} {surnames}",
                "role": texts.STAFF_ROLES[i % len(texts.STAFF_ROLES)],
                "email": f"{person}@estudionorte.example",
            }
        )
    people.append(
        {
            "id": "siyu",
            "name": "Lin Siyu (林思雨)",
            "role": "Account Executive",
            "email": "siyu.lin@estudionorte.example",
        }
    )
    return people


def _config(staff: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "agency": dict(texts.AGENCY),
        "language": "es",
        "currency": "EUR",
        "payment_terms_days": 45,
        "staff": staff,
    }


def _client_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """`n` pairs (name, brand) of made-up words, all different, none a word of the texts."""
    used: set[str] = set()
    names = []
    for _ in range(n):
        names.append((_new_word(rng, used), _new_word(rng, used)))
    return names


def _new_word(rng: random.Random, used: set[str]) -> str:
    while True:
        syllables = rng.randint(2, 3)
        word = "".join(_syllable(rng, i == 0) for i in range(syllables))
        if len(word) >= 5 and word not in used and word not in texts.VOCABULARY:
            used.add(word)
            return word.capitalize()


def _syllable(rng: random.Random, first: bool) -> str:
    onset = rng.choice(_ONSETS + (_ONSETS2 if first else ()))
    return onset + rng.choice(_NUCLEI) + rng.choice(_CODAS)


def _account(
    seed: int, index: int, name: str, brand: str, staff: list[str], meetings: int
) -> Account:
    rng = random.Random(f"{seed}-{index}")
    chinese = index % 5 == 4
    aliases = [brand]
    if chinese:
        first, second = _BRAND_CHARS[index % len(_BRAND_CHARS)], rng.choice(_BRAND_CHARS)
        aliases.append(f"{first}{second}{index}号")
    agency = [s for s in staff if s != "siyu"]
    lead = "siyu" if chinese else agency[index % len(agency)]
    others = rng.sample([s for s in staff if s != lead], rng.randint(2, 4))
    weeks_before = span_weeks(meetings) + 1 + index % 4
    return Account(
        index=index,
        id=_ascii(name),
        name=name,
        aliases=aliases,
        chinese=chinese,
        team=[lead, *others],
        contacts=[],
        start=AS_OF - dt.timedelta(weeks=weeks_before),
        rng=rng,
    )


def _ascii(text: str) -> str:
    return "".join(c for c in texts.fold(text) if c.isascii() and c.isalnum())


def _write_client(folder: Path, account: Account, meetings: int, numbers: Numbers) -> None:
    client = _client(account)
    dump(folder / "client.yaml", client, f"Cliente {client['tier']}: {account.name}")
    dates = _meeting_dates(account, meetings)
    client_meetings: dict[str, dt.date] = {}
    for i, day in enumerate(dates):
        stem, data = _meeting(account, i, day, last=i == meetings - 1)
        dump(folder / "meetings" / f"{stem}.yaml", data, f"Acta: {data['title']}")
        if data["kind"] == "client":
            client_meetings[stem] = day
    schedule = _schedule(account, meetings)
    slug = _slug(account.campaign())
    dump(folder / "schedules" / f"{slug}.yaml", schedule, f"Calendario: {schedule['title']}")
    for k in range(orders_per_client(meetings)):
        order = _workorder(account, k, _origin(client_meetings, k), numbers)
        dump(folder / "workorders" / f"{order['number']}.yaml", order, f"Orden: {order['title']}")


def _client(account: Account) -> dict[str, Any]:
    rng = account.rng
    contacts = [_contact(rng, account.chinese, i) for i in range(3)]
    ids = _unique_ids([c["id"] for c in contacts], set(account.team))
    for contact, cid in zip(contacts, ids, strict=True):
        contact["id"] = cid
        contact["email"] = f"{cid}@{account.id}.example"
    account.contacts = ids
    data: dict[str, Any] = {
        "name": account.name,
        "aliases": account.aliases,
        "tier": ("KA", "A", "B", "C")[account.index % 4],
    }
    if account.chinese:
        data["language"] = "zh"
    data["contacts"] = contacts
    data["team"] = account.team
    return data


def _contact(rng: random.Random, chinese: bool, i: int) -> dict[str, Any]:
    if chinese:
        name = texts.CHINESE_NAMES[rng.randrange(len(texts.CHINESE_NAMES))]
        role = texts.CHINESE_ROLES[i % len(texts.CHINESE_ROLES)]
        return {"id": f"zh{i + 1}", "name": name, "role": role}
    first, surname = rng.choice(texts.FIRST_NAMES), rng.choice(texts.SURNAMES)
    name = f"{first} {surname} {rng.choice(texts.SURNAMES)}"
    role = texts.CONTACT_ROLES[rng.randrange(len(texts.CONTACT_ROLES))]
    return {"id": _ascii(first)[0] + _ascii(surname), "name": name, "role": role}


def _unique_ids(wanted: list[str], taken: set[str]) -> list[str]:
    out = []
    for cid in wanted:
        candidate, n = cid, 2
        while candidate in taken:
            candidate, n = f"{cid}{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


# -- meetings ------------------------------------------------------------------------------


def _meeting_dates(account: Account, meetings: int) -> list[dt.date]:
    """Week p holds a client meeting (Mon-Thu) and the internal one the day after."""
    dates = []
    for i in range(meetings):
        if i % 2 == 0:
            week = account.start + dt.timedelta(weeks=i // 2)
            dates.append(week + dt.timedelta(days=account.rng.randint(0, 3)))
        else:
            dates.append(dates[-1] + dt.timedelta(days=1))
    return dates


def _meeting(account: Account, i: int, day: dt.date, last: bool) -> tuple[str, dict[str, Any]]:
    rng, client = account.rng, i % 2 == 0
    attendees, apologies = _attendees(account, client)
    data: dict[str, Any] = {
        "kind": "client" if client else "internal",
        "title": _meeting_title(account, client),
        "date": day,
        "time": Quoted(rng.choice(texts.TIMES)),
        "place": rng.choice(texts.PLACES),
        "chair": account.lead,
        "minute_taker": next((p for p in attendees[1:] if p in account.team), account.lead),
        "attendees": attendees,
    }
    if apologies:
        data["apologies"] = apologies
    data["agenda"] = _agenda(account)
    data["notes"] = _notes(account)
    data["decisions"] = _decisions(account, client)
    data["actions"] = [_action(account, attendees, day, last) for _ in range(rng.randint(3, 10))]
    data["conclusion"] = _conclusion(account)
    data["next_meeting"] = day + dt.timedelta(days=7)
    data["signatures"] = _meeting_signatures(account, data, signed=not last and rng.random() < 0.8)
    stem = f"{day.isoformat()}-{'seguimiento' if client else 'interna'}-{_slug(account.campaign())}"
    return stem, data


def _meeting_title(account: Account, client: bool) -> str:
    rng = account.rng
    if account.chinese:
        return f"{account.campaign()} {rng.choice(texts.CHINESE_TITLES)}"
    pool = texts.CLIENT_TITLES if client else texts.INTERNAL_TITLES
    return rng.choice(pool).format(c=account.campaign())


def _attendees(account: Account, client: bool) -> tuple[list[str], list[str]]:
    rng = account.rng
    team = [account.lead, *rng.sample(account.team[1:], rng.randint(1, len(account.team) - 1))]
    if not client:
        absent = [p for p in account.team if p not in team][:1]
        return team, absent
    contacts = rng.sample(account.contacts, rng.randint(1, 2))
    absent = [c for c in account.contacts if c not in contacts][:1]
    return team + contacts, absent


def _agenda(account: Account) -> list[str]:
    pool = texts.CHINESE_AGENDA if account.chinese else texts.AGENDA
    return account.rng.sample(pool, account.rng.randint(3, min(5, len(pool))))


def _notes(account: Account) -> str:
    rng = account.rng
    n = rng.randint(2, 40)
    if account.chinese:
        points = rng.sample(texts.CHINESE_NOTES, 3)
        opening = texts.PHRASES["review"] + points[0].format(n=n)
        return f"{opening}\n\n{_bullets(points[1:], n)}\n"
    opening = rng.choice(texts.NOTE_OPENINGS).format(n=n)
    points = rng.sample(texts.NOTE_POINTS, rng.randint(3, 5))
    if rng.random() < 0.25:
        points.append(texts.PHRASES["supplier"] + rng.choice(texts.CHINESE_NOTES))
    body = (opening, texts.PHRASES["points"], _bullets(points, n), texts.PHRASES["closing"])
    return "\n\n".join(body) + "\n"


def _bullets(points: Sequence[str], n: int) -> str:
    return "\n".join(f"- {p.format(n=n)}" for p in points)


def _decisions(account: Account, client: bool) -> list[Any]:
    rng = account.rng
    pool = texts.CHINESE_DECISIONS if account.chinese else texts.DECISIONS
    chosen = rng.sample(pool, rng.randint(2, 3) if client else 1)
    decisions: list[Any] = [{"id": f"d{k + 1}", "text": t} for k, t in enumerate(chosen)]
    if rng.random() < 0.5:
        decisions.append(rng.choice(pool) + texts.PHRASES["pending"])
    return decisions


def _action(account: Account, people: list[str], day: dt.date, recent: bool) -> dict[str, Any]:
    rng = account.rng
    pool = texts.CHINESE_TASKS if account.chinese else texts.TASKS
    due = day + dt.timedelta(days=rng.randint(1, 14))
    weights = (30, 60, 10) if recent else (70, 15, 15)
    status = rng.choices(("done", "open", "dropped"), weights)[0]
    action: dict[str, Any] = {"task": rng.choice(pool), "owner": rng.choice(people), "due": due}
    action["status"] = status
    if status == "done":
        action["done_on"] = max(day, due + dt.timedelta(days=rng.randint(-3, 3)))
    return action


def _conclusion(account: Account) -> str:
    pool = texts.CHINESE_CONCLUSIONS if account.chinese else texts.CONCLUSIONS
    return account.rng.choice(pool) + "\n"


def _meeting_signatures(account: Account, data: dict[str, Any], signed: bool) -> list[Any]:
    people = data["attendees"]
    second = next((p for p in people if p in account.contacts), data["minute_taker"])
    signers = list(dict.fromkeys([data["chair"], second]))
    return _signatures(account, signers, data["date"], signed)


def _signatures(account: Account, signers: list[str], day: dt.date, signed: bool) -> list[Any]:
    """Everyone signs within three days; when not `signed`, the last signer has not yet."""
    out: list[Any] = []
    for k, person in enumerate(signers):
        if not signed and k == len(signers) - 1:
            out.append({"by": person})
        else:
            out.append({"by": person, "on": day + dt.timedelta(days=account.rng.randint(0, 3))})
    return out


# -- schedule -----------------------------------------------------------------------------


def _schedule(account: Account, meetings: int) -> dict[str, Any]:
    """Eight tasks back to back over the whole span, two in parallel, two milestones."""
    start = account.start
    days = 7 * span_weeks(meetings)
    end = start + dt.timedelta(days=days - 1)
    cut = [start + dt.timedelta(days=round(days * f)) for f in (0.1, 0.25, 0.5, 0.7)]
    spans = [
        (start, cut[0], []),
        (cut[0], cut[1], ["brief"]),
        (cut[1], cut[2], ["investigacion"]),
        (cut[1], cut[2] - dt.timedelta(days=3), ["investigacion"]),
        (cut[2], cut[2], ["creatividad", "plan-medios"]),
        (cut[2], cut[3], ["aprobacion"]),
        (cut[3], cut[3], ["produccion"]),
        (cut[3], end, ["lanzamiento"]),
    ]
    tasks = [_task(account, k, first, last, deps) for k, (first, last, deps) in enumerate(spans)]
    signers = [account.lead, account.contacts[0]]
    return {
        "title": texts.PHRASES["schedule"].format(c=account.campaign()),
        "tasks": tasks,
        "signatures": _signatures(account, signers, start, signed=True),
    }


def _task(
    account: Account, k: int, start: dt.date, end: dt.date, deps: list[str]
) -> dict[str, Any]:
    task_id, name = texts.SCHEDULE_TASKS[k]
    task: dict[str, Any] = {
        "id": task_id,
        "name": name,
        "owner": account.team[k % len(account.team)],
        "start": start,
        "end": end,
        "status": "in-progress" if k == 7 else "done",
    }
    if start == end:
        task["milestone"] = True
    task["depends_on"] = deps
    return task


# -- work orders --------------------------------------------------------------------------


def _origin(client_meetings: dict[str, dt.date], k: int) -> tuple[str, dt.date]:
    """The client meeting (every one has decision d1) this order comes from."""
    stems = list(client_meetings)
    stem = stems[min(len(stems) - 1, (3 * k) // 2)]
    return stem, client_meetings[stem]


def _workorder(
    account: Account, k: int, origin: tuple[str, dt.date], numbers: Numbers
) -> dict[str, Any]:
    rng = account.rng
    kind = ("creative", "research", "media")[k % 3]
    opened = origin[1] + dt.timedelta(days=1)
    due = opened + dt.timedelta(days=rng.randint(7, 21))
    status = STATUS_CYCLE[k % len(STATUS_CYCLE)]
    order: dict[str, Any] = {
        "number": numbers.next_order(opened.year),
        "type": kind,
        "title": rng.choice(texts.ORDER_TITLES[kind]).format(c=account.campaign()),
        "requested_by": account.lead,
        "assigned_to": rng.sample(account.team[1:], 1),
        "origin": f"{origin[0]}#d1",
        "opened": opened,
        "due": due,
        "brief": _brief(account),
        "specs": dict(texts.SPECS[kind]),
    }
    if kind == "media":
        order["placements"] = _placements(account, opened)
    order["estimate"] = _estimate(account)
    order.update(_lifecycle(account, status, opened, due, numbers))
    signers = [account.lead, order["assigned_to"][0], account.contacts[0]]
    order["signatures"] = _signatures(account, signers, opened, signed=status != "open")
    return order


def _brief(account: Account) -> str:
    points = account.rng.sample(texts.BRIEF_POINTS, 3)
    piece = texts.PHRASES["piece"].format(c=account.campaign())
    return f"{piece}\n\n{texts.PHRASES['requirements']}\n\n{_bullets(points, 0)}\n"


def _placements(account: Account, opened: dt.date) -> list[dict[str, Any]]:
    rng = account.rng
    out = []
    for outlet, placement in rng.sample(texts.OUTLETS, rng.randint(2, 4)):
        start = opened + dt.timedelta(days=rng.randint(3, 10))
        item: dict[str, Any] = {
            "outlet": outlet,
            "placement": placement,
            "start": start,
            "end": start + dt.timedelta(days=rng.randint(7, 21)),
        }
        if rng.random() < 0.75:
            impressions, cpm = rng.randint(100, 5000) * 1000, rng.choice(texts.CPMS)
            item.update(cost=_number(impressions * cpm / 1000), impressions=impressions)
            item["cpm"] = _number(cpm)
        else:
            item["cost"] = rng.randint(20, 200) * 100
        out.append(item)
    return out


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _estimate(account: Account) -> list[dict[str, Any]]:
    rng = account.rng
    lines: list[dict[str, Any]] = [
        {"item": texts.PHRASES["lead"], "hours": rng.randint(4, 30), "rate": 75},
        {"item": texts.PHRASES["design"], "hours": rng.randint(4, 40), "rate": 60},
    ]
    if rng.random() < 0.6:
        sub = rng.choice(texts.SUBCONTRACTORS)
        lines.append({"item": texts.PHRASES["external"], "amount": rng.randint(5, 90) * 100})
        lines[-1]["subcontractor"] = sub
    return lines


def _lifecycle(
    account: Account, status: str, opened: dt.date, due: dt.date, numbers: Numbers
) -> dict[str, Any]:
    rng = account.rng
    out: dict[str, Any] = {"status": status}
    if status == "open":
        return out
    delivered = max(opened, due - dt.timedelta(days=rng.randint(0, 3)))
    out["delivered"] = delivered
    if status in ("invoiced", "paid"):
        issued = delivered + dt.timedelta(days=rng.randint(2, 5))
        paid = issued + dt.timedelta(days=rng.randint(15, 40)) if status == "paid" else None
        out["invoice"] = {"number": numbers.next_invoice(issued.year), "issued": issued}
        out["invoice"]["paid"] = paid
    return out


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in texts.fold(text)).split()
    return "-".join(_ascii(w) for w in words if _ascii(w)) or "campana"


# -- command line -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--meetings", type=int, required=True, help="meetings per client")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    counts = generate(args.directory, args.clients, args.meetings, args.seed)
    print(
        f"{counts.clients} clients, {counts.sources} source documents, "
        f"{counts.documents} documents when built --as-of {AS_OF}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
