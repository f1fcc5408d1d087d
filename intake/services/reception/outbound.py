"""Telling a citizen something on the channel they used, through one small interface.

A notice is stored first in the outbox (nothing is lost), then the citizen's channel delivers it: the web chat
shows it on the citizen's next visit, WeChat sends it as a customer-service message while the follower's 48-hour
reply window is open (else it too waits for their next message), and the recording channel keeps what would
have been sent, for tests and trials. OUTBOUND chooses between the real channels and the recording one.
A send that failed in passing (network, a 5xx) is tried again with back-off; WeChat's "window closed" and
"not following" answers end the attempts: the notice waits for the citizen's next message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import redis
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.channels.wechat_api import WeChatApi, WeChatApiError
from intake.config import Settings
from intake.models import Citizen, CitizenNotice, utcnow
from intake.services.privacy import sealed

log = logging.getLogger(__name__)
REPLY_WINDOW_SECONDS = 48 * 3600  # WeChat accepts customer-service messages this long after the follower wrote
REPLY_WINDOW_KEY = "mashang:wechat:reply-window:{citizen}"
RECORDED_KEY = "mashang:outbound:recorded"
# WeChat's answers that no retry can change: the 48-hour window has closed (45015), the user no longer follows (43004).
WAIT_FOR_NEXT_MESSAGE = (45015, 43004)
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 8  # about a day of trying; then the notice waits for the citizen's next message


@dataclass(frozen=True)
class Attempt:
    sent: bool
    retry: bool = False  # a passing failure: try again later; otherwise an unsent notice waits for the next visit
    error: str | None = None


class Channel(Protocol):
    def heard_from(self, citizen_id: int) -> None:
        """The citizen just wrote on the channel."""

    def deliver(self, citizen: Citizen, text: str) -> Attempt:
        """Tell the citizen now if the channel can."""


class NextVisit:
    """The web chat: the notice opens the citizen's next turn."""

    def heard_from(self, citizen_id: int) -> None:
        pass

    def deliver(self, citizen: Citizen, text: str) -> Attempt:
        return Attempt(False)


class WeChatCustomerService:
    def __init__(self, api: WeChatApi, cache: Callable[[], redis.Redis], data_key: str):
        self.api, self._cache, self._data_key = api, cache, data_key

    def heard_from(self, citizen_id: int) -> None:
        """The follower wrote: their reply window opens for 48 hours."""
        try:
            self._cache().set(REPLY_WINDOW_KEY.format(citizen=citizen_id), 1, ex=REPLY_WINDOW_SECONDS)
        except redis.RedisError as exc:
            log.warning("WeChat reply window of citizen %s not noted (%s)", citizen_id, exc)

    def deliver(self, citizen: Citizen, text: str) -> Attempt:
        if not citizen.address_encrypted:
            return Attempt(False)
        try:
            window_open = self._cache().exists(REPLY_WINDOW_KEY.format(citizen=citizen.id))
        except redis.RedisError as exc:
            return Attempt(False, retry=True, error=f"Redis: {exc}")
        if not window_open:
            return Attempt(False, error="48 小时回复窗口已关闭")
        try:
            self.api.send_text(sealed.unseal(self._data_key, citizen.address_encrypted), text)
        except sealed.UnreadableData as exc:
            return Attempt(False, error=str(exc))
        except WeChatApiError as exc:
            log.warning("notice to citizen %s not sent on WeChat (%s)", citizen.id, exc)
            return Attempt(False, retry=exc.code not in WAIT_FOR_NEXT_MESSAGE, error=str(exc))
        return Attempt(True)


class Recording:
    """Keeps what would have been sent, in Redis, where a test or a trial run reads it."""

    def __init__(self, cache: Callable[[], redis.Redis]):
        self._cache = cache

    def heard_from(self, citizen_id: int) -> None:
        pass

    def deliver(self, citizen: Citizen, text: str) -> Attempt:
        entry = {"citizen": citizen.id, "channel": citizen.channel, "text": text}
        self._cache().rpush(RECORDED_KEY, json.dumps(entry, ensure_ascii=False))
        return Attempt(True)


def recorded(cache: redis.Redis) -> list[dict]:
    return [json.loads(entry) for entry in cache.lrange(RECORDED_KEY, 0, -1)]


def channels(settings: Settings, cache: Callable[[], redis.Redis]) -> dict[str, Channel]:
    """The channel for each kind of citizen, as configured (OUTBOUND)."""
    if settings.outbound == "record":
        recording = Recording(cache)
        return {"web": recording, "wechat": recording}
    wechat: Channel = NextVisit()
    if settings.wechat_appid and settings.wechat_appsecret:
        wechat = WeChatCustomerService(WeChatApi(settings.wechat_api_base, settings.wechat_appid,
                                                 settings.wechat_appsecret, cache()), cache, settings.data_key)
    return {"web": NextVisit(), "wechat": wechat}


def notify(session: Session, citizen_id: int, text: str, *, once_as: str | None = None) -> bool:
    """Put a notice for the citizen in the outbox; deliver_pending sends it once the caller has committed.

    `once_as` names the notice: a second one of that name is not queued. Returns whether it was queued."""
    if once_as is not None:
        if session.scalar(select(CitizenNotice.id).where(CitizenNotice.dedupe_key == once_as)) is not None:
            return False
        try:
            with session.begin_nested():
                session.add(CitizenNotice(citizen_id=citizen_id, text=text, dedupe_key=once_as,
                                          next_attempt_at=utcnow()))
        except IntegrityError:  # the same step was told at the same moment by another process
            return False
        return True
    session.add(CitizenNotice(citizen_id=citizen_id, text=text, next_attempt_at=utcnow()))
    return True


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LAST_RETRY)


def deliver_pending(session: Session, by_channel: Mapping[str, Channel], citizen_id: int,
                    now: datetime | None = None) -> int:
    """Send the citizen's notices that are due on their channel; returns how many were delivered now."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        return 0
    now = now or utcnow()
    pending = session.scalars(select(CitizenNotice).where(
        CitizenNotice.citizen_id == citizen_id, CitizenNotice.delivered_at.is_(None),
        CitizenNotice.next_attempt_at <= now,
    ).order_by(CitizenNotice.id).with_for_update(skip_locked=True)).all()
    channel = by_channel.get(citizen.channel, NextVisit())
    delivered = 0
    for position, notice in enumerate(pending):
        attempt = channel.deliver(citizen, notice.text)
        if not attempt.sent:
            # The rest wait with it, so the citizen reads them in order.
            for waiting in pending[position:]:
                _not_sent(waiting, attempt, now, tried=waiting is notice)
            break
        notice.delivered_at, notice.next_attempt_at, notice.last_error = now, None, None
        notice.attempts += 1
        delivered += 1
    return delivered


def _not_sent(notice: CitizenNotice, attempt: Attempt, now: datetime, *, tried: bool) -> None:
    if tried:
        notice.attempts += 1
        notice.last_error = (attempt.error or "")[:200] or None
    if attempt.retry and notice.attempts < MAX_ATTEMPTS:
        notice.next_attempt_at = now + retry_delay(notice.attempts or 1)
    else:
        notice.next_attempt_at = None


def citizens_due(session: Session, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Citizens with a notice whose (next) attempt is due: the sweep delivers them."""
    return list(session.scalars(select(CitizenNotice.citizen_id).where(
        CitizenNotice.delivered_at.is_(None), CitizenNotice.next_attempt_at <= (now or utcnow()),
    ).distinct().order_by(CitizenNotice.citizen_id).limit(limit)))
