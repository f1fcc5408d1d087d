"""/livez answers whatever is down; /readyz needs a migrated database and only reports Redis."""

from __future__ import annotations

import pytest

from intake import migrate
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, report, slug_of, write_roster
from tests.test_health import _free_port, own_redis  # noqa: F401  (fixture)


@pytest.fixture
def probe_app(request):
    apps = []

    def make(settings):
        app = build_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["mashang"].close()


def test_redis_outage_is_degraded_but_ready(tmp_path, sqlite_url, own_redis, probe_app):  # noqa: F811
    app = probe_app(make_settings(tmp_path, sqlite_url, own_redis.url))
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])

    own_redis.kill()
    assert client.get("/livez").status_code == 200
    degraded = client.get("/readyz")
    assert degraded.status_code == 200
    assert degraded.get_json()["status"] == "degraded" and degraded.get_json()["redis"].startswith("down")
    # Still ready because intake still works: the message waits in the table for the sweep.
    assert report(client, slug, "幸福小区门口的路灯坏了一个月了")["receipt"]

    own_redis.start()
    assert client.get("/readyz").get_json()["status"] == "ok"


def test_database_down_is_not_ready_but_alive(tmp_path, redis_conn, redis_url, probe_app):
    port = _free_port()  # nothing listens there
    app = probe_app(make_settings(tmp_path, f"postgresql://postgres@127.0.0.1:{port}/mashang", redis_url))
    client = app.test_client()
    assert client.get("/livez").status_code == 200
    down = client.get("/readyz")
    assert down.status_code == 503
    assert down.get_json()["status"] == "down" and down.get_json()["database"].startswith("down")


def test_database_behind_the_code_is_not_ready(tmp_path, sqlite_url, redis_conn, redis_url, probe_app):
    app = probe_app(make_settings(tmp_path, sqlite_url, redis_url))
    runtime = app.extensions["mashang"]
    migrate.downgrade(runtime.engine, "-1")
    behind = app.test_client().get("/readyz")
    assert behind.status_code == 503
    assert behind.get_json()["database"].startswith("not migrated") and migrate.head() in behind.get_json()["database"]
    migrate.upgrade(runtime.engine)
    assert app.test_client().get("/readyz").status_code == 200


def test_unreadable_sqlite_file_is_not_ready(tmp_path, sqlite_url, redis_conn, redis_url, probe_app):
    app = probe_app(make_settings(tmp_path, sqlite_url, redis_url))
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    app.extensions["mashang"].engine.dispose()
    (tmp_path / "mashang.db").write_bytes(b"this is not a database" * 100)
    gone = client.get("/readyz")
    assert gone.status_code == 503 and gone.get_json()["database"].startswith("down")
    assert client.get("/livez").status_code == 200
