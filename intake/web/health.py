"""GET /healthz: database, Redis, workers and queue depths; 503 when a part the service needs is down."""

from __future__ import annotations

import redis
from flask import Blueprint, jsonify
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from intake.models import Message, MessageStatus
from intake.web import access
from intake.web.requests import background, runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@access.rule(access.PUBLIC)
def healthz():
    report: dict = {}
    healthy = True
    try:
        with runtime().sessions() as session:
            report["backlog"] = session.scalar(
                select(func.count()).select_from(Message).where(Message.status == MessageStatus.RECEIVED)
            )
        report["database"] = "ok"
    except SQLAlchemyError as exc:
        report["database"] = f"down: {type(exc).__name__}"
        healthy = False
    try:
        report.update(background().queue_stats())
        report["redis"] = "ok"
    except (redis.RedisError, OSError) as exc:
        report["redis"] = f"down: {type(exc).__name__}"
        healthy = False
    report["status"] = "ok" if healthy else "down"
    return jsonify(report), 200 if healthy else 503
