"""POST /wechat: the Official Account's callback (plaintext, compatible and safe modes)."""

from __future__ import annotations

import secrets
import time

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import IntegrityError

from bot.channels import wechat, wechat_crypto
from intake.ops import metrics
from intake.services.reception import chat, citizens, ratelimit, wechat_guard
from intake.services.reception import wechat as service
from intake.web import access
from intake.web.citizen import TOO_FAST
from intake.web.requests import background, db, outbound, runtime

bp = Blueprint("wechat", __name__)


def _xml(text: str) -> Response:
    return Response(text, mimetype="application/xml")


@bp.route("/wechat", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def callback():
    settings = runtime().settings
    if not settings.wechat_token:
        abort(404)
    timestamp, nonce = request.args.get("timestamp", ""), request.args.get("nonce", "")
    if not wechat_crypto.signature_ok((settings.wechat_token, timestamp, nonce), request.args.get("signature")):
        abort(403)
    if not wechat_guard.fresh(timestamp, time.time()):
        abort(403)
    if request.method == "GET":
        return Response(request.args.get("echostr", ""), mimetype="text/plain")

    if (request.content_length or 0) > wechat.MAX_BODY:
        abort(413)
    body = request.get_data(cache=False)
    try:
        if not wechat_guard.first_use(runtime().redis, timestamp, nonce, body):
            abort(403)
    except wechat_guard.Unavailable:
        abort(503)
    # In safe mode WeChat encrypts every message; a plaintext one can only be forged.
    if settings.wechat_aes_key and request.args.get("encrypt_type") != "aes":
        abort(400)
    try:
        inbound = wechat.parse(body)
    except wechat.BadXml:
        abort(400)
    crypto = None
    if request.args.get("encrypt_type") == "aes":
        if not (settings.wechat_aes_key and inbound.encrypt):
            abort(400)
        parts = (settings.wechat_token, timestamp, nonce, inbound.encrypt)
        if not wechat_crypto.signature_ok(parts, request.args.get("msg_signature")):
            abort(403)
        crypto = wechat_crypto.MessageCrypto(settings.wechat_aes_key, settings.wechat_appid)
        try:
            inbound = wechat.parse(crypto.decrypt(inbound.encrypt).encode())
        except (wechat_crypto.CryptoError, wechat.BadXml):
            abort(400)
        except wechat_crypto.WrongAppId:
            abort(403)

    if _too_fast(inbound):
        return _reply(inbound, TOO_FAST, crypto)
    limits = chat.Limits(settings.max_message_chars, runtime().local_tz, settings.base_url)
    try:
        handled = service.receive(db(), inbound, secret=settings.secret_key, data_key=settings.data_key,
                                  limits=limits)
        db().commit()
    except IntegrityError:
        # The same delivery raced in twice; the other one stored the reply.
        db().rollback()
        handled = service.Handled(service.stored_reply(db(), inbound) or "", duplicate=True)
    if not handled.duplicate:
        metrics.CHAT_TURNS.labels("wechat").inc()
        metrics.MESSAGES_STORED.labels("wechat").inc(len(handled.finalized))
    if handled.citizen_id is not None:
        outbound()[service.CHANNEL].heard_from(handled.citizen_id)
    for message_id in handled.finalized:
        background().message_stored(message_id)
    if inbound.msg_type.lower() == "image" and not handled.duplicate:
        background().wechat_photos_stored()

    return _reply(inbound, handled.reply, crypto)


def _too_fast(inbound: wechat.Inbound) -> bool:
    """The web chat's per-citizen limit, per follower; a retried delivery is not counted again."""
    if service.stored_reply(db(), inbound) is not None:
        return False
    settings = runtime().settings
    follower = citizens.channel_user_hash(settings.secret_key, service.CHANNEL, inbound.from_user)
    return ratelimit.hit(runtime().redis, ratelimit.Limit("chat", settings.chat_per_minute, 60), follower)


def _reply(inbound: wechat.Inbound, text: str, crypto) -> Response:
    if not text:
        return Response("success", mimetype="text/plain")
    settings = runtime().settings
    reply = wechat.text_reply(inbound, text)
    if crypto is None:
        return _xml(reply)
    encrypted = crypto.encrypt(reply)
    stamp, reply_nonce = str(int(time.time())), secrets.token_hex(8)
    signature = wechat_crypto.signature(settings.wechat_token, stamp, reply_nonce, encrypted)
    return _xml(wechat.encrypted_envelope(encrypted, signature, stamp, reply_nonce))
