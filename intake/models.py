"""The domain's tables: stations, deputies, citizens, messages and draft suggestions."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use intake.models.utcnow()")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


DEPUTY_LEVELS = ("区", "市", "省", "全国")


class Station(Base):
    """A liaison station (联络站) where deputies meet citizens."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))

    deputies: Mapped[list[Deputy]] = relationship(back_populates="station")


class Deputy(Base):
    __tablename__ = "deputies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(10))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    messages_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # their messages page, last opened

    station: Mapped[Station] = relationship(back_populates="deputies")
    links: Mapped[list[CitizenLink]] = relationship(back_populates="deputy", order_by="CitizenLink.id")

    @property
    def station_name(self) -> str:
        return self.station.name

    @property
    def current_link(self) -> CitizenLink | None:
        live = [link for link in self.links if link.revoked_at is None]
        return live[-1] if live else None


class CitizenLink(Base):
    """The random slug behind a deputy's QR code; revoked links stay to explain themselves."""

    __tablename__ = "citizen_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What WeChat's permanent code for this slug carries, fetched once and kept.
    wechat_url: Mapped[str | None] = mapped_column(String(200))

    deputy: Mapped[Deputy] = relationship(back_populates="links")


class ScanCount(Base):
    """How often a deputy's code was opened on a day; nothing about who opened it."""

    __tablename__ = "scan_counts"

    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Citizen(Base):
    """Someone who wrote in; known only by a keyed hash of their channel id."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "channel_user_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    channel_user_hash: Mapped[str] = mapped_column(String(64))
    # WeChat: the deputy this follower last scanned or picked; web chat knows it from the link.
    current_deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputies.id"))
    picker: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


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
    share_phone: Mapped[bool] = mapped_column(Boolean, default=False)
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

    # Importing the same file twice stores each opinion once.
    __table_args__ = (Index("ix_messages_deputy_external", "deputy_id", "external_id", unique=True),)

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


class StaffNote(Base):
    """An internal note on a message; never shown to citizens or deputies."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CitizenNotice(Base):
    """Something the citizen should be told (e.g. their message went to another deputy) on their next visit."""

    __tablename__ = "citizen_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who changed what, when, with the values before and after. Written once, never edited."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # e.g. "staff:qingshi", "deputy:3", "system"
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(80), index=True)  # e.g. "message:42"
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)


class ExportJob(Base):
    """A filtered queue being written to .xlsx by a worker, with its progress."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TopicCorrection(Base):
    """A staff member confirmed or changed a message's topic; the next training run learns from it."""

    __tablename__ = "topic_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    old_topic: Mapped[str | None] = mapped_column(String(50))
    new_topic: Mapped[str] = mapped_column(String(50))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassifierModel(Base):
    """A trained topic model: which data, when, how well it scored, and whether it is the one in use."""

    __tablename__ = "classifier_models"

    version: Mapped[str] = mapped_column(String(50), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(300))
    examples: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    artifact: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class ReceiptCounter(Base):
    """The last receipt number handed out on a day; one row per day."""

    __tablename__ = "receipt_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DraftStatus:
    COLLECTING = "collecting"  # a group of messages on one problem, not yet from enough citizens to be a draft
    OPEN = "open"
    APPROVED = "approved"  # approved by the deputy and submitted to the congress office
    DISCARDED = "discarded"
    MERGED = "merged"  # the deputy merged it into another draft, which now holds its messages


class Draft(Base):
    """A draft suggestion (代表建议) built from a deputy's citizen messages."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    topic: Mapped[str] = mapped_column(String(50))
    handling_unit: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=DraftStatus.OPEN)
    # A group of late messages on a problem whose draft the deputy already approved or discarded.
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the deputy last opened it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # What the deputy wrote over the generated text, by section; the workers only rewrite `sections`.
    edits: Mapped[dict] = mapped_column(JSON, default=dict)
    # Raised by every change the deputy makes; a form sent with an older number is a conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)
    discard_reason: Mapped[str | None] = mapped_column(String(500))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    deputy: Mapped[Deputy] = relationship()
    links: Mapped[list[DraftMessage]] = relationship(
        back_populates="draft", order_by="DraftMessage.message_id", cascade="all, delete-orphan"
    )
    cosigners: Mapped[list[Deputy]] = relationship(secondary="draft_cosigners", order_by="Deputy.id")
    revisions: Mapped[list[DraftRevision]] = relationship(order_by="DraftRevision.id.desc()", viewonly=True)

    @property
    def messages(self) -> list[Message]:
        return [link.message for link in self.links]


class DraftMessage(Base):
    """A message behind a draft; a message belongs to at most one draft."""

    __tablename__ = "draft_messages"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True, unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    draft: Mapped[Draft] = relationship(back_populates="links")
    message: Mapped[Message] = relationship()


class DraftCosigner(Base):
    """A deputy who co-signs (附议) a draft suggestion."""

    __tablename__ = "draft_cosigners"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True)


class DraftRevision(Base):
    """One change a deputy made to a draft (or tried to, and met a conflict): who, when, what before and after."""

    __tablename__ = "draft_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the draft's version after the change (before, for a conflict)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(String(20))
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInLink(Base):
    """A one-time sign-in link staff send a deputy; only a hash of its token is kept."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StaffRole:
    ADMIN = "admin"
    OFFICE = "office"
    STATION = "station"


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
