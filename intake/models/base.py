"""Column types and the declarative base every table builds on."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


# Ids are PostgreSQL integers: a larger number names no row, and would make the database raise.
MAX_ID = 2**31 - 1


def as_id(text: str | None) -> int | None:
    """The id a form or query value names, or None when no row could have it (not a number, 0, too large)."""
    text = (text or "").strip()
    # Longer than any id: Python refuses to read a number of thousands of digits, and none is a row.
    number = int(text) if text.isdecimal() and len(text) <= len(str(MAX_ID)) else 0
    return number if 0 < number <= MAX_ID else None


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
