"""The conversation as a small state machine; channels feed it text and send back its replies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import texts

AWAITING_DESCRIPTION = "awaiting_description"

_QUERY = re.compile(r"^\s*查询\s*(?P<receipt>\S*)\s*$")
_RESTART = {"重新开始", "重来"}
_HELP = {"帮助", "help", "?", "？"}


@dataclass(frozen=True)
class Turn:
    """What the engine decided: the next state, what to say, and what the caller must do."""

    state: str
    replies: list[str] = field(default_factory=list)
    submit_text: str | None = None
    query_receipt: str | None = None
    rejected: bool = False


def greeting(name: str, level: str, station: str) -> str:
    return texts.GREETING.format(name=name, level=level, station=station)


def handle(state: str | None, text: str) -> Turn:
    state = state or AWAITING_DESCRIPTION
    stripped = text.strip()
    if not stripped:
        return Turn(state, [texts.EMPTY], rejected=True)
    if stripped in _RESTART:
        return Turn(AWAITING_DESCRIPTION, [texts.RESTARTED])
    if stripped in _HELP:
        return Turn(state, [texts.HELP])
    query = _QUERY.match(stripped)
    if query:
        receipt = query.group("receipt").upper()
        if not receipt:
            return Turn(state, [texts.QUERY_USAGE])
        return Turn(state, query_receipt=receipt)
    return Turn(AWAITING_DESCRIPTION, submit_text=text)


def rejection_reply(reason: str, **details) -> str:
    return {"empty": texts.EMPTY, "too_long": texts.TOO_LONG}[reason].format(**details)


def receipt_reply(receipt: str) -> str:
    return texts.RECEIVED.format(receipt=receipt)


def status_reply(receipt: str, status: str | None) -> str:
    if status is None:
        return texts.QUERY_NOT_FOUND.format(receipt=receipt)
    return texts.QUERY_STATUS.format(receipt=receipt, status=texts.STATUS_LABELS.get(status, status))
