"""The audit log: every change staff or deputies make, with before and after. Append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from intake import labels
from intake.models import AuditEntry, Deputy, Draft, HandlingUnit, Message, Reply, StaffUser, Station, Suggestion
from intake.services.privacy import masking


def record(session: Session, actor: str, action: str, target: str, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(actor=actor, action=action, target=target, before=before or {}, after=after or {})
    session.add(entry)
    return entry


def history(session: Session, target: str, limit: int = 100) -> list[AuditEntry]:
    """What was done to exactly this target (e.g. "message:1"), newest first; never "message:10"."""
    query = select(AuditEntry).where(AuditEntry.target == target)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


# Every action the log names in words: a search for the words finds the stored code.
_ACTION_CODES = (list(labels.AUDIT_ACTIONS) + [f"draft.{code}" for code in labels.REVISION_ACTIONS]
                 + [f"suggestion.{code}" for code in labels.SUGGESTION_ACTIONS])
SHOWN = 200  # entries a search shows, newest first; the page says when more matched


def search(session: Session, text: str = "", limit: int = SHOWN) -> tuple[list[AuditEntry], bool]:
    """The newest `limit` entries whose actor, action or target contains the text literally (% and _ match only
    themselves), or that the log shows by a name containing it: a clerk searches for 王秀兰, a draft's title, a
    receipt or 交办, not for "deputy:3". One statement, however many things the text names; also returns
    whether more entries matched."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit + 1)
    text = text.strip()
    if text:
        named = _references_named(text)
        actions = [code for code in _ACTION_CODES if text in labels.audit_action(code)]
        query = query.where(or_(*(column.contains(text, autoescape=True)
                                  for column in (AuditEntry.actor, AuditEntry.action, AuditEntry.target)),
                                AuditEntry.actor.in_(named), AuditEntry.target.in_(named),
                                AuditEntry.action.in_(actions)))
    entries = list(session.scalars(query))
    return entries[:limit], len(entries) > limit


def _references_named(text: str):
    """A subquery of the stored references ("draft:7") of what the log shows by a name containing the text."""
    kinds = {kind: (model, column) for kind, (model, column, _) in _TARGET_NAMES.items()}
    kinds.update(deputy=(Deputy, Deputy.name), unit=(HandlingUnit, HandlingUnit.name))
    by_id = [select((literal(f"{kind}:", String) + cast(model.id, String)).label("reference"))
             .where(column.contains(text, autoescape=True)) for kind, (model, column) in kinds.items()]
    # Staff act as "staff:<login>": found by their name too, and an account by its login though it shows the name.
    by_login = [select((literal("staff:", String) + StaffUser.username).label("reference"))
                .where(StaffUser.display_name.contains(text, autoescape=True)),
                select((literal("staff:", String) + cast(StaffUser.id, String)).label("reference"))
                .where(StaffUser.username.contains(text, autoescape=True))]
    return union_all(*by_id, *by_login).scalar_subquery()


@dataclass(frozen=True)
class ReadableEntry:
    """One entry as a clerk reads it: who (by name), did what, to what, changing what into what."""

    at: datetime
    actor: str
    action: str
    target: str
    before: str
    after: str
    note: str = ""  # a citizen's contact note: their own words, shown apart from the changes


def _kind_and_id(reference: str) -> tuple[str, int | None]:
    kind, _, number = reference.partition(":")
    return kind, int(number) if number.isdigit() else None


def _who(reference: str, deputy_names: dict[int, str], unit_names: dict[int, str],
         staff_names: dict[str, str] | None = None) -> str:
    kind, number = _kind_and_id(reference)
    if kind == "deputy" and number in deputy_names:
        return f"代表 {deputy_names[number]}"
    if kind == "unit" and number in unit_names:
        return f"承办单位 {unit_names[number]}"
    if kind == "staff":
        login = reference.partition(":")[2]
        return f"工作人员 {(staff_names or {}).get(login, login)}"
    if kind == "system":  # a command of its own (system:demo) is still the system, never its code
        return labels.AUDIT_ACTORS.get(reference, labels.AUDIT_ACTORS["system"])
    return labels.AUDIT_ACTORS.get(reference, reference)


def staff_names(session: Session, references) -> dict[str, str]:
    """The name (姓名) of each staff login among these actors ("staff:zhangmin"), for those whose account has one."""
    logins = {reference.partition(":")[2] for reference in references if reference.startswith("staff:")}
    if not logins:
        return {}
    return dict(session.execute(select(StaffUser.username, StaffUser.display_name)
                                .where(StaffUser.username.in_(logins), StaffUser.display_name.is_not(None))).all())


def person(reference: str, staff_names: dict[str, str] | None = None) -> str:
    """An actor as the log names it, where no deputy's or unit's name is needed: 工作人员 张敏 (工作人员 admin for an
    account without a name), 系统（后台命令）."""
    return _who(reference, {}, {}, staff_names)


