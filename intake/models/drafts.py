"""Draft suggestions, the messages behind them, co-signers and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from intake.models.messages import Message
    from intake.models.people import Deputy


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
    # Third persons named in the messages (物业经理王建国) show as 王某某 until the deputy chooses to show them.
    names_shown: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How many messages the text was last written from, and how many joined since (written again later:
    # drafting.catch_up), so a message joining a large draft does not rewrite it from all its messages.
    composed_messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pending_messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # The sweep's look-up of drafts behind (drafting.deputies_behind, catch_up) reads only these few rows.
    __table_args__ = (Index("ix_drafts_behind", "deputy_id", "status", sqlite_where=text("pending_messages > 0"),
                            postgresql_where=text("pending_messages > 0")),)

    deputy: Mapped[Deputy] = relationship()
    links: Mapped[list[DraftMessage]] = relationship(
        back_populates="draft", order_by="DraftMessage.message_id", cascade="all, delete-orphan"
    )
    cosigners: Mapped[list[Deputy]] = relationship(secondary="draft_cosigners", order_by="Deputy.id")
    revisions: Mapped[list[DraftRevision]] = relationship(order_by="DraftRevision.id.desc()", viewonly=True)
    invitations: Mapped[list[DraftInvitation]] = relationship(back_populates="draft", cascade="all, delete-orphan")

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


class DraftInvitation(Base):
    """A colleague of the station invited to co-sign a draft: listed as a co-signer at once, told on their home
    page, and free to confirm (cosign) or withdraw (decline)."""

    __tablename__ = "draft_invitations"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True, index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(String(10))  # None until answered: "cosign" or "decline"
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    draft: Mapped[Draft] = relationship(back_populates="invitations")


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
