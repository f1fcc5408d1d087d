"""Reminders of deadlines and ratings, and the outbox of deliveries to staff (WeCom group robot, e-mail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, UTCDateTime, utcnow


class Reminder(Base):
    """One reminder to one recipient ("unit:5", "office", "deputy:7") at one milestone of one suggestion.

    The anchor is what the milestone counts from (the deadline's date, or "reply:<id>" for a rating), so a new
    deadline reminds again while the same one never does twice: the unique key is the "once"."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("suggestion_id", "anchor", "milestone", "recipient"),
                      Index("ix_reminders_recipient", "recipient", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"))
    anchor: Mapped[str] = mapped_column(String(40))
    milestone: Mapped[str] = mapped_column(String(10))  # d30 / d7 / d1 / overdue / rating
    recipient: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Delivery(Base):
    """A message to staff waiting in the outbox, being sent, sent, or given up on after its attempts."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # wecom / email
    recipient: Mapped[str] = mapped_column(String(500), default="")  # e-mail addresses; the robot needs none
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # markdown
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending / sending / sent / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
