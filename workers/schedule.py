"""Periodic work, run by RQ's own cron scheduler."""

from __future__ import annotations

import redis
from rq.cron import CronScheduler

from intake.config import REMINDERS_AT, RETENTION_AT, Settings
from workers import jobs, queues


def _daily(at: tuple[int, int]) -> str:
    """The cron line of a job run daily at (hour, minute) by the server clock."""
    hour, minute = at
    return f"{minute} {hour} * * *"


def build(connection: redis.Redis, settings: Settings, scheduler_class: type[CronScheduler] = CronScheduler):
    scheduler = scheduler_class(connection=connection)
    # The sweep queues unfinished tagging and batches every deputy with new tagged messages.
    scheduler.register(jobs.sweep, queue_name=queues.DRAFTS, interval=settings.draft_batch_interval, job_timeout=300)
    # Old export files and personal data of long-closed items go once a day, at RETENTION_AT by the server clock.
    scheduler.register(jobs.remove_expired_personal_data, queue_name=queues.DRAFTS, cron=_daily(RETENTION_AT),
                       job_timeout=600)
    # Reminders are written once a day, at REMINDERS_AT by the server clock (09:07 in Beijing on a UTC server);
    # running it more often or on two schedulers at once writes and sends nothing twice.
    scheduler.register(jobs.send_reminders, queue_name=queues.DRAFTS, cron=_daily(REMINDERS_AT), job_timeout=600)
    # The office's radar digest, Mondays at 01:13 by the server clock; without the robot or e-mail it is on the home page.
    scheduler.register(jobs.send_radar_digest, queue_name=queues.DRAFTS, cron="13 1 * * 1", job_timeout=600)
    # Failed deliveries are tried again from the outbox, with back-off, and those retried on the operations page.
    scheduler.register(jobs.deliver_outbox, queue_name=queues.DRAFTS, interval=60, job_timeout=300)
    return scheduler
