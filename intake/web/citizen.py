"""The citizen's chat page at /c/<slug> and its JSON endpoints; no sign-in, a cookie keeps the conversation."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from flask import Blueprint, g, jsonify, render_template, request, session

from bot import texts
from intake.db import writes_in_turn
from intake.models import Deputy, Station
from intake.ops import metrics
from intake.services.reception import chat, citizens, links, media, progress, progress_links, ratelimit
from intake.web import access
from intake.web.errors import respond
from intake.web.requests import background, db, runtime

bp = Blueprint("citizen", __name__)

CHANNEL = "web"
# Said of the words just refused: they were not received (a first message refused by the address's limit had no
# earlier words to be received). The limits count a minute: Retry-After says so to clients that read it.
TOO_FAST = "您发送得太快了，这一条没有收到，请稍等一分钟再发。"
TOO_FAST_HEADERS = {"Retry-After": "60"}
IMAGE_ERRORS = {"too_large": "图片太大了，请发送 5MB 以内的 JPG 或 PNG 图片。",
                "too_many_pixels": "图片尺寸太大了（超过 2500 万像素），请缩小或截图后再发送。",
                "png_too_many_pixels": "这张 PNG 图片尺寸太大了（超过 600 万像素），请截图或存为 JPG 后再发送。",
                "not_image": "只能发送 JPG 或 PNG 图片。"}


def allow_photo_bodies() -> None:
    """The one body allowed past the app-wide 256 KB limit: a photo of up to 5 MB plus form overhead.

    Registered before CSRF protection, which reads the form (and would hit the small limit) first."""
    if request.endpoint == "citizen.image":
        request.max_content_length = media.MAX_BYTES + 64 * 1024


def _lookup(slug: str, *, recent: bool = False):
    """The deputy behind a usable link, or an error response (404 unknown, 410 revoked).

    `recent` accepts a lookup a few seconds old: chat turns come in quick succession."""
    lookup = runtime().link_cache.resolve(db(), slug) if recent else links.resolve(db(), slug)
    if lookup.deputy is None:
        return None, respond(404, "找不到这位代表，请重新扫描二维码。")
    if lookup.revoked:
        station = db().get(Station, lookup.deputy.station_id)
        if request.path.startswith("/api/"):
            return None, respond(410, f"这个二维码已经停用，请联系{station.name}。")
        return None, (render_template("revoked.html", station=station, deputy=lookup.deputy), 410)
    return lookup.deputy, None


# The citizen's own cookie, kept a year so a receipt can be checked long after the message; staff and
# deputy sign-ins keep the 12-hour session cookie.
CITIZEN_COOKIE = "mashang_citizen"
CITIZEN_COOKIE_LIFETIME = timedelta(days=365)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _citizen_token() -> str:
    if "citizen_token" not in g:
        # A session from before this cookie existed keeps its conversation.
        token = request.cookies.get(CITIZEN_COOKIE) or session.get("citizen", "")
        g.citizen_token = token if _TOKEN.fullmatch(token) else secrets.token_urlsafe(16)
    return g.citizen_token


@bp.after_app_request
def _keep_citizen_cookie(response):
    token = g.get("citizen_token")
    if token and token != request.cookies.get(CITIZEN_COOKIE):
        response.set_cookie(CITIZEN_COOKIE, token, max_age=CITIZEN_COOKIE_LIFETIME, httponly=True, samesite="Lax",
                            secure=runtime().settings.secure_cookies)
    return response


@bp.after_request
def _private(response):
    # The chat page and its answers carry this browser's private progress links: no copy in a shared cache.
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def _citizen_id() -> int:
    # Remembered in the signed session after the first lookup: one statement less on every turn.
    token = _citizen_token()
    if session.get("citizen_for") != token or "citizen_id" not in session:
        session["citizen_id"] = citizens.find_or_create(db(), runtime().settings.secret_key, CHANNEL, token).id
        session["citizen_for"] = token
    return session["citizen_id"]


def _too_fast(photo: bool = False) -> bool:
    """Per citizen and per address; a village meeting shares one address, so that limit is generous. A photo is
    counted per address on its own too: the citizen is only a cookie, dropped at will."""
    settings = runtime().settings
    address = ratelimit.address_of(request.remote_addr)
    limits = [(ratelimit.Limit("chat", settings.chat_per_minute, 60), _citizen_token()),
              (ratelimit.Limit("chat-ip", settings.chat_per_address_per_minute, 60), address)]
    if photo:
        limits.append((ratelimit.Limit("chat-image-ip", settings.chat_images_per_address_per_minute, 60), address))
    return ratelimit.hit_all(runtime().redis, limits)


def _limits() -> chat.Limits:
    settings = runtime().settings
    return chat.Limits(settings.max_message_chars, runtime().local_tz, settings.base_url,
                       progress_links.browser_key(settings.progress_link_key, _citizen_token()))


def _store(step) -> chat.ChatResult:
    """Run one chat step and commit it (durable before the citizen sees a receipt), then queue what it confirmed."""
    with writes_in_turn(runtime().engine):
        result = step()
        db().commit()
    metrics.CHAT_TURNS.labels(CHANNEL).inc()
    if result.message_id is not None:
        metrics.MESSAGES_STORED.labels(CHANNEL).inc()
        background().message_stored(result.message_id)
    return result


def _links(result: chat.ChatResult) -> list[str]:
    """The progress links the replies give, each shown as a link to tap where its address is."""
    return [url for url in (result.progress_url, *result.answer_links) if url]


def _json(result: chat.ChatResult):
    return (jsonify(replies=result.replies, receipt=result.receipt, said=result.said, progress=result.progress_url,
                    links=_links(result)),
            422 if result.rejected else 200)


def _chat_page(deputy, slug: str, exchange: dict | None) -> str:
    citizen_id = session.get("citizen_id")
    # Shown afresh, the page puts the open question again: the last turn's exchange shows it otherwise.
    return render_template("chat.html", deputy=deputy, slug=slug, greeting=chat.greeting(deputy), exchange=exchange,
                           station=db().get(Station, deputy.station_id),
                           still_open=[] if exchange else chat.open_question(db(), citizen_id, deputy.id),
                           receipts=chat.receipts_of(db(), citizen_id, deputy.id, limits=_limits()))


@bp.get("/c/<slug>")
@access.rule(access.PUBLIC)
def page(slug: str):
    deputy, error = _lookup(slug)
    if error:
        return error
    links.count_scan(db(), deputy.id, datetime.now(runtime().local_tz).strftime("%Y%m%d"))
    db().commit()
    _citizen_token()  # the conversation cookie is set with the page, before the first message
    return _chat_page(deputy, slug, None)


@bp.post("/c/<slug>")
@access.rule(access.PUBLIC)
def page_post(slug: str):
    """The same chat without JavaScript: a plain form post that re-renders the page."""
    deputy, error = _lookup(slug)
    if error:
        return error
    text = request.form.get("text", "")
    if _too_fast():
        return _chat_page(deputy, slug, {"text": text, "replies": [TOO_FAST]}), 429, TOO_FAST_HEADERS
    result = _store(lambda: chat.turn(db(), deputy_id=deputy.id, citizen_id=_citizen_id(), text=text,
                                      channel=CHANNEL, limits=_limits()))
    return (_chat_page(deputy, slug, {"text": text, "replies": result.replies, "links": _links(result)}),
            422 if result.rejected else 200)


@bp.post("/api/chat/<slug>")
@access.rule(access.PUBLIC)
def api(slug: str):
    deputy, error = _lookup(slug, recent=True)
    if error:
        return error
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str) or set(payload) - {"text"}:
        return respond(400, "请求格式不对：需要 JSON 对象 {\"text\": \"…\"}。")
    if _too_fast():
        return respond(429, TOO_FAST, **TOO_FAST_HEADERS)
    return _json(_store(lambda: chat.turn(db(), deputy_id=deputy.id, citizen_id=_citizen_id(), text=payload["text"],
                                          channel=CHANNEL, limits=_limits())))


@bp.post("/api/chat/<slug>/image")
@access.rule(access.PUBLIC)
def image(slug: str):
    deputy, error = _lookup(slug, recent=True)
    if error:
        return error
    upload = request.files.get("image")
    if _too_fast(photo=True):
        return respond(429, TOO_FAST, **TOO_FAST_HEADERS)
    if upload is None:
        return respond(400, "请选择一张图片。")
    try:
        data, content_type = media.reencode(upload.read(media.MAX_BYTES + 1))
    except media.ImageRejected as rejected:
        return respond(422, IMAGE_ERRORS[rejected.reason], heading="无法发送这张图片")
    return _json(_store(lambda: chat.attach(db(), deputy_id=deputy.id, citizen_id=_citizen_id(), note="[图片]",
                                            channel=CHANNEL, limits=_limits(), data=data, content_type=content_type,
                                            reply=texts.IMAGE_ADDED)))


@bp.get("/p/<token>")
@access.rule(access.PUBLIC)
def progress_page(token: str):
    """A citizen's private progress page: the stage of the one message the token was given with."""
    message = progress_links.message_for(db(), token)
    if message is None:
        return render_template("progress_missing.html"), 404, {"Cache-Control": "no-store"}
    deputy = db().get(Deputy, message.deputy_id)
    page = render_template("progress.html", p=progress.message_progress(db(), message), deputy=deputy,
                           station=db().get(Station, deputy.station_id), slug=links.current_slug(db(), deputy.id))
    # The token is the key to the page: kept out of caches and of the Referer sent to any link on it.
    return page, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}

