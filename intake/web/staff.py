"""The staff console under /staff: sign-in, the triage queue and the actions on messages."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from intake.models import DEPUTY_LEVELS, ExportJob, StaffRole, Station, as_id, utcnow
from intake.services.console import accounts, actions, audit, directory, exports, qr, triage
from intake.services.days import read_day
from intake.services.errors import DomainError, NotFound
from intake.services.lifecycle import handling
from intake.services.radar import digest
from intake.services.reception import links, photos, progress_links
from intake.services.reminders import inbox
from intake.services.reminders.milestones import Targets
from intake.web import access, confirming, files, forms, own_password, wording
from intake.web.requests import background, db, lifecycle_rules, record_id, runtime
from qrcodes import bundle

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    return access.login_form(access.STAFF, "username", accounts.authenticate_staff, "staff/login.html",
                             _home_of, "用户名或密码不对，请重新输入。", normalise=accounts.login_key)


def _home_of(user) -> str:
    return "unit.home" if user.role == StaffRole.UNIT else "staff.home"


@bp.post("/logout")
@access.rule(access.STAFF)
def logout():
    access.sign_out(everywhere=request.form.get("everywhere") == "1")
    return redirect(url_for("staff.login"))


@bp.route("/password", methods=["GET", "POST"])
@access.rule(access.STAFF)
def password():
    return own_password.for_staff(url_for("staff.home"))


def _choices(staff):
    deputies = directory.deputies_for_staff(db(), staff)
    stations = sorted({d.station for d in deputies}, key=lambda s: s.id)
    return {"deputies": deputies, "stations": stations, "topics": runtime().taxonomy.topics}


@bp.get("/")
@access.rule(access.STAFF)
def home():
    return _queue(request.args)


def _queue(args, status: int = 200):
    """The queue page; a refused action's form is shown again as it was filled in (kept.typed)."""
    staff = access.current_staff()
    filters = triage.Filters.parse(args)
    before = args.get("before", type=record_id)
    found = triage.page(db(), staff, filters, runtime().local_tz, before=before)
    office = staff.role in (StaffRole.OFFICE, StaffRole.ADMIN)
    reminders = inbox.for_office(db(), handling.today(lifecycle_rules())) if office else []
    settings = runtime().settings
    # Above the unfiltered queue, unless it is sent through the outbox.
    unfiltered = not filters.as_dict() and before is None
    weekly = (digest.for_home(db(), utcnow(), settings.radar_half_life_days, Targets.of(settings),
                                runtime().local_tz)
              if office and unfiltered else None)
    return render_template("staff/queue.html", staff=staff, filters=filters, page=found, reminders=reminders,
                           weekly=weekly, weekly_days=digest.DAYS, unreadable=_unreadable_days(), **_choices(staff)), status


def _unreadable_days() -> dict[str, str]:
    """The filter's days typed but naming no day (2026-13-45): the page says so and keeps them in their boxes, where
    they were once emptied while the list quietly showed every day."""
    typed = {name: (request.args.get(name) or "").strip() for name in ("date_from", "date_to")}
    return {name: text[:30] for name, text in typed.items() if text and read_day(text) is None}


def _back(form) -> str:
    """Where an action returns: the queue with the same filters, or the message page it was taken on."""
    if form.get("return_to", "").startswith("/staff/"):
        return form["return_to"]
    return url_for("staff.home", **triage.Filters.parse(form).as_dict())


@bp.post("/messages/actions", endpoint="actions")
@access.rule(access.STAFF)
def actions_on_messages():
    try:
        outcome = actions.carry_out(db(), access.current_staff(), forms.staff_action(request.form),
                                    runtime().taxonomy, runtime().local_tz)
    except NotFound:
        abort(404)
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return _again(request.form)
    db().commit()
    for deputy_id in outcome.deputies_to_batch:
        background().batch_deputy(deputy_id)
    for citizen_id in outcome.citizens_to_notify:
        background().deliver_notices(citizen_id)
    flash(f"已处理 {outcome.handled} 条留言。", "ok")
    return redirect(_back(request.form))


def _again(form):
    """A refused action's page shown again with the form as it was filled in (a long note is not lost to a
    redirect): the message page it came from, or the queue with its filters."""
    page = re.fullmatch(r"/staff/messages/(\d+)", form.get("return_to", ""))
    if page:
        return _message(as_id(page.group(1)) or 0, status=422)
    return _queue(form, status=422)


@bp.get("/messages/<int:message_id>")
@access.rule(access.STAFF)
def message(message_id: int):
    return _message(message_id)


def _message(message_id: int, status: int = 200):
    staff = access.current_staff()
    found = triage.visible(db(), staff, [message_id])
    if not found:
        abort(404)
    draft, draft_title = triage.in_draft(db(), message_id)
    return render_template(
        "staff/message.html", staff=staff, message=found[0], notes=triage.notes_for(db(), message_id),
        history=audit.readable(db(), triage.history(db(), found[0])),
        draft=draft, draft_title=draft_title, where=triage.whereabouts(db(), [message_id]).get(message_id),
        photos=photos.ids_by_message(db(), [message_id]).get(message_id, []), **_choices(staff),
        progress_links_live=progress_links.live(db(), message_id),
    ), status


