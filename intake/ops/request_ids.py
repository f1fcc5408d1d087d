"""The id of the request being served, carried into the jobs it enqueues and into every log line."""

from __future__ import annotations

import uuid
from contextvars import ContextVar, Token

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def new() -> str:
    return uuid.uuid4().hex[:16]


def current() -> str | None:
    return _current.get()


def bind(request_id: str | None) -> Token:
    return _current.set(request_id)


def unbind(token: Token) -> None:
    _current.reset(token)
