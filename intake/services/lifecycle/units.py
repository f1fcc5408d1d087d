"""Handling units: import the district's list (all rows or none), match a name to a unit, edit one."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from intake.models import HandlingUnit
from intake.services import plain_text
from intake.services.console import audit
from intake.services.console.tables import Row, read_table
from intake.services.errors import InvalidInput, NotFound, Problems

COLUMNS = ("单位名称", "简称", "联系人", "电话", "提醒邮箱")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"'.]+")


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


# The columns' sizes for what is typed beside a unit's name: longer is refused with its length, never cut.
DETAIL_LIMITS = (("简称", 50), ("联系人", 50), ("电话", 40))


def _too_long(details: tuple[str, ...]) -> list[dict]:
    """Each of (简称, 联系人, 电话) longer than its column, with its length."""
    return [{"field": field, "maximum": maximum, "length": len(text)}
            for (field, maximum), text in zip(DETAIL_LIMITS, details) if len(text) > maximum]


def _emails(text: str) -> str | None:
    """The unit's reminder addresses, checked and written "a@x.cn, b@y.cn"; None when there are none."""
    found = [part.strip() for part in re.split(r"[,;，；\s]+", text or "") if part.strip()]
    for address in found:
        if not _EMAIL.fullmatch(address):
            raise InvalidInput("unit_email", address=address[:60])
    joined = ", ".join(found)
    if len(joined) > 200:
        raise InvalidInput("unit_email_long")
    return joined or None


def match_unit(session: Session, name: str | None) -> HandlingUnit | None:
    """The active unit whose name or short name is `name` (a taxonomy's 住建局 finds 区住房和城乡建设局 by its
    short name); None when no unit, or more than one, answers to it."""
    name = _clean(name, 100)
    if not name:
        return None
    query = select(HandlingUnit).where(HandlingUnit.active.is_(True),
                                       or_(HandlingUnit.name == name, HandlingUnit.short_name == name))
    found = list(session.scalars(query.limit(2)))
    exact = [unit for unit in found if unit.name == name]
    if exact:
        return exact[0]
    return found[0] if len(found) == 1 else None


# What may stand around a unit's name in a draft's 建议承办单位: other units after it, a note in brackets.
_OTHER_UNITS = re.compile(r"[、，,；;/／\s]")
_NOTE = re.compile(r"[（(].*$")
_LEVEL = ("区", "市", "县")


def _bare(name: str) -> str:
    return name[1:] if name.startswith(_LEVEL) and len(name) > 2 else name


def _abbreviates(short: str, name: str) -> bool:
    """城管局 of 区城市管理局, 住建局 of 区住房和城乡建设局: each character in order, the last one last."""
    rest = iter(name)
    return short[-1] == name[-1] and all(char in rest for char in short)


