"""Per-request database session and security headers."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from intake.runtime import Runtime
from intake.services.background import Background
from intake.services.reception.outbound import Channel

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def runtime() -> Runtime:
    return current_app.extensions["mashang"]


def background() -> Background:
    return current_app.extensions["mashang.background"]


def outbound() -> dict[str, Channel]:
    return current_app.extensions["mashang.outbound"]


def db() -> Session:
    if "db" not in g:
        g.db = runtime().sessions()
    return g.db


def _close_db(_exc) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if runtime().settings.secure_cookies:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close_db)
    app.after_request(_headers)
