"""Fixed-window counters in Redis for sign-in attempts and citizen intake.

If Redis is unavailable the limits are not enforced: a citizen's message matters more than the limit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


LOGIN_PER_ACCOUNT_AND_IP = Limit("login", 5, 15 * 60)
LOGIN_PER_IP = Limit("login-ip", 30, 15 * 60)


def _key(limit: Limit, subject: str) -> str:
    return f"mashang:rl:{limit.name}:{subject}"


def exceeded(connection: redis.Redis, limit: Limit, subject: str) -> bool:
    try:
        value = connection.get(_key(limit, subject))
    except redis.RedisError as exc:
        log.warning("rate limit %s not checked: %s", limit.name, exc)
        return False
    return value is not None and int(value) >= limit.count


def hit(connection: redis.Redis, limit: Limit, subject: str) -> bool:
    """Count one event; True when this one went over the limit."""
    key = _key(limit, subject)
    try:
        pipe = connection.pipeline()
        # SET NX EX then INCR: the window starts with the first event (EXPIRE NX needs Redis 7; we ship 6.2).
        pipe.set(key, 0, ex=limit.seconds, nx=True)
        pipe.incr(key)
        _, count = pipe.execute()
    except redis.RedisError as exc:
        log.warning("rate limit %s not counted: %s", limit.name, exc)
        return False
    return count > limit.count


def clear(connection: redis.Redis, limit: Limit, subject: str) -> None:
    try:
        connection.delete(_key(limit, subject))
    except redis.RedisError:
        pass
