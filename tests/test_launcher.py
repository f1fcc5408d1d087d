"""`mashang up` on a machine with nothing running: embedded Redis, SQLite, demo data, all processes."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.test_health import _free_port


def _get(opener, url: str):
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_up_runs_the_whole_path_with_embedded_defaults(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "BASE_URL")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), PORT=str(port), DRAFT_BATCH_INTERVAL="2",
               DRAFT_MIN_CITIZENS="1")
    log = open(tmp_path / "up.log", "w")
    launcher = subprocess.Popen([sys.executable, "-m", "intake", "up", "--demo"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        def healthy():
            try:
                status, body = _get(opener, f"{base}/healthz")
            except OSError:
                return None
            return status == 200 and json.loads(body)["workers"] >= 1

        _wait_for(healthy, 150, "/healthz to report a healthy service")
        # Once the worker has started and done the demo's jobs, the service says it is ready.
        _wait_for(lambda: "码上说 已就绪" in (tmp_path / "up.log").read_text(), 150, "the ready line")
        time.sleep(1.0)  # what the children would print after the jobs they were waiting for
        printed = (tmp_path / "up.log").read_text()
        # The banner stays in sight: the children's INFO lines (gunicorn's start, RQ's jobs, each request) go to
        # instance/logs/, not to the terminal, which keeps their warnings and errors.
        assert f"{base}/staff/" in printed and "演示账号" in printed
        assert "[INFO]" not in printed and "Listening on" not in printed and "Successfully completed" not in printed
        assert "GET /healthz" not in printed and "Booting worker" not in printed
        banner = printed[printed.index("码上说 已启动"):]
        assert len(banner.splitlines()) < 40 and banner.rstrip().endswith(f"{tmp_path / 'instance' / 'logs'}"), banner
        logs = tmp_path / "instance" / "logs"
        assert "Listening on" in (logs / "worker.log").read_text() and "classify_message" in (logs / "worker.log").read_text()
        assert "Booting worker" in (logs / "web.log").read_text() and "GET /healthz" in (logs / "web.log").read_text()
        assert "CronScheduler" in (logs / "scheduler.log").read_text()
        # Another command in this instance gives the citizens' links on the port the service runs on.
        listed = subprocess.run([sys.executable, "-m", "intake", "deputies", "list"], capture_output=True, text=True,
                                env={k: v for k, v in env.items() if k != "PORT"}, timeout=60)
        assert f"{base}/c/" in listed.stdout and ":5000" not in listed.stdout, listed.stdout + listed.stderr
        assert (tmp_path / "instance" / "redis.sock").exists()
        assert (tmp_path / "instance" / "mashang.db").exists()

        link = re.search(r"王秀兰（[^）]+）：(\S+)", printed).group(1)
        status, page = _get(opener, link)
        assert status == 200 and "王秀兰" in page
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        def say(text: str) -> dict:
            request = urllib.request.Request(
                link.replace("/c/", "/api/chat/"), data=json.dumps({"text": text}).encode(),
                headers={"Content-Type": "application/json", "X-CSRFToken": token},
            )
            with opener.open(request, timeout=5) as response:
                return json.loads(response.read())

        assert "手机号" in say("幸福小区门口的污水井盖坏了，污水冒出来很臭。")["replies"][-1]
        receipt = say("不留")["receipt"]

        logins = json.loads((tmp_path / "instance" / "demo-logins.json").read_text())
        password = logins["deputies"]["13900000001"]["password"]
        status, login_page = _get(opener, f"{base}/deputy/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode({"phone": "13900000001", "password": password, "csrf_token": token}).encode()
        opener.open(urllib.request.Request(f"{base}/deputy/login", data=form), timeout=5).read()

        def receipt_in_a_draft():
            _, home = _get(opener, f"{base}/deputy/")
            for path in re.findall(r'href="(/deputy/drafts/\d+)"', home):
                if receipt in _get(opener, base + path)[1]:
                    return True
            return False

        _wait_for(receipt_in_a_draft, 30, "the new message to appear in a draft")
    finally:
        launcher.send_signal(signal.SIGINT)
        code = launcher.wait(timeout=30)
        log.close()
    assert code == 0, (tmp_path / "up.log").read_text()[-3000:]
    assert "已停止" in (tmp_path / "up.log").read_text()
    assert not (tmp_path / "instance" / "web-port").exists()  # a stopped service names no port


def test_up_on_another_port_prints_citizen_links_on_that_port_unless_base_url_names_one(tmp_path, capsys):
    from intake import launcher, migrate
    from intake.config import Settings
    from intake.models import Deputy, Station
    from intake.runtime import Runtime
    from intake.services.reception.links import issue_link

    env = {"MASHANG_INSTANCE": str(tmp_path / "instance"), "SECRET_KEY": "test-secret-key"}
    runtime = Runtime(Settings.from_env(env))
    migrate.upgrade(runtime.engine)
    with runtime.sessions() as session, session.begin():
        deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), active=True)
        session.add(deputy)
        session.flush()
        issue_link(session, deputy)
    launcher._print_welcome(runtime, 5123)
    printed = capsys.readouterr().out
    assert re.search(r"王秀兰（青石街道人大代表联络站）：http://127\.0\.0\.1:5123/c/\S+", printed), printed
    assert "5000" not in printed
    runtime.close()

    public = Runtime(Settings.from_env({**env, "BASE_URL": "https://mashang.example.gov.cn"}))
    launcher._print_welcome(public, 5123)
    assert "王秀兰（青石街道人大代表联络站）：https://mashang.example.gov.cn/c/" in capsys.readouterr().out
    public.close()


def test_a_port_file_left_by_a_killed_launcher_gives_no_links_on_a_dead_port(tmp_path):
    from intake import migrate
    from intake.config import Settings
    from intake.models import Deputy, Station
    from intake.runtime import Runtime
    from intake.services.reception.links import issue_link

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "BASE_URL", "PORT")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), SECRET_KEY="test-secret-key")
    runtime = Runtime(Settings.from_env(env))
    migrate.upgrade(runtime.engine)
    with runtime.sessions() as session, session.begin():
        session.add(deputy := Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), active=True))
        session.flush()
        issue_link(session, deputy)
    runtime.close()
    dead = _free_port()  # `mashang up --port <dead>` was SIGKILLed: its file stays, its port answers no more
    (tmp_path / "instance" / "web-port").write_text(f"{dead}\n")
    listed = subprocess.run([sys.executable, "-m", "intake", "deputies", "list"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert "http://127.0.0.1:5000/c/" in listed.stdout and f":{dead}" not in listed.stdout, listed.stdout + listed.stderr


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def _running(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_a_launcher_killed_outright_takes_what_it_started_with_it(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "BASE_URL")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), PORT=str(port))
    log = open(tmp_path / "up.log", "w")
    launcher = subprocess.Popen([sys.executable, "-m", "intake", "up"], env=env, stdout=log, stderr=subprocess.STDOUT)
    started = []
    try:
        _wait_for(lambda: "码上说 已就绪" in (tmp_path / "up.log").read_text(), 150, "the service to be ready")
        started = _children(launcher.pid)
        assert len(started) == 4, started  # Redis, the web server, the worker, the scheduler
    finally:
        launcher.kill()  # SIGKILL: the launcher stops nothing itself
        launcher.wait(timeout=30)
        log.close()
    try:
        _wait_for(lambda: not any(_running(pid) for pid in started), 60, "the launcher's processes to end")
    finally:
        left = [pid for pid in started if _running(pid)]  # by a launcher that cannot take them along
        for pid in left:
            os.kill(pid, signal.SIGTERM)  # gunicorn stops its own workers
        deadline = time.monotonic() + 30
        while any(_running(pid) for pid in left) and time.monotonic() < deadline:
            time.sleep(0.3)
    # Nothing answers on the port its file still names, so other commands give their links on 5000 again.
    assert (tmp_path / "instance" / "web-port").read_text().strip() == str(port)
    listed = subprocess.run([sys.executable, "-m", "intake", "deputies", "list"], capture_output=True, text=True,
                            env={k: v for k, v in env.items() if k != "PORT"}, timeout=60)
    assert listed.returncode == 0 and f":{port}" not in listed.stdout + listed.stderr


def test_a_child_whose_starter_died_before_it_asked_to_end_with_it_ends_at_once():
    from workers import lifetime

    # As if the launcher were killed between the fork and prctl: the child's parent is not the one it was forked from
    # (here, the pid of another process), no SIGTERM would ever come, and the program must not start.
    another = os.getppid()
    orphan = subprocess.Popen(["sleep", "30"], preexec_fn=lambda: lifetime.end_with_parent(another))
    assert orphan.wait(timeout=10) == 1
    kept = subprocess.Popen(["true"], preexec_fn=lifetime.ending_with_this_process())
    assert kept.wait(timeout=10) == 0


def test_a_service_not_ready_in_time_is_not_said_to_be_ready(runtime, capsys):
    from intake import launcher

    announcer = launcher._Announcer(runtime, _free_port(), verbose=False, wait=0.0)  # nothing answers on that port
    announcer.look()
    said = capsys.readouterr().out
    assert "码上说 还没有就绪" in said and "已就绪" not in said
    assert str(runtime.settings.instance_dir / "logs") in said
    announcer.next_look = 0.0
    announcer.look()
    assert capsys.readouterr().out == ""  # said once, not every second
