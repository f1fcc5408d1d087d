"""A citizen's private link to one message's progress: /p/<token>, unguessable; only its hash is kept."""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from intake.models import Message, ProgressLink, utcnow
from intake.services import codes
from intake.services.console import audit

PATH = "/p/{token}"
# Built once, on the table: a link is issued on every confirmed chat turn, and adding a mapped object
# went through the ORM's unit of work at the flush, which cost more than the insert itself.
INSERT = insert(ProgressLink.__table__).values(message_id=bindparam("message"), token_hash=bindparam("token_hash"),
                                               created_at=bindparam("now"))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(message_id: int) -> tuple[str, dict]:
    """A new token for the message and the parameters of INSERT that keep its hash (a chat turn merges
    the insert into its last statement on PostgreSQL); the token is handed to the citizen and never shown again."""
    token = codes.code(39)
    return token, {"message": message_id, "token_hash": _hash(token), "now": utcnow()}


def message_for(session: Session, token: str) -> Message | None:
    """The message behind a live token; None for an unknown or revoked one."""
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Message).join(ProgressLink, ProgressLink.message_id == Message.id)
                          .where(ProgressLink.token_hash == _hash(token), ProgressLink.revoked_at.is_(None)))


def live(session: Session, message_id: int) -> int:
    """How many of the message's progress links still work."""
    return len(session.scalars(select(ProgressLink.id).where(ProgressLink.message_id == message_id,
                                                             ProgressLink.revoked_at.is_(None))).all())


def revoke(session: Session, message_id: int, *, actor: str) -> int:
    """Stop every progress link of the message (e.g. the citizen says someone else has it); returns how many."""
    revoked = session.execute(update(ProgressLink).where(ProgressLink.message_id == message_id,
                                                         ProgressLink.revoked_at.is_(None))
                              .values(revoked_at=utcnow())).rowcount
    if revoked:
        audit.record(session, actor, "progress_link.revoke", f"message:{message_id}", after={"links_revoked": revoked})
    return revoked
