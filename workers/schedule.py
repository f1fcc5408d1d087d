"""Periodic work, run by RQ's own cron scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import redis
from rq.cron import CronScheduler

from intake.config import RADAR_DIGEST_AT, REMINDERS_AT, RETENTION_AT, Settings
from workers import jobs, queues


def _on_server_clock(at: tuple[int, int], district: tzinfo, weekday: int | None = None) -> datetime:
    """(hour, minute) of the district's clock today, or on the coming weekday (Monday 0) if one is given, as the
    server's clock reads it: RQ's cron runs by the server's clock, which is often UTC."""
    hour, minute = at
    now = datetime.now(district)
    when = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if weekday is not None:
        when += timedelta(days=(weekday - when.weekday()) % 7)
    return when.astimezone()


def _daily(at: tuple[int, int], district: tzinfo) -> str:
    server = _on_server_clock(at, district)
    return f"{server.minute} {server.hour} * * *"


def _weekly(at: tuple[int, int], weekday: int, district: tzinfo) -> str:
    server = _on_server_clock(at, district, weekday)
    return f"{server.minute} {server.hour} * * {server.isoweekday() % 7}"


def build(connection: redis.Redis, settings: Settings, scheduler_class: type[CronScheduler] = CronScheduler):
    scheduler = scheduler_class(connection=connection)
    district = ZoneInfo(settings.timezone)
    # The sweep queues unfinished tagging and batches every deputy with new tagged messages.
    scheduler.register(jobs.sweep, queue_name=queues.DRAFTS, interval=settings.draft_batch_interval, job_timeout=300)
    # Old export files and personal data of long-closed items go once a day, at night.
    scheduler.register(jobs.remove_expired_personal_data, queue_name=queues.DRAFTS,
                       cron=_daily(RETENTION_AT, district), job_timeout=600)
    # Reminders are written once a day; running it more often or on two schedulers at once writes and sends nothing twice.
    scheduler.register(jobs.send_reminders, queue_name=queues.DRAFTS, cron=_daily(REMINDERS_AT, district),
                       job_timeout=600)
    # The office's radar digest, on Mondays; without the robot or e-mail it is on the home page.
    scheduler.register(jobs.send_radar_digest, queue_name=queues.DRAFTS, cron=_weekly(RADAR_DIGEST_AT, 0, district),
                       job_timeout=600)
    # Failed deliveries are tried again from the outbox, with back-off, and those retried on the operations page.
    scheduler.register(jobs.deliver_outbox, queue_name=queues.DRAFTS, interval=60, job_timeout=300)
    return scheduler
