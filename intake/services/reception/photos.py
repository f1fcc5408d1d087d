"""The photos citizens attached to their messages, for those allowed to see the message itself."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Attachment, Draft, DraftMessage


def ids_by_message(session: Session, message_ids: list[int]) -> dict[int, list[int]]:
    """The stored photos of each message (a WeChat picture not fetched yet has none)."""
    rows = session.execute(
        select(Attachment.message_id, Attachment.id)
        .where(Attachment.message_id.in_(message_ids), Attachment.data.is_not(None))
        .order_by(Attachment.id)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for message_id, photo_id in rows:
        found[message_id].append(photo_id)
    return dict(found)


def photo(session: Session, message_id: int, photo_id: int) -> Attachment | None:
    return session.scalar(select(Attachment).where(
        Attachment.id == photo_id, Attachment.message_id == message_id, Attachment.data.is_not(None)))


def for_deputy(session: Session, deputy_id: int, message_id: int, photo_id: int) -> Attachment | None:
    """Only photos of messages in one of the deputy's drafts: a held message never reaches a deputy."""
    in_draft = session.scalar(
        select(DraftMessage.message_id).join(Draft, Draft.id == DraftMessage.draft_id)
        .where(DraftMessage.message_id == message_id, Draft.deputy_id == deputy_id)
    )
    return photo(session, message_id, photo_id) if in_draft is not None else None
