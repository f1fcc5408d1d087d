"""RQ jobs: each takes ids, re-reads state and does nothing when its work is already done."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.channels.wechat_api import WeChatApi
from intake.models import Message, MessageStatus, utcnow
from intake.ops import metrics
from intake.services.console import exports
from intake.services.drafts import drafting
from intake.services.lifecycle.handling import rules_or_default
from intake.services.privacy import retention
from intake.services.radar import digest, district
from intake.services.reception import chat, outbound, wechat_photos
from intake.services.reminders import milestones, outbox, senders
from intake.services.report import jobs as report_jobs
from intake.services.topics import tagging
from workers import context, monitor, queues

SWEEP_BATCH = 500  # bounded, so one sweep never runs long; the next one continues
NOTICE_BATCH = 50  # citizens per run whose notices are sent


def classify_message(message_id: int) -> bool:
    runtime = context.current()
    with runtime.sessions() as session, session.begin():
        changed = tagging.tag_message(
            session, message_id, taxonomy=runtime.taxonomy, threshold=runtime.settings.classifier_threshold,
            signing_key=runtime.settings.model_signing_key,
        )
        message = session.get(Message, message_id)
        ready = changed and message.status == MessageStatus.TAGGED
        deputy_id = message.deputy_id if ready else None
    if ready:
        queues.enqueue_batch(runtime.redis, deputy_id)
    return changed


def batch_deputy(deputy_id: int) -> list[int]:
    runtime = context.current()
    with runtime.sessions() as session, session.begin():
        drafts = drafting.batch_deputy(session, deputy_id, runtime.local_tz, runtime.settings.draft_min_citizens)
    metrics.DRAFTS_CHANGED.labels("batch").inc(len(drafts))
    if drafts:
        queues.enqueue_radar(runtime.redis, deputy_id)
    return drafts


def radar_deputy(deputy_id: int) -> int:
    """The deputy's newly drafted messages onto the district's radar; 0 when they are all on it already."""
    runtime = context.current()
    with runtime.sessions() as session, session.begin():
        return district.place_deputy(session, deputy_id)


def sweep() -> dict:
    """Finish what the table says is unfinished: the database is the truth, the queue only a trigger.

    Work that has waited past the cutoff is done here, inline, whatever state its RQ job is in (a job
    hash left behind by a Redis crash, a retry whose scheduler died with its worker): tagging and
    batching are idempotent and lock their rows, so running them here as well is harmless.
    """
    runtime = context.current()
    now = utcnow()
    cutoff = now - timedelta(seconds=runtime.settings.sweep_after_seconds)
    with runtime.sessions() as session, session.begin():
        chat.finalize_abandoned(session, now - timedelta(minutes=runtime.settings.abandon_after_minutes))
        exports.fail_timed_out(session, now)
        report_jobs.fail_timed_out(session, now)
    with runtime.sessions() as session:
        stuck = session.scalars(
            select(Message.id)
            .where(Message.status == MessageStatus.RECEIVED, Message.created_at <= cutoff)
            .order_by(Message.id)
            .limit(SWEEP_BATCH)
        ).all()
    queues.reclaim_abandoned(runtime.redis)
    tagged = 0
    for message_id in stuck:
        with runtime.sessions() as session, session.begin():
            tagged += tagging.tag_message(session, message_id, taxonomy=runtime.taxonomy,
                                          threshold=runtime.settings.classifier_threshold,
                                          signing_key=runtime.settings.model_signing_key)
    with runtime.sessions() as session:
        deputies = drafting.deputies_with_pending(session)
    batched = 0
    for deputy_id in deputies:
        with runtime.sessions() as session, session.begin():
            batched += bool(drafting.batch_deputy(session, deputy_id, runtime.local_tz,
                                                  runtime.settings.draft_min_citizens))
    written = catch_up_drafts()
    with runtime.sessions() as session, session.begin():
        district.lock(session)
        radar = district.place(session, district.pending(session, limit=SWEEP_BATCH))
    summary = {"classify": tagged, "batch": batched, "drafts_written": written, "radar": radar,
               "wechat_photos": fetch_wechat_photos().get("stored", 0), "notices": deliver_due_notices()}
    monitor.note_run(runtime.redis, "sweep", summary)
    return summary


def catch_up_drafts() -> int:
    """Write the text of drafts that messages joined since it was last written (large drafts are written again
    only now and then as messages join): run by every sweep, so no draft's text lags for long."""
    runtime = context.current()
    with runtime.sessions() as session:
        deputies = drafting.deputies_behind(session)
    written = 0
    for deputy_id in deputies:
        with runtime.sessions() as session, session.begin():
            written += len(drafting.catch_up(session, deputy_id, runtime.local_tz,
                                             runtime.settings.draft_min_citizens))
    metrics.DRAFTS_CHANGED.labels("catch_up").inc(written)
    return written


