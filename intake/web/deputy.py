"""The deputy's pages: sign in, their drafts and the messages behind them — nobody else's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from intake.models import as_id, stages
from intake.services.console import accounts
from intake.services.drafts import desk, documents, drafting, invitations, overview, review
from intake.services.errors import DomainError, DraftConflict, NotFound
from intake.services.lifecycle import choices, handling
from intake.services.plain_text import writable
from intake.services.reminders import inbox
from intake.services.radar import ranking
from intake.services.reception import photos
from intake.web import access, files, own_password, wording
from intake.web.requests import db, lifecycle_rules, record_id, runtime

bp = Blueprint("deputy", __name__, url_prefix="/deputy")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BY_LINK = "by_link"  # this sign-in came by a one-time link
MERGED = "您打开的草稿已并入这份草稿，它的留言都在这里。"


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    return access.login_form(access.DEPUTY, "phone", accounts.authenticate_deputy, "deputy/login.html",
                             "deputy.home", "手机号或密码不对，请重新输入。", accounts.normalise_phone)


@bp.route("/signin/<token>", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def sign_in_link(token: str):
    # Opening the link only shows a button: link previews in chat apps must not use up the one sign-in.
    if request.method == "GET":
        valid = accounts.sign_in_link_valid(db(), token)
        return _link_page(token, valid), 200 if valid else 410
    if access.login_blocked("deputy-link"):
        return render_template("deputy/signin_link.html", valid=False, error=access.LOCKED_MESSAGE), 429
    deputy = accounts.redeem_sign_in_link(db(), token)
    db().commit()
    if deputy is None:
        access.login_failed("deputy-link")
        return _link_page(token, False), 410
    access.sign_in(access.DEPUTY, deputy)
    session[BY_LINK] = True  # until a password is set in this sign-in (a fresh session then)
    # Without a password the link is the only way in: the first screen offers to set one (skippable).
    return redirect(url_for("deputy.home" if deputy.password_hash else "deputy.password"))


def _link_page(token: str, valid: bool) -> str:
    return render_template("deputy/signin_link.html", valid=valid,
                           used_at=None if valid else accounts.sign_in_link_used_at(db(), token))


def _password_from_before(deputy) -> bool:
    """Signed in by a link though the account has a password: one they forgot, or one someone else set with a link
    meant for them (the page tells them to have staff clear it)."""
    return bool(session.get(BY_LINK) and deputy.password_hash)


@bp.route("/password", methods=["GET", "POST"])
@access.rule(access.DEPUTY)
def password():
    deputy = access.current_deputy()
    told = own_password.CHANGED if deputy.password_hash else "已设置登录密码，以后可以用手机号和这个密码登录。"
    return own_password.form(access.DEPUTY, deputy, f"{access.DEPUTY}:{deputy.phone or deputy.id}",
                             "deputy/password.html", url_for("deputy.home"), told, deputy=deputy)


@bp.post("/logout")
@access.rule(access.DEPUTY)
def logout():
    access.sign_out(everywhere=request.form.get("everywhere") == "1")
    return redirect(url_for("deputy.login"))


@bp.get("/")
@access.rule(access.DEPUTY)
def home():
    deputy = access.current_deputy()
    lines = overview.draft_lines(db(), deputy.id)
    groups = desk.collecting(db(), deputy.id, page_size=desk.HOME_GROUPS)
    shared = [line.draft for line in lines if stages.editable(line.draft.status)] + [line.group for line in groups.lines]
    to_rate = choices.awaiting_rating(db(), deputy.id)
    asked, declined = invitations.waiting(db(), deputy.id), invitations.declined_by(db(), deputy.id)
    reminders, waiting_long = inbox.rating_apart(inbox.for_deputy(db(), deputy.id, handling.today(lifecycle_rules())),
                                                 {s.id for s in to_rate})
    return render_template("deputy/home.html", deputy=deputy, counts=overview.counts(db(), deputy), lines=lines,
                           groups=groups, echoes=desk.echoes(db(), deputy.id, shared),
                           to_rate=to_rate, waiting_long=waiting_long, reminders=reminders,
                           invitations=asked, declined=declined, password_from_before=_password_from_before(deputy),
                           invited_counts=invitations.message_counts(db(), asked + declined))


def _own_draft(draft_id: int):
    found = drafting.draft_of(db(), access.current_deputy().id, draft_id)
    if found is None:
        abort(404)
    return found


def _draft_page(found, last_viewed=None, status: int = 200):
    deputy = access.current_deputy()
    echo = desk.echoes(db(), deputy.id, [found]).get(found.id) if stages.editable(found.status) else None
    return render_template(
        "deputy/draft.html", deputy=deputy, draft=found, last_viewed=last_viewed,
        sections=review.SECTIONS,
        by_id={m.id: m for m in found.messages},
        photos=photos.ids_by_message(db(), [m.id for m in found.messages]),
        others=overview.other_open_drafts(db(), deputy.id, found.id) if stages.editable(found.status) else [],
        choices=overview.cosigner_choices(db(), deputy.id) if stages.editable(found.status) else [],
        echo=echo, declined=invitations.declined(found),
        district_others=ranking.others_on_problem(db(), found.id, besides=echo.deputies if echo else []),
    ), status


@bp.get("/drafts/<int:draft_id>")
@access.rule(access.DEPUTY)
def draft(draft_id: int):
    found = drafting.draft_of(db(), access.current_deputy().id, draft_id)
    if found is None:
        target = drafting.merged_into(db(), access.current_deputy().id, draft_id)
        if target is None:
            abort(404)
        flash(MERGED, "ok")
        return redirect(url_for("deputy.draft", draft_id=target))
    last_viewed = drafting.mark_viewed(db(), found)
    page = _draft_page(found, last_viewed)  # rendered before the commit, which would expire what it loaded
    db().commit()
    return page


def _change(draft_id: int, change, done: str, section: str | None = None, text: str | None = None):
    """Run one change to a draft: 404 for someone else's, a clear message for a refusal or a conflict."""
    asked = review.DraftRequest(access.current_deputy().id, draft_id, request.form.get("version", type=record_id) or 0,
                                section, text)
    try:
        result = change(asked)
    except NotFound:
        abort(404)
    except DraftConflict as conflict:
        db().commit()  # what the deputy wrote, kept in the draft's 修改记录
        flash(wording.of(conflict), "error")
        return _draft_page(_own_draft(draft_id), status=409)  # the box sent shows what was written (kept.typed)
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return _draft_page(_own_draft(draft_id), status=422)  # the form sent shows what was typed (kept.typed)
    db().commit()
    flash(done, "ok")
    return redirect(url_for("deputy.draft", draft_id=result.id))


