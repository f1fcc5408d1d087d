"""/healthz tells the truth about the parts, and the service recovers by itself when Redis returns."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from rq import SimpleWorker
from sqlalchemy import select, update

from intake.models import HandlingUnit, Message, MessageStatus, StaffRole, StaffUser, utcnow
from intake.services.console.accounts import hash_password
from tests.conftest import build_app, make_settings
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_staff, slug_of, write_roster
from workers import queues
from workers.embedded_redis import EmbeddedRedis

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def _live_worker(connection: redis.Redis) -> SimpleWorker:
    """A worker registered and heartbeating, as `mashang worker` is while it waits for jobs."""
    worker = SimpleWorker([queues.queue(connection, n) for n in queues.ALL], connection=connection)
    worker.register_birth()
    worker.heartbeat()
    return worker


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    yield server
    server.stop()


def test_healthz_reports_parts_and_queue_depths(client, redis_conn):
    without = client.get("/healthz")
    assert without.status_code == 503
    assert without.get_json()["status"] == "degraded" and without.get_json()["problems"] == ["workers"]

    _live_worker(redis_conn)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok"
    assert set(body["queues"]) == {"intake", "drafts"}
    assert body["backlog"] == 0 and body["oldest_waiting_seconds"] == 0 and body["workers"] == 1


def test_a_message_waiting_twice_the_sweep_delay_degrades_healthz(app, client, redis_conn, tmp_path):
    _live_worker(redis_conn)
    import_roster(app, write_roster(tmp_path))
    report(client, slug_of(deputies(app)[0]), "幸福小区门口的路灯坏了一个月了")
    runtime = app.extensions["mashang"]
    assert runtime.settings.sweep_after_seconds == 30

    def waited(seconds: int):
        with runtime.sessions() as session, session.begin():
            session.execute(update(Message).values(created_at=utcnow() - timedelta(seconds=seconds)))
        return client.get("/healthz")

    fresh = waited(50)
    assert fresh.status_code == 200 and fresh.get_json()["backlog"] == 1
    assert 50 <= fresh.get_json()["oldest_waiting_seconds"] < 60
    stale = waited(70)
    assert stale.status_code == 503
    body = stale.get_json()
    assert body["status"] == "degraded" and body["problems"] == ["backlog"]
    assert 70 <= body["oldest_waiting_seconds"] < 80


def test_healthz_details_only_for_the_machine_itself_and_signed_in_staff(app, client, redis_conn):
    _live_worker(redis_conn)
    assert client.get("/healthz", environ_base=OUTSIDE).get_json() == {"status": "ok"}
    redis_conn.flushdb()  # no worker now: outsiders still learn only the status
    assert client.get("/healthz", environ_base=OUTSIDE).get_json() == {"status": "degraded"}
    assert "backlog" in client.get("/healthz").get_json()  # from the loopback address
    # Through a reverse proxy on the same machine, not declared in TRUSTED_PROXIES: a visitor, not the machine.
    for header in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}):
        assert client.get("/healthz", headers=header).get_json() == {"status": "degraded"}, header
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    seen = staff.get("/healthz", environ_base=OUTSIDE).get_json()
    assert seen["problems"] == ["workers"] and seen["backlog"] == 0
    with app.extensions["mashang"].sessions() as session, session.begin():  # a handling unit is no congress staff
        unit = HandlingUnit(name="区水务局")
        session.add(unit)
        session.flush()
        session.add(StaffUser(username="shuiwu", password_hash=hash_password("pw-shuiwu"), role=StaffRole.UNIT,
                              unit_id=unit.id))
    assert sign_in_staff(app, "shuiwu").get("/healthz", environ_base=OUTSIDE).get_json() == {"status": "degraded"}


def test_a_stopped_worker_stops_counting_and_returns_when_resumed(tmp_path, sqlite_url, redis_conn, redis_url):
    """A SIGSTOPped worker keeps its registration in Redis; only its heartbeat tells that it is not working."""
    app = build_app(make_settings(tmp_path, sqlite_url, redis_url, WORKER_TTL="16"))
    client = app.test_client()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), DATABASE_URL=sqlite_url, REDIS_URL=redis_url,
               SECRET_KEY="test-secret-key", WORKER_TTL="16")
    worker = subprocess.Popen([sys.executable, "-m", "intake", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def workers_within(count: int, seconds: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if client.get("/healthz").get_json()["workers"] == count:
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"/healthz never counted {count} workers in {seconds} s")

    try:
        workers_within(1, 40)
        worker.send_signal(signal.SIGSTOP)
        workers_within(0, 30)
        stopped = client.get("/healthz")
        assert stopped.status_code == 503 and stopped.get_json()["problems"] == ["workers"]
        worker.send_signal(signal.SIGCONT)
        workers_within(1, 20)
        assert client.get("/healthz").status_code == 200
    finally:
        worker.send_signal(signal.SIGCONT)
        worker.terminate()
        worker.wait(timeout=20)
        app.extensions["mashang"].close()


def test_redis_down_gives_503_and_the_service_recovers_when_it_returns(tmp_path, sqlite_url, own_redis):
    app = build_app(make_settings(tmp_path, sqlite_url, own_redis.url))
    client = app.test_client()
    worker = _live_worker(app.extensions["mashang"].redis)
    try:
        assert client.get("/healthz").status_code == 200
        import_roster(app, write_roster(tmp_path))
        slug = slug_of(deputies(app)[0])

        own_redis.kill()
        down = client.get("/healthz")
        assert down.status_code == 503
        assert down.get_json()["redis"].startswith("down")
        assert down.get_json()["database"] == "ok"
        # Citizens can still write in; the message waits in the table for the sweep.
        assert report(client, slug, "幸福小区门口的路灯坏了一个月了")["receipt"]

        own_redis.start()
        worker.heartbeat()  # as the reconnecting worker does
        back = client.get("/healthz")
        assert back.status_code == 200, back.get_json()
        assert back.get_json()["backlog"] == 1

        # Beyond /healthz: a citizen writing now is queued for the workers at once, the sweep brings in
        # the message stored during the outage, and a worker tags both.
        assert report(client, slug, "青石街道菜市场门口的下水道堵了，污水漫到路上")["receipt"]
        connection = app.extensions["mashang"].redis
        assert queues.queue(connection, queues.INTAKE).count == 1
        with app.extensions["mashang"].sessions() as session, session.begin():
            session.execute(update(Message).where(Message.status == MessageStatus.RECEIVED)
                            .values(created_at=utcnow() - timedelta(minutes=10)))
        queues.queue(connection, queues.DRAFTS).enqueue("workers.jobs.sweep")
        SimpleWorker([queues.queue(connection, n) for n in queues.ALL], connection=connection).work(burst=True)
        with app.extensions["mashang"].sessions() as session:
            statuses = list(session.scalars(select(Message.status)))
        assert len(statuses) == 2 and MessageStatus.RECEIVED not in statuses, statuses
        assert client.get("/healthz").get_json()["backlog"] == 0
    finally:
        app.extensions["mashang"].close()


def test_database_down_gives_503(tmp_path, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, "postgresql://nobody@127.0.0.1:1/none", redis_url))
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["database"].startswith("down")
        assert response.get_json()["redis"] == "ok"
    finally:
        app.extensions["mashang"].close()
