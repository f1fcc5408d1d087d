"""Every `mashang` command says in one Chinese sentence, not with a driver's traceback, that the database or Redis
does not answer, or that the database was never migrated, and exits 1."""

from __future__ import annotations

import os
import subprocess
import sys

from intake.cli import UNREACHABLE_DATABASE, UNREACHABLE_REDIS, main
from tests.conftest import build_app, make_settings
from tests.helpers import import_roster, write_roster

CLOSED_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/mashang"
CLOSED_REDIS = "redis://127.0.0.1:1/0"


def test_upgrading_an_unreachable_database_says_so_and_exits_1(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY", "BASE_URL")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), DATABASE_URL=CLOSED_POSTGRES)
    shown = subprocess.run([sys.executable, "-m", "intake", "db", "upgrade"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 1, shown.stderr
    assert shown.stderr.strip() == UNREACHABLE_DATABASE, shown.stderr


def test_commands_on_an_unreachable_database_say_so_and_exit_1(tmp_path, redis_url):
    app = build_app(make_settings(tmp_path, CLOSED_POSTGRES, redis_url))
    try:
        for args in (["units", "list"], ["deputies", "list"], ["drafts", "list"]):
            result = app.test_cli_runner().invoke(main, args=args)
            assert result.exit_code == 1 and UNREACHABLE_DATABASE in result.output, (args, result.output)
            assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    finally:
        app.extensions["mashang"].close()


def test_a_never_migrated_database_is_not_called_unreachable_but_asks_for_the_upgrade(tmp_path, redis_url):
    app = build_app(make_settings(tmp_path, f"sqlite:///{tmp_path}/never-migrated.db", redis_url))
    try:
        for args in (["units", "list"], ["deputies", "list"]):
            result = app.test_cli_runner().invoke(main, args=args)
            said = result.output.strip()
            assert result.exit_code == 1 and said == "数据库还没有建表：请先运行 mashang db upgrade。", (args, said)
            assert "no such table" not in result.output and isinstance(result.exception, SystemExit)
        # Pages and /healthz say the same instead of a retry-later notice or a driver's class name.
        client = app.test_client()
        page = client.get("/c/abcdefgh")
        assert page.status_code == 503 and "请先运行 mashang db upgrade" in page.get_data(as_text=True)
        health = client.get("/healthz").get_json()
        assert health["database"] == "not migrated: 数据库还没有建表：请先运行 mashang db upgrade。"
    finally:
        app.extensions["mashang"].close()


def test_a_command_needing_an_unreachable_redis_says_so_and_exits_1(tmp_path, sqlite_url):
    app = build_app(make_settings(tmp_path, sqlite_url, CLOSED_REDIS, WECHAT_APPID="wx0123456789abcdef",
                                  WECHAT_APPSECRET="secret", WECHAT_API_BASE="http://127.0.0.1:1"))
    try:
        assert import_roster(app, write_roster(tmp_path)).exit_code == 0
        result = app.test_cli_runner().invoke(main, args=["qrcodes", "generate", "--wechat", "--out",
                                                          str(tmp_path / "wx")])
        assert result.exit_code == 1 and UNREACHABLE_REDIS in result.output, result.output
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    finally:
        app.extensions["mashang"].close()
