"""Messages stored but not yet tagged: how many, and how long the oldest has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Message, MessageStatus, utcnow


@dataclass(frozen=True)
class Backlog:
    waiting: int
    oldest_seconds: int  # 0 when nothing waits


def measure(session: Session, now: datetime | None = None) -> Backlog:
    count, oldest = session.execute(
        select(func.count(), func.min(Message.created_at)).where(Message.status == MessageStatus.RECEIVED)
    ).one()
    if oldest is None:
        return Backlog(0, 0)
    if oldest.tzinfo is None:  # SQLite returns naive UTC from aggregates
        oldest = oldest.replace(tzinfo=(now or utcnow()).tzinfo)
    return Backlog(count, max(0, int(((now or utcnow()) - oldest).total_seconds())))
