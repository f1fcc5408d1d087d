"""Which deputies' codes to print, with the links they carry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from intake.models import Deputy
from intake.services.links import citizen_url
from qrcodes.bundle import Entry
from qrcodes.pdf import Card


def entries(session: Session, base_url: str, deputy_ids: list[int] | None = None,
            station_id: int | None = None) -> list[Entry]:
    """Active deputies with a live link, optionally only these ids or this station."""
    query = (
        select(Deputy)
        .options(joinedload(Deputy.station), selectinload(Deputy.links))
        .where(Deputy.active.is_(True))
        .order_by(Deputy.id)
    )
    if deputy_ids:
        query = query.where(Deputy.id.in_(deputy_ids))
    if station_id is not None:
        query = query.where(Deputy.station_id == station_id)
    found = []
    for deputy in session.scalars(query):
        link = deputy.current_link
        if link is not None:
            card = Card(deputy.name, deputy.level, deputy.station.name, citizen_url(base_url, link.slug))
            found.append(Entry(deputy.id, card))
    return found
