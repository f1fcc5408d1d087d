"""A per-key, per-minute request limit and a per-address limit on refused keys, in Redis; with Redis down the
limits are not enforced (as for the chat)."""

from __future__ import annotations

import redis
from sqlalchemy.orm import Session

from intake.services.api import keys
from intake.services.reception import ratelimit

DEFAULT_PER_MINUTE = 60
WINDOW_SECONDS = 60
REFUSED_WINDOW_SECONDS = 15 * 60


class AddressBlocked(Exception):
    """This address sent too many unknown or revoked keys lately; `seconds` is the Retry-After value."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def allow(cache: redis.Redis, key_id: int, per_minute: int = DEFAULT_PER_MINUTE) -> int | None:
    """None when this request may go on; else the seconds to wait (the Retry-After value)."""
    limit = ratelimit.Limit("api", per_minute, WINDOW_SECONDS)
    if not ratelimit.hit(cache, limit, str(key_id)):
        return None
    return ratelimit.seconds_left(cache, limit, str(key_id))


def authenticate(session: Session, cache: redis.Redis, raw: str | None, *, secret: str, address: str,
                 refused_per_address: int) -> keys.LiveKey:
    """keys.authenticate, with guessing slowed: once an address has sent `refused_per_address` unknown or revoked
    keys in 15 minutes, every further refused key from it waits until the window ends (AddressBlocked). A right
    key still passes: a key holds 256 random bits, so no guesser finds one, and partners sharing an address with
    a guesser (one proxy, one office network) keep working."""
    limit = ratelimit.Limit("api-refused", refused_per_address, REFUSED_WINDOW_SECONDS)
    address = ratelimit.address_of(address)
    try:
        return keys.authenticate(session, raw, secret=secret)
    except keys.KeyRefused:
        if ratelimit.exceeded(cache, limit, address):
            raise AddressBlocked(ratelimit.seconds_left(cache, limit, address)) from None
        ratelimit.hit(cache, limit, address)
        raise
