"""The staff's view of incoming messages, limited to what a staff member may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from intake.models import Deputy, Message, StaffUser
from intake.services.directory import station_scope


def visible_messages(session: Session, staff: StaffUser, limit: int = 100) -> list[Message]:
    query = select(Message).options(joinedload(Message.deputy).joinedload(Deputy.station)).order_by(Message.id.desc())
    scope = station_scope(staff)
    if scope is not None:
        query = query.join(Deputy, Message.deputy_id == Deputy.id).where(Deputy.station_id == scope)
    return list(session.scalars(query.limit(limit)).all())
