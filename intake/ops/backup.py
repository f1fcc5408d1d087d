"""Backing up and restoring the database: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".dump"


class BackupError(RuntimeError):
    pass


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database)


def _postgres_env(database_url: str) -> dict:
    """libpq settings in the environment, so the password never shows in the process list."""
    url = make_url(database_url)
    env = dict(os.environ, PGDATABASE=url.database or "")
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password)):
        if value:
            env[key] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请安装与数据库服务器同一大版本的 PostgreSQL 客户端工具。")
    return path


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败：{result.stderr.strip()}")


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """SQLite's online backup API: a consistent copy even while the service writes to the source."""
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def backup(database_url: str, out_dir: Path) -> Path:
    """Write a consistent copy of the live database into out_dir; returns the file written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        target = out_dir / f"mashang-{_stamp()}{SQLITE_SUFFIX}"
        _sqlite_copy(sqlite3.connect(_sqlite_path(database_url)), sqlite3.connect(target))
    else:
        target = out_dir / f"mashang-{_stamp()}{POSTGRES_SUFFIX}"
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)],
             _postgres_env(database_url))
    target.chmod(0o600)
    return target


def restore(database_url: str, backup_file: Path) -> None:
    """Replace the database's contents with the backup's; the service should be stopped meanwhile."""
    if not backup_file.is_file():
        raise BackupError(f"备份文件不存在：{backup_file}")
    sqlite = database_url.startswith("sqlite")
    expected = SQLITE_SUFFIX if sqlite else POSTGRES_SUFFIX
    if backup_file.suffix != expected:
        kind = "SQLite" if sqlite else "PostgreSQL"
        raise BackupError(f"当前数据库是 {kind}，需要 {expected} 备份文件，而不是 {backup_file.name}。")
    if sqlite:
        path = _sqlite_path(database_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True), sqlite3.connect(path))
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", _postgres_env(database_url)["PGDATABASE"], str(backup_file)],
             _postgres_env(database_url))
