"""Importing the roster of deputies: all rows or none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import DEPUTY_LEVELS, Deputy, Station
from intake.services.console.accounts import normalise_phone
from intake.services.reception.links import issue_link
from intake.services.console.tables import Row
from intake.services.errors import Problems

COLUMNS = {"name": "姓名", "level": "层级", "station": "联络站", "phone": "手机"}
# Other titles clerks give the same column: a roster whose number column is headed 手机号码 is read, not loaded
# without numbers (then nobody could sign in).
TITLES = {"name": ("姓名",), "level": ("层级",), "station": ("联络站",),
          "phone": ("手机", "手机号", "手机号码", "联系电话", "移动电话")}
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# Rosters pad two-character names to the width of three (张  芳, 张　芳); no Chinese name has a space inside.
_PADDING = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def person_name(raw: str) -> str:
    """A deputy's name as typed or listed, without the padding between its characters."""
    return _PADDING.sub("", raw.strip())


class RosterError(Problems):
    """Every bad line of the roster, or what makes the whole file unusable."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__("roster", problems)


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
    new_stations: tuple[str, ...] = ()


def _value(row: Row, title: str) -> str:
    return row.values.get(title, "").strip()


def _normalise_level(raw: str) -> str:
    # Rosters write 区级, 区人大, 区人大代表, 全国人大 … for the same level.
    return raw.replace("人大", "").replace("代表", "").replace("级", "").strip()


def parse(rows: list[Row]) -> list[RosterEntry]:
    """Check every row; raise RosterError listing each bad line, or return the entries."""
    if not rows:
        raise RosterError([("roster_empty", {})])
    # Every column must be there, 手机 too (a cell of it may be empty): a file without it would load every deputy
    # without a number, none able to sign in.
    titles = {key: next((title for title in TITLES[key] if title in rows[0].values), None) for key in COLUMNS}
    missing = [COLUMNS[key] for key, title in titles.items() if title is None]
    if missing:
        raise RosterError([("roster_columns", {"missing": missing})])
    errors, entries, phones = [], [], {}
    for row in rows:
        name, station = person_name(_value(row, titles["name"])), _value(row, titles["station"])
        level = _normalise_level(_value(row, titles["level"]))
        typed_phone = _value(row, titles["phone"])
        phone = normalise_phone(typed_phone) if typed_phone else None
        problems = []
        if not name:
            problems.append(("name_empty", {}))
        elif len(name) > 50:
            problems.append(("name_long", {}))
        if level not in DEPUTY_LEVELS:
            problems.append(("level_invalid", {"level": _value(row, titles["level"]), "allowed": DEPUTY_LEVELS}))
        if not station:
            problems.append(("station_empty", {}))
        elif len(station) > 100:
            problems.append(("station_long", {}))
        if phone is not None:
            if not _MOBILE.match(phone):
                problems.append(("mobile_invalid", {"phone": typed_phone}))
            elif phone in phones:
                problems.append(("mobile_repeated", {"first_line": phones[phone]}))
            else:
                phones[phone] = row.line
        if problems:
            errors.append(("line", {"line": row.line, "parts": problems}))
        else:
            entries.append(RosterEntry(row.line, name, level, station, phone))
    if errors:
        raise RosterError(errors)
    return entries


def new_stations(session: Session, entries: list[RosterEntry]) -> list[str]:
    """The roster's stations that do not exist yet, in the roster's order: importing creates them. A station
    already added under another spelling (柳河镇联络站 for 柳河镇人大代表联络站) would be doubled."""
    existing = set(session.scalars(select(Station.name)))
    return [name for name in dict.fromkeys(entry.station for entry in entries) if name not in existing]


def apply(session: Session, entries: list[RosterEntry]) -> ImportResult:
    """Create or update deputies (matched by mobile number); new deputies get a citizen link."""
    added = new_stations(session, entries)
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
        elif station.id is not None:
            # Without a number the deputy is known by name and station, so importing the file again adds nobody.
            deputy = session.scalar(select(Deputy).where(Deputy.phone.is_(None), Deputy.name == entry.name,
                                                         Deputy.station_id == station.id).limit(1))
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
    return ImportResult(created, updated, tuple(added))
