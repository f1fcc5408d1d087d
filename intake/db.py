"""Engine and session factory for SQLite and PostgreSQL from the same code."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from intake.config import private_dir


def make_engine(url: str) -> Engine:
    # hide_parameters: a database error in a log line names the statement, never a citizen's words in it.
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            _private_file(Path(path))
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_execute", _lock_read_for_update)
        event.listen(engine, "savepoint", _lock_before_savepoint)
        return engine
    # pool_pre_ping lets the web tier recover by itself after PostgreSQL restarts.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


def _private_file(path: Path) -> None:
    """Citizens' messages and phone numbers live in the file: create it (and its folder) for the owner only.
    SQLite gives its -wal and -shm files the permissions of the database file."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web process read while a worker writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# SQLite has one write lock and no row locks. The driver opens a transaction, taking the lock, at the first
# INSERT, UPDATE or DELETE; reads before it run outside any transaction, each on the data committed by then (as
# READ COMMITTED does on PostgreSQL), so pages never wait for a writer. Two statements start a transaction early:
# - SELECT ... FOR UPDATE, a read the caller will act on (PostgreSQL locks its rows): without the lock a second
#   desk or worker read the same rows beside the first and both acted, e.g. one suggestion given out twice;
# - SAVEPOINT, which outside a transaction opens a read one SQLite cannot later turn into a write while another
#   connection writes ("database is locked" at once, whatever busy_timeout says), and whose RELEASE commits it.
# BEGIN IMMEDIATE takes the lock at the start, waiting its turn as a write does.
def _lock_read_for_update(conn: Connection, statement, *_args) -> None:
    if getattr(statement, "_for_update_arg", None) is not None:
        take_write_lock(conn)


def _lock_before_savepoint(conn: Connection, _name) -> None:
    take_write_lock(conn)


def take_write_lock(conn: Connection) -> None:
    """On SQLite, open the transaction now (everything after it, ALTER TABLE too, commits or rolls back as one)."""
    if conn.dialect.name != "sqlite":
        return
    driver = conn.connection.dbapi_connection
    if not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def writes_in_turn(engine: Engine) -> Iterator[None]:
    """On a SQLite file, writers of one kind take turns on a file lock for the whole transaction.

    SQLite makes a writer that finds the database locked sleep and poll (1, 2, 5 … 100 ms); the kernel wakes
    a process waiting on a file lock as soon as it is free. PostgreSQL locks rows and needs none of this.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with os.fdopen(os.open(f"{database}.turns", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
