"""Per-request database session and security headers."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from intake.config import LifecycleRules
from intake.models import MAX_ID, as_id
from intake.runtime import Runtime
from intake.services.background import Background
from intake.services.lifecycle.handling import rules_or_default
from intake.services.reception.outbound import Channel

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class RecordIdConverter(IntegerConverter):
    """`<int:…>` in every route: a number no row can have is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def record_id(text: str) -> int:
    """For `request.args.get(name, type=record_id)`: a positive id a row can have, else ValueError."""
    number = as_id(text)
    if number is None:
        raise ValueError(f"{text!r} is no id")
    return number


def body_over(limit: int) -> bool:
    """Whether the request's body is larger than `limit` bytes, read up to one byte past it when it came
    chunked: werkzeug stops reading such a body at the limit without a word, and the cut body would be misread."""
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        return True
    return (request.content_length is None and len(request.get_data(cache=True)) >= limit
            and bool(request.environ["wsgi.input"].read(1)))


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
    if request.path.startswith(PRIVATE_PATHS):
        # Citizens' messages, phone numbers and suggestions in handling: no copy in a shared browser's cache or a proxy.
        response.headers["Cache-Control"] = "no-store"
    return response


PRIVATE_PATHS = ("/staff", "/deputy", "/unit")


def init_app(app: Flask) -> None:
    # Before any blueprint adds its routes: they take the converter registered at that moment.
    app.url_map.converters["int"] = RecordIdConverter
    app.teardown_appcontext(_close_db)
    app.after_request(_headers)


def lifecycle_rules() -> LifecycleRules:
    """Deadlines, numbers and where reply files go, as this app was configured (not the process's environment)."""
    return rules_or_default(runtime().settings.lifecycle)
