"""Looking up stations and deputies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from intake.models import Deputy


def all_deputies(session: Session) -> list[Deputy]:
    query = select(Deputy).options(joinedload(Deputy.station), selectinload(Deputy.links)).order_by(Deputy.id)
    return list(session.scalars(query).all())
