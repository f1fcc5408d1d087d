"""Handling units (承办单位): the departments that answer deputies' suggestions."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base


class HandlingUnit(Base):
    __tablename__ = "handling_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(50))
    contact_person: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))  # where reminders go, addresses split by commas
    active: Mapped[bool] = mapped_column(Boolean, default=True)