def proposed_unit(session: Session, name: str | None) -> HandlingUnit | None:
    """The unit to pre-select for a draft's 建议承办单位, which a clerk may change: found as `match_unit` finds it,
    else by its first-named unit without a note, 区 or 市, else as the one active unit it abbreviates (a district
    that listed its units by full name only). None when nothing, or more than one, fits."""
    exact = match_unit(session, name)
    if exact is not None:
        return exact
    first = _NOTE.sub("", _OTHER_UNITS.split(_clean(name, 100))[0]) if name else ""
    if len(first) < 2:
        return None
    units = list(session.scalars(select(HandlingUnit).where(HandlingUnit.active.is_(True))))
    for fits in (lambda unit: first in (unit.name, unit.short_name),
                 lambda unit: _bare(first) in (_bare(unit.name), _bare(unit.short_name or "")),
                 lambda unit: _abbreviates(_bare(first), _bare(unit.name))):
        found = [unit for unit in units if fits(unit)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def units_by_name(session: Session) -> dict[str, HandlingUnit]:
    """Every unit by its name and, where no other unit is named so, its short name."""
    units = list(session.scalars(select(HandlingUnit)))
    named = {unit.name: unit for unit in units}
    for unit in units:
        if unit.short_name and unit.short_name not in named:
            named[unit.short_name] = unit
    return named


def import_units(session: Session, path: Path, actor: str = "system") -> dict:
    """Load .xlsx/.csv rows (单位名称, 简称, 联系人, 电话, 提醒邮箱): new units are added, known ones updated.
    Any bad row refuses the whole file, each problem named with its line."""
    path = Path(path)
    return import_unit_rows(session, read_table(path.name, path.read_bytes()), actor)


def import_unit_rows(session: Session, rows: list[Row], actor: str = "system") -> dict:
    """import_units for rows already read from a table."""
    if not rows:
        raise Problems("units_file", [("units_empty", {})])
    missing = [column for column in COLUMNS[:1] if column not in rows[0].values]
    if missing:
        raise Problems("units_file", [("column_missing", {"column": missing[0]})])
    errors, entries, seen = [], [], {}
    row_columns = set(rows[0].values)
    for row in rows:
        name = _clean(row.values.get("单位名称"), 200)
        parts = []
        if not name:
            parts.append(("unit_name_empty", {}))
        elif len(name) > 100:
            parts.append(("unit_name_long", {}))
        elif name in seen:
            parts.append(("unit_repeated", {"first_line": seen[name]}))
        else:
            seen[name] = row.line
        try:
            email = _emails(row.values.get("提醒邮箱") or "")
        except InvalidInput as refusal:
            parts.append((refusal.code, refusal.params))
        details = tuple(plain_text.landline(row.values.get(field)) if field == "电话"
                        else " ".join((row.values.get(field) or "").split()) for field, _ in DETAIL_LIMITS)
        parts.extend(("unit_detail_long_line", found) for found in _too_long(details))
        if parts:
            errors.append(("line", {"line": row.line, "parts": parts}))
        else:
            entries.append((name, *details, email))
    if errors:
        raise Problems("units_file", errors)
    known = {unit.name: unit for unit in session.scalars(select(HandlingUnit))}
    added = updated = 0
    for name, short, person, phone, email in entries:
        unit = known.get(name)
        if unit is None:
            unit = known[name] = HandlingUnit(name=name)
            session.add(unit)
            added += 1
        else:
            updated += 1
        unit.short_name, unit.contact_person, unit.phone, unit.active = short or None, person or None, phone or None, True
        if "提醒邮箱" in row_columns:  # a file without the column leaves the addresses staff typed in
            unit.email = email
    session.flush()
    audit.record(session, actor, "units.import", "units", {}, {"added": added, "updated": updated})
    return {"added": added, "updated": updated}


def save_unit(session: Session, *, unit_id: int | None, name: str, short_name: str = "", contact_person: str = "",
              phone: str = "", email: str = "", active: bool = True, actor: str) -> HandlingUnit:
    """Add a unit (unit_id None) or change one, as office staff edit it."""
    name = _clean(name, 200)
    if not name or len(name) > 100:
        raise InvalidInput("unit_name")
    short_name, contact_person = (" ".join(text.split()) for text in (short_name, contact_person))
    phone = plain_text.landline(phone)
    too_long = _too_long((short_name, contact_person, phone))
    if too_long:
        raise InvalidInput("unit_detail_long", **too_long[0])
    clash = session.scalar(select(HandlingUnit).where(func.lower(HandlingUnit.name) == name.lower()))
    if unit_id is None:
        if clash is not None:
            raise InvalidInput("unit_name_taken", name=name)
        unit = HandlingUnit(name=name)
        session.add(unit)
        before = {}
    else:
        unit = session.get(HandlingUnit, unit_id)
        if unit is None:
            raise NotFound("unit")
        if clash is not None and clash.id != unit.id:
            raise InvalidInput("unit_name_taken", name=name)
        before = {"name": unit.name, "short_name": unit.short_name, "active": unit.active}
    unit.name, unit.short_name = name, short_name or None
    unit.contact_person, unit.phone = contact_person or None, phone or None
    unit.email = _emails(email)
    unit.active = active
    session.flush()
    audit.record(session, actor, "unit.save", f"unit:{unit.id}", before,
                 {"name": unit.name, "short_name": unit.short_name, "active": unit.active})
    return unit
