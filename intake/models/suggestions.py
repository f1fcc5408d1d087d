"""Suggestions after the deputy approved them: registration, assignment to units, contacts, replies, ratings.

The status is changed only by intake.services.lifecycle.states; every change leaves a SuggestionEvent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from intake.models.people import Deputy
    from intake.models.units import HandlingUnit


class Suggestion(Base):
    """A deputy's suggestion (代表建议) as the congress office registered it, with its official number."""

    __tablename__ = "suggestions"
    # The number's parts are unique too: two registrations racing for the year's next number cannot both win.
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    seq: Mapped[int | None] = mapped_column(Integer)  # None for a ledger number in another format
    kind: Mapped[str] = mapped_column(String(10), default="recess")  # session 大会期间 / recess 闭会期间
    topic: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), unique=True)
    lead_deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    supervisor: Mapped[str] = mapped_column(String(50), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    suggested_unit: Mapped[str] = mapped_column(String(100), default="")  # the draft's 建议承办单位
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lead_deputy: Mapped[Deputy] = relationship()
    cosigners: Mapped[list[Deputy]] = relationship(secondary="suggestion_cosigners", order_by="Deputy.id",
                                                   viewonly=True)
    assignments: Mapped[list[Assignment]] = relationship(order_by="Assignment.id", viewonly=True)
    replies: Mapped[list[Reply]] = relationship(order_by="Reply.id", viewonly=True)

    @property
    def active_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.active]

    @property
    def lead_unit_id(self) -> int | None:
        return next((a.unit_id for a in self.active_assignments if a.role == "lead"), None)

    @property
    def co_unit_ids(self) -> list[int]:
        return [a.unit_id for a in self.active_assignments if a.role == "co"]


class SuggestionCounter(Base):
    """The last sequence number handed out in a year; it only grows, so a number is never given twice."""

    __tablename__ = "suggestion_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class SuggestionCosigner(Base):
    """A deputy who co-signed (附议) the suggestion."""

    __tablename__ = "suggestion_cosigners"

    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True, index=True)


class SuggestionMessage(Base):
    """A citizen message the suggestion grew from."""

    __tablename__ = "suggestion_messages"

    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)


class Assignment(Base):
    """A unit handling a suggestion as lead (主办) or co-unit (协办); a reassignment deactivates the old ones."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_unit_active", "unit_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"))
    role: Mapped[str] = mapped_column(String(10))  # lead / co
    round: Mapped[int] = mapped_column(Integer, default=1)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[HandlingUnit] = relationship()


class SuggestionEvent(Base):
    """One step in a suggestion's history: who, when, from which status to which, and why."""

    __tablename__ = "suggestion_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class UnitContact(Base):
    """A unit meeting or calling the deputy before, during or after handling (三见面)."""

    __tablename__ = "unit_contacts"
    # The figures ask, for each suggestion, whether it had a 当面 contact.
    __table_args__ = (Index("ix_unit_contacts_suggestion_way", "suggestion_id", "way"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"))
    stage: Mapped[str] = mapped_column(String(10))  # before / during / after
    way: Mapped[str] = mapped_column(String(10))  # face / phone / written
    on: Mapped[date] = mapped_column(Date)
    who: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CoOpinion(Base):
    """A co-unit's opinion (协办意见) sent to the lead unit."""

    __tablename__ = "co_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reply(Base):
    """The lead unit's reply (答复) in one round; office staff accept it or send it back."""

    __tablename__ = "replies"
    # The figures and the pages look for a suggestion's latest accepted (or pending) reply.
    __table_args__ = (Index("ix_replies_suggestion_state", "suggestion_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(1))  # A/B/C/D
    promised_date: Mapped[date | None] = mapped_column(Date)  # B: when the promised work will be done
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_path: Mapped[str | None] = mapped_column(String(300))  # relative to the instance folder
    attachment_type: Mapped[str | None] = mapped_column(String(10))  # pdf / docx
    state: Mapped[str] = mapped_column(String(20), default="submitted")  # submitted / accepted / sent_back
    reason: Mapped[str] = mapped_column(Text, default="")
    # What the citizens behind the suggestion are told of the reply, as the office approved it on accepting.
    public_summary: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[HandlingUnit] = relationship()


class Rating(Base):
    """The lead deputy's rating of an accepted reply: satisfied 满意 / basic 基本满意 / unsatisfied 不满意."""

    __tablename__ = "ratings"
    # The figures look for each suggestion's latest rating.
    __table_args__ = (Index("ix_ratings_suggestion", "suggestion_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"))
    level: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
