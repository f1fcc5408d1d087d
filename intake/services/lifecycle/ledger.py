"""The office's ledger (台账) of a year's suggestions: import a spreadsheet, export one that imports back.

Every line is checked before anything is stored: one bad line imports nothing, and every bad line is named.
A line whose 编号 is already stored is left as it is, so importing the same file again changes nothing.
Deputies and units are matched by name (a unit also by its short name); an unknown name is an error.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.config import LifecycleRules
from intake.models import Assignment, Deputy, Rating, Reply, Suggestion, SuggestionCosigner, UnitContact
from intake.services import plain_text
from intake.services.console import audit
from intake.services.console.tables import read_table
from intake.services.errors import Problems
from intake.services.lifecycle.handling import (CATEGORIES, LEVELS, parse_number, raise_counter, rules_or_default,
                                                today)
from intake.services.lifecycle.states import S, move
from intake.services.lifecycle.units import units_by_name

COLUMNS = ("编号", "标题", "领衔代表", "附议代表", "主办单位", "协办单位", "交办日期", "办理期限", "重点督办", "答复日期",
           "答复类别", "当面沟通", "满意度", "落实完成")
REQUIRED = COLUMNS[:13]  # 落实完成 (a B reply's promised work reported done) is optional
WIDTHS = (12, 40, 10, 20, 22, 30, 12, 12, 9, 12, 9, 9, 10, 9)
LEVEL_OF = {label: level for level, label in LEVELS.items()}
_NAMES = re.compile(r"[、，,；;\s]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_IMPORTED = "台账导入"


def _unneutralised(text: str) -> str:
    """A cell our export disarmed ('=…) reads back as what was typed."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _date(text: str) -> date | None:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, a spreadsheet's date serial; None if unreadable."""
    text = text.strip()
    if text.isdigit() and 20000 < int(text) < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    found = _DATE.match(text)
    if not found:
        return None
    try:
        return date(*map(int, found.groups()))
    except ValueError:
        return None


def _yes_no(text: str) -> bool | None:
    return {"是": True, "否": False, "": False}.get(text.strip())


@dataclass
class _Line:
    line: int
    number: str
    title: str
    deputy_id: int
    cosigner_ids: list[int]
    lead_unit_id: int | None
    co_unit_ids: list[int]
    assigned_on: date | None
    deadline: date | None
    key: bool
    replied_on: date | None
    category: str | None
    face: bool
    level: str | None
    done: bool
    parts: list = field(default_factory=list)


def _deputies(session: Session) -> dict[str, list[int]]:
    named: dict[str, list[int]] = {}
    for deputy_id, name in session.execute(select(Deputy.id, Deputy.name).order_by(Deputy.id)):
        named.setdefault(name, []).append(deputy_id)
    return named


def _check(row, deputies, units, rules) -> _Line:
    values = {name: _unneutralised(row.values.get(name, "").strip()) for name in COLUMNS}
    parts: list[tuple[str, dict]] = []

    def deputy(name: str) -> int | None:
        ids = deputies.get(name, [])
        if len(ids) != 1:
            parts.append(("ledger_deputy_ambiguous" if ids else "ledger_deputy_unknown", {"name": name}))
            return None
        return ids[0]

    def unit(name: str) -> int | None:
        found = units.get(name)
        if found is None:
            parts.append(("ledger_unit_unknown", {"name": name}))
            return None
        return found.id

    def day(column: str) -> date | None:
        if not values[column]:
            return None
        parsed = _date(values[column])
        if parsed is None:
            parts.append(("ledger_date", {"column": column, "value": values[column]}))
        return parsed

    def flag(column: str) -> bool:
        parsed = _yes_no(values[column])
        if parsed is None:
            parts.append(("ledger_yes_no", {"column": column, "value": values[column]}))
        return bool(parsed)

    number, title = values["编号"], values["标题"]
    if not number or len(number) > 40:
        parts.append(("ledger_number", {}))
    if not title or len(title) > 200:
        parts.append(("ledger_title", {}))
    lead_deputy = None
    if values["领衔代表"]:
        lead_deputy = deputy(values["领衔代表"])
    else:
        parts.append(("ledger_lead_deputy", {}))
    cosigners = [deputy(name) for name in _NAMES.split(values["附议代表"]) if name]
    lead_unit = unit(values["主办单位"]) if values["主办单位"] else None
    co_units = [unit(name) for name in _NAMES.split(values["协办单位"]) if name]
    assigned_on, deadline, replied_on = day("交办日期"), day("办理期限"), day("答复日期")
    key, face, done = flag("重点督办"), flag("当面沟通"), flag("落实完成")
    category = values["答复类别"].upper() or None
    if category is not None and category not in CATEGORIES:
        parts.append(("ledger_category", {"value": values["答复类别"]}))
    level = None
    if values["满意度"]:
        level = LEVEL_OF.get(values["满意度"])
        if level is None:
            parts.append(("ledger_level", {"value": values["满意度"]}))
    if (co_units or assigned_on or category) and not values["主办单位"]:
        parts.append(("ledger_lead_unit_missing", {}))
    if values["主办单位"] and not values["交办日期"]:
        parts.append(("ledger_assigned_missing", {}))
    if bool(category) != bool(values["答复日期"]):
        parts.append(("ledger_reply_incomplete", {}))
    if level and not category:
        parts.append(("ledger_level_without_reply", {}))
    if done and category != "B":
        parts.append(("ledger_done_not_b", {}))
    if lead_unit is not None and lead_unit in co_units:
        parts.append(("ledger_lead_in_co", {}))
    if deadline is None and assigned_on is not None:
        deadline = assigned_on + timedelta(days=rules.handling_days)
    return _Line(row.line, number, title, lead_deputy, [c for c in cosigners if c], lead_unit,
                 [c for c in co_units if c], assigned_on, deadline, key, replied_on, category, face, level, done,
                 parts)


def _at(on: date, rules: LifecycleRules) -> datetime:
    """Midnight of a ledger's day where the district is, as the aware UTC time the tables keep."""
    return datetime.combine(on, time(), ZoneInfo(rules.timezone)).astimezone(timezone.utc)


def _year_and_seq(number: str, fallback: int, rules: LifecycleRules) -> tuple[int, int | None]:
    """The year and sequence a number in the configured format stands for (another format: fallback, None)."""
    parsed = parse_number(rules, number)
    if parsed is not None:
        return parsed
    found = re.match(r"^(\d{4})\D", number)
    return (int(found.group(1)) if found else fallback), None


def _status(line: _Line) -> tuple[str, int]:
    """The status and round a ledger line describes."""
    if line.level == "unsatisfied":
        return S.HANDLING, 2
    if line.level:
        return (S.RATED if line.category == "B" and not line.done else S.CLOSED), 1
    if line.category:
        return S.ANSWERED, 1
    return (S.ASSIGNED, 1) if line.lead_unit_id else (S.REGISTERED, 1)


def _store(session: Session, line: _Line, rules: LifecycleRules, actor: str) -> None:
    year, seq = _year_and_seq(line.number, (line.assigned_on or today(rules)).year, rules)
    status, round_ = _status(line)
    suggestion = Suggestion(number=line.number, year=year, seq=seq, title=line.title, lead_deputy_id=line.deputy_id,
                            deadline=line.deadline, key_supervision=line.key, round=round_)
    session.add(suggestion)
    move(session, suggestion, "import", status, actor=actor, data={"line": line.line})
    for deputy_id in sorted(set(line.cosigner_ids) - {line.deputy_id}):
        session.add(SuggestionCosigner(suggestion_id=suggestion.id, deputy_id=deputy_id))
    if line.lead_unit_id:
        assigned_at = _at(line.assigned_on, rules)
        session.add(Assignment(suggestion_id=suggestion.id, unit_id=line.lead_unit_id, role="lead",
                               assigned_at=assigned_at))
        for unit_id in sorted(set(line.co_unit_ids)):
            session.add(Assignment(suggestion_id=suggestion.id, unit_id=unit_id, role="co", assigned_at=assigned_at))
    if line.category:
        replied_at = _at(line.replied_on, rules)
        session.add(Reply(suggestion_id=suggestion.id, round=1, unit_id=line.lead_unit_id, text=_IMPORTED,
                          category=line.category, state="accepted", submitted_at=replied_at, decided_at=replied_at,
                          done_reported_at=replied_at if line.done else None))
    if line.face:
        session.add(UnitContact(suggestion_id=suggestion.id, unit_id=line.lead_unit_id, stage="during", way="face",
                                on=line.replied_on or line.assigned_on, note=_IMPORTED))
    if line.level:
        session.add(Rating(suggestion_id=suggestion.id, round=1, deputy_id=line.deputy_id, level=line.level))
    if seq is not None:
        raise_counter(session, year, seq)


def import_ledger(session: Session, path: Path, actor: str, *, rules: LifecycleRules | None = None) -> dict:
    """Store the ledger's new suggestions; {"added": n, "unchanged": m} or Problems naming every bad line."""
    rules = rules_or_default(rules)
    path = Path(path)
    rows = read_table(path.name, path.read_bytes())
    if not rows:
        raise Problems("ledger", [("ledger_empty", {})])
    missing = [column for column in REQUIRED if column not in rows[0].values]
    if missing:
        raise Problems("ledger", [("column_missing", {"column": column}) for column in missing])
    deputies, units = _deputies(session), units_by_name(session)
    lines, first_line, errors = [], {}, []
    for row in rows:
        line = _check(row, deputies, units, rules)
        if line.number in first_line:
            line.parts.append(("ledger_number_repeated", {"first_line": first_line[line.number]}))
        elif line.number:
            first_line[line.number] = line.line
        if line.parts:
            errors.append(("line", {"line": line.line, "parts": line.parts}))
        lines.append(line)
    if errors:
        raise Problems("ledger", errors)
    stored = set(session.scalars(select(Suggestion.number).where(Suggestion.number.in_(list(first_line)))))
    fresh = [line for line in lines if line.number not in stored]
    for line in fresh:
        _store(session, line, rules, actor)
    session.flush()
    audit.record(session, actor, "ledger.import", "suggestions", {},
                 {"file": path.name, "added": len(fresh), "unchanged": len(lines) - len(fresh)})
    return {"added": len(fresh), "unchanged": len(lines) - len(fresh)}


# --- export --------------------------------------------------------------------------------------------
def _cell(sheet, value: str) -> WriteOnlyCell:
    """Text and nothing else: titles and names were typed by people, they must never run as a formula."""
    return plain_text.text_cell(sheet, value)


def _day(moment: datetime | date | None, rules: LifecycleRules) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZoneInfo(rules.timezone)).date()
    return moment.isoformat()