@bp.post("/drafts/<int:draft_id>/sections/<section>")
@access.rule(access.DEPUTY)
def edit_section(draft_id: int, section: str):
    return _change(draft_id, lambda asked: review.edit_section(db(), asked), "已保存修改。", section,
                   request.form.get("text", ""))


@bp.post("/drafts/<int:draft_id>/merge")
@access.rule(access.DEPUTY)
def merge(draft_id: int):
    other = request.form.get("other", type=record_id) or 0
    return _change(draft_id, lambda asked: review.merge(db(), asked, other, runtime().local_tz),
                   "已合并，两份草稿的留言都在这里。正文按这份草稿；"
                   "另一份草稿里您改过的文字（如有）在下方“修改记录”里。")


@bp.post("/drafts/<int:draft_id>/messages/<int:message_id>/move-out")
@access.rule(access.DEPUTY)
def move_out(draft_id: int, message_id: int):
    return _change(draft_id, lambda asked: review.move_out(db(), asked, message_id, runtime().local_tz),
                   "已把这条留言移出，另起一份草稿（就是本页）。")


@bp.post("/drafts/<int:draft_id>/cosigners")
@access.rule(access.DEPUTY)
def cosigners(draft_id: int):
    chosen = [n for n in map(as_id, request.form.getlist("cosigners")) if n]
    return _change(draft_id, lambda asked: invitations.choose(db(), asked, chosen), "附议代表已更新。")


