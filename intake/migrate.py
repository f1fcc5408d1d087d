"""Alembic migrations driven from code, so `mashang db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NOT_MIGRATED = "数据库还没有建表：请先运行 mashang db upgrade。"
# PostgreSQL's code for a table that does not exist; SQLite only says so in words.
_UNDEFINED_TABLE = "42P01"


class Refused(Exception):
    """A migration that stops before changing anything, saying in its message what to do first."""


def missing_table(exc: BaseException) -> bool:
    """Whether a database error is a query of a table that is not there: the database was never migrated."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == _UNDEFINED_TABLE or "no such table" in str(orig or "")


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def autogenerate(engine: Engine, message: str) -> None:
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def check(engine: Engine) -> None:
    """Raise when the models and the migrations disagree."""
    with engine.begin() as connection:
        command.check(_config(connection))


@cache
def head() -> str:
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at; raises SQLAlchemy errors when it cannot be reached."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
