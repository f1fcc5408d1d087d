"""Which topic model tags the messages now, and since when: staff once read its version on each message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.classifier import day_one
from intake.models import ClassifierModel, Message


@dataclass(frozen=True)
class ModelInUse:
    learned: bool  # False: the day-one rules shipped with the system
    trained_at: datetime | None
    examples: int | None
    since: datetime | None  # the first message it tagged in its current run; None before its first


def model_in_use(session: Session) -> ModelInUse:
    row = session.scalar(select(ClassifierModel).where(ClassifierModel.active.is_(True)))
    version = row.version if row is not None else day_one.VERSION
    # A model used before, then replaced and brought back, tags "since" its return: after the last other's message.
    other_last = session.scalar(select(func.max(Message.tagged_at))
                                .where(Message.model_version.is_not(None), Message.model_version != version))
    first = select(func.min(Message.tagged_at)).where(Message.model_version == version)
    if other_last is not None:
        first = first.where(Message.tagged_at > other_last)
    return ModelInUse(learned=row is not None, trained_at=row.created_at if row is not None else None,
                      examples=row.examples if row is not None else None, since=session.scalar(first))
