"""A citizen's private link to one message's progress: /p/<token>, unguessable; only its hash is kept."""

from __future__ import annotations

import hashlib
import hmac

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


def browser_key(link_key: bytes, browser: str) -> bytes:
    """The key a browser's progress tokens are made with, from the server's link key (Settings.progress_link_key)
    and the browser's own conversation cookie: only that browser can be shown its links again, and nothing but
    their hashes is kept."""
    return hmac.new(link_key, browser.encode(), hashlib.sha256).digest()


def _browser_token(key: bytes, message_id: int) -> str:
    """39 code characters from the key and the message (as random as codes.code(39) to anyone without the key)."""
    number = int.from_bytes(hmac.new(key, str(message_id).encode(), hashlib.sha256).digest(), "big")
    characters = []
    for _ in range(39):
        number, index = divmod(number, len(codes.ALPHABET))
        characters.append(codes.ALPHABET[index])
    return "".join(characters)


def new_link(message_id: int, key: bytes | None = None) -> tuple[str, dict]:
    """A new token for the message and the parameters of INSERT that keep its hash (a chat turn merges
    the insert into its last statement on PostgreSQL). Made with a browser's key, the same browser is shown it
    again (links_again); without one it is random and never shown again."""
    token = _browser_token(key, message_id) if key else codes.code(39)
    return token, {"message": message_id, "token_hash": _hash(token), "now": utcnow()}


def links_again(session: Session, key: bytes | None, message_ids: list[int]) -> dict[int, str]:
    """The tokens made with this browser's key for these messages that still work (not revoked), by message."""
    if not key or not message_ids:
        return {}
    tokens = {message_id: _browser_token(key, message_id) for message_id in message_ids}
    live_hashes = set(session.scalars(select(ProgressLink.token_hash).where(
        ProgressLink.message_id.in_(message_ids), ProgressLink.revoked_at.is_(None),
        ProgressLink.token_hash.in_([_hash(token) for token in tokens.values()]))))
    return {message_id: token for message_id, token in tokens.items() if _hash(token) in live_hashes}


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
