"""What the operations page shows: queue depths, live workers, failed jobs, last scheduled runs."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import redis
from rq import Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy.exc import SQLAlchemyError

from workers import queues

LAST_RUN_KEY = "mashang:last-run:{name}"
SCHEDULED = ("sweep", "retention", "reminders")


def note_run(connection: redis.Redis, name: str, summary: dict) -> None:
    """Scheduled jobs record when they last ran, for the operations page."""
    value = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "summary": summary}
    connection.set(LAST_RUN_KEY.format(name=name), json.dumps(value, ensure_ascii=False))


def note_failure(connection: redis.Redis, name: str, error: Exception) -> None:
    """A scheduled job that stopped records that too: the page says it failed and why, not when it last worked."""
    value = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "summary": {},
             "failed": failure_kind(error), "detail": f"{type(error).__name__}: {error}"[:500]}
    connection.set(LAST_RUN_KEY.format(name=name), json.dumps(value, ensure_ascii=False))


def failure_kind(error: Exception) -> str:
    """What stopped a job, in a clerk's words; the exception itself is the administrator's detail."""
    if isinstance(error, SQLAlchemyError):
        return "数据库出错"
    if isinstance(error, redis.RedisError):
        return "Redis 出错"
    return "程序出错"


# Which message or deputy a failed job was about, from its deterministic id (workers.queues), so the page can
# show a station's staff only their own deputies' failures.
_SUBJECTS = {"classify": "message_id", "batch": "deputy_id", "radar": "deputy_id"}


def _subject(job_id: str) -> dict:
    kind, _, number = job_id.partition("-")
    return {_SUBJECTS[kind]: int(number)} if kind in _SUBJECTS and number.isdigit() else {}


def snapshot(connection: redis.Redis, worker_ttl: int) -> dict:
    failed = []
    for name in queues.ALL:
        registry = queues.queue(connection, name).failed_job_registry
        for job in Job.fetch_many(registry.get_job_ids()[:50], connection=connection):
            if job is None:
                continue
            result = job.latest_result()
            error = (result.exc_string or "").strip().splitlines()[-1:] if result else []
            failed.append({"id": job.id, "queue": name, "function": job.func_name,
                           "error": error[0] if error else "", "ended_at": job.ended_at, **_subject(job.id)})
    last_runs = {}
    for name in SCHEDULED:
        raw = connection.get(LAST_RUN_KEY.format(name=name))
        last_runs[name] = json.loads(raw) if raw else None
        if last_runs[name]:
            last_runs[name]["at"] = datetime.fromisoformat(last_runs[name]["at"])
    return {
        **queues.stats(connection, worker_ttl),
        "workers_detail": [{"name": w.name, "state": w.get_state(), "job": w.get_current_job_id()}
                           for w in Worker.all(connection=connection)],
        "failed": failed,
        "last_runs": last_runs,
    }


def retry(connection: redis.Redis, job_id: str) -> bool:
    for name in queues.ALL:
        registry = queues.queue(connection, name).failed_job_registry
        if job_id in registry.get_job_ids():
            try:
                registry.requeue(job_id)
            except NoSuchJobError:
                return False
            return True
    return False
