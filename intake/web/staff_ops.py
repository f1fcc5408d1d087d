"""Operations and the audit log in the staff console: queues, workers, failed jobs, scheduled runs."""

from __future__ import annotations

from datetime import datetime

import redis
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from intake.config import REMINDERS_AT, RETENTION_AT
from intake.models import StaffRole, utcnow
from intake.services.console import audit, directory
from intake.services.errors import NotFound
from intake.services.plain_text import writable
from intake.services.reminders import failures, milestones, outbox
from intake.services.topics import in_use
from intake.web import access
from intake.web.requests import background, db, runtime

bp = Blueprint("staff_ops", __name__, url_prefix="/staff")


@bp.get("/operations")
@access.rule(access.STAFF)
def operations():
    staff = access.current_staff()
    try:
        state = background().snapshot()
        error = None
    except redis.RedisError as exc:
        state, error = None, f"Redis 不可用：{type(exc).__name__}"
    if state is not None:
        state["failed"] = directory.failed_jobs_for(db(), staff, state["failed"])
    deliveries = outbox.unsent(db()) if staff.role != StaffRole.STATION else []
    return render_template("staff/operations.html", staff=staff, state=state, error=error, deliveries=deliveries,
                           failures={d.id: failures.explain(d.last_error) for d in deliveries},
                           sweep_every=_every(runtime().settings.draft_batch_interval), model=in_use.model_in_use(db()),
                           reminders_at=_clock(REMINDERS_AT), retention_at=_clock(RETENTION_AT),
                           **_reminders_run(state, milestones.last_written(db())))


def _every(seconds: int) -> str:
    """How often the sweep runs, as a clerk says it: 每分钟, 每 5 分钟, 每 90 秒."""
    if seconds == 60:
        return "每分钟"
    return f"每 {seconds // 60} 分钟" if seconds % 60 == 0 else f"每 {seconds} 秒"


def _clock(at: tuple[int, int]) -> str:
    hour, minute = at
    return f"{hour:02d}:{minute:02d}"


def _reminders_run(state: dict | None, written: datetime | None) -> dict:
    """The reminder job's last run as its record (in Redis) tells it, unless the reminders in the database are newer:
    a record lost with Redis, or left from an earlier run, must not say 还没有运行过 above what the run wrote. The
    record's time has whole seconds."""
    run = state["last_runs"].get("reminders") if state else None
    if run and written and run["at"] < written.replace(microsecond=0):
        run = None
    return {"reminders_run": run, "reminders_written": written}


@bp.post("/operations/failed/<job_id>/retry")
@access.rule(access.OFFICE)
def retry(job_id: str):
    if not background().retry_failed(job_id):
        abort(404)
    audit.record(db(), f"staff:{access.current_staff().username}", "retry_job", f"job:{job_id}")
    db().commit()
    flash(f"已把工作 {job_id} 重新交给后台整理程序。", "ok")
    return redirect(url_for("staff_ops.operations"))


@bp.post("/operations/deliveries/<int:delivery_id>/retry")
@access.rule(access.OFFICE)
def retry_delivery(delivery_id: int):
    try:
        outbox.retry(db(), delivery_id, now=utcnow(), actor=f"staff:{access.current_staff().username}")
    except NotFound:
        abort(404)
    db().commit()
    flash("已重新排队，稍后发送。", "ok")
    return redirect(url_for("staff_ops.operations"))


@bp.get("/audit")
@access.rule(access.OFFICE)
def audit_log():
    query = writable(request.args.get("q", ""))[:100]  # PostgreSQL refuses a NUL in a parameter
    entries, more = audit.search(db(), query)
    return render_template("staff/audit.html", staff=access.current_staff(), entries=audit.readable(db(), entries),
                           query=query, more=more, shown=audit.SHOWN)