# A draft's title as its pages show it now (draft_text.text_of's, in SQL): the deputy's own where they rewrote it. A
# clerk searches the log by the title they see today; the generated one named a renamed draft in words no page shows.
_DRAFT_TITLE = func.coalesce(Draft.edits["title"].as_string(), Draft.title)
# What a clerk knows a target by, instead of its row id: a suggestion's number, a draft's title, a receipt …
_TARGET_NAMES = {"suggestion": (Suggestion, Suggestion.number, "建议 {}"), "draft": (Draft, _DRAFT_TITLE, "草稿《{}》"),
                 "message": (Message, Message.receipt, "留言 {}"),
                 "staff": (StaffUser, func.coalesce(StaffUser.display_name, StaffUser.username), "账号 {}"),
                 "station": (Station, Station.name, "联络站 {}")}


def _target_names(session: Session, targets: list[str]) -> dict[str, str]:
    wanted: dict[str, set[int]] = {}
    for kind, number in map(_kind_and_id, targets):
        if kind in _TARGET_NAMES and number is not None:
            wanted.setdefault(kind, set()).add(number)
    found = {}
    for kind, ids in wanted.items():
        model, column, shape = _TARGET_NAMES[kind]
        for number, name in session.execute(select(model.id, column).where(model.id.in_(ids))):
            if name:
                found[f"{kind}:{number}"] = shape.format(name)
    return found


def _what(reference: str, deputy_names: dict[int, str], unit_names: dict[int, str],
          target_names: dict[str, str]) -> str:
    if reference in target_names:
        return target_names[reference]
    kind, number = _kind_and_id(reference)
    if kind == "deputy" and number in deputy_names:
        return f"代表 {deputy_names[number]}"
    if kind == "unit" and number in unit_names:
        return f"承办单位 {unit_names[number]}"
    name = labels.AUDIT_TARGETS.get(kind)
    if name is None:
        return reference
    return f"{name} {reference.partition(':')[2]}".strip()


# Fields whose stored code has a Chinese name of its own.
CODED_FIELDS = {"role": labels.ROLES, "stage": labels.CONTACT_STAGES, "way": labels.CONTACT_WAYS,
                "level": labels.RATING_LEVELS, "scopes": labels.API_SCOPES, "flag": labels.FLAGS,
                "state": labels.DELIVERY_STATES, "page": labels.LOCKED_PAGES}


def _named(field: str, value):
    """A stored code shown by its Chinese name (a role is kept as "office", read as 代表工委)."""
    if field == "round" and _is_id(value):
        return f"第 {value} 轮"
    if field == "category" and isinstance(value, str):
        return labels.reply_category(value)
    if not isinstance(value, str):
        return value
    if field in CODED_FIELDS:
        return CODED_FIELDS[field].get(value, value)
    if field == "status":
        return labels.SUGGESTION_STATUS.get(value) or labels.DRAFT_STATUS.get(value) or labels.MESSAGE_STATUS.get(value, value)
    return value


# Fields that hold row ids, read by what people know them by (a clerk knows neither unit 3 nor reply 12): the
# field's name and the kind of row.
ID_FIELDS = {"unit_id": ("承办单位", "unit"), "lead_unit_id": ("主办单位", "unit"), "co_unit_ids": ("协办单位", "unit"),
             "station_id": ("联络站", "station"), "reply_id": ("答复", "reply"), "deputy_id": ("代表", "deputy"),
             "active_deputies": ("在任代表", "deputy"), "draft_id": ("草稿", "draft"), "draft": ("草稿", "draft"),
             "group": ("收集中的问题", "draft")}


# An export's filters (the queue's form) name a station and a deputy by id too.
FILTER_IDS = {"station": "station", "deputy": "deputy"}
FILTER_CODES = {"status": labels.MESSAGE_STATUS, "channel": labels.CHANNELS, "attention": labels.ATTENTION}


def _is_id(number) -> bool:
    return isinstance(number, int) and not isinstance(number, bool)


def _ids(value) -> list[tuple[str, int]]:
    """The (kind, id) of every row an entry's before or after names by id."""
    if not isinstance(value, dict):
        return []
    found = []
    for field, (_, kind) in ID_FIELDS.items():
        ids = value.get(field)
        found += [(kind, number) for number in (ids if isinstance(ids, list) else [ids]) if _is_id(number)]
    filters = value.get("filters")
    if isinstance(filters, dict):
        found += [(kind, filters[field]) for field, kind in FILTER_IDS.items() if _is_id(filters.get(field))]
    return found