@bp.post("/messages/<int:message_id>/progress-links/revoke")
@access.rule(access.STAFF)
def revoke_progress_links(message_id: int):
    staff = access.current_staff()
    if not triage.visible(db(), staff, [message_id]):
        abort(404)
    # a mis-tap here would leave the citizen's saved link leading nowhere
    if not confirming.ticked(request.form, "确认停用这条留言的进度链接"):
        return redirect(url_for("staff.message", message_id=message_id))
    revoked = progress_links.revoke(db(), message_id, actor=f"staff:{staff.username}")
    db().commit()
    flash(f"已停用 {revoked} 个进度链接。" if revoked else "这条留言没有有效的进度链接。", "ok")
    return redirect(url_for("staff.message", message_id=message_id))


@bp.get("/messages/<int:message_id>/photos/<int:photo_id>")
@access.rule(access.STAFF)
def message_photo(message_id: int, photo_id: int):
    visible = triage.visible(db(), access.current_staff(), [message_id])
    return files.photo(photos.photo(db(), message_id, photo_id) if visible else None)


@bp.post("/exports")
@access.rule(access.STAFF)
def export_start():
    staff = access.current_staff()
    job = exports.create(db(), staff, triage.Filters.parse(request.form))
    db().commit()
    background().export(job.id)
    return redirect(url_for("staff.export_status", export_id=job.id))


def _own_export(export_id: int) -> ExportJob:
    staff = access.current_staff()
    job = db().get(ExportJob, export_id)
    if job is None or (job.staff_id != staff.id and staff.role != StaffRole.ADMIN):
        abort(404)
    return job


@bp.get("/exports/<int:export_id>")
@access.rule(access.STAFF)
def export_status(export_id: int):
    return render_template("staff/export.html", staff=access.current_staff(), job=_own_export(export_id),
                           max_rows=runtime().settings.export_max_rows)


@bp.post("/exports/<int:export_id>/retry")
@access.rule(access.STAFF)
def export_retry(export_id: int):
    if exports.retry(db(), access.current_staff(), _own_export(export_id)):
        db().commit()
        background().export_again(export_id)
    return redirect(url_for("staff.export_status", export_id=export_id))


@bp.get("/exports/<int:export_id>.xlsx")
@access.rule(access.STAFF)
def export_download(export_id: int):
    job = _own_export(export_id)
    if job.status != "done":
        abort(404)
    day = f"{job.created_at.astimezone(runtime().local_tz):%Y-%m-%d}"
    return files.download(job.data, exports.XLSX, f"留言-{day}.xlsx", f"messages-{day}.xlsx")


@bp.get("/deputies")
@access.rule(access.STAFF)
def deputies():
    staff = access.current_staff()
    scans = links.scan_totals(db())
    rows = [
        (d, links.citizen_url(runtime().settings.base_url, d.current_link.slug) if d.current_link else None,
         scans.get(d.id, 0))
        for d in directory.deputies_for_staff(db(), staff)
    ]
    base_url = runtime().settings.base_url
    return render_template("staff/deputies.html", staff=staff, rows=rows,
                           stations=directory.stations(db()), levels=DEPUTY_LEVELS,
                           unreachable=base_url if qr.phones_cannot_reach(base_url) else None)


_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@bp.get("/deputies/<int:deputy_id>/qrcode.<fmt>")
@access.rule(access.STAFF)
def deputy_qrcode(deputy_id: int, fmt: str):
    staff = access.current_staff()
    if fmt not in _MIME or directory.deputy_for_staff(db(), staff, deputy_id) is None:
        abort(404)
    found = qr.entries(db(), runtime().settings.base_url, [deputy_id])
    if not found:
        abort(404)
    name, data = next(bundle.deputy_files(found[0], [fmt]))
    plain = f"poster-{found[0].number:04d}.pdf" if fmt == "pdf" else f"qrcode-{found[0].number:04d}.{fmt}"
    return files.download(data, _MIME[fmt], name, plain)


@bp.get("/qrcodes.zip")
@access.rule(access.STAFF)
def qrcodes_zip():
    staff = access.current_staff()
    scope = directory.station_scope(staff)
    entries = qr.entries(db(), runtime().settings.base_url, station_id=scope)
    found = [f for e in entries for f in bundle.deputy_files(e, bundle.FORMATS)]
    data = bundle.zip_bytes(found + list(bundle.contact_sheets(entries)))
    station = db().get(Station, scope) if scope is not None else None
    return files.download(data, "application/zip", f"{station.name}-代表二维码.zip" if station else "代表二维码.zip",
                          "qrcodes.zip")

