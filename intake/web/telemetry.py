"""Per request: an id (X-Request-ID), a latency and count in the metrics, one log line without any content."""

from __future__ import annotations

import logging
import re
import time

from flask import Flask, g, request

from intake.ops import access_log, metrics, request_ids

log = logging.getLogger("mashang.request")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_SECRET = re.compile(r"<(?:\w+:)?token>")
# A line break a route's segment took in (%0A) would start a forged line of the log: written back as sent.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Probes and scrapes come every few seconds: counted in the metrics, left out of the log.
_UNLOGGED = {"/livez", "/readyz", "/metrics"}


def _route() -> str:
    # The rule, not the path: paths carry citizens' link slugs and sign-in tokens.
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _logged_path() -> str:
    """The path for the text access log: as requested, but a segment holding a secret (a progress link's or a
    sign-in link's token) as its rule writes it, and a path no route takes as "unmatched" (it may be a token
    mistyped)."""
    rule = request.url_rule
    if rule is None:
        return "unmatched"
    path = _CONTROL.sub(lambda found: f"%{ord(found.group()):02X}", request.path)
    if not _SECRET.search(rule.rule):
        return path
    ours, theirs = rule.rule.split("/"), path.split("/")
    if len(ours) != len(theirs):
        return rule.rule
    return "/".join(own if _SECRET.search(own) else given for own, given in zip(ours, theirs))


def _start() -> None:
    request.environ[access_log.LOGGED_PATH] = _logged_path()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if _GOOD_ID.match(offered) else request_ids.new()
    g.request_token = request_ids.bind(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response):
    started = g.get("request_started")
    if started is None:
        return response
    duration = time.perf_counter() - started
    route = _route()
    metrics.REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    metrics.LATENCY.labels(route).observe(duration)
    if route not in _UNLOGGED:
        log.info("request", extra={"route": route, "method": request.method, "status": response.status_code,
                                   "duration_ms": round(duration * 1000, 1)})
    response.headers["X-Request-ID"] = g.request_id
    return response


def _unbind(_exc) -> None:
    token = g.pop("request_token", None)
    if token is not None:
        request_ids.unbind(token)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_unbind)
