"""Prometheus metrics: counters and histograms the processes update, gauges read from Redis and the database
when scraped. With PROMETHEUS_MULTIPROC_DIR set (gunicorn, `mashang up`, containers) every process writes its
numbers to files there and /metrics adds them up."""

from __future__ import annotations

import os
import socket
from datetime import datetime

import redis
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               generate_latest, values)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from intake.models import Draft, Message, MessageStatus, utcnow
from intake.runtime import Runtime

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Every metric has labels, so its values are made on first use, after configure() chose where they live.
REQUESTS = Counter("mashang_http_requests_total", "HTTP requests by route and status", ["route", "method", "status"])
LATENCY = Histogram("mashang_http_request_duration_seconds", "HTTP request latency", ["route"])
CHAT_TURNS = Counter("mashang_chat_turns_total", "Citizen chat turns answered", ["channel"])
MESSAGES_STORED = Counter("mashang_messages_stored_total", "Citizen messages stored", ["channel"])
JOB_DURATION = Histogram("mashang_job_duration_seconds", "Background job run time", ["job"],
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 1800))
JOB_FAILURES = Counter("mashang_job_failures_total", "Background job runs that failed", ["job"])
DRAFTS_CHANGED = Counter("mashang_drafts_changed_total", "Drafts made or grown by batching", ["source"])


def _process_id() -> str:
    # Host and pid: processes in different containers sharing one metrics volume never share a file.
    return f"{socket.gethostname()}-{os.getpid()}"


def configure(directory) -> None:
    """Write values to files in `directory` (None: keep them in this process)."""
    if directory is None:
        return
    os.makedirs(directory, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    values.ValueClass = values.MultiProcessValue(process_identifier=_process_id)


class _LiveState:
    """Queue depths, live workers, drafts by status and the age of the oldest message still waiting for tagging."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def collect(self):
        from workers import queues

        depth = GaugeMetricFamily("mashang_queue_jobs", "Jobs waiting or failed per queue", labels=["queue", "state"])
        workers = GaugeMetricFamily("mashang_workers", "Live background workers")
        try:
            stats = queues.stats(self.runtime.redis, self.runtime.settings.worker_ttl)
            for name, counts in stats["queues"].items():
                for state, count in counts.items():
                    depth.add_metric([name, state], count)
            workers.add_metric([], stats["workers"])
        except (redis.RedisError, OSError):
            pass
        yield depth
        yield workers
        oldest = GaugeMetricFamily("mashang_oldest_unprocessed_message_age_seconds",
                                   "Age of the oldest message not yet tagged (0 when none waits)")
        drafts = GaugeMetricFamily("mashang_drafts", "Drafts (and groups still collecting) by status",
                                   labels=["status"])
        try:
            with self.runtime.sessions() as session:
                first: datetime | None = session.scalar(
                    select(func.min(Message.created_at)).where(Message.status == MessageStatus.RECEIVED))
                by_status = session.execute(select(Draft.status, func.count()).group_by(Draft.status)).all()
            oldest.add_metric([], (utcnow() - first).total_seconds() if first else 0.0)
            for status, count in by_status:
                drafts.add_metric([status], count)
        except SQLAlchemyError:
            pass
        yield oldest
        yield drafts


def exposition(runtime: Runtime) -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    live = CollectorRegistry()
    live.register(_LiveState(runtime))
    return generate_latest(counted) + generate_latest(live)
