"""GET /metrics: Prometheus exposition, for addresses in METRICS_ALLOW or a bearer METRICS_TOKEN."""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, request

from intake.ops import metrics
from intake.web import access
from intake.web.requests import runtime

bp = Blueprint("metrics", __name__)


def _allowed() -> bool:
    settings = runtime().settings
    header = request.headers.get("Authorization", "")
    if settings.metrics_token and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").encode(), settings.metrics_token.encode()):
            return True
    # Through a reverse proxy every visitor may seem to come from the proxy's (often loopback) address:
    # forwarded requests need the token.
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_allow)


@bp.get("/metrics")
@access.rule(access.PUBLIC)
def scrape():
    if not _allowed():
        abort(403)
    return Response(metrics.exposition(runtime()), mimetype=metrics.CONTENT_TYPE)
