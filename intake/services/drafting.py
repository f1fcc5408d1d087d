"""Grouping a deputy's tagged messages into draft suggestions, one open draft per topic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Deputy, Draft, DraftMessage, DraftStatus, Message, MessageStatus
from intake.services import privacy

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_PROPOSAL = re.compile(r"建议|希望|要求|应该|应当|恳请|请求")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def compose(draft: Draft, local_tz: tzinfo) -> None:
    """Write the draft's sections from its messages only: every sentence is a citizen's own."""
    messages = draft.messages
    citizens = {m.citizen_id if m.citizen_id is not None else f"m{m.id}" for m in messages}
    days = sorted(m.created_at.astimezone(local_tz).date() for m in messages)
    problems, proposals = [], []
    for message in messages:
        # Deputies never see phone or ID-card numbers that citizens typed into their messages.
        for sentence in sentences(privacy.mask(message.text)):
            target = proposals if _PROPOSAL.search(sentence) else problems
            target.append({"text": sentence, "message_ids": [message.id]})
    draft.title = f"关于{draft.topic}方面问题的建议"
    draft.sections = {
        "situation": (
            f"{days[0]:%Y年%m月%d日}至{days[-1]:%Y年%m月%d日}，共有{len(citizens)}位群众"
            f"通过“码上说”反映{draft.topic}方面的问题，共{len(messages)}条。"
        ),
        "problems": problems,
        "proposals": proposals,
        "handling_unit": draft.handling_unit,
    }


def batch_deputy(session: Session, deputy_id: int, local_tz: tzinfo) -> list[int]:
    """Put every tagged, undrafted message of a deputy into its topic's open draft.

    Returns the ids of drafts that changed; an empty list when there was nothing to do.
    """
    # The row lock serialises two batch runs for one deputy on PostgreSQL; SQLite serialises writers anyway.
    if session.get(Deputy, deputy_id, with_for_update=True) is None:
        return []
    pending = session.scalars(
        select(Message)
        .where(Message.deputy_id == deputy_id, Message.status == MessageStatus.TAGGED)
        .order_by(Message.id)
    ).all()
    changed: dict[int, Draft] = {}
    for message in pending:
        draft = session.scalar(
            select(Draft)
            .where(Draft.deputy_id == deputy_id, Draft.topic == message.topic, Draft.status == DraftStatus.OPEN)
            .order_by(Draft.id.desc())
        )
        if draft is None:
            draft = Draft(deputy_id=deputy_id, topic=message.topic, handling_unit=message.handling_unit, title="")
            session.add(draft)
            session.flush()
        draft.links.append(DraftMessage(message=message))
        message.status = MessageStatus.DRAFTED
        changed[draft.id] = draft
    for draft in changed.values():
        compose(draft, local_tz)
    session.flush()
    return sorted(changed)


def drafts_for(session: Session, deputy_id: int) -> list[Draft]:
    return list(
        session.scalars(select(Draft).where(Draft.deputy_id == deputy_id).order_by(Draft.updated_at.desc())).all()
    )


def all_drafts(session: Session, deputy_id: int | None = None) -> list[Draft]:
    query = select(Draft).order_by(Draft.deputy_id, Draft.id)
    if deputy_id is not None:
        query = query.where(Draft.deputy_id == deputy_id)
    return list(session.scalars(query).all())


def summary(draft: Draft) -> dict:
    """A draft as plain data: what it says and which messages (with the numbers they were imported with) are behind it."""
    return {
        "id": draft.id,
        "deputy_id": draft.deputy_id,
        "title": draft.title,
        "topic": draft.topic,
        "status": draft.status,
        "handling_unit": draft.handling_unit,
        "sections": draft.sections,
        "messages": [{"id": m.id, "receipt": m.receipt, "external_id": m.external_id} for m in draft.messages],
        "updated_at": draft.updated_at.isoformat(),
    }


def deputies_with_pending(session: Session) -> list[int]:
    return list(
        session.scalars(select(Message.deputy_id).where(Message.status == MessageStatus.TAGGED).distinct()).all()
    )


def draft_of(session: Session, deputy_id: int, draft_id: int) -> Draft | None:
    """The draft, only when it belongs to this deputy."""
    return session.scalar(select(Draft).where(Draft.id == draft_id, Draft.deputy_id == deputy_id))


def remove_from_drafts(session: Session, message_ids: list[int], local_tz: tzinfo) -> None:
    """Take messages out of open drafts (approved ones are the deputy's and stay as they are)."""
    links = session.scalars(
        select(DraftMessage).join(Draft, Draft.id == DraftMessage.draft_id)
        .where(DraftMessage.message_id.in_(message_ids), Draft.status == DraftStatus.OPEN)
    ).all()
    touched = {link.draft for link in links}
    for link in links:
        link.draft.links.remove(link)
    session.flush()
    for draft in touched:
        if draft.links:
            compose(draft, local_tz)
        else:
            session.delete(draft)
    session.flush()


def draft_from(session: Session, messages: list[Message], local_tz: tzinfo) -> Draft:
    """A new draft from exactly these messages (staff asked for it), whatever their current drafts."""
    remove_from_drafts(session, [m.id for m in messages], local_tz)
    topics = Counter(m.topic or "其他" for m in messages)
    topic = topics.most_common(1)[0][0]
    unit = next((m.handling_unit for m in messages if m.topic == topic), None)
    draft = Draft(deputy_id=messages[0].deputy_id, topic=topic, handling_unit=unit, title="")
    session.add(draft)
    session.flush()
    for message in messages:
        draft.links.append(DraftMessage(message=message))
        message.status = MessageStatus.DRAFTED
    compose(draft, local_tz)
    session.flush()
    return draft
