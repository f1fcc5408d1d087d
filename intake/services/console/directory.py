"""Looking up stations and deputies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from intake.models import Deputy, StaffRole, StaffUser, Station


def all_deputies(session: Session) -> list[Deputy]:
    query = select(Deputy).options(joinedload(Deputy.station), selectinload(Deputy.links)).order_by(Deputy.id)
    return list(session.scalars(query).all())


def station_scope(staff: StaffUser) -> int | None:
    """The station a staff member is limited to; None for office staff and administrators."""
    return staff.station_id if staff.role == StaffRole.STATION else None


def deputies_for_staff(session: Session, staff: StaffUser) -> list[Deputy]:
    scope = station_scope(staff)
    return [d for d in all_deputies(session) if scope is None or d.station_id == scope]


def deputy_for_staff(session: Session, staff: StaffUser, deputy_id: int) -> Deputy | None:
    deputy = session.get(Deputy, deputy_id)
    scope = station_scope(staff)
    if deputy is None or (scope is not None and deputy.station_id != scope):
        return None
    return deputy


def stations(session: Session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.id)))
