"""A handling unit's pages under /unit: the suggestions assigned to it and what it does about them."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for

from intake.services.errors import NotFound
from intake.services.lifecycle import choices, handling, views
from intake.services.reminders import inbox
from intake.web import access, files, forms, own_password, pages, uploads
from intake.web.requests import db, lifecycle_rules

bp = Blueprint("unit", __name__, url_prefix="/unit")


def allow_reply_bodies() -> None:
    """A reply's attachment may be up to 10 MB: the one unit form allowed past the app-wide 256 KB limit.

    Registered before CSRF protection, which reads the form (and would hit the small limit) first."""
    if request.endpoint == "unit.reply":
        request.max_content_length = handling.MAX_ATTACHMENT_BYTES + 64 * 1024


def _unit_id() -> int:
    return access.current_staff().unit_id


def _actor() -> str:
    return f"unit:{_unit_id()}"


@bp.post("/logout")
@access.rule(access.UNIT)
def logout():
    access.sign_out(everywhere=request.form.get("everywhere") == "1")
    return redirect(url_for("staff.login"))


@bp.route("/password", methods=["GET", "POST"])
@access.rule(access.UNIT)
def password():
    return own_password.for_staff(url_for("unit.home"), unit=choices.unit(db(), _unit_id()))


@bp.get("/")
@access.rule(access.UNIT)
def home():
    staff = access.current_staff()
    today = handling.today(lifecycle_rules())
    year = forms.number(request.args, "year")
    found = views.unit_list(db(), staff.unit_id, year=year, page=forms.number(request.args, "page") or 1)
    reminders, marked = inbox.listed_apart(inbox.for_unit(db(), staff.unit_id, today), {s.id for s in found.rows})
    order = {suggestion_id: at for at, suggestion_id in enumerate(marked)}  # what to act on first leads the list
    rows = sorted(found.rows, key=lambda s: order.get(s.id, len(order)))
    return render_template("unit/home.html", staff=staff, unit=choices.unit(db(), staff.unit_id), rows=rows,
                           found=found, year=year, years=views.unit_years(db(), staff.unit_id),
                           overdue=views.days_overdue(rows, today), reminders=reminders, marked=marked)


def _own(suggestion_id: int):
    try:
        return views.one_for_unit(db(), _unit_id(), suggestion_id)
    except NotFound:
        abort(404)


@bp.get("/suggestions/<int:suggestion_id>")
@access.rule(access.UNIT)
def suggestion(suggestion_id: int):
    staff = access.current_staff()
    found = _own(suggestion_id)
    return render_template("unit/suggestion.html", staff=staff, s=found, unit=choices.unit(db(), staff.unit_id),
                           return_days=lifecycle_rules().return_days, contact_stage=handling.STAGE_OF.get(found.status),
                           **pages.suggestion_context(db(), found))


def _act(suggestion_id: int, use_case: Callable[..., object], done: str, **given):
    """One use case on the unit's own suggestion: 404 for any other, the reason shown for a refusal."""
    _own(suggestion_id)
    here = url_for("unit.suggestion", suggestion_id=suggestion_id)
    return pages.save(lambda: use_case(db(), suggestion_id, unit_id=_unit_id(), actor=_actor(), **given), done, here,
                      page=lambda: suggestion(suggestion_id))


@bp.post("/suggestions/<int:suggestion_id>/contacts")
@access.rule(access.UNIT)
def contact(suggestion_id: int):
    return _act(suggestion_id, handling.log_contact, "沟通情况已记录。", rules=lifecycle_rules(),
                **forms.contact(request.form))


@bp.post("/suggestions/<int:suggestion_id>/opinion")
@access.rule(access.UNIT)
def opinion(suggestion_id: int):
    return _act(suggestion_id, handling.send_opinion, "协办意见已送主办单位。", text=request.form.get("text", ""))


@bp.post("/suggestions/<int:suggestion_id>/reply")
@access.rule(access.UNIT)
def reply(suggestion_id: int):
    if views.unit_role(db(), _unit_id(), suggestion_id) != "lead":
        abort(404)  # only the lead unit answers: a co-unit has no reply form, and another unit no suggestion
    too_many = uploads.refused("attachment")
    if too_many:
        return too_many
    return _act(suggestion_id, handling.submit_reply, "答复已提交，等待代表工委审核。", rules=lifecycle_rules(),
                **forms.reply(request.form, request.files.get("attachment")))


@bp.post("/suggestions/<int:suggestion_id>/return")
@access.rule(access.UNIT)
def request_return(suggestion_id: int):
    return _act(suggestion_id, handling.request_return, "退回申请已提交代表工委。", rules=lifecycle_rules(),
                reason=request.form.get("reason", ""))


@bp.post("/suggestions/<int:suggestion_id>/done")
@access.rule(access.UNIT)
def report_done(suggestion_id: int):
    return _act(suggestion_id, handling.report_done, "已报告承诺事项落实完成，代表可以看到。",
                note=request.form.get("note", ""))


@bp.get("/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment")
@access.rule(access.UNIT)
def attachment(suggestion_id: int, reply_id: int):
    return files.reply_attachment(db(), _own(suggestion_id), reply_id, views.Viewer("unit", _unit_id()))
