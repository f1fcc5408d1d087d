"""Keys of the systems that integrate with us (hotline, service app, duty platform) and what they submitted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, UTCDateTime, utcnow


def parse_scopes(text: str) -> frozenset[str]:
    """The scopes of a key as stored in `ApiKey.scopes` ("read,submit")."""
    return frozenset(part for part in text.split(",") if part)


class ApiKey(Base):
    """One integrating system's key; only a keyed hash of it is kept, the key itself is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(8))  # the key's first characters, so staff can tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(20))  # "read", "submit" or "read,submit"
    # A station's own system sees and submits for that station's deputies only.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_set(self) -> frozenset[str]:
        return parse_scopes(self.scopes)


class ApiSubmission(Base):
    """A message a key submitted under the client's own id: a retried POST gets this first answer back."""

    __tablename__ = "api_submissions"
    __table_args__ = (UniqueConstraint("api_key_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    external_id: Mapped[str | None] = mapped_column(String(100))  # the client's own id; retries carry it again
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    answer: Mapped[dict] = mapped_column(JSON)
    # Where it happened, as the client sent it: Open311 answers with it (the message's text carries it too).
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    long: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
