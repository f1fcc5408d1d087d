"""/healthz tells the truth about the parts, and the service recovers by itself when Redis returns."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, report, slug_of, write_roster
from workers.embedded_redis import EmbeddedRedis


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    yield server
    server.stop()


def test_healthz_reports_parts_and_queue_depths(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok"
    assert set(body["queues"]) == {"intake", "drafts"}
    assert body["backlog"] == 0


def test_redis_down_gives_503_and_the_service_recovers_when_it_returns(tmp_path, sqlite_url, own_redis):
    app = build_app(make_settings(tmp_path, sqlite_url, own_redis.url))
    client = app.test_client()
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
        back = client.get("/healthz")
        assert back.status_code == 200, back.get_json()
        assert back.get_json()["backlog"] == 1
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