@bp.post("/drafts/<int:draft_id>/names")
@access.rule(access.DEPUTY)
def names(draft_id: int):
    shown = request.form.get("shown") == "yes"
    return _change(draft_id, lambda asked: review.show_names(db(), asked, shown),
                   "已显示留言中提到的他人姓名。" if shown else "已隐去留言中提到的他人姓名。")


@bp.post("/drafts/<int:draft_id>/approve")
@access.rule(access.DEPUTY)
def approve(draft_id: int):
    if request.form.get("confirm") != "yes":  # approving cannot be undone: never on one tap
        _own_draft(draft_id)  # another deputy's draft is not found, confirmed or not
        flash(wording.sentence("confirm_approval"), "error")
        return redirect(url_for("deputy.draft", draft_id=draft_id, _anchor="approve-step"))
    return _change(draft_id, lambda asked: review.approve(db(), asked), "已提交代表工委。可以下载建议文档（Word）留存。")


@bp.post("/drafts/<int:draft_id>/discard")
@access.rule(access.DEPUTY)
def discard(draft_id: int):
    reason = request.form.get("reason", "")
    return _change(draft_id, lambda asked: review.discard(db(), asked, reason), "已放弃这份草稿。")


@bp.get("/drafts/<int:draft_id>/document")
@access.rule(access.DEPUTY)
def draft_document(draft_id: int):
    found = _own_draft(draft_id)
    kind, plain = ("代表建议", "suggestion") if stages.submitted(found.status) else ("代表建议草稿", "draft")
    return files.download(documents.draft_document(found, runtime().local_tz), DOCX, f"{kind}-{found.id}.docx",
                          f"{plain}-{found.id}.docx")


@bp.get("/messages")
@access.rule(access.DEPUTY)
def messages():
    page = messages_page(request.args, seen=True)
    db().commit()
    return page


def messages_page(args, seen: bool = False, ticked: frozenset[int] = frozenset(), target: int | None = None) -> str:
    """The deputy's messages as `args` (q, topic, page) ask; `seen` marks them viewed (an opened list, not a tick
    refused); `ticked` and `target` are what a refused tick-box form chose, shown chosen again."""
    deputy = access.current_deputy()
    # Control characters match nothing a person typed, and PostgreSQL refuses a NUL in a parameter.
    text, topic = writable(args.get("q", ""))[:100], writable(args.get("topic", ""))[:50]
    found = overview.messages(db(), deputy.id, text, topic, args.get("page", 1, type=record_id))
    last_viewed = overview.mark_messages_viewed(deputy) if seen else deputy.messages_viewed_at
    placed = desk.placement(db(), [m.id for m in found.messages])
    return render_template("deputy/messages.html", deputy=deputy, page=found, q=text, topic=topic,
                           photos=photos.ids_by_message(db(), [m.id for m in found.messages]),
                           topics=overview.topics(db(), deputy.id), last_viewed=last_viewed, placed=placed,
                           became=overview.became(db(), placed.values()), open_drafts=desk.open_drafts(db(), deputy.id),
                           ticked=ticked, target=target,
                           back=url_for("deputy.messages", **{k: v for k, v in args.items() if k in ("q", "topic", "page")}))


@bp.get("/messages/<int:message_id>/photos/<int:photo_id>")
@access.rule(access.DEPUTY)
def message_photo(message_id: int, photo_id: int):
    return files.photo(photos.for_deputy(db(), access.current_deputy().id, message_id, photo_id))
