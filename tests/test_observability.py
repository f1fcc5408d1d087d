"""/metrics in Prometheus format for allowed scrapers, and JSON log lines that follow a request into its jobs."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue

from intake.ops import logs
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, report, slug_of, write_roster
from tests.test_health import _free_port
from workers import queues
from workers.worker import Worker

PHONE = "13812345678"
TEXT = f"幸福小区门口的路灯坏了一个月了，晚上很黑，请联系我{PHONE}"


def _work(redis_conn) -> None:
    Worker([Queue(name, connection=redis_conn) for name in queues.ALL], connection=redis_conn).work(burst=True)


def _samples(body: str) -> dict:
    found = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move_after_a_chat_turn_and_a_job(app, client, redis_conn, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    before = _samples(client.get("/metrics").get_data(as_text=True))
    report(client, slug, TEXT)
    _work(redis_conn)
    scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.mimetype == "text/plain"
    after = _samples(scraped.get_data(as_text=True))

    def moved(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("mashang_chat_turns_total", channel="web") >= 2
    assert moved("mashang_messages_stored_total", channel="web") == 1
    assert moved("mashang_http_requests_total", route="/api/chat/<slug>", method="POST", status="200") >= 2
    assert moved("mashang_http_request_duration_seconds_count", route="/api/chat/<slug>") >= 2
    assert moved("mashang_job_duration_seconds_count", job="classify_message") == 1
    assert moved("mashang_job_duration_seconds_count", job="batch_deputy") == 1
    assert moved("mashang_drafts_changed_total", source="batch") == 1
    assert moved("mashang_drafts", status="open") == 1
    assert _value(after, "mashang_queue_jobs", queue="intake", state="queued") == 0
    assert _value(after, "mashang_oldest_unprocessed_message_age_seconds") == 0


def test_oldest_waiting_message_and_queue_depth_are_reported(app, client, redis_conn, tmp_path):
    import_roster(app, write_roster(tmp_path))
    report(client, slug_of(deputies(app)[0]), TEXT)
    samples = _samples(client.get("/metrics").get_data(as_text=True))
    assert _value(samples, "mashang_queue_jobs", queue="intake", state="queued") == 1
    assert _value(samples, "mashang_oldest_unprocessed_message_age_seconds") > 0


def test_metrics_refused_from_other_addresses_unless_the_token_is_given(tmp_path, sqlite_url, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, sqlite_url, redis_url, METRICS_TOKEN="scrape-token-123",
                                  METRICS_ALLOW="127.0.0.1,10.0.0.0/8"))
    client = app.test_client()
    try:
        outside = {"REMOTE_ADDR": "203.0.113.9"}
        assert client.get("/metrics", environ_base=outside).status_code == 403
        assert client.get("/metrics", environ_base=outside,
                          headers={"Authorization": "Bearer wrong-token"}).status_code == 403
        assert client.get("/metrics", environ_base=outside,
                          headers={"Authorization": "Bearer scrape-token-123"}).status_code == 200
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
        assert client.get("/metrics").status_code == 200  # loopback
        # A proxy on the same host makes everyone look local: forwarded requests need the token.
        proxied = {"X-Forwarded-For": "203.0.113.9"}
        assert client.get("/metrics", headers=proxied).status_code == 403
        assert client.get("/metrics", headers={**proxied, "Authorization": "Bearer scrape-token-123"}).status_code == 200
    finally:
        app.extensions["mashang"].close()


@pytest.fixture
def json_logs():
    level = logging.getLogger().level
    yield
    logs.configure("text")
    logging.getLogger().setLevel(level)


def test_json_logs_follow_the_request_into_its_jobs_without_citizen_text(
        tmp_path, database_url, redis_conn, redis_url, capsys, json_logs):
    app = build_app(make_settings(tmp_path, database_url, redis_url, LOG_FORMAT="json"))
    try:
        client = app.test_client()
        import_roster(app, write_roster(tmp_path))
        slug = slug_of(deputies(app)[0])
        capsys.readouterr()
        body = report(client, slug, TEXT, phone=PHONE)
        assert body["receipt"]
        _work(redis_conn)
    finally:
        app.extensions["mashang"].close()
    output = capsys.readouterr().err
    assert PHONE not in output and "路灯" not in output and "幸福小区" not in output
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    chats = [line for line in lines if line.get("route") == "/api/chat/<slug>"]
    assert chats and all({"time", "level", "logger", "request_id", "status", "duration_ms"} <= set(line)
                         for line in chats)
    assert len({line["request_id"] for line in chats}) == len(chats)
    jobs = {line["job"]: line for line in lines if line.get("logger") == "mashang.job"}
    # The turn that stored the message queued its tagging; tagging queued the batching.
    assert jobs["classify_message"]["request_id"] == chats[-1]["request_id"]
    assert jobs["batch_deputy"]["request_id"] == chats[-1]["request_id"]
    assert jobs["classify_message"]["status"] == "finished"


def test_metrics_add_up_across_gunicorn_workers(tmp_path, sqlite_url, redis_conn, redis_url):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=sqlite_url, REDIS_URL=redis_url, SECRET_KEY="test-secret-key",
               MASHANG_INSTANCE=str(tmp_path / "instance"), WEB_CONCURRENCY="3",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    log = open(tmp_path / "gunicorn.log", "w")
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf",
                            "--bind", f"127.0.0.1:{port}", "intake.wsgi:app"], env=env, stdout=log,
                           stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()[-2000:]
                time.sleep(0.3)
        for _ in range(30):
            urllib.request.urlopen(f"{base}/livez", timeout=5).read()
        body = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)
        log.close()
    samples = _samples(body)
    assert _value(samples, "mashang_http_requests_total", route="/livez", method="GET", status="200") >= 31
    assert list((tmp_path / "metrics").glob("counter_*.db"))  # counted in files the processes share


def test_database_errors_in_logs_do_not_carry_the_values(app, runtime):
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    with pytest.raises(SQLAlchemyError) as error, runtime.engine.connect() as connection:
        connection.execute(text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": TEXT})
    assert PHONE not in str(error.value) and "路灯" not in str(error.value)


def test_the_text_access_log_names_private_links_by_their_rule_never_their_token(tmp_path, sqlite_url, redis_url):
    port, log = _free_port(), tmp_path / "access.log"
    env = dict(os.environ, DATABASE_URL=sqlite_url, REDIS_URL=redis_url, SECRET_KEY="test-secret-key",
               MASHANG_INSTANCE=str(tmp_path / "instance"), LOG_FORMAT="text", WEB_CONCURRENCY="1")
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf",
                            "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log), "intake.wsgi:app"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    secrets = {"/p/": "Progress7Token9", "/deputy/signin/": "SignIn4Token2", "/staff/welcome/": "Welcome5Token8"}
    try:
        deadline = time.monotonic() + 120  # a worker loads the tokenizer's dictionaries before it answers
        while True:
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.3)
        for prefix, token in secrets.items():
            try:
                urllib.request.urlopen(f"{base}{prefix}{token}", timeout=5).read()
            except urllib.error.HTTPError:
                pass  # no such link: the page says so, and the line is logged all the same
        try:  # a line break in a path a route takes must not start a forged line of its own
            urllib.request.urlopen(f"{base}/c/x%0Aforged%0D%0Aline", timeout=5).read()
        except urllib.error.HTTPError:
            pass
        urllib.request.urlopen(f"{base}/staff/login", timeout=5).read()
        for _ in range(50):
            if log.exists() and "/staff/login" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)
    written = log.read_text()
    assert not [token for token in secrets.values() if token in written], written
    for rule in ("/p/<token>", "/deputy/signin/<token>", "/staff/welcome/<token>"):
        assert f'"GET {rule} HTTP/1.1"' in written, written
    assert '"GET /staff/login HTTP/1.1" 200' in written  # other paths are logged as they are
    assert all(line.startswith("127.0.0.1 ") for line in written.splitlines()), written
    assert '"GET /c/x%0Aforged%0D%0Aline HTTP/1.1" 404' in written, written


def test_with_a_log_file_the_terminal_keeps_warnings_and_the_file_keeps_everything(tmp_path, capsys, json_logs):
    log_file = tmp_path / "logs" / "worker.log"  # what `mashang up` gives each child
    logs.configure("text", log_file)
    logging.getLogger("rq.worker").info("Successfully completed workers.jobs.classify_message(1)")
    logging.getLogger("workers.runner").warning("Redis unreachable; trying again in 0.5 s")
    printed, written = capsys.readouterr().err, log_file.read_text()
    assert "Redis unreachable" in printed and "Successfully completed" not in printed
    assert "[INFO] rq.worker: Successfully completed" in written and "[WARNING] workers.runner: Redis unreachable" in written


@pytest.fixture
def gunicorn_file_logging(tmp_path, monkeypatch):
    """gunicorn's logging as `mashang up` configures it for the web process (LOG_FILE set), in this process."""
    import importlib
    import logging.config

    log_file = tmp_path / "instance" / "logs" / "web.log"
    monkeypatch.setenv("MASHANG_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LOG_FILE", str(log_file))
    monkeypatch.setenv("LOG_FORMAT", "text")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))  # the module sets it when unset
    import intake.gunicorn_conf as conf

    conf = importlib.reload(conf)
    # gunicorn's loggers only: the root logger's handlers are pytest's and this test's own.
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False,
                               **{key: value for key, value in conf.logconfig_dict.items() if key != "root"}})
    yield log_file, logging.getLogger("gunicorn.error")
    for name in ("gunicorn.error", "gunicorn.access"):
        for handler in logging.getLogger(name).handlers[:]:
            logging.getLogger(name).removeHandler(handler)
            handler.close()


