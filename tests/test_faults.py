"""Nothing a citizen is given a receipt for is ever lost: concurrent citizens while Redis is killed and
restarted, a worker is SIGKILLed mid-job and PostgreSQL restarts. Slow (about two minutes); CI runs it."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from intake import migrate
from intake.config import Settings
from intake.db import make_engine
from tests.conftest import skip_unless
from tests.test_health import _free_port
from workers.embedded_redis import EmbeddedRedis

ROOT = Path(__file__).resolve().parent.parent
LOAD_SECONDS = 24
CLIENTS = 6


class Supervisor:
    """Starts the service's processes and restarts any that die, as a Procfile runner would."""

    def __init__(self, env: dict, commands: dict[str, list[str]]):
        self.env, self.commands = env, commands
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts = 0
        Path(env["MASHANG_INSTANCE"]).mkdir(parents=True, exist_ok=True)
        self.log = open(Path(env["MASHANG_INSTANCE"]) / "processes.log", "ab")

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(self.commands[name], env=self.env, cwd=ROOT, stdout=self.log,
                                                stderr=subprocess.STDOUT)

    def keep_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                self.restarts += 1
                self.start(name)

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


def _postgres_restart() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True)


def _database(tmp_path: Path) -> tuple[str, bool]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'fault.db'}", False
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS mashang_fault WITH (FORCE)")
        conn.execute("CREATE DATABASE mashang_fault")
    return f"{base}/mashang_fault", True


def _citizen(base: str, slug: str, stop: threading.Event, results: dict, lock: threading.Lock, index: int) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        description = f"幸福小区{index}号楼门口第{number}次反映：路灯坏了，晚上很黑，老人出门不安全。"
        with lock:
            results["sent"] += 1
        try:
            page = opener.open(f"{base}/c/{slug}", timeout=5).read().decode()
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            receipt = None
            for said in (description, "不留"):
                request = urllib.request.Request(
                    f"{base}/api/chat/{slug}", data=json.dumps({"text": said}).encode(),
                    headers={"Content-Type": "application/json", "X-CSRFToken": token})
                receipt = json.loads(opener.open(request, timeout=5).read())["receipt"]
            if receipt:
                with lock:
                    results["acknowledged"].append(receipt)
        except (urllib.error.URLError, OSError, ValueError, AttributeError):
            time.sleep(0.2)  # no receipt: the citizen was told nothing was received, and tries again


@pytest.mark.fault
def test_every_acknowledged_message_survives_redis_worker_and_database_failures(tmp_path, redis_url):
    skip_unless(shutil.which("pg_ctlcluster") is not None or not os.environ.get("TEST_DATABASE_URL"),
                "pg_ctlcluster is needed to restart PostgreSQL")
    database_url, postgres = _database(tmp_path)
    redis_server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
    env.update(MASHANG_INSTANCE=str(instance), DATABASE_URL=database_url, REDIS_URL=redis_server.url,
               SECRET_KEY="fault", DRAFT_BATCH_INTERVAL="2", SWEEP_AFTER_SECONDS="3",
               CHAT_PER_MINUTE="100000", CHAT_PER_ADDRESS_PER_MINUTE="100000")
    settings = Settings.from_env(env)
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,层级,联络站,手机\n王秀兰,区,青石街道人大代表联络站,13900000001\n", encoding="utf-8")
    mashang = [sys.executable, "-m", "intake"]
    subprocess.run(mashang + ["deputies", "import", str(roster)], env=env, cwd=ROOT, check=True, capture_output=True)
    listed = json.loads(subprocess.run(mashang + ["deputies", "list", "--json"], env=env, cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    slug = listed[0]["link"].rsplit("/", 1)[1]
    port = _free_port()
    supervisor = Supervisor(env, {
        "web": [sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "intake.wsgi:app"],
        "worker": mashang + ["worker"],
        "scheduler": mashang + ["scheduler"],
    })
    for name in supervisor.commands:
        supervisor.start(name)
    base = f"http://127.0.0.1:{port}"
    results = {"sent": 0, "acknowledged": []}
    lock, stop = threading.Lock(), threading.Event()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        threads = [threading.Thread(target=_citizen, args=(base, slug, stop, results, lock, i)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        faults = [(4, "kill redis", redis_server.kill), (8, "start redis", redis_server.start),
                  (11, "kill worker", lambda: supervisor.kill("worker"))]
        if postgres:
            faults.append((15, "restart postgresql", _postgres_restart))
        while time.monotonic() - started < LOAD_SECONDS:
            while faults and time.monotonic() - started >= faults[0][0]:
                faults.pop(0)[2]()
            supervisor.keep_alive()
            time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        acknowledged = results["acknowledged"]
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            supervisor.keep_alive()
            with engine.connect() as conn:
                rows = conn.execute(text(
                    "SELECT m.receipt, m.status, (SELECT count(*) FROM draft_messages d WHERE d.message_id = m.id) "
                    "FROM messages m")).all()
            processed = {r for r, status, links in rows if status == "drafted" and links == 1}
            if set(acknowledged) <= processed:
                break
            time.sleep(1)
        stored = [r for r, _, _ in rows]
        lost = sorted(set(acknowledged) - set(stored))
        unprocessed = sorted(set(acknowledged) - processed)
        duplicated = len(stored) - len(set(stored))
        print(f"\nsent {results['sent']}, acknowledged {len(acknowledged)}, stored {len(stored)}, "
              f"processed {len(set(acknowledged) & processed)}, lost {len(lost)}, duplicated {duplicated}, "
              f"process restarts {supervisor.restarts}")
        assert len(acknowledged) > 20, "the load did not get through"
        assert lost == [] and duplicated == 0
        assert unprocessed == [], f"acknowledged but never drafted: {unprocessed[:5]}"
    finally:
        stop.set()
        supervisor.stop()
        redis_server.stop()
        engine.dispose()