def ledger_rows(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None) -> list[list[str]]:
    """The ledger's lines as text, in the order of COLUMNS, oldest number first."""
    rules = rules_or_default(rules)
    query = select(Suggestion).options(selectinload(Suggestion.assignments).selectinload(Assignment.unit),
                                       selectinload(Suggestion.lead_deputy), selectinload(Suggestion.cosigners),
                                       selectinload(Suggestion.replies))
    if year is not None:
        query = query.where(Suggestion.year == year)
    suggestions = list(session.scalars(query.order_by(Suggestion.year, Suggestion.seq, Suggestion.id)))
    ids = [s.id for s in suggestions]
    faces = set(session.scalars(select(UnitContact.suggestion_id).where(
        UnitContact.way == "face", UnitContact.suggestion_id.in_(ids)).distinct())) if ids else set()
    latest_rating = {}
    if ids:
        for suggestion_id, level in session.execute(select(Rating.suggestion_id, Rating.level).where(
                Rating.suggestion_id.in_(ids)).order_by(Rating.round, Rating.id)):
            latest_rating[suggestion_id] = level
    lines = []
    for suggestion in suggestions:
        active = suggestion.active_assignments
        lead = next((a for a in active if a.role == "lead"), None)
        accepted = [r for r in suggestion.replies if r.state == "accepted"]
        reply = max(accepted, key=lambda r: (r.round, r.id)) if accepted else None
        level = latest_rating.get(suggestion.id)
        lines.append([
            suggestion.number, suggestion.title, suggestion.lead_deputy.name,
            "、".join(d.name for d in suggestion.cosigners),
            lead.unit.name if lead else "", "、".join(a.unit.name for a in active if a.role == "co"),
            _day(lead.assigned_at, rules) if lead else "", _day(suggestion.deadline, rules) if lead else "",
            "是" if suggestion.key_supervision else "否",
            _day(reply.decided_at or reply.submitted_at, rules) if reply else "", reply.category if reply else "",
            "是" if suggestion.id in faces else "否", LEVELS[level] if level else "",
            "是" if reply is not None and reply.category == "B" and reply.done_reported_at else "否",
        ])
    return lines


def export_ledger(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None) -> bytes:
    """The ledger as .xlsx bytes, in the columns `import_ledger` reads."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("建议台账")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_cell(sheet, name) for name in COLUMNS])
    for line in ledger_rows(session, year, rules=rules):
        sheet.append([_cell(sheet, value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
