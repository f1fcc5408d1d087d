"""Named queues and the one way each job is enqueued, with ids derived from the work."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from functools import lru_cache

import redis
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import now
from rq.worker import WorkerStatus

from intake.ops import request_ids

from intake.services.console import exports
from intake.services.report import jobs as report_jobs

INTAKE = "intake"
DRAFTS = "drafts"
ALL = (INTAKE, DRAFTS)

log = logging.getLogger(__name__)

_DONE = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def queue(connection: redis.Redis, name: str) -> Queue:
    return Queue(name, connection=connection)


def _orphaned(job: Job, q: Queue) -> bool:
    """A job hash that claims to wait or run but sits in no queue or registry: left behind when Redis
    was killed between two writes. Nothing would ever run it, so it must not block a new enqueue."""
    status = job.get_status()
    if status == JobStatus.QUEUED:
        return q.connection.lpos(q.key, job.id) is None
    if status == JobStatus.STARTED:
        return job.id not in q.started_job_registry.get_job_ids()
    if status == JobStatus.SCHEDULED:
        return job.id not in q.scheduled_job_registry.get_job_ids()
    return False


# RQ's unique enqueue takes two round trips (naming the queue in its set, then a check-save-push script);
# every confirmed chat turn enqueues, so this script does both in one: the same keys, the same job hash.
_ENQUEUE_UNIQUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SADD', KEYS[3], KEYS[2])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
"""


@lru_cache(maxsize=16)
def _unique_script(connection: redis.Redis):
    return connection.register_script(_ENQUEUE_UNIQUE)


def _enqueue_new(q: Queue, func: str, *args, job_id: str, job_timeout: int, **options) -> bool:
    """Enqueue as RQ's `enqueue(..., unique=True)` does, in one round trip; False when the id is taken."""
    job = q.create_job(func, args=args, job_id=job_id, timeout=job_timeout, status=JobStatus.QUEUED, **options)
    job.origin = q.name
    job.enqueued_at = now()
    job.redis_server_version = q.get_redis_server_version()
    fields = []
    for name, value in job.to_dict().items():
        if value is not None:
            fields += [name, value if isinstance(value, (bytes, str)) else str(value)]
    added = _unique_script(q.connection)(keys=[job.key, q.key, q.redis_queues_keys],
                                         args=[job.id, job.ttl or -1, *fields])
    return added == 1


def _enqueue_once(q: Queue, func: str, *args, job_id: str, replace_done: bool, **options) -> bool:
    """Enqueue unless a job with this id is already waiting or running; True when a job was added.

    A finished or failed job with this id is replaced only when `replace_done`; an orphaned one always.
    """
    # The request (or job) that asked for this work, so its log lines can be followed into the job's.
    options.setdefault("meta", {"request_id": request_ids.current()})
    if _enqueue_new(q, func, *args, job_id=job_id, **options):
        return True
    try:
        existing = Job.fetch(job_id, connection=q.connection)
    except NoSuchJobError:
        existing = None
    if existing is not None:
        done = existing.get_status() in _DONE
        if not ((done and replace_done) or _orphaned(existing, q)):
            return False
        existing.delete()
    return _enqueue_new(q, func, *args, job_id=job_id, **options)


def enqueue_classify(connection: redis.Redis, message_id: int) -> bool:
    # A message whose tagging keeps failing stays in the failed registry for staff to see and retry.
    return _enqueue_once(
        queue(connection, INTAKE),
        "workers.jobs.classify_message",
        message_id,
        job_id=f"classify-{message_id}",
        replace_done=False,
        retry=Retry(max=3, interval=[5, 30, 120]),
        job_timeout=30,
    )


def enqueue_batch(connection: redis.Redis, deputy_id: int) -> bool:
    # One batch job per deputy at a time; a finished one is replaced so new messages get batched.
    return _enqueue_once(
        queue(connection, DRAFTS),
        "workers.jobs.batch_deputy",
        deputy_id,
        job_id=f"batch-{deputy_id}",
        replace_done=True,
        retry=Retry(max=3, interval=[5, 30, 120]),
        job_timeout=120,
    )


def enqueue_radar(connection: redis.Redis, deputy_id: int) -> bool:
    # After a deputy's batch: its drafted messages onto the district's radar, one job per deputy at a time.
    return _enqueue_once(
        queue(connection, DRAFTS),
        "workers.jobs.radar_deputy",
        deputy_id,
        job_id=f"radar-{deputy_id}",
        replace_done=True,
        retry=Retry(max=3, interval=[5, 30, 120]),
        job_timeout=120,
    )


