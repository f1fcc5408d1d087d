"""A backup taken while the service holds data restores, after the database is wiped, to the same rows,
working sign-ins and the units' reply attachments — on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from intake import migrate
from intake.db import make_engine
from intake.models import Base
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import deputies, import_roster, report, slug_of, write_roster

PASSWORD = "a-long-first-password"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def scratch_url(request, sqlite_url):
    """A database of the test's own, since this test wipes it."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    base = request.getfixturevalue("postgres_url")
    name = f"test_h22_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _counts(runtime) -> dict:
    with runtime.sessions() as session:
        counts = {table.name: session.scalar(select(func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables}
        counts["alembic_version"] = session.scalar(text("SELECT version_num FROM alembic_version"))
    return counts


def _wipe(runtime) -> None:
    runtime.engine.dispose()
    url = runtime.settings.database_url
    if url.startswith("sqlite"):
        os.remove(url.removeprefix("sqlite:///"))
        return
    with runtime.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    runtime.engine.dispose()


def _signs_in(app) -> bool:
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"username": "chief", "password": PASSWORD, "csrf_token": token})
    return response.status_code == 302


def test_backup_wipe_restore_gives_the_same_rows_sign_in_and_attachments(tmp_path, scratch_url, redis_conn, redis_url,
                                                                          run_jobs):
    app = build_app(make_settings(tmp_path, scratch_url, redis_url))
    runtime = app.extensions["mashang"]
    cli = app.test_cli_runner()
    try:
        assert cli.invoke(args=["accounts", "create", "--role", "admin", "--name", "chief", "--password-stdin"],
                          input=PASSWORD + "\n").exit_code == 0
        import_roster(app, write_roster(tmp_path))
        report(app.test_client(), slug_of(deputies(app)[0]), "幸福小区门口的路灯坏了一个月了，晚上很黑")
        run_jobs()
        before = _counts(runtime)
        assert before["messages"] == 1 and before["deputies"] == 3 and before["drafts"] == 1
        # A unit's reply file, where submitting a reply stores it (rows keep the path relative to the instance).
        replies = runtime.settings.instance_dir / "replies"
        (replies / "7").mkdir(parents=True)
        (replies / "7" / "answer.pdf").write_bytes(b"%PDF-1.4 the unit's signed answer")

        made = cli.invoke(args=["backup", "--out", str(tmp_path / "backups")])
        assert made.exit_code == 0, made.output
        assert "答复附件已备份到" in made.output
        backup_file, files = sorted((tmp_path / "backups").iterdir(), key=lambda path: path.name.endswith(".tar"))
        assert files.name.endswith(".files.tar")
        for written in (backup_file, files):
            assert written.stat().st_mode & 0o077 == 0  # the backup holds citizens' messages and units' replies

        _wipe(runtime)
        shutil.rmtree(replies)
        assert not _signs_in(app)
        restored = cli.invoke(args=["restore", str(backup_file), "--yes"])
        assert restored.exit_code == 0, restored.output
        runtime.engine.dispose()
        assert _counts(runtime) == before
        assert _signs_in(app)
        assert (replies / "7" / "answer.pdf").read_bytes() == b"%PDF-1.4 the unit's signed answer"
    finally:
        runtime.close()


def test_restore_refuses_a_backup_of_the_other_kind(tmp_path, sqlite_url, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, sqlite_url, redis_url))
    wrong = tmp_path / "mashang-20260101-000000.dump"
    wrong.write_bytes(b"PGDMP")
    try:
        result = app.test_cli_runner().invoke(args=["restore", str(wrong), "--yes"])
        assert result.exit_code == 1 and "需要 .sqlite3 备份文件" in result.output
        missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none.sqlite3"), "--yes"])
        assert missing.exit_code == 1 and "备份文件不存在" in missing.output
    finally:
        app.extensions["mashang"].close()


def test_a_broken_attachment_archive_leaves_database_and_files_as_they_were(tmp_path, sqlite_url, redis_conn,
                                                                           redis_url):
    app = build_app(make_settings(tmp_path, sqlite_url, redis_url))
    runtime = app.extensions["mashang"]
    cli = app.test_cli_runner()
    try:
        assert cli.invoke(args=["accounts", "create", "--role", "admin", "--name", "chief", "--password-stdin"],
                          input=PASSWORD + "\n").exit_code == 0
        replies = runtime.settings.instance_dir / "replies"
        replies.mkdir(parents=True)
        (replies / "kept.pdf").write_bytes(b"%PDF-1.4 today's file")
        assert cli.invoke(args=["backup", "--out", str(tmp_path / "backups")]).exit_code == 0
        backup_file = next((tmp_path / "backups").glob("*.sqlite3"))
        next((tmp_path / "backups").glob("*.files.tar")).write_bytes(b"not an archive")
        with runtime.sessions() as session:
            session.execute(text("DELETE FROM staff_users"))
            session.commit()

        result = cli.invoke(args=["restore", str(backup_file), "--yes"])
        assert result.exit_code == 1 and "附件归档" in result.output and "数据库未改动" in result.output
        runtime.engine.dispose()
        assert not _signs_in(app)  # the database was not replaced by the backup
        assert (replies / "kept.pdf").read_bytes() == b"%PDF-1.4 today's file"
    finally:
        runtime.close()