def _names(session: Session, wanted: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Each of these rows' name as pages show it, for those that still exist."""
    by_kind: dict[str, set[int]] = {}
    for kind, number in wanted:
        by_kind.setdefault(kind, set()).add(number)
    found = {}
    for kind, ids in by_kind.items():
        query, shape = _NAMED_BY[kind]
        rows = session.execute(query.where(query.selected_columns[0].in_(ids)))
        found |= {(kind, number): shape(number, *parts) if callable(shape) else shape.format(*parts)
                  for number, *parts in rows if callable(shape) or all(parts)}
    return found


# How each kind of row is named: its id and parts, and the shape they take.
_NAMED_BY = {
    "unit": (select(HandlingUnit.id, HandlingUnit.name), "{}"),
    "station": (select(Station.id, Station.name), "{}"),
    "deputy": (select(Deputy.id, Deputy.name), "{}"),
    # By number and title (two drafts may share a title; the number is what the message page's 加入草稿 asks for); a
    # group still collecting has no title yet.
    "draft": (select(Draft.id, _DRAFT_TITLE), lambda number, title: f"{number} 号《{title}》" if title else f"{number} 号"),
    "reply": (select(Reply.id, Reply.round, Reply.category, HandlingUnit.name)
              .join(HandlingUnit, HandlingUnit.id == Reply.unit_id),
              lambda number, round_, category, unit:
              f"{unit}第 {round_} 轮答复" + (f"，{labels.reply_category(category)}" if category else "")),
}


def _id_names(field: str, value, known: dict[tuple[str, int], str]) -> str | None:
    """"主办单位：区住房和城乡建设局" for a stored id, or None when an id is not one the log knows. A draft or a
    collecting problem merged away since is still named by its number, as pages name drafts (收集中的问题：1 号)."""
    label, kind = ID_FIELDS[field]
    ids = value if isinstance(value, list) else [value]
    if value is None or value == []:
        return f"{label}：（空）"
    if kind == "draft" and all(_is_id(number) for number in ids):
        return f"{label}：{'、'.join(known.get((kind, number)) or f'{number} 号' for number in ids)}"
    if not all((kind, number) in known for number in ids):
        return None
    return f"{label}：{'、'.join(known[kind, number] for number in ids)}"


def _filters(filters: dict, known: dict[tuple[str, int], str]) -> str:
    """"联络站：青石街道人大代表联络站，渠道：网页，关键词：路灯": each filter and its value as the queue's form shows
    them; a station or deputy since deleted by its number."""
    parts = []
    for field, chosen in filters.items():
        if field in FILTER_IDS:
            shown = known.get((FILTER_IDS[field], chosen)) or f"编号 {chosen}"
        else:
            shown = FILTER_CODES.get(field, {}).get(chosen, chosen)
        parts.append(f"{labels.FILTER_FIELDS.get(field, field)}：{shown}")
    return "，".join(parts)


def _value(value, known: dict[tuple[str, int], str] | None = None, action: str = "") -> str:
    """Before or after as words; `action` picks a field's name where the action gives it another meaning."""
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_value(item, known, action) for item in value)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            named = _id_names(k, v, known) if k in ID_FIELDS and known is not None else None
            if k == "filters" and isinstance(v, dict):  # an export with no filter holds every message
                named = f"{labels.AUDIT_FIELDS[k]}：{_filters(v, known or {}) or '全部留言'}"
            field = labels.AUDIT_FIELDS_OF.get(action, {}).get(k) or labels.AUDIT_FIELDS.get(k, k)
            parts.append(named or f"{field}：{_value(_named(k, v), known, action)}")
        return "；".join(parts)
    return str(value)


def _kept_contacts(session: Session, entries: list[AuditEntry]) -> set[str]:
    """The messages ("message:7") these entries added a number to that still hold the citizen's contact: retention
    removes it from a long-closed message, and the append-only log must not keep it readable."""
    ids = [number for kind, number in (_kind_and_id(e.target) for e in entries if e.action == "message.contact")
           if kind == "message" and number is not None]
    if not ids:
        return set()
    return {f"message:{number}" for number in session.scalars(
        select(Message.id).where(Message.id.in_(ids), Message.contact_phone.is_not(None)))}


def _contact_note(entry: AuditEntry, kept: bool) -> str:
    """A citizen's contact note in an entry: readable to staff, as the citizen was told (只给工作人员看), while their
    message keeps their contact; its numbers masked once retention removed it."""
    note = entry.after.get("note") if entry.action == "message.contact" and entry.after else None
    return masking.contact_note(note, kept) if isinstance(note, str) else ""


def readable(session: Session, entries: list[AuditEntry]) -> list[ReadableEntry]:
    kept = _kept_contacts(session, entries)
    notes = [_contact_note(e, e.target in kept) for e in entries]
    afters = [{k: v for k, v in e.after.items() if k != "note"} if note else e.after for e, note in zip(entries, notes)]
    references = [ref for e in entries for ref in (e.actor, e.target)]
    rows = [(kind, number) for kind, number in map(_kind_and_id, references) if kind in ("deputy", "unit") and number]
    known = _names(session, rows + [row for e in entries for change in (e.before, e.after) for row in _ids(change)])
    names = {number: name for (kind, number), name in known.items() if kind == "deputy"}
    unit_names = {number: name for (kind, number), name in known.items() if kind == "unit"}
    target_names = _target_names(session, [e.target for e in entries])
    people = staff_names(session, [e.actor for e in entries])
    return [ReadableEntry(e.at, _who(e.actor, names, unit_names, people), labels.audit_action(e.action),
                          _what(e.target, names, unit_names, target_names),
                          _value(e.before, known, e.action) if e.before else "",
                          _value(after, known, e.action) if after else "", note)
            for e, after, note in zip(entries, afters, notes)]
