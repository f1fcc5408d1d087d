"""Alembic migrations driven from code, so `mashang db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NOT_MIGRATED = "数据库还没有建表：请先运行 mashang db upgrade。"
# PostgreSQL's code for a table that does not exist; SQLite only says so in words.
_UNDEFINED_TABLE = "42P01"


class Refused(Exception):
    """An upgrade that stops before a migration it cannot make, saying in its message what to do first."""


def missing_table(exc: BaseException) -> bool:
    """Whether a database error is a query of a table that is not there: the database was never migrated."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == _UNDEFINED_TABLE or "no such table" in str(orig or "")


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


# Migration 0081 keeps one staff account per login whatever its case; accounts made before it may differ only in
# case. The upgrade then stops just before it, every earlier migration in place: `mashang accounts rename`, which
# parts them, reads the accounts as 0080 leaves them, and a refusal inside the migrations would leave SQLite half
# upgraded (it commits each ALTER TABLE by itself).
_ONE_LOGIN_IN_ANY_CASE = "0081"
_LOGINS_IN_TWO_CASES = text(
    "SELECT lower(username), username FROM staff_users WHERE lower(username) IN "
    "(SELECT lower(username) FROM staff_users GROUP BY lower(username) HAVING count(*) > 1) "
    "ORDER BY lower(username), id")


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and (current(engine) or "") < _ONE_LOGIN_IN_ANY_CASE:
        before = ScriptDirectory.from_config(_config(None)).get_revision(_ONE_LOGIN_IN_ANY_CASE).down_revision
        with engine.begin() as connection:
            command.upgrade(_config(connection), before)
            doubled = connection.execute(_LOGINS_IN_TWO_CASES).all()
        if doubled:
            raise Refused(_named(doubled))
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def _named(doubled) -> str:
    logins: dict[str, list[str]] = {}
    for login, username in doubled:
        logins.setdefault(login, []).append(username)
    named = "；".join("、".join(names) for names in logins.values())
    return (f"没有升级数据库：这些账号的用户名只差大小写，登录时分不清是谁：{named}。"
            "请先把每组中的一个改名（mashang accounts rename 旧用户名 新用户名），再运行 mashang db upgrade。")


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