def test_log_files_are_readable_by_their_owner_only(tmp_path, json_logs, gunicorn_file_logging):
    # Request lines name routes and ids, the worker's jobs name messages: not for other accounts on the machine.
    log_file = tmp_path / "instance" / "logs" / "worker.log"
    logs.configure("text", log_file)
    logging.getLogger("workers.runner").warning("Redis unreachable; trying again in 0.5 s")
    web_log, gunicorn_error = gunicorn_file_logging
    gunicorn_error.info("Booting worker with pid: 1")
    assert (log_file.parent.stat().st_mode & 0o777) == 0o700
    assert (log_file.stat().st_mode & 0o777) == 0o600
    assert (web_log.stat().st_mode & 0o777) == 0o600


def test_a_log_file_renamed_or_removed_is_started_again(tmp_path, json_logs, gunicorn_file_logging):
    # The README leaves rotation to the operator (logrotate, or rm): the next line must go to a new file.
    log_file = tmp_path / "instance" / "logs" / "worker.log"
    logs.configure("text", log_file)
    web_log, gunicorn_error = gunicorn_file_logging
    logging.getLogger("workers.runner").warning("before the rotation")
    gunicorn_error.info("before the rotation")
    log_file.rename(log_file.with_suffix(".log.1"))
    web_log.unlink()
    logging.getLogger("workers.runner").warning("after the rotation")
    gunicorn_error.info("after the rotation")
    for written in (log_file, web_log):
        assert "after the rotation" in written.read_text() and "before" not in written.read_text()
        assert (written.stat().st_mode & 0o777) == 0o600
    assert "after" not in log_file.with_suffix(".log.1").read_text()


def test_a_text_log_file_has_no_empty_request_or_job_lines(tmp_path, json_logs):
    # Their fields exist only in JSON: in text the line would read "mashang.request: request", and gunicorn's
    # access line and RQ's own line already say what happened.
    log_file = tmp_path / "logs" / "web.log"
    logs.configure("text", log_file)
    logging.getLogger("mashang.request").info("request", extra={"route": "/healthz", "method": "GET", "status": 200})
    logging.getLogger("mashang.job").info("job", extra={"job": "classify_message", "status": "finished"})
    logging.getLogger("rq.worker").info("Successfully completed workers.jobs.classify_message(1)")
    written = log_file.read_text()
    assert "mashang.request" not in written and "mashang.job" not in written
    assert "rq.worker: Successfully completed" in written
