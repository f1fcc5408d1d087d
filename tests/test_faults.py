"""Nothing a citizen is given a receipt for is ever lost, and the service keeps answering: concurrent
citizens while Redis is killed and restarted, a worker is SIGKILLed inside a job and PostgreSQL restarts;
under `mashang up`, which must bring its dead children back; and with the Procfile processes, whose worker
and scheduler must outlive a Redis outage. Slow (about a minute each); CI runs them."""

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

from rq import Queue

from intake import migrate
from intake.config import Settings
from intake.db import make_engine
from intake.runtime import make_redis
from tests import fault_jobs
from tests.conftest import _truncate_postgres, skip_unless
from tests.test_health import _free_port
from workers import queues
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


# Six citizens get an answer every few tenths of a second; a longer silence means the service stalled.
LONGEST_SILENCE = 3.0


def _answered(results: dict, lock: threading.Lock) -> None:
    with lock:
        results["answered"].append(time.monotonic() - results["started"])


def _longest_silence(results: dict, start: float, end: float) -> float:
    """The longest time between two 2xx answers from `start` to `end` (seconds into the load)."""
    times = [start] + sorted(t for t in results["answered"] if start < t < end) + [end]
    return max(b - a for a, b in zip(times, times[1:]))


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
            page = opener.open(f"{base}/c/{slug}", timeout=10).read().decode()
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            _answered(results, lock)
            receipt = None
            for said in (description, "不留"):
                request = urllib.request.Request(
                    f"{base}/api/chat/{slug}", data=json.dumps({"text": said}).encode(),
                    headers={"Content-Type": "application/json", "X-CSRFToken": token})
                receipt = json.loads(opener.open(request, timeout=10).read())["receipt"]
                _answered(results, lock)
            if receipt:
                with lock:
                    results["acknowledged"].append(receipt)
        except (urllib.error.URLError, OSError, ValueError, AttributeError) as exc:
            # No receipt: the citizen was told nothing was received, and tries again.
            with lock:
                results["failures"].append((time.monotonic() - results["started"], repr(exc)))
            time.sleep(0.2)


def _load(base: str, slug: str, seconds: float, faults: list, tick) -> dict:
    """Six citizens write for `seconds` while `faults` ((at, name, action), in order) happen; `tick` runs
    every 0.2 s. Every request that was not answered 2xx is in `failures`, with when it happened; when each
    2xx answer came is in `answered`."""
    results = {"sent": 0, "acknowledged": [], "failures": [], "answered": [], "started": time.monotonic(),
               "faults": {}}
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=_citizen, args=(base, slug, stop, results, lock, i)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    faults = list(faults)
    try:
        while time.monotonic() - results["started"] < seconds:
            while faults and time.monotonic() - results["started"] >= faults[0][0]:
                _, name, action = faults.pop(0)
                results["faults"][name] = time.monotonic() - results["started"]
                action()
            tick()
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    return results


