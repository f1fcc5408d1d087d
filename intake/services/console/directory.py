"""Looking up stations and deputies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from intake.models import Deputy, Message, StaffRole, StaffUser, Station


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


def failed_jobs_for(session: Session, staff: StaffUser, failed: list[dict]) -> list[dict]:
    """The failed jobs this staff member may see: a station's staff only those about their own deputies or their
    messages (error lines can quote citizens' text); jobs about nobody in particular are the office's."""
    scope = station_scope(staff)
    if scope is None:
        return failed
    own_deputies = set(session.scalars(select(Deputy.id).where(Deputy.station_id == scope)))
    message_ids = [job["message_id"] for job in failed if "message_id" in job]
    own_messages = set(session.scalars(select(Message.id).where(
        Message.id.in_(message_ids), Message.deputy_id.in_(own_deputies)))) if message_ids and own_deputies else set()
    return [job for job in failed if job.get("deputy_id") in own_deputies or job.get("message_id") in own_messages]
