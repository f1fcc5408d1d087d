"""Storing citizen messages with their receipt numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Text, bindparam, case, cast, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from intake.models import Message, MessageStatus, ReceiptCounter, utcnow
from intake.prebuilt import Prebuilt
from intake.services import plain_text
from intake.services.reception import counters
# One stored submission: several chat messages in a row, or a letter handed in at a reception day.
MAX_SUBMISSION_CHARS = 10_000


class MessageRejected(ValueError):
    """The text cannot be stored; `reason` is a key into the bot's text catalogue."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


# A line break inside a spreadsheet cell, as other systems' exports spell it out (Excel's _x000D_, the spaces or the
# newline after it kept): the break it stands for, never letters in a deputy's draft.
_SPELLED_BREAK = re.compile(r"_x000[dD]_[ \t]*(?:\r?\n)?|_x000[aA]_")


def clean_text(text: str) -> str:
    """Controls, lone surrogates and non-characters break exports, documents and terminals; nothing readable
    is lost by dropping them. A lone CR is kept out too: it would start a formula in a spreadsheet cell."""
    return plain_text.writable(_SPELLED_BREAK.sub("\n", text).replace("\r\n", "\n").replace("\r", "\n"))


def validate(text: str, max_chars: int) -> str:
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise MessageRejected("empty")
    if len(cleaned) > max_chars:
        raise MessageRejected("too_long", length=len(cleaned), limit=max_chars)
    return cleaned


def next_receipt(session: Session, day: str) -> str:
    """Hand out MS-<day>-<n>, n counting from 1 each day."""
    number = counters.increment(session, ReceiptCounter, {"day": day}, "last")
    return f"MS-{day}-{number:04d}"


@dataclass(frozen=True)
class StoredMessage:
    id: int
    receipt: str


_messages = Message.__table__
# Built once: every chat turn stores or changes a message, and a statement built afresh is keyed for
# SQLAlchemy's compiled cache on each execution, which cost more than running it.
_STORED = ("deputy_id", "citizen_id", "channel", "text", "receipt", "created_at", "status", "external_id")
_INSERT = Prebuilt(insert(_messages).values({name: bindparam(f"new_{name}") for name in _STORED})
                   .returning(_messages.c.id))


def numbered_insert():
    """PostgreSQL: the day's receipt counted and the message stored in one statement (one round trip less);
    the receipt reads as `next_receipt` writes it."""
    counters = ReceiptCounter.__table__
    numbered = (postgresql.insert(counters).values(day=bindparam("day"), last=1)
                .on_conflict_do_update(index_elements=["day"], set_={"last": counters.c.last + 1})
                .returning(counters.c.last).cte("numbered"))
    number = cast(numbered.c.last, Text)
    receipt = literal("MS-") + bindparam("day", type_=Text) + "-" + case(
        (numbered.c.last < 10000, func.lpad(number, 4, "0")), else_=number)
    columns = [name for name in _STORED if name != "receipt"]
    # An insert from a select gets no column defaults: the scalar ones (flags at false) are written here.
    defaults = [c for c in _messages.c if c.name not in _STORED and c.default is not None and c.default.is_scalar]
    values = select(*(bindparam(f"new_{name}", type_=_messages.c[name].type) for name in columns), receipt,
                    *(literal(c.default.arg, type_=c.type) for c in defaults))
    names = [*columns, "receipt", *(c.name for c in defaults)]
    return (insert(_messages).from_select(names, values.select_from(numbered))
            .returning(_messages.c.id, _messages.c.receipt).add_cte(numbered))


_NUMBERED_INSERT = Prebuilt(numbered_insert())


def submit(
    session: Session,
    *,
    deputy_id: int,
    citizen_id: int | None,
    text: str,
    channel: str,
    max_chars: int,
    local_tz: tzinfo,
    now: datetime | None = None,
    status: str = MessageStatus.RECEIVED,
    external_id: str | None = None,
    along: tuple[Prebuilt, dict] | None = None,
) -> StoredMessage:
    """Store a new message with the next receipt of its day. `along`, on PostgreSQL only: a statement that
    takes `numbered_insert()` as a CTE and returns its id and receipt, run instead with its own parameters
    added (the caller's next write in the same statement)."""
    cleaned = validate(text, max_chars)
    now = now or utcnow()
    day = now.astimezone(local_tz).strftime("%Y%m%d")
    values = dict(deputy_id=deputy_id, citizen_id=citizen_id, channel=channel, text=cleaned, created_at=now,
                  status=status, external_id=external_id)
    params = {f"new_{name}": value for name, value in values.items()}
    if session.get_bind().dialect.name == "postgresql":
        statement, extra = along or (_NUMBERED_INSERT, {})
        return StoredMessage(*statement.one(session, {**params, **extra, "day": day}))
    receipt = next_receipt(session, day)
    (message_id,) = _INSERT.one(session, {**params, "new_receipt": receipt})
    return StoredMessage(message_id, receipt)


class Contact(NamedTuple):
    """A message's receipt, contact details and words as an update left them."""
    receipt: str
    contact_phone: str | None
    share_phone: bool
    text: str


def update_fields(session: Session, message_id: int, **values) -> Contact:
    """Change these columns of one message; returns its receipt, contact details and words as they now are."""
    return Contact(*_prebuilt_update(tuple(sorted(values))).one(session, update_params(message_id, values)))


@lru_cache(maxsize=64)
def _prebuilt_update(names: tuple[str, ...]) -> Prebuilt:
    return Prebuilt(update_statement(names))


@lru_cache(maxsize=64)  # one per set of columns a caller changes
def update_statement(names: tuple[str, ...]):
    """The update of these columns of one message (parameters from `update_params`), returning its receipt,
    contact details and words."""
    return (update(_messages).where(_messages.c.id == bindparam("message"))
            .values({name: bindparam(f"new_{name}") for name in names})
            .returning(_messages.c.receipt, _messages.c.contact_phone, _messages.c.share_phone, _messages.c.text))


def update_params(message_id: int, values: dict) -> dict:
    return {"message": message_id, **{f"new_{name}": value for name, value in values.items()}}


def find_own(session: Session, citizen_id: int, receipt: str) -> Message | None:
    return session.scalar(select(Message).where(Message.receipt == receipt, Message.citizen_id == citizen_id))


def latest_own(session: Session, citizen_id: int, about: str | None = None) -> Message | None:
    """The citizen's last message that has been sent (not the one still being written); with `about` ("路灯",
    "小区门口的路灯"), the last one with those words or with what they end in after their last 的 ("路灯"), and None
    when no message has them."""
    sent = select(Message).where(Message.citizen_id == citizen_id, Message.status != MessageStatus.COLLECTING)
    if not about:
        return session.scalar(sent.order_by(Message.id.desc()).limit(1))
    head = about.rsplit("的", 1)[-1]
    words = [about] + ([head] if len(head) >= 2 and head != about else [])
    for word in words:
        named = session.scalar(sent.where(Message.text.contains(word, autoescape=True))
                               .order_by(Message.id.desc()).limit(1))
        if named is not None:
            return named
    return None
