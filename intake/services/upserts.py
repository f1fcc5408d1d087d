"""Inserts that say ON CONFLICT, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


def insert_for(dialect_name: str, table: Table) -> Insert:
    """An INSERT for the database of this dialect, able to take `on_conflict_do_nothing` / `_do_update`; for a
    statement built once per dialect."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_into(session: Session, table: Table) -> Insert:
    """An INSERT for this session's database, able to take `on_conflict_do_nothing` / `_do_update`."""
    return insert_for(session.get_bind().dialect.name, table)


def insert_if_absent(session: Session, table: Table, values: dict) -> bool:
    """Insert the row unless one with the same unique key exists; True when this call inserted it.

    ON CONFLICT DO NOTHING: a second writer waits for the first one's transaction (PostgreSQL's unique index,
    SQLite's write lock) and then inserts nothing, so two at once cannot both win."""
    key = next(iter(table.primary_key.columns))
    statement = insert_into(session, table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).scalar() is not None
