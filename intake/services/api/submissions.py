"""A message an integrating system submits: the chat's intake path, idempotent on the client's own id.

The message is stored like a confirmed chat submission (receipt number, status received); the caller
commits and then queues it for tagging, spam scoring and grouping, as the chat does. Where it happened
(address, coordinates) joins the text the deputy reads. An e-mail address is accepted and not kept: no
channel of ours writes e-mail to citizens, and unused personal data is not stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.models import ApiSubmission, utcnow
from intake.prebuilt import Prebuilt
from intake.services.api import routing
from intake.services.api.keys import LiveKey, require_scope
from intake.services.errors import InvalidInput
from intake.services.reception import messages

CHANNEL = "api"
ADDRESS_CHARS = 200
EXTERNAL_ID_CHARS = 100
_submissions = ApiSubmission.__table__
_RECORDED = ("api_key_id", "external_id", "message_id", "answer", "address", "lat", "long", "created_at")
# Every submission runs them: prebuilt, as the chat turn's statements are.
_RECORD = Prebuilt(insert(_submissions).values({name: bindparam(name) for name in _RECORDED}))
_FIRST_ANSWER = Prebuilt(select(_submissions.c.message_id, _submissions.c.answer).where(
    _submissions.c.api_key_id == bindparam("key"), _submissions.c.external_id == bindparam("external_id")))
_PHONE = re.compile(r"\+?[0-9][0-9 \-]{5,17}[0-9]")  # fits the 20 characters kept


@dataclass(frozen=True)
class SubmissionInput:
    text: str
    deputy_slug: str | None = None
    address: str | None = None
    lat: float | None = None
    long: float | None = None
    email: str | None = None
    phone: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class Submitted:
    message_id: int
    receipt: str
    created: bool  # False: a retry of an earlier submission, answered as the first time
    answer: dict


def _text(data: SubmissionInput, max_chars: int) -> str:
    try:
        description = messages.validate(data.text or "", max_chars)
    except messages.MessageRejected as rejected:
        raise InvalidInput(f"api_text_{rejected.reason}", limit=max_chars) from None
    lines = [description]
    if data.address:
        lines.append(f"地址：{messages.clean_text(data.address).strip()}")
    if data.lat is not None and data.long is not None:
        lines.append(f"位置：纬度 {data.lat:.6f}，经度 {data.long:.6f}")
    return "\n".join(lines)


def _check(data: SubmissionInput) -> None:
    if data.address and len(data.address) > ADDRESS_CHARS:
        raise InvalidInput("api_address_too_long", limit=ADDRESS_CHARS)
    if (data.lat is None) != (data.long is None):
        raise InvalidInput("api_position_half")
    if data.lat is not None and not (-90 <= data.lat <= 90 and -180 <= data.long <= 180):
        raise InvalidInput("api_position_range")
    if data.phone and not _PHONE.fullmatch(data.phone.strip()):
        raise InvalidInput("api_phone_format")
    if data.external_id is not None and not 0 < len(data.external_id) <= EXTERNAL_ID_CHARS:
        raise InvalidInput("api_external_id", limit=EXTERNAL_ID_CHARS)


def _earlier(session: Session, key: LiveKey, external_id: str | None) -> Submitted | None:
    if external_id is None:
        return None
    row = _FIRST_ANSWER.first(session, {"key": key.id, "external_id": external_id})
    if row is None:
        return None
    message_id, answer = row
    return Submitted(message_id, answer["receipt"], False, answer)


def submit(session: Session, key: LiveKey, data: SubmissionInput, *, max_chars: int, local_tz: tzinfo) -> Submitted:
    """Store the message, or answer a retry (same key, same external id) with the first answer.

    A retry is found by the unique (key, external id) row it fails to store again, not by a look-up before
    every submission: retries are rare, first submissions are the traffic."""
    require_scope(key, "submit")
    try:
        _check(data)
        text = _text(data, max_chars)
        deputy_id = routing.deputy_for(session, key, deputy_slug=data.deputy_slug, address=data.address)
    except InvalidInput:
        # A retry gets the first answer even when it would be refused now (say, the deputy's link was retired).
        earlier = _earlier(session, key, data.external_id)
        if earlier is None:
            raise
        return earlier
    try:
        with session.begin_nested():
            stored = messages.submit(session, deputy_id=deputy_id, citizen_id=None, text=text, channel=CHANNEL,
                                     max_chars=messages.MAX_SUBMISSION_CHARS, local_tz=local_tz)
            if data.phone:
                messages.update_fields(session, stored.id, contact_phone=data.phone.strip())
            answer = {"message_id": stored.id, "receipt": stored.receipt, "token": str(stored.id)}
            _RECORD.rows(session, {
                "api_key_id": key.id, "external_id": data.external_id, "message_id": stored.id, "answer": answer,
                "address": messages.clean_text(data.address or "").strip() or None, "lat": data.lat,
                "long": data.long, "created_at": utcnow()})
    except IntegrityError:
        # A retry: its message is undone with the savepoint, and the first answer read back (when the first
        # submission is still being stored at that moment, its row lock made this one wait for it).
        earlier = _earlier(session, key, data.external_id)
        if earlier is None:
            raise
        return earlier
    return Submitted(stored.id, stored.receipt, True, answer)