def live_workers(connection: redis.Redis, worker_ttl: int) -> list[Worker]:
    """Workers with a fresh heartbeat: a registration left by a killed or stopped worker does not count.

    An idle worker heartbeats every `worker_ttl` - 15 s (RQ blocks that long for a job), so one silent for
    longer is stopped or dead. A busy one heartbeats as its job starts and its key lives for the job's
    timeout plus a minute: it counts while that key lasts."""
    now = datetime.now(timezone.utc)
    return [w for w in Worker.all(connection=connection)
            if w.last_heartbeat is not None
            and ((now - w.last_heartbeat).total_seconds() <= worker_ttl or w.get_state() == WorkerStatus.BUSY)]


def stats(connection: redis.Redis, worker_ttl: int) -> dict:
    """Queue depths, failed jobs and live workers; raises redis errors when Redis is down."""
    depths = {}
    for name in ALL:
        q = queue(connection, name)
        depths[name] = {"queued": q.count, "failed": q.failed_job_registry.count}
    return {"workers": len(live_workers(connection, worker_ttl)), "queues": depths}


def enqueue_after_commit(connection: redis.Redis, message_id: int) -> bool:
    """Called by intake once the message is committed; Redis being down loses nothing (the sweep retries)."""
    try:
        return enqueue_classify(connection, message_id)
    except redis.RedisError as exc:
        log.warning("message %s stored but not queued (%s); the sweep will queue it", message_id, exc)
        return False


def enqueue_wechat_photos(connection: redis.Redis) -> bool:
    """After a WeChat picture is stored; Redis being down loses nothing (the sweep fetches them too)."""
    try:
        return _enqueue_once(queue(connection, INTAKE), "workers.jobs.fetch_wechat_photos", job_id="wechat-photos",
                             replace_done=True, retry=Retry(max=3, interval=[10, 60, 300]), job_timeout=120)
    except redis.RedisError as exc:
        log.warning("WeChat pictures not queued (%s); the sweep will fetch them", exc)
        return False


def enqueue_notices(connection: redis.Redis, citizen_id: int) -> bool:
    """After staff committed notices for the citizen; Redis being down loses nothing (shown on the next visit)."""
    try:
        return _enqueue_once(queue(connection, INTAKE), "workers.jobs.deliver_notices", citizen_id,
                             job_id=f"notices-{citizen_id}", replace_done=True, job_timeout=60)
    except redis.RedisError as exc:
        log.warning("notices of citizen %s not queued (%s); they are shown on the next visit", citizen_id, exc)
        return False


def enqueue_due_notices(connection: redis.Redis) -> bool:
    """After a suggestion's step queued notices; Redis being down loses nothing (the sweep sends them)."""
    try:
        return _enqueue_once(queue(connection, INTAKE), "workers.jobs.deliver_due_notices", job_id="notices-due",
                             replace_done=True, job_timeout=300)
    except redis.RedisError as exc:
        log.warning("due notices not queued (%s); the sweep will send them", exc)
        return False


def enqueue_export(connection: redis.Redis, export_id: int, again: bool = False) -> bool:
    """`again`: staff restart an export the database marks failed; its old job, even one still listed as
    running by a worker that died, is dropped. A done export's job returns at once if run again."""
    if again:
        try:
            Job.fetch(f"export-{export_id}", connection=connection).delete()
        except NoSuchJobError:
            pass
    return _enqueue_once(queue(connection, DRAFTS), "workers.jobs.export_messages", export_id,
                         job_id=f"export-{export_id}", replace_done=True, job_timeout=exports.TIMEOUT_SECONDS)


def enqueue_report(connection: redis.Redis, year: int) -> bool:
    """The database says the report is queued: any older job of the year, even one a dead worker still
    lists as running, is dropped (the sweep has marked that report failed before the office could ask again).
    Redis being down: the report waits as queued until the sweep marks it failed, then the office asks again."""
    try:
        try:
            Job.fetch(f"report-{year}", connection=connection).delete()
        except NoSuchJobError:
            pass
        return _enqueue_once(queue(connection, DRAFTS), "workers.jobs.write_report", year, job_id=f"report-{year}",
                             replace_done=True, job_timeout=report_jobs.TIMEOUT_SECONDS)
    except redis.RedisError as exc:
        log.warning("report of %s not queued (%s)", year, exc)
        return False


def reclaim_abandoned(connection: redis.Redis, overdue_after: int = 30) -> None:
    """RQ's own recovery, run now rather than at a worker's next maintenance round (up to 10 minutes):
    jobs whose worker died are retried, and retries whose scheduler died with its worker are queued.
    The jobs are idempotent, so a retry that the scheduler also queues runs twice harmlessly."""
    cutoff = int(time.time()) - overdue_after
    for name in ALL:
        q = queue(connection, name)
        q.started_job_registry.cleanup()
        registry = q.scheduled_job_registry
        for job in Job.fetch_many(registry.get_jobs_to_schedule(cutoff), connection=connection):
            if job is not None:
                registry.remove(job)
                q.enqueue_job(job)
