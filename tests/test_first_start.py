"""A district starting for real: no demo data anywhere, the first administrator made on the command line."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import func, select

from intake.models import Citizen, Deputy, Message, StaffUser, Station
from tests.conftest import csrf_token
from tests.helpers import deputies
from tests.test_health import _free_port

PASSWORD = "a-long-first-password"
ROSTER = "姓名,层级,联络站,手机\n周明,区,东湖街道人大代表联络站,13700000001\n吴敏,区,西山镇人大代表联络站,13700000002\n"


def _cli(app, *args, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def _count(runtime, model) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _sign_in(app, username: str, password: str):
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"username": username, "password": password, "csrf_token": token})
    return client, response


def test_first_administrator_imports_the_roster_and_prints_codes(app, runtime, tmp_path):
    assert _count(runtime, StaffUser) == 0 and _count(runtime, Deputy) == 0
    created = _cli(app, "accounts", "create", "--role", "admin", "--name", "chief", "--password-stdin",
                   stdin="a-long-first-password\n")
    assert created.exit_code == 0, created.output
    assert "已创建管理员账号 chief" in created.output

    staff, response = _sign_in(app, "chief", "a-long-first-password")
    assert response.status_code == 302
    # No station yet: said in a sentence, not a table of headings over nothing.
    stations = staff.get("/staff/stations").get_data(as_text=True)
    assert "还没有联络站。" in stations and "<table" not in stations
    token = csrf_token(staff, "/staff/roster")
    preview = staff.post("/staff/roster", data={"csrf_token": token, "file": (io.BytesIO(ROSTER.encode()), "r.csv")},
                         content_type="multipart/form-data").get_data(as_text=True)
    signed = preview.split('name="token" value="')[1].split('"')[0]
    assert staff.post("/staff/roster", data={"csrf_token": token, "token": signed}).status_code == 302
    assert [d["name"] for d in deputies(app)] == ["周明", "吴敏"]

    printed = _cli(app, "qrcodes", "generate", "--out", str(tmp_path / "codes"), "--format", "png")
    assert printed.exit_code == 0, printed.output
    assert len(list((tmp_path / "codes").rglob("*.png"))) >= 2
    # Nothing of the demo district came along: no demo deputies, accounts or citizens.
    assert _count(runtime, StaffUser) == 1 and _count(runtime, Station) == 2
    assert _count(runtime, Message) == 0 and _count(runtime, Citizen) == 0


def test_account_commands_refuse_bad_input_and_manage_accounts(app, runtime):
    short = _cli(app, "accounts", "create", "--role", "admin", "--name", "chief", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "密码至少 10 位" in short.output
    no_station = _cli(app, "accounts", "create", "--role", "station", "--name", "clerk", "--password-stdin",
                      stdin="a-long-first-password\n")
    assert no_station.exit_code == 1 and "需要选择联络站" in no_station.output
    assert _count(runtime, StaffUser) == 0

    assert _cli(app, "accounts", "create", "--role", "office", "--name", "clerk", "--password-stdin",
                stdin="a-long-first-password\n").exit_code == 0
    listed = _cli(app, "accounts", "list")
    assert "clerk" in listed.output and "代表工委" in listed.output

    assert _cli(app, "accounts", "deactivate", "clerk").exit_code == 0
    assert _sign_in(app, "clerk", "a-long-first-password")[1].status_code != 302
    assert "已停用" in _cli(app, "accounts", "list").output

    reset = _cli(app, "accounts", "reset", "clerk", "--password-stdin", stdin="another-long-password\n")
    assert reset.exit_code == 0, reset.output
    assert _sign_in(app, "clerk", "another-long-password")[1].status_code == 302
    assert _cli(app, "accounts", "deactivate", "nobody").exit_code == 1


def test_up_without_demo_leaves_the_database_empty(tmp_path):
    port = _free_port()
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "BASE_URL")}
    env.update(MASHANG_INSTANCE=str(instance), PORT=str(port), WEB_CONCURRENCY="1")
    log = open(tmp_path / "up.log", "w")
    launcher = subprocess.Popen([sys.executable, "-m", "intake", "up"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("the service did not start: " + (tmp_path / "up.log").read_text()[-2000:])
    finally:
        launcher.send_signal(signal.SIGINT)
        code = launcher.wait(timeout=30)
        log.close()
    printed = (tmp_path / "up.log").read_text()
    assert code == 0, printed[-3000:]
    assert "演示账号" not in printed
    db = sqlite3.connect(instance / "mashang.db")
    for table in ("deputies", "stations", "staff_users", "messages", "citizens"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    db.close()
    assert not (instance / "demo-logins.json").exists()
    # The command it names is one to type as printed: the first administrator is made by it.
    command = printed.split("创建管理员：", 1)[1].split("，", 1)[0]
    assert command.startswith("mashang accounts create --role admin"), command
    made = _mashang(env, *command.split()[1:], stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.returncode == 0, made.stdout + made.stderr


def test_a_sign_in_link_lets_the_new_account_choose_its_password_once(app, runtime, redis_conn):
    created = _cli(app, "accounts", "create", "--role", "admin", "--name", "chief", "--link")
    assert created.exit_code == 0, created.output
    url = created.output.strip().splitlines()[-1]
    assert url.startswith("http://mashang.test/staff/welcome/") and "24 小时内有效" in created.output
    path = url.removeprefix("http://mashang.test")

    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and "设置密码" in page.get_data(as_text=True)
    # The account's username stands on its own line, the one to sign in with (it was a word in a sentence).
    assert '<input id="username" name="username" value="chief" readonly autocomplete="username">' in \
        page.get_data(as_text=True)
    token = csrf_token(client, path)
    mismatch = client.post(path, data={"csrf_token": token, "password": "a-long-first-password", "again": "other"})
    assert mismatch.status_code == 422 and "不一致" in mismatch.get_data(as_text=True)
    short = client.post(path, data={"csrf_token": token, "password": "short", "again": "short"})
    assert short.status_code == 422 and "至少 10 位" in short.get_data(as_text=True)
    done = client.post(path, data={"csrf_token": token, "password": PASSWORD, "again": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200  # signed in

    # Used once: the link is dead, and the chosen password signs in.
    again = app.test_client().get(path)
    assert again.status_code == 410 and "已失效" in again.get_data(as_text=True)
    assert _sign_in(app, "chief", PASSWORD)[1].status_code == 302
    assert app.test_client().get(path[:-3] + "xyz").status_code == 410

    assert "待设置密码" not in _cli(app, "accounts", "list").output
    reset = _cli(app, "accounts", "reset", "chief", "--link")
    assert reset.exit_code == 0 and "/staff/welcome/" in reset.output
    assert "chief  管理员（待设置密码）" in _cli(app, "accounts", "list").output
    assert _sign_in(app, "chief", PASSWORD)[1].status_code != 302  # the old password no longer works
    assert app.test_client().get(reset.output.strip().splitlines()[-1].removeprefix("http://mashang.test")).status_code == 200


def test_a_database_one_migration_behind_is_said_upgraded_and_then_up_to_date(app, runtime):
    from intake import migrate

    migrate.downgrade(runtime.engine, "-1")
    upgraded = _cli(app, "db", "upgrade")
    assert upgraded.exit_code == 0 and "已把数据库升级到最新结构" in upgraded.output, upgraded.output
    assert "数据库已是最新结构" in _cli(app, "db", "upgrade").output


def test_a_password_typed_differently_the_second_time_is_said_in_chinese_and_asked_again(app, runtime):
    created = _cli(app, "accounts", "create", "--role", "admin", "--name", "chief",
                   stdin=f"{PASSWORD}\nsomething-else-typed\n{PASSWORD}\n{PASSWORD}\n")
    assert created.exit_code == 0, created.output
    assert "两次输入的不一致" in created.output and "do not match" not in created.output, created.output
    assert "已创建管理员账号 chief" in created.output
    assert _sign_in(app, "chief", PASSWORD)[1].status_code == 302


def test_the_sign_in_link_expires_after_24_hours(app, runtime, monkeypatch):
    from itsdangerous import timed

    created = _cli(app, "accounts", "create", "--role", "office", "--name", "clerk", "--link")
    path = created.output.strip().splitlines()[-1].removeprefix("http://mashang.test")
    issued = time.time()
    monkeypatch.setattr(timed.time, "time", lambda: issued + 24 * 3600 + 60)
    assert app.test_client().get(path).status_code == 410


def _mashang(env, *args, stdin: str = "") -> subprocess.CompletedProcess:
    # A session of its own: no terminal to prompt on, so the password prompt reads the pipe as a script's would.
    return subprocess.run([sys.executable, "-m", "intake", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, start_new_session=True)


def test_the_commands_printed_after_the_first_migration_run_as_printed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "BASE_URL")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"))
    migrated = _mashang(env, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    # it made every table: it says so, not that they were already there
    assert "已创建数据库并升级到最新结构" in migrated.stdout and "已是最新" not in migrated.stdout, migrated.stdout
    assert "下一步" in migrated.stdout
    printed = [line.strip() for line in migrated.stdout.splitlines() if line.strip().startswith("mashang ")]
    assert printed, migrated.stdout
    for command in printed:
        done = _mashang(env, *command.split()[1:], stdin=f"{PASSWORD}\n{PASSWORD}\n")
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert "已创建管理员账号 chief" in done.stdout
    # Once there is an administrator, migrating again says nothing more to do.
    again = _mashang(env, "db", "upgrade")
    assert again.returncode == 0 and "下一步" not in again.stdout and "数据库已是最新结构" in again.stdout
