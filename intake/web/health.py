"""GET /healthz: database, Redis, live workers and the backlog; 503 when a part is down or messages wait
longer than the sweep should ever let them. Details only for the machine itself or signed-in staff."""

from __future__ import annotations

import ipaddress

import redis
from flask import Blueprint, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from intake import migrate
from intake.services.reception import backlog
from intake.web import access
from intake.web.requests import background, runtime

bp = Blueprint("health", __name__)


def _may_see_details() -> bool:
    # A reverse proxy not declared in TRUSTED_PROXIES makes every visitor seem to come from loopback: what it
    # forwarded is no visitor on the machine itself.
    forwarded = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    if not forwarded or runtime().settings.trusted_proxies:
        try:
            if ipaddress.ip_address(request.remote_addr or "").is_loopback:
                return True
        except ValueError:
            pass
    return access.congress_staff() is not None


@bp.get("/healthz")
@access.rule(access.PUBLIC)
def healthz():
    settings = runtime().settings
    report: dict = {}
    problems = []
    try:
        with runtime().sessions() as session:
            waiting = backlog.measure(session)
        report.update(database="ok", backlog=waiting.waiting, oldest_waiting_seconds=waiting.oldest_seconds)
        # The sweep picks up anything older than SWEEP_AFTER_SECONDS: twice that means nothing is tagging.
        if waiting.oldest_seconds > 2 * settings.sweep_after_seconds:
            problems.append("backlog")
    except SQLAlchemyError as exc:
        report["database"] = (f"not migrated: {migrate.NOT_MIGRATED}" if migrate.missing_table(exc)
                              else f"down: {type(exc).__name__}")
        problems.append("database")
    try:
        report.update(background().queue_stats())
        report["redis"] = "ok"
        if report["workers"] == 0:
            problems.append("workers")
    except (redis.RedisError, OSError) as exc:
        report["redis"] = f"down: {type(exc).__name__}"
        problems.append("redis")
    if not problems:
        report["status"] = "ok"
    else:
        report["status"] = "down" if {"database", "redis"} & set(problems) else "degraded"
        report["problems"] = problems
    body = report if _may_see_details() else {"status": report["status"]}
    return jsonify(body), 200 if not problems else 503
