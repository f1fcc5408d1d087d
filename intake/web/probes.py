"""GET /livez and /readyz: probes for the process manager and the load balancer."""

from __future__ import annotations

from flask import Blueprint, jsonify

from intake.ops import readiness
from intake.web import access
from intake.web.requests import runtime

bp = Blueprint("probes", __name__)


@bp.get("/livez")
@access.rule(access.PUBLIC)
def livez():
    # Touches neither Redis nor the database: an outage there must not get healthy processes restarted.
    return jsonify(status="ok")


@bp.get("/readyz")
@access.rule(access.PUBLIC)
def readyz():
    ready, report = readiness.check(runtime())
    return jsonify(report), 200 if ready else 503
