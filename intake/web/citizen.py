"""The citizen's chat page at /c/<slug> and its JSON endpoint; no sign-in, a cookie keeps the conversation."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import Blueprint, abort, jsonify, render_template, request, session

from intake.services import chat, citizens, links
from intake.web import access
from intake.web.errors import respond
from intake.web.requests import db, runtime
from workers.queues import enqueue_after_commit

bp = Blueprint("citizen", __name__)

CHANNEL = "web"


def _deputy_or_error(slug: str):
    lookup = links.resolve(db(), slug)
    if lookup.deputy is None:
        abort(404)
    if lookup.revoked:
        station = lookup.deputy.station
        return None, (render_template("revoked.html", station=station), 410)
    return lookup.deputy, None


def _citizen_id() -> int:
    token = session.get("citizen")
    if not token:
        token = session["citizen"] = secrets.token_urlsafe(16)
        session.permanent = True
    citizen = citizens.find_or_create(db(), runtime().settings.secret_key, CHANNEL, token)
    db().flush()
    return citizen.id


def _turn(deputy, text: str) -> chat.ChatResult:
    settings = runtime().settings
    result = chat.turn(
        db(),
        deputy=deputy,
        citizen_id=_citizen_id(),
        text=text,
        channel=CHANNEL,
        max_chars=settings.max_message_chars,
        local_tz=runtime().local_tz,
    )
    db().commit()  # durable before the citizen sees a receipt
    if result.message is not None:
        enqueue_after_commit(runtime().redis, result.message.id)
    return result


@bp.get("/c/<slug>")
@access.rule(access.PUBLIC)
def page(slug: str):
    deputy, error = _deputy_or_error(slug)
    if error:
        return error
    links.count_scan(db(), deputy.id, datetime.now(runtime().local_tz).strftime("%Y%m%d"))
    db().commit()
    return render_template("chat.html", deputy=deputy, slug=slug, greeting=chat.greeting(deputy), exchange=None)


@bp.post("/c/<slug>")
@access.rule(access.PUBLIC)
def page_post(slug: str):
    """The same chat without JavaScript: a plain form post that re-renders the page."""
    deputy, error = _deputy_or_error(slug)
    if error:
        return error
    text = request.form.get("text", "")
    result = _turn(deputy, text)
    exchange = {"text": text, "replies": result.replies}
    status = 422 if result.rejected else 200
    return (
        render_template("chat.html", deputy=deputy, slug=slug, greeting=chat.greeting(deputy), exchange=exchange),
        status,
    )


@bp.post("/api/chat/<slug>")
@access.rule(access.PUBLIC)
def api(slug: str):
    lookup = links.resolve(db(), slug)
    if lookup.deputy is None:
        return respond(404, "找不到这位代表，请重新扫描二维码。")
    if lookup.revoked:
        return respond(410, f"这个二维码已经停用，请联系{lookup.deputy.station.name}。")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str) or set(payload) - {"text"}:
        return respond(400, "请求格式不对：需要 JSON 对象 {\"text\": \"…\"}。")
    result = _turn(lookup.deputy, payload["text"])
    body = {"replies": result.replies, "receipt": result.message.receipt if result.message else None}
    return jsonify(body), 422 if result.rejected else 200
