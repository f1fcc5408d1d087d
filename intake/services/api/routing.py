"""Whom a submission goes to: the deputy its link names, else the station whose place the address names.

A station's place is its name without the words "人大代表联络站" (青石街道人大代表联络站 → 青石街道), also
without the kind of place (青石街道 → 青石); the longest place found in the address wins. The station's
message goes to its longest-serving active deputy (the lowest number), where its staff see it and may pass
it on. An address in no station's place has no deputy to receive it, so it is refused: a message without a
deputy would reach no one.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Deputy, Station
from intake.services.api.keys import LiveKey, sees_station
from intake.services.errors import InvalidInput
from intake.services.reception import links

_STATION_WORDS = re.compile(r"(人大代表)?(联络站|联络点|之家)$")
_PLACE_KIND = re.compile(r"(街道|社区|镇|乡|村)$")
MIN_PLACE_CHARS = 2


def places_of(station_name: str) -> list[str]:
    """The names of a station's place, longest first."""
    place = _STATION_WORDS.sub("", station_name.strip())
    core = _PLACE_KIND.sub("", place)
    return [name for name in dict.fromkeys((place, core)) if len(name) >= MIN_PLACE_CHARS]


def station_for_address(session: Session, address: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the place found, station id)
    for station_id, name in session.execute(select(Station.id, Station.name).order_by(Station.id)):
        for place in places_of(name):
            if place in address and (best is None or len(place) > best[0]):
                best = (len(place), station_id)
    return best[1] if best else None


def _station_deputy(session: Session, station_id: int) -> int | None:
    return session.scalar(select(Deputy.id).where(Deputy.station_id == station_id, Deputy.active.is_(True))
                          .order_by(Deputy.id).limit(1))


def deputy_for(session: Session, key: LiveKey, *, deputy_slug: str | None, address: str | None) -> int:
    """The deputy who receives the submission; a station's key reaches its own station's deputies only."""
    if deputy_slug:
        lookup = links.resolve(session, deputy_slug)
        # Another station's deputy is answered like an unknown one: the key learns nothing about them.
        if lookup.deputy is None or not sees_station(key, lookup.deputy.station_id):
            raise InvalidInput("api_deputy_unknown")
        if lookup.revoked:
            raise InvalidInput("api_deputy_gone")
        return lookup.deputy.id
    station_id = station_for_address(session, address) if address else None
    if station_id is not None and not sees_station(key, station_id):
        station_id = None
    station_id = station_id or key.station_id
    deputy_id = _station_deputy(session, station_id) if station_id else None
    if deputy_id is None:
        raise InvalidInput("api_no_station")
    return deputy_id
