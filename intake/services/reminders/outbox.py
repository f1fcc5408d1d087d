"""The outbox of deliveries to staff: a row per message, sent by whoever claims it, retried with back-off.

Any feature that tells staff something (reminders, a digest) calls `enqueue` inside its own transaction; the
row is the truth, and `deliver_due` (run by a scheduled job) sends what is due. A delivery is claimed by a
compare-and-set on its attempt count before it is sent, so two workers at once never send it twice; a claim
is a lease, so a worker that died while sending leaves it to be sent again after LEASE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.models import Delivery
from intake.services import upserts
from intake.services.console import audit
from intake.services.errors import NotFound

CHANNELS = ("wecom", "email")
MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)
LEASE = timedelta(minutes=5)
BATCH = 100
SHOWN = 100


class DeliveryFailed(Exception):
    """A channel could not deliver; `final` when trying again cannot help (the channel is not configured)."""

    def __init__(self, reason: str, *, final: bool = False):
        super().__init__(reason)
        self.final = final


@dataclass(frozen=True)
class Outgoing:
    """What a sender is given: a copy of the row, read while it was claimed."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str


class Sender(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver it, or raise DeliveryFailed."""


def enqueue(session: Session, *, channel: str, recipient: str, subject: str, body: str, dedupe_key: str,
            now: datetime) -> bool:
    """Put a message in the outbox once per dedupe_key; False when that key was queued before. The subject is
    kept to one line: it becomes an e-mail header."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return upserts.insert_if_absent(session, Delivery.__table__, {
        "channel": channel, "recipient": recipient, "subject": " ".join(subject.split())[:200], "body": body,
        "dedupe_key": dedupe_key[:200], "state": "pending", "attempts": 0, "next_attempt_at": now,
        "last_error": "", "created_at": now})


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most six hours."""
    return min(FIRST_DELAY * 2 ** (attempts - 1), LONGEST_DELAY)


def _claim(sessions: sessionmaker[Session], delivery_id: int, attempts: int, now: datetime) -> Outgoing | None:
    with sessions() as session, session.begin():
        won = session.execute(update(Delivery).where(
            Delivery.id == delivery_id, Delivery.attempts == attempts, Delivery.state.in_(("pending", "sending")),
            Delivery.next_attempt_at <= now,
        ).values(state="sending", attempts=attempts + 1, next_attempt_at=now + LEASE)).rowcount
        if won != 1:
            return None
        row = session.get(Delivery, delivery_id)
        return Outgoing(row.id, row.channel, row.recipient, row.subject, row.body)


def _settle(sessions: sessionmaker[Session], delivery_id: int, attempts: int, now: datetime,
            failure: DeliveryFailed | None) -> None:
    with sessions() as session, session.begin():
        row = session.get(Delivery, delivery_id)
        if failure is None:
            row.state, row.sent_at, row.last_error = "sent", now, ""
        elif failure.final or attempts >= MAX_ATTEMPTS:
            row.state, row.last_error = "failed", str(failure)[:1000]
        else:
            row.state, row.last_error = "pending", str(failure)[:1000]
            row.next_attempt_at = now + backoff(attempts)


def deliver_due(sessions: sessionmaker[Session], senders: Mapping[str, Sender], now: datetime) -> dict:
    """Send every delivery that is due; returns how many were sent and how many failed this time."""
    with sessions() as session:
        due = session.execute(select(Delivery.id, Delivery.attempts).where(
            Delivery.state.in_(("pending", "sending")), Delivery.next_attempt_at <= now,
        ).order_by(Delivery.id).limit(BATCH)).all()
    counts = {"sent": 0, "failed": 0}
    for delivery_id, attempts in due:
        message = _claim(sessions, delivery_id, attempts, now)
        if message is None:  # someone else is sending it
            continue
        sender = senders.get(message.channel)
        failure = None
        try:
            if sender is None:
                raise DeliveryFailed("发送方式未配置", final=True)
            sender.send(message)
        except DeliveryFailed as exc:
            failure = exc
        _settle(sessions, delivery_id, attempts + 1, now, failure)
        counts["failed" if failure else "sent"] += 1
    return counts


def unsent(session: Session, limit: int = SHOWN) -> list[Delivery]:
    """Deliveries not (yet) sent, newest first: what the operations page lists."""
    return list(session.scalars(select(Delivery).where(Delivery.state != "sent")
                                .order_by(Delivery.id.desc()).limit(limit)))


def retry(session: Session, delivery_id: int, *, now: datetime, actor: str) -> Delivery:
    """Try an unsent delivery again now, with a fresh count of attempts."""
    row = session.scalar(select(Delivery).where(Delivery.id == delivery_id).with_for_update())
    if row is None or row.state == "sent":
        raise NotFound("delivery")
    before = {"state": row.state, "attempts": row.attempts}
    row.state, row.attempts, row.next_attempt_at = "pending", 0, now
    session.flush()
    audit.record(session, actor, "delivery.retry", f"delivery:{row.id}", before, {"state": "pending"})
    return row
