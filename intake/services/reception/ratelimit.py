"""Fixed-window counters in Redis for sign-in attempts and citizen intake.

If Redis is unavailable the limits are not enforced: a citizen's message matters more than the limit.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from functools import lru_cache

import redis

log = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
_last_warning = -float("inf")


def _warn_unenforced(names: str, exc: Exception) -> None:
    """Once a minute at most: while Redis is down every request would say the same thing."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        log.warning("rate limits %s not enforced while Redis is unavailable: %s", names, exc)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


LOGIN_PER_ACCOUNT_AND_IP = Limit("login", 5, 15 * 60)
LOGIN_PER_IP = Limit("login-ip", 30, 15 * 60)
# Guesses at the current password on the change-password form, from any address: only someone signed in as the
# account can make them, so counting the account alone locks out nobody else (nor its sign-in).
CURRENT_PASSWORD_PER_ACCOUNT = Limit("current-password", 5, 15 * 60)
# A lockout is written to the operations log once per account and network in a lockout's time, and for at most
# three networks of one account: staff see who else is guessing, and guesses cannot fill the log.
LOCKOUT_NOTED = Limit("lockout-noted", 1, LOGIN_PER_ACCOUNT_AND_IP.seconds)
LOCKOUTS_NOTED_PER_ACCOUNT = Limit("lockouts-noted", 3, LOGIN_PER_ACCOUNT_AND_IP.seconds)


def address_of(remote_addr: str | None) -> str:
    """Who a per-address limit counts: an IPv4 address, or an IPv6 address's /64, since one home or phone is given
    a whole /64 and picks a new address in it at will."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return remote_addr or "-"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def key_of(limit: Limit, subject: str) -> str:
    return f"mashang:rl:{limit.name}:{subject}"


def exceeded(connection: redis.Redis, limit: Limit, subject: str) -> bool:
    try:
        value = connection.get(key_of(limit, subject))
    except redis.RedisError as exc:
        _warn_unenforced(limit.name, exc)
        return False
    return value is not None and int(value) >= limit.count


def hit(connection: redis.Redis, limit: Limit, subject: str) -> bool:
    """Count one event; True when this one went over the limit."""
    return hit_all(connection, [(limit, subject)])


# One atomic round trip for all limits of an event; the window starts with its first event.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return counts
"""


@lru_cache(maxsize=64)
def _script(connection: redis.Redis, text: str):
    """The script registered once per connection: each call then sends its hash (EVALSHA), not its text."""
    return connection.register_script(text)


def hit_all(connection: redis.Redis, checks: list[tuple[Limit, str]]) -> bool:
    """Count one event against several limits; True when any of them went over."""
    try:
        counts = _script(connection, _COUNT)(keys=[key_of(limit, subject) for limit, subject in checks],
                                      args=[limit.seconds for limit, _ in checks])
    except redis.RedisError as exc:
        _warn_unenforced(", ".join(limit.name for limit, _ in checks), exc)
        return False
    return any(count > limit.count for (limit, _), count in zip(checks, counts))


# An attempt counted only while every limit still allows it: refused ones count for nothing, so someone hammering a
# locked account does not push their whole address (an office) over its own limit.
_ATTEMPT = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then return 0 end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
end
return 1
"""


def attempt(connection: redis.Redis, checks: list[tuple[Limit, str]]) -> bool:
    """Count one attempt against several limits in one atomic step, unless one of them is reached already; False
    when refused. Counted before the attempt is judged, so attempts sent together cannot all pass one reading."""
    try:
        allowed = _script(connection, _ATTEMPT)(
            keys=[key_of(limit, subject) for limit, subject in checks],
            args=[number for limit, _ in checks for number in (limit.count, limit.seconds)])
    except redis.RedisError as exc:
        _warn_unenforced(", ".join(limit.name for limit, _ in checks), exc)
        return True
    return bool(allowed)


_REFUND = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0"


def refund(connection: redis.Redis, limit: Limit, subject: str) -> None:
    """Take back one event counted before it was known to be harmless (a sign-in that succeeded); a window that
    already ended is left ended."""
    try:
        _script(connection, _REFUND)(keys=[key_of(limit, subject)])
    except redis.RedisError:
        pass


def seconds_left(connection: redis.Redis, limit: Limit, subject: str) -> int:
    """Seconds until the window of `limit` for `subject` ends (at least 1): a Retry-After value."""
    try:
        remaining = connection.ttl(key_of(limit, subject))
    except redis.RedisError:
        remaining = limit.seconds
    return remaining if isinstance(remaining, int) and remaining > 0 else 1


def clear(connection: redis.Redis, limit: Limit, subject: str) -> None:
    try:
        connection.delete(key_of(limit, subject))
    except redis.RedisError:
        pass
