"""A per-key, per-minute request limit in Redis; with Redis down the limit is not enforced (as for the chat)."""

from __future__ import annotations

import redis

from intake.services.reception import ratelimit

DEFAULT_PER_MINUTE = 60
WINDOW_SECONDS = 60


def allow(cache: redis.Redis, key_id: int, per_minute: int = DEFAULT_PER_MINUTE) -> int | None:
    """None when this request may go on; else the seconds to wait (the Retry-After value)."""
    limit = ratelimit.Limit("api", per_minute, WINDOW_SECONDS)
    if not ratelimit.hit(cache, limit, str(key_id)):
        return None
    try:
        remaining = cache.ttl(ratelimit.key_of(limit, str(key_id)))
    except redis.RedisError:
        remaining = WINDOW_SECONDS
    return remaining if isinstance(remaining, int) and remaining > 0 else 1
