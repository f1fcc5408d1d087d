"""Handling units (承办单位): the departments that answer deputies' suggestions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, UTCDateTime, utcnow


class HandlingUnit(Base):
    __tablename__ = "handling_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(50))
    contact_person: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))  # where reminders go, addresses split by commas
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitChoice(Base):
    """The lead unit office staff gave a suggestion, with the words of its problem: a later draft on a similar
    problem proposes that unit."""

    __tablename__ = "unit_choices"

    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"))
    words: Mapped[list] = mapped_column(JSON)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[HandlingUnit] = relationship()
