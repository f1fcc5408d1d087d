"""The deputy's desk: problems still collecting, and drafts made from them or from ticked messages."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from intake.models import as_id
from intake.services.drafts import desk, drafting, invitations, review
from intake.services.drafts.composing import citizen_count
from intake.services.reception import photos
from intake.services.errors import Conflict, DomainError, NotFound
from intake.web import access, wording
from intake.web import deputy as deputy_pages
from intake.web.requests import db, record_id, runtime

bp = Blueprint("deputy_desk", __name__, url_prefix="/deputy")


@bp.get("/groups")
@access.rule(access.DEPUTY)
def groups():
    deputy = access.current_deputy()
    found = desk.collecting(db(), deputy.id, request.args.get("page", 1, type=record_id))
    return render_template("deputy/groups.html", deputy=deputy, groups=found,
                           echoes=desk.echoes(db(), deputy.id, [line.group for line in found.lines]))


@bp.get("/groups/<int:group_id>")
@access.rule(access.DEPUTY)
def group(group_id: int):
    deputy = access.current_deputy()
    try:
        found = desk.group_of(db(), deputy.id, group_id)
    except NotFound:
        return _gone(group_id)
    echo = desk.echoes(db(), deputy.id, [found]).get(found.id, desk.Echo())
    messages = desk.messages_of(found)
    return render_template("deputy/group.html", deputy=deputy, group=found, label=desk.label_of(db(), found),
                           messages=messages, citizens=citizen_count(found), echo=echo,
                           photos=photos.ids_by_message(db(), [m.id for m in messages]))


def _gone(group_id: int):
    """A group made into a draft since (by the deputy elsewhere, or by enough citizens) leads to the draft."""
    if drafting.draft_of(db(), access.current_deputy().id, group_id) is None:
        abort(404)
    return redirect(url_for("deputy.draft", draft_id=group_id))


@bp.post("/groups/<int:group_id>/draft")
@access.rule(access.DEPUTY)
def draft_from_group(group_id: int):
    deputy = access.current_deputy()
    invite = request.form.get("invite") == "yes"
    try:
        made = desk.draft_from_group(db(), deputy.id, group_id, runtime().local_tz, invite=invite)
    except NotFound:
        db().rollback()
        return _gone(group_id)
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return redirect(url_for("deputy_desk.groups"))
    db().commit()
    flash("已整理成建议草稿，请审阅。" + ("同站代表已被列为附议代表。" if invite else ""), "ok")
    return redirect(url_for("deputy.draft", draft_id=made.id))


def _ticked() -> list[int]:
    return [n for n in map(as_id, request.form.getlist("messages")) if n]


def _shown() -> dict[int, int | None]:
    """Where the page showed each tickable message (its `shown` fields, message:group), to tell a form sent twice."""
    shown = {}
    for value in request.form.getlist("shown"):
        message_id, _, draft_id = value.partition(":")
        if as_id(message_id):
            shown[as_id(message_id)] = as_id(draft_id)
    return shown


def _on_messages(change, done: str, refused_as: str, target: int | None = None):
    """Run a change to ticked messages. A refusal (nothing ticked, a message no longer the deputy's, a draft
    submitted meanwhile) answers with the messages page as it was, the ticks kept and the reason said under
    `refused_as` (无法新建草稿), as 422: the form was read and refused, and a redirect would lose the ticks. Messages
    moved since the page showed them (the form sent twice) answer 409 with the list as it is now, ticks cleared."""
    try:
        result = change()
    except Conflict as conflict:
        db().rollback()
        flash(f"{refused_as}：{wording.of(conflict)}", "error")
        return deputy_pages.messages_page(_back_args()), 409
    except DomainError as refused:
        db().rollback()
        # Another deputy's message or draft reads as one gone from this deputy's list: nothing of it is shown.
        reason = {"message": "ticked_gone", "draft": "draft_target_closed"}.get(refused.code) \
            if isinstance(refused, NotFound) else None
        flash(f"{refused_as}：{wording.sentence(reason) if reason else wording.of(refused)}", "error")
        page = deputy_pages.messages_page(_back_args(), ticked=frozenset(_ticked()), target=target)
        return page, 422
    db().commit()
    flash(done, "ok")
    return redirect(url_for("deputy.draft", draft_id=result.id))


def _back_args() -> MultiDict:
    """The search and page of the list the form was sent from (its `back`), to show that list again."""
    back = request.form.get("back") or ""
    parts = urlsplit(back)
    if not _local(back) or parts.path != url_for("deputy.messages"):
        return MultiDict()
    return MultiDict(parse_qsl(parts.query))


def _local(path: str | None) -> bool:
    return bool(path) and access.safe_next(path, "") == path and path.startswith("/deputy/")


@bp.post("/messages/draft")
@access.rule(access.DEPUTY)
def draft_from_messages():
    deputy, chosen = access.current_deputy(), _ticked()
    return _on_messages(lambda: desk.draft_from_messages(db(), deputy.id, chosen, runtime().local_tz, _shown()),
                        "已用勾选的留言整理成一份新草稿，请审阅。", "无法新建草稿")


@bp.post("/messages/add")
@access.rule(access.DEPUTY)
def add_to_draft():
    deputy, chosen = access.current_deputy(), _ticked()
    target = request.form.get("draft", type=record_id)
    return _on_messages(lambda: desk.add_to_draft(db(), deputy.id, target, chosen, runtime().local_tz, _shown()),
                        "已把勾选的留言加入这份草稿。", "无法加入草稿", target)


@bp.post("/drafts/<int:draft_id>/invite")
@access.rule(access.DEPUTY)
def invite(draft_id: int):
    asked = review.DraftRequest(access.current_deputy().id, draft_id, request.form.get("version", type=record_id) or 0)
    try:
        desk.invite_colleagues(db(), asked)
    except NotFound:
        abort(404)
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return redirect(url_for("deputy.draft", draft_id=draft_id))
    db().commit()
    flash("已邀请同站代表附议。", "ok")
    return redirect(url_for("deputy.draft", draft_id=draft_id))


@bp.get("/invitations/<int:draft_id>")
@access.rule(access.DEPUTY)
def invitation(draft_id: int):
    """The draft a colleague asks the deputy to co-sign, to read before answering: its text, not its citizens'
    messages, which were written to the lead deputy."""
    try:
        asked = invitations.asking(db(), access.current_deputy().id, draft_id)
    except NotFound:
        abort(404)
    return render_template("deputy/invitation.html", deputy=access.current_deputy(), invitation=asked,
                           draft=asked.draft, sections=review.SECTIONS)


@bp.post("/invitations/<int:draft_id>")
@access.rule(access.DEPUTY)
def answer_invitation(draft_id: int):
    """A colleague's invitation to co-sign their draft, confirmed or declined from the home page."""
    reply = request.form.get("answer", "")
    try:
        invitations.answer(db(), access.current_deputy().id, draft_id, reply)
    except NotFound:
        abort(404)
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return redirect(url_for("deputy.home"))
    db().commit()
    flash("您已同意附议。" if reply == "cosign" else "您已不再是附议代表。", "ok")
    return redirect(url_for("deputy.home"))
