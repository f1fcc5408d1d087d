"""Pictures WeChat followers send arrive as a MediaId; they are fetched soon after, re-encoded and kept."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.wechat_api import WeChatApi, WeChatApiError
from intake.models import Attachment
from intake.services.reception import media
REJECTED = "rejected"  # content type of a picture that turned out not to be one: never fetched again
BATCH = 50


def pending(session: Session) -> list[tuple[int, str]]:
    """(attachment id, MediaId) of the pictures still waiting to be fetched."""
    rows = session.execute(
        select(Attachment.id, Attachment.external_ref)
        .where(Attachment.data.is_(None), Attachment.external_ref.is_not(None), Attachment.content_type != REJECTED)
        .order_by(Attachment.id).limit(BATCH)
    )
    return [(attachment_id, media_id) for attachment_id, media_id in rows]


def store(session: Session, attachment_id: int, fetched: bytes) -> bool:
    """Keep the re-encoded picture (its EXIF and location dropped); False when it was not a picture."""
    attachment = session.get(Attachment, attachment_id, with_for_update=True)
    if attachment is None or attachment.data is not None:
        return False
    try:
        attachment.data, attachment.content_type = media.reencode(fetched)
    except media.ImageRejected:
        attachment.content_type = REJECTED
        return False
    return True


def fetch_all(sessions: Callable[[], Session], api: WeChatApi) -> dict:
    """Fetch every waiting picture; one that cannot be downloaded now is tried again next time."""
    with sessions() as session:
        waiting = pending(session)
    stored = errors = 0
    for attachment_id, media_id in waiting:
        try:
            fetched = api.media(media_id)
        except WeChatApiError:
            errors += 1
            continue
        with sessions() as session, session.begin():
            stored += store(session, attachment_id, fetched)
    return {"waiting": len(waiting), "stored": stored, "errors": errors}
