"""Importing the roster of deputies: all rows or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import DEPUTY_LEVELS, Deputy, Station
from intake.services.reception.links import issue_link
from intake.services.console.tables import Row

COLUMNS = {"name": "姓名", "level": "层级", "station": "联络站", "phone": "手机"}
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class RosterError(ValueError):
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.errors)


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    level: str
    station: str
    phone: str | None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _value(row: Row, key: str) -> str:
    return row.values.get(COLUMNS[key], "").strip()


def _normalise_level(raw: str) -> str:
    # Rosters write 区级, 区人大, 全国人大 … for the same level.
    return raw.replace("人大", "").replace("级", "").strip()


def parse(rows: list[Row]) -> list[RosterEntry]:
    """Check every row; raise RosterError listing each bad line, or return the entries."""
    if not rows:
        raise RosterError(["名册中没有代表。"])
    missing = [title for title in (COLUMNS["name"], COLUMNS["level"], COLUMNS["station"]) if title not in rows[0].values]
    if missing:
        raise RosterError([f"缺少列：{'、'.join(missing)}（需要的列：姓名、层级、联络站、手机）。"])
    errors, entries, phones = [], [], {}
    for row in rows:
        name, station = _value(row, "name"), _value(row, "station")
        level = _normalise_level(_value(row, "level"))
        phone = re.sub(r"[\s-]", "", _value(row, "phone")) or None
        problems = []
        if not name:
            problems.append("姓名为空")
        elif len(name) > 50:
            problems.append("姓名过长")
        if level not in DEPUTY_LEVELS:
            problems.append(f"层级“{_value(row, 'level')}”无效，应为：{'、'.join(DEPUTY_LEVELS)}")
        if not station:
            problems.append("联络站为空")
        elif len(station) > 100:
            problems.append("联络站名称过长")
        if phone is not None:
            if not _MOBILE.match(phone):
                problems.append(f"手机号“{_value(row, 'phone')}”格式不对，应为11位手机号")
            elif phone in phones:
                problems.append(f"手机号与第{phones[phone]}行重复")
            else:
                phones[phone] = row.line
        if problems:
            errors.append(f"第{row.line}行：{'；'.join(problems)}。")
        else:
            entries.append(RosterEntry(row.line, name, level, station, phone))
    if errors:
        raise RosterError(errors)
    return entries


def apply(session: Session, entries: list[RosterEntry]) -> ImportResult:
    """Create or update deputies (matched by mobile number); new deputies get a citizen link."""
    stations = {s.name: s for s in session.scalars(select(Station))}
    created = updated = 0
    for entry in entries:
        station = stations.get(entry.station)
        if station is None:
            station = stations[entry.station] = Station(name=entry.station)
            session.add(station)
        deputy = None
        if entry.phone:
            deputy = session.scalar(select(Deputy).where(Deputy.phone == entry.phone))
        if deputy is None:
            deputy = Deputy(name=entry.name, level=entry.level, station=station, phone=entry.phone, active=True)
            session.add(deputy)
            session.flush()
            issue_link(session, deputy)
            created += 1
        else:
            deputy.name, deputy.level, deputy.station, deputy.active = entry.name, entry.level, station, True
            updated += 1
    session.flush()
    return ImportResult(created, updated)
