"""Citizens' messages, their conversations, attachments, deliveries, notices and receipt numbers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from intake.models.people import Citizen, Deputy


class Conversation(Base):
    """Where a citizen is in the chat with one deputy, kept in the database to survive restarts."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("citizen_id", "deputy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"))
    state: Mapped[str] = mapped_column(String(30))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MessageStatus:
    COLLECTING = "collecting"  # the citizen is still adding to it; not yet processed
    WITHDRAWN = "withdrawn"
    HELD = "held"  # flagged as possible spam or abuse: waits for staff, never reaches a deputy by itself
    REJECTED = "rejected"  # staff confirmed spam, abuse or a duplicate
    RECEIVED = "received"
    TAGGED = "tagged"
    DRAFTED = "drafted"


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # Whether the deputy the message is with may see the phone: the citizen agreed for the deputy written to
    # (phone_shared_with_id), and a message moved to another deputy shows it again when moved back. That id has no
    # foreign key: adding one rebuilds this table on SQLite, which its rows referenced from other tables forbid
    # (deputies are deactivated, never deleted).
    share_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_shared_with_id: Mapped[int | None] = mapped_column(Integer)
    receipt: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.RECEIVED, index=True)
    topic: Mapped[str | None] = mapped_column(String(50))
    handling_unit: Mapped[str | None] = mapped_column(String(50))
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(50))
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    topic_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    spam_score: Mapped[float] = mapped_column(Float, default=0.0)
    flag: Mapped[str | None] = mapped_column(String(20))  # spam, abusive, duplicate: shown to no citizen
    flag_reason: Mapped[str | None] = mapped_column(String(200))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the retention job removed the citizen's personal data from this closed item.
    personal_data_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The number an opinion collected on paper had in the file it was imported from (e.g. a reception-day form).
    external_id: Mapped[str | None] = mapped_column(String(64))
    # The places and content words grouping compares (from the masked text), kept so grouping needs no jieba.
    terms: Mapped[dict | None] = mapped_column(JSON)

    # Importing the same file twice stores each opinion once. A deputy's messages waiting for the grouping job
    # are found without reading the deputy's history.
    __table_args__ = (Index("ix_messages_deputy_external", "deputy_id", "external_id", unique=True),
                      Index("ix_messages_deputy_status", "deputy_id", "status"))

    deputy: Mapped[Deputy] = relationship()
    citizen: Mapped[Citizen | None] = relationship()


class Attachment(Base):
    """An image a citizen sent with a message, re-encoded so no location data survives."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    external_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. a WeChat MediaId not yet fetched
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundEvent(Base):
    """One delivery from a channel, kept so a retried delivery gets the same reply and changes nothing."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CitizenNotice(Base):
    """The outbox of what the citizen should be told (their message went to another deputy, their suggestion
    was assigned …): sent on their channel, retried with back-off, or shown on their next visit."""

    __tablename__ = "citizen_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One notice per citizen, suggestion and stage however many of their messages the suggestion holds.
    dedupe_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the sweep tries again after a failed send; None: it waits for the citizen's next message.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(String(200))


class ProgressLink(Base):
    """A citizen's private link to one message's progress (/p/<token>); only a hash of the token is kept."""

    __tablename__ = "progress_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReceiptCounter(Base):
    """The last receipt number handed out on a day; one row per day."""

    __tablename__ = "receipt_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
