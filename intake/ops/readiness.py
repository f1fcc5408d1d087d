"""Whether this process can serve: the database reachable and migrated, Redis reported but not required."""

from __future__ import annotations

import redis
from sqlalchemy.exc import SQLAlchemyError

from intake import migrate
from intake.runtime import Runtime


def check(runtime: Runtime) -> tuple[bool, dict]:
    """(ready, report). A Redis outage leaves the service ready: intake stores messages and the sweep
    queues them once Redis is back, so restarting or unrouting web processes would only hurt."""
    report: dict = {}
    ready = True
    try:
        revision = migrate.current(runtime.engine)
        if revision == migrate.head():
            report["database"] = "ok"
        else:
            report["database"] = f"not migrated: at {revision or 'empty'}, needs {migrate.head()}"
            ready = False
    except SQLAlchemyError as exc:
        report["database"] = f"down: {type(exc).__name__}"
        ready = False
    try:
        runtime.redis.ping()
        report["redis"] = "ok"
    except (redis.RedisError, OSError) as exc:
        report["redis"] = f"down: {type(exc).__name__}"
    if not ready:
        report["status"] = "down"
    else:
        report["status"] = "ok" if report["redis"] == "ok" else "degraded"
    return ready, report