def _await_processed(engine, acknowledged: list[str], tick, timeout: float = 90) -> dict:
    """Wait until every acknowledged message is drafted exactly once; the counts the test asserts on."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        tick()
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT m.receipt, m.status, (SELECT count(*) FROM draft_messages d WHERE d.message_id = m.id) "
                "FROM messages m")).all()
        processed = {r for r, status, links in rows if status == "drafted" and links == 1}
        if set(acknowledged) <= processed or time.monotonic() > deadline:
            break
        time.sleep(1)
    stored = [r for r, _, _ in rows]
    return {"lost": sorted(set(acknowledged) - set(stored)), "unprocessed": sorted(set(acknowledged) - processed),
            "duplicated": len(stored) - len(set(stored)), "stored": len(stored),
            "processed": len(set(acknowledged) & processed), "seconds": round(time.monotonic() - started)}


def _wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/c/-", timeout=2)
    except urllib.error.HTTPError:
        return True  # 404 for a made-up link: the web is serving
    except (urllib.error.URLError, OSError):
        return False
    return True


def _kill_inside_a_job(connection, kill) -> None:
    """Hand the worker a job that says when it has started, and kill the worker while it runs."""
    connection.delete(fault_jobs.STARTED_KEY)
    Queue(queues.INTAKE, connection=connection).enqueue(fault_jobs.hold, 10, job_timeout=60, at_front=True)
    _wait_until(lambda: connection.exists(fault_jobs.STARTED_KEY), 20, "the held job to start")
    kill()


def _prepare(tmp_path: Path, env: dict) -> tuple:
    """Migrate, import one deputy; the engine and the deputy's citizen link."""
    engine = make_engine(Settings.from_env(env).database_url)
    migrate.upgrade(engine)
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,层级,联络站,手机\n王秀兰,区,青石街道人大代表联络站,13900000001\n", encoding="utf-8")
    mashang = [sys.executable, "-m", "intake"]
    subprocess.run(mashang + ["deputies", "import", str(roster)], env=env, cwd=ROOT, check=True, capture_output=True)
    listed = json.loads(subprocess.run(mashang + ["deputies", "list", "--json"], env=env, cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    return engine, listed[0]["link"].rsplit("/", 1)[1]


def _service_env(tmp_path: Path, database_url: str, redis_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_") and k != "REDIS_URL"}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), DATABASE_URL=database_url, SECRET_KEY="fault",
               DRAFT_BATCH_INTERVAL="2", SWEEP_AFTER_SECONDS="3", WORKER_TTL="16",
               CHAT_PER_MINUTE="100000", CHAT_PER_ADDRESS_PER_MINUTE="100000")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _silence_report(results: dict, until: float) -> str:
    return (f"longest time without a 2xx answer {_longest_silence(results, 1, until):.1f} s; faults at "
            f"{ {name: round(at, 1) for name, at in results['faults'].items()} }")


def _report(results: dict, counts: dict, extra: str = "") -> None:
    print(f"\nsent {results['sent']}, acknowledged {len(results['acknowledged'])}, stored {counts['stored']}, "
          f"processed {counts['processed']}, lost {len(counts['lost'])}, duplicated {counts['duplicated']}, "
          f"not answered {len(results['failures'])}, longest time without a 2xx answer "
          f"{_longest_silence(results, 1, max(results['answered'], default=1)):.1f} s, "
          f"all drafted {counts['seconds']} s after the load, "
          f"faults at { {name: round(at, 1) for name, at in results['faults'].items()} }{extra}")


@pytest.mark.fault
def test_every_acknowledged_message_survives_redis_worker_and_database_failures(tmp_path, redis_url):
    skip_unless(shutil.which("pg_ctlcluster") is not None or not os.environ.get("TEST_DATABASE_URL"),
                "pg_ctlcluster is needed to restart PostgreSQL")
    database_url, postgres = _database(tmp_path)
    redis_server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    env = _service_env(tmp_path, database_url, redis_server.url)
    engine, slug = _prepare(tmp_path, env)
    mashang = [sys.executable, "-m", "intake"]
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
    connection = make_redis(redis_server.url)
    try:
        _wait_until(lambda: _answers(base), 90, "the web to answer")
        faults = [(4, "kill redis", redis_server.kill), (8, "start redis", redis_server.start),
                  (11, "kill worker inside a job", lambda: _kill_inside_a_job(connection, lambda: supervisor.kill("worker")))]
        if postgres:
            faults.append((18, "restart postgresql", _postgres_restart))
        results = _load(base, slug, LOAD_SECONDS, faults, supervisor.keep_alive)
        counts = _await_processed(engine, results["acknowledged"], supervisor.keep_alive, timeout=150)
        _report(results, counts, f", process restarts {supervisor.restarts}")
        assert len(results["acknowledged"]) > 20, "the load did not get through"
        assert counts["lost"] == [] and counts["duplicated"] == 0
        assert counts["unprocessed"] == [], f"acknowledged but never drafted: {counts['unprocessed'][:5]}"
        # Citizens were answered throughout the Redis outage and the worker's death (not during the
        # PostgreSQL restart, when refusing to store is the honest answer): no refusal, no stall.
        until = results["faults"].get("restart postgresql", LOAD_SECONDS)
        assert [f for f in results["failures"] if f[0] < until] == []
        assert _longest_silence(results, 1, until) <= LONGEST_SILENCE, _silence_report(results, until)
    finally:
        connection.close()
        supervisor.stop()
        redis_server.stop()
        engine.dispose()


def _children_of(pid: int) -> dict[int, str]:
    """The launcher's direct children and their command lines."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                found[int(child)] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                pass
    return found


def _child(launcher: subprocess.Popen, marker: str) -> int | None:
    matches = [pid for pid, cmdline in _children_of(launcher.pid).items() if marker in cmdline]
    return matches[0] if matches else None


@pytest.mark.fault
def test_mashang_up_brings_back_a_killed_worker_and_redis_while_the_web_keeps_answering(tmp_path):
    env = _service_env(tmp_path, f"sqlite:///{tmp_path / 'up.db'}", None)
    engine, slug = _prepare(tmp_path, env)  # not empty, so `up` loads no demo data
    port = _free_port()
    log = open(tmp_path / "up.log", "wb")
    launcher = subprocess.Popen([sys.executable, "-m", "intake", "up", "--port", str(port)], env=env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    connection = make_redis(f"unix://{tmp_path / 'instance' / 'redis.sock'}")
    killed = {}

    def kill(marker: str) -> None:
        killed[marker] = _child(launcher, marker)
        assert killed[marker], f"no {marker} process under `mashang up`: it has stopped its children"
        os.kill(killed[marker], signal.SIGKILL)

    try:
        _wait_until(lambda: _answers(base) and _child(launcher, "intake worker"), 90, "`mashang up` to serve")
        faults = [(3, "kill worker inside a job", lambda: _kill_inside_a_job(connection, lambda: kill("intake worker"))),
                  (10, "kill redis", lambda: kill("redis-server"))]
        results = _load(base, slug, 20, faults, lambda: None)
        assert launcher.poll() is None, "the launcher stopped"
        # Both came back by themselves, as new processes.
        worker = _wait_until(lambda: _child(launcher, "intake worker"), 30, "a new worker")
        redis_server = _wait_until(lambda: _child(launcher, "redis-server"), 30, "a new Redis")
        assert worker != killed["intake worker"] and redis_server != killed["redis-server"]
        _wait_until(lambda: connection.ping(), 30, "Redis to answer again")
        counts = _await_processed(engine, results["acknowledged"], lambda: None)
        _report(results, counts)
        assert len(results["acknowledged"]) > 20, "the load did not get through"
        assert counts["lost"] == [] and counts["duplicated"] == 0
        assert counts["unprocessed"] == [], f"acknowledged but never drafted: {counts['unprocessed'][:5]}"
        assert results["failures"] == [], "the web stopped answering"
        assert _longest_silence(results, 1, 20) <= LONGEST_SILENCE, _silence_report(results, 20)
        printed = (tmp_path / "up.log").read_text()
        assert "worker 已重启" in printed and "内置 Redis 已重启" in printed
    finally:
        connection.close()
        launcher.send_signal(signal.SIGINT)
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            launcher.kill()
        log.close()
        engine.dispose()


@pytest.mark.fault
@pytest.mark.postgres
def test_procfile_worker_and_scheduler_outlive_a_redis_restart_on_postgresql(tmp_path, postgres_url):
    """As a Procfile runner starts them, with nothing restarting them: Redis dies and comes back."""
    _truncate_postgres(postgres_url)
    redis_server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    env = _service_env(tmp_path, postgres_url, redis_server.url)
    engine, slug = _prepare(tmp_path, env)
    port = _free_port()
    mashang = [sys.executable, "-m", "intake"]
    log = open(tmp_path / "processes.log", "wb")
    processes = {name: subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT) for name, args in {
        "web": [sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "intake.wsgi:app"],
        "worker": mashang + ["worker"],
        "scheduler": mashang + ["scheduler"],
    }.items()}
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: _answers(base), 90, "the web to answer")
        faults = [(4, "kill redis", redis_server.kill), (12, "start redis", redis_server.start)]
        results = _load(base, slug, 20, faults, lambda: None)
        counts = _await_processed(engine, results["acknowledged"], lambda: None)
        _report(results, counts)
        exited = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
        assert exited == {}, f"exited: {exited}"
        assert len(results["acknowledged"]) > 20, "the load did not get through"
        assert counts["lost"] == [] and counts["duplicated"] == 0
        assert counts["unprocessed"] == [], f"acknowledged but never drafted: {counts['unprocessed'][:5]}"
        assert results["failures"] == [], "the web stopped answering"
        assert _longest_silence(results, 1, 20) <= LONGEST_SILENCE, _silence_report(results, 20)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        redis_server.stop()
        engine.dispose()
