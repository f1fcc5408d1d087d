"""Atomic counters in the database (receipt numbers, scans), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from intake.prebuilt import Prebuilt
from intake.services import upserts


@lru_cache(maxsize=None)
def _upsert(dialect: str, model, keys: tuple[str, ...], counter: str):
    # Built once per counter and run on the driver's cursor: receipts are counted on every confirmed message
    # and every API submission. On the table, not the mapped class (an ORM insert costs more than the statement).
    table = model.__table__
    column = table.c[counter]
    return Prebuilt(
        upserts.insert_for(dialect, table)
        .values(**{key: bindparam(f"key_{key}") for key in keys}, **{counter: 1})
        .on_conflict_do_update(index_elements=list(keys), set_={counter: column + 1})
        .returning(column)
    )


def increment(session: Session, model, keys: dict, counter: str) -> int:
    """Add one to `model.<counter>` in the row with these primary-key values (creating it at 1); return it."""
    stmt = _upsert(session.get_bind().dialect.name, model, tuple(sorted(keys)), counter)
    return stmt.one(session, {f"key_{key}": value for key, value in keys.items()})[0]