def deliver_notices(citizen_id: int) -> int:
    runtime = context.current()
    with runtime.sessions() as session, session.begin():
        return outbound.deliver_pending(session, outbound.channels(runtime.settings, lambda: runtime.redis),
                                        citizen_id)


def deliver_due_notices() -> int:
    """Citizens' notices that are due: new ones, and failed sends whose back-off has passed. Bounded, since a
    send can wait seconds on WeChat: the next run continues."""
    runtime = context.current()
    with runtime.sessions() as session:
        due = outbound.citizens_due(session, limit=NOTICE_BATCH)
    return sum(deliver_notices(citizen_id) for citizen_id in due)


def export_messages(export_id: int) -> None:
    from intake.labels import MESSAGE_STATUS

    runtime = context.current()
    exports.run(runtime.sessions, export_id, runtime.local_tz, MESSAGE_STATUS, runtime.settings.export_max_rows)


def write_report(year: int) -> None:
    runtime = context.current()
    report_jobs.run(runtime.sessions, year, runtime.settings.lifecycle)


def remove_expired_personal_data() -> dict:
    """Daily: export files older than EXPORT_KEEP_DAYS, and personal data of items closed longer ago than
    RETENTION_MONTHS (0 keeps those)."""
    runtime = context.current()
    settings, now = runtime.settings, utcnow()
    with runtime.sessions() as session, session.begin():
        removed = {"exports": exports.delete_old_files(session, now, settings.export_keep_days)}
        if settings.retention_months > 0:
            removed.update(retention.remove_personal_data(session, now=now, months=settings.retention_months))
    monitor.note_run(runtime.redis, "retention", removed)
    return removed


def send_reminders() -> dict:
    """Daily: write the reminders due today (each once, however often this runs) and send the outbox."""
    runtime = context.current()
    settings, now = runtime.settings, utcnow()
    try:
        with runtime.sessions() as session, session.begin():
            made = milestones.run(session, now=now, rules=rules_or_default(settings.lifecycle),
                                  targets=milestones.Targets.of(settings))
        summary = {"reminders": made, **outbox.deliver_due(runtime.sessions, senders.configured(settings), now)}
    except Exception as exc:
        monitor.note_failure(runtime.redis, "reminders", exc)
        raise
    monitor.note_run(runtime.redis, "reminders", summary)
    return summary


def send_radar_digest() -> dict:
    """Weekly: the office's radar digest into the outbox (once a week, however often this runs), then sent."""
    runtime = context.current()
    settings, now = runtime.settings, utcnow()
    with runtime.sessions() as session, session.begin():
        queued = digest.send(session, now, settings.radar_half_life_days, milestones.Targets.of(settings),
                             settings.timezone)
    summary = {"digests": queued, **outbox.deliver_due(runtime.sessions, senders.configured(settings), now)}
    monitor.note_run(runtime.redis, "radar", summary)
    return summary


def deliver_outbox() -> dict:
    """Send the deliveries whose (next) attempt is due: retries after a failure, and those retried by hand."""
    runtime = context.current()
    return outbox.deliver_due(runtime.sessions, senders.configured(runtime.settings), utcnow())


def fetch_wechat_photos() -> dict:
    """Pictures sent to the Official Account, fetched while WeChat still keeps them (three days)."""
    runtime = context.current()
    settings = runtime.settings
    if not (settings.wechat_appid and settings.wechat_appsecret):
        return {}
    api = WeChatApi(settings.wechat_api_base, settings.wechat_appid, settings.wechat_appsecret, runtime.redis)
    return wechat_photos.fetch_all(runtime.sessions, api)
