"""Backing up and restoring the database (SQLite's online backup API, PostgreSQL's pg_dump/pg_restore) and the
files the database points to (units' reply attachments under the instance folder)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".dump"
FILES_SUFFIX = ".files.tar"
# Folders of the instance that rows refer to by path; without them a restored reply has no attachment.
FILE_FOLDERS = ("replies",)


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


def files_of(backup_file: Path) -> Path:
    """The archive of the instance's files written beside a database backup."""
    return backup_file.with_name(backup_file.name.removesuffix(backup_file.suffix) + FILES_SUFFIX)


def _archive_files(instance_dir: Path, target: Path) -> None:
    folders = [instance_dir / name for name in FILE_FOLDERS if (instance_dir / name).is_dir()]
    if not folders:
        return
    with tarfile.open(target, "w") as archive:
        for folder in folders:
            archive.add(folder, arcname=folder.name)
    target.chmod(0o600)


def backup(database_url: str, out_dir: Path, instance_dir: Path | None = None) -> Path:
    """Write a consistent copy of the live database into out_dir, and beside it (`files_of`) the instance's
    files its rows point to; returns the database's copy."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        target = out_dir / f"mashang-{_stamp()}{SQLITE_SUFFIX}"
        _sqlite_copy(sqlite3.connect(_sqlite_path(database_url)), sqlite3.connect(target))
    else:
        target = out_dir / f"mashang-{_stamp()}{POSTGRES_SUFFIX}"
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)],
             _postgres_env(database_url))
    target.chmod(0o600)
    if instance_dir is not None:
        _archive_files(instance_dir, files_of(target))
    return target


def _unpack(archive: Path, scratch: Path) -> None:
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")  # refuses absolute paths, links out of it and device files
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"附件归档 {archive.name} 无法读取：{exc}") from exc


def _swap_in(scratch: Path, instance_dir: Path) -> None:
    for name in FILE_FOLDERS:
        if (scratch / name).is_dir():
            shutil.rmtree(instance_dir / name, ignore_errors=True)
            (scratch / name).rename(instance_dir / name)


def restore(database_url: str, backup_file: Path, instance_dir: Path | None = None) -> None:
    """Replace the database's contents with the backup's, and the instance's files with those saved beside it;
    the service should be stopped meanwhile."""
    if not backup_file.is_file():
        raise BackupError(f"备份文件不存在：{backup_file}")
    sqlite = database_url.startswith("sqlite")
    expected = SQLITE_SUFFIX if sqlite else POSTGRES_SUFFIX
    if backup_file.suffix != expected:
        kind = "SQLite" if sqlite else "PostgreSQL"
        raise BackupError(f"当前数据库是 {kind}，需要 {expected} 备份文件，而不是 {backup_file.name}。")
    archive = files_of(backup_file) if instance_dir is not None else None
    if archive is None or not archive.is_file():
        _restore_database(database_url, backup_file)
        return
    instance_dir.mkdir(parents=True, exist_ok=True)
    # Unpacked before the database is touched, so a broken archive leaves everything as it was.
    with tempfile.TemporaryDirectory(dir=instance_dir) as scratch:
        _unpack(archive, Path(scratch))
        _restore_database(database_url, backup_file)
        _swap_in(Path(scratch), instance_dir)


def _restore_database(database_url: str, backup_file: Path) -> None:
    if database_url.startswith("sqlite"):
        path = _sqlite_path(database_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True), sqlite3.connect(path))
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", _postgres_env(database_url)["PGDATABASE"], str(backup_file)],
             _postgres_env(database_url))
