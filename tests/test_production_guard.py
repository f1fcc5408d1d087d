"""MASHANG_ENV=production refuses laptop settings by name and warns about weak ones."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from cryptography.fernet import Fernet

from intake.config import Settings
from intake.launcher import load_demo_if_empty
from intake.ops import guard
from intake.runtime import Runtime
from tests.conftest import make_settings

PRODUCTION = {"MASHANG_ENV": "production", "BASE_URL": "https://mashang.example.gov.cn"}
DATA_KEY = Fernet.generate_key().decode()


def _runtime(tmp_path, database_url, redis_url, **env):
    return Runtime(make_settings(tmp_path, database_url, redis_url, **{**PRODUCTION, **env}))


def test_sound_production_settings_start_without_refusal(tmp_path, database_url, redis_url):
    refusals, warnings = guard.check(_runtime(tmp_path, database_url, redis_url))
    assert refusals == []
    assert any("SQLite" in w for w in warnings) == database_url.startswith("sqlite")
    assert not any("Redis" in w for w in warnings)


def test_generated_secret_key_is_refused(tmp_path, sqlite_url, redis_url):
    env = {"MASHANG_INSTANCE": str(tmp_path / "i"), "DATABASE_URL": sqlite_url, "REDIS_URL": redis_url,
           "DATA_KEY": DATA_KEY, **PRODUCTION}
    refusals, _ = guard.check(Runtime(Settings.from_env(env)))
    assert len(refusals) == 1 and "SECRET_KEY" in refusals[0]


def test_generated_data_key_is_refused(tmp_path, sqlite_url, redis_url):
    env = {"MASHANG_INSTANCE": str(tmp_path / "i"), "DATABASE_URL": sqlite_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "k" * 40, **PRODUCTION}
    refusals, _ = guard.check(Runtime(Settings.from_env(env)))
    assert len(refusals) == 1 and "DATA_KEY" in refusals[0]


def test_a_data_key_that_is_no_fernet_key_is_refused_before_a_follower_writes(tmp_path, sqlite_url, redis_url):
    # Otherwise the service starts and every WeChat message of a follower fails when their openid is sealed.
    for unreadable in ("changeme", f"{DATA_KEY},short", " , "):
        refusals, _ = guard.check(_runtime(tmp_path, sqlite_url, redis_url, DATA_KEY=unreadable))
        assert len(refusals) == 1 and "DATA_KEY 不是有效的 Fernet 密钥" in refusals[0], unreadable
    rotated = f"{Fernet.generate_key().decode()},{DATA_KEY}"
    assert guard.check(_runtime(tmp_path, sqlite_url, redis_url, DATA_KEY=rotated))[0] == []


def test_plain_http_base_url_is_refused(tmp_path, sqlite_url, redis_url):
    refusals, _ = guard.check(_runtime(tmp_path, sqlite_url, redis_url, BASE_URL="http://mashang.example.gov.cn"))
    assert len(refusals) == 1 and "BASE_URL 不是 https" in refusals[0]


def test_demo_accounts_are_refused(tmp_path, sqlite_url, redis_conn, redis_url):
    laptop = Runtime(make_settings(tmp_path, sqlite_url, redis_url))
    laptop.settings.instance_dir.mkdir()
    assert load_demo_if_empty(laptop)
    refusals, _ = guard.check(_runtime(tmp_path, sqlite_url, redis_url))
    assert len(refusals) == 1 and "演示账号" in refusals[0]
    assert "代表 王秀兰" in refusals[0] and "工作人员 admin" in refusals[0]


def test_sqlite_and_embedded_redis_are_warned_about(tmp_path, sqlite_url, caplog):
    env = {"MASHANG_INSTANCE": str(tmp_path / "i"), "DATABASE_URL": sqlite_url, "SECRET_KEY": "k" * 40,
           "DATA_KEY": DATA_KEY, **PRODUCTION}
    runtime = Runtime(Settings.from_env(env))
    refusals, warnings = guard.check(runtime)
    assert refusals == []
    assert [("SQLite" in w, "Redis" in w) for w in warnings] == [(True, False), (False, True)]
    with caplog.at_level(logging.WARNING):
        guard.enforce(runtime)
    assert "SQLite" in caplog.text and "内置" in caplog.text


def test_outside_production_nothing_is_checked(tmp_path, sqlite_url, redis_url):
    runtime = Runtime(make_settings(tmp_path, sqlite_url, redis_url, BASE_URL="http://127.0.0.1:5000"))
    assert guard.check(runtime) == ([], [])


def test_a_refused_service_names_every_problem_and_does_not_start(tmp_path, sqlite_url, redis_url):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(MASHANG_INSTANCE=str(tmp_path / "i"), DATABASE_URL=sqlite_url, REDIS_URL=redis_url,
               MASHANG_ENV="production", BASE_URL="http://mashang.example.gov.cn")
    worker = subprocess.run([sys.executable, "-m", "intake", "worker", "--burst"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert worker.returncode == 2
    assert "拒绝启动" in worker.stderr and "SECRET_KEY" in worker.stderr and "BASE_URL" in worker.stderr
    web = subprocess.run([sys.executable, "-c", "import intake.wsgi"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert web.returncode == 3 and "SECRET_KEY" in web.stderr and "BASE_URL" in web.stderr
    demo = subprocess.run([sys.executable, "-m", "intake", "up", "--demo"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert demo.returncode != 0 and "不能载入演示数据" in demo.stderr
