"""Atomic counters in the database (receipt numbers, scans), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def increment(session: Session, model, keys: dict, counter: str) -> int:
    """Add one to `model.<counter>` in the row with these primary-key values (creating it at 1); return it."""
    column = getattr(model, counter)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(model)
        .values(**keys, **{counter: 1})
        .on_conflict_do_update(index_elements=list(keys), set_={counter: column + 1})
        .returning(column)
    )
    return session.execute(stmt).scalar_one()
