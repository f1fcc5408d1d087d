"""Telling a citizen something on the channel they used, through one small interface.

A notice is stored first (nothing is lost), then the citizen's channel delivers it: the web chat shows it
on the citizen's next visit, WeChat sends it as a customer-service message while the follower's 48-hour
reply window is open (else it too waits for their next message), and the recording channel keeps what would
have been sent, for tests and trials. OUTBOUND chooses between the real channels and the recording one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Protocol

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.wechat_api import WeChatApi, WeChatApiError
from intake.config import Settings
from intake.models import Citizen, CitizenNotice, utcnow

log = logging.getLogger(__name__)
REPLY_WINDOW_SECONDS = 48 * 3600  # WeChat accepts customer-service messages this long after the follower wrote
REPLY_WINDOW_KEY = "mashang:wechat:reply-window:{citizen}"
RECORDED_KEY = "mashang:outbound:recorded"


class Channel(Protocol):
    def heard_from(self, citizen_id: int, address: str) -> None:
        """The citizen just wrote from this address on the channel (a WeChat openid)."""

    def deliver(self, citizen: Citizen, text: str) -> bool:
        """True: the citizen has been told now; False: they are told on their next visit."""


class NextVisit:
    """The web chat: the notice opens the citizen's next turn."""

    def heard_from(self, citizen_id: int, address: str) -> None:
        pass

    def deliver(self, citizen: Citizen, text: str) -> bool:
        return False


class WeChatCustomerService:
    def __init__(self, api: WeChatApi, cache: Callable[[], redis.Redis]):
        self.api, self._cache = api, cache

    def heard_from(self, citizen_id: int, address: str) -> None:
        """The follower wrote: their reply window opens. Only for its length is their openid kept."""
        try:
            self._cache().set(REPLY_WINDOW_KEY.format(citizen=citizen_id), address, ex=REPLY_WINDOW_SECONDS)
        except redis.RedisError as exc:
            log.warning("WeChat reply window of citizen %s not noted (%s)", citizen_id, exc)

    def deliver(self, citizen: Citizen, text: str) -> bool:
        openid = self._cache().get(REPLY_WINDOW_KEY.format(citizen=citizen.id))
        if openid is None:
            return False
        try:
            self.api.send_text(openid.decode(), text)
        except WeChatApiError as exc:
            log.warning("notice to citizen %s not sent on WeChat (%s); shown on their next message", citizen.id, exc)
            return False
        return True


class Recording:
    """Keeps what would have been sent, in Redis, where a test or a trial run reads it."""

    def __init__(self, cache: Callable[[], redis.Redis]):
        self._cache = cache

    def heard_from(self, citizen_id: int, address: str) -> None:
        pass

    def deliver(self, citizen: Citizen, text: str) -> bool:
        entry = {"citizen": citizen.id, "channel": citizen.channel, "text": text}
        self._cache().rpush(RECORDED_KEY, json.dumps(entry, ensure_ascii=False))
        return True


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
                                                 settings.wechat_appsecret, cache()), cache)
    return {"web": NextVisit(), "wechat": wechat}


def notify(session: Session, citizen_id: int, text: str) -> None:
    """Store a notice for the citizen; deliver_pending sends it once the caller has committed."""
    session.add(CitizenNotice(citizen_id=citizen_id, text=text))


def deliver_pending(session: Session, by_channel: Mapping[str, Channel], citizen_id: int) -> int:
    """Send the citizen's undelivered notices on their channel; returns how many were delivered now."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        return 0
    pending = session.scalars(select(CitizenNotice).where(
        CitizenNotice.citizen_id == citizen_id, CitizenNotice.delivered_at.is_(None),
    ).order_by(CitizenNotice.id).with_for_update(skip_locked=True)).all()
    channel = by_channel.get(citizen.channel, NextVisit())
    delivered = 0
    for notice in pending:
        if not channel.deliver(citizen, notice.text):
            break  # the rest wait with it, so the citizen reads them in order
        notice.delivered_at = utcnow()
        delivered += 1
    return delivered
