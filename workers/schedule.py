"""Periodic work, run by RQ's own cron scheduler."""

from __future__ import annotations

import redis
from rq.cron import CronScheduler

from intake.config import Settings
from workers import jobs, queues


def build(connection: redis.Redis, settings: Settings) -> CronScheduler:
    scheduler = CronScheduler(connection=connection)
    # The sweep queues unfinished tagging and batches every deputy with new tagged messages.
    scheduler.register(jobs.sweep, queue_name=queues.DRAFTS, interval=settings.draft_batch_interval, job_timeout=300)
    return scheduler
