"""What a deputy sees at a glance: counts, their drafts with citizens and new messages, their own messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session

from intake.models import Deputy, Draft, DraftMessage, DraftStatus, Message, MessageStatus, Suggestion, stages, utcnow
from intake.services.privacy import masking
from intake.services.drafts.drafting import VISIBLE_TO_DEPUTY
from intake.services.lifecycle.states import HAS_ANSWER

# Messages a deputy never sees: still being written, taken back, or held and rejected by staff.
HIDDEN = (MessageStatus.COLLECTING, MessageStatus.WITHDRAWN, MessageStatus.HELD, MessageStatus.REJECTED)
PAGE_SIZE = 30
SEARCH_LIMIT = 2000
_RECEIPT = re.compile(r"MS-\d{8}-\d{4}", re.IGNORECASE)


@dataclass(frozen=True)
class DraftLine:
    draft: Draft
    messages: int
    citizens: int
    new: int
    suggestion: Suggestion | None = None  # the suggestion a submitted draft became, once staff registered it


def _visible_messages(deputy_id: int):
    return select(Message).where(Message.deputy_id == deputy_id, Message.status.not_in(HIDDEN))


def counts(session: Session, deputy: Deputy) -> dict[str, int]:
    new = _visible_messages(deputy.id)
    if deputy.messages_viewed_at is not None:
        new = new.where(Message.created_at > deputy.messages_viewed_at)
    new_messages = select(func.count()).select_from(new.subquery())
    by_status = dict(session.execute(
        select(Draft.status, func.count()).where(Draft.deputy_id == deputy.id).group_by(Draft.status)).all())
    # Waiting for an answer: the deputy's suggestions without one yet (from a draft or on paper), and approved drafts
    # staff have not registered. One with an answer waits for the deputy's rating instead, listed apart.
    registered = select(Suggestion.draft_id).where(Suggestion.draft_id.is_not(None))
    unregistered = session.scalar(select(func.count()).select_from(Draft).where(
        Draft.deputy_id == deputy.id, Draft.status.in_(stages.DRAFTS_SUBMITTED), Draft.id.not_in(registered)))
    unanswered = session.scalar(select(func.count()).select_from(Suggestion).where(
        Suggestion.lead_deputy_id == deputy.id, Suggestion.status.not_in(HAS_ANSWER)))
    return {"new_messages": session.scalar(new_messages), "open_drafts": by_status.get(DraftStatus.OPEN, 0),
            "submitted": unregistered + unanswered}


def draft_lines(session: Session, deputy_id: int) -> list[DraftLine]:
    """The deputy's drafts, latest activity first, with their numbers, in one query."""
    is_new = case((or_(Draft.viewed_at.is_(None), DraftMessage.added_at > Draft.viewed_at), 1), else_=0)
    anonymous = case((Message.citizen_id.is_(None), 1), else_=0)
    rows = session.execute(
        select(Draft, func.count(DraftMessage.message_id), func.count(distinct(Message.citizen_id)),
               func.sum(anonymous), func.sum(is_new))
        .join(DraftMessage, DraftMessage.draft_id == Draft.id)
        .join(Message, Message.id == DraftMessage.message_id)
        .where(Draft.deputy_id == deputy_id, Draft.status.in_(VISIBLE_TO_DEPUTY))
        .group_by(Draft.id)
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    ).all()
    suggestions = became(session, [draft for draft, *_ in rows])
    return [DraftLine(draft, total, citizens + (anonymous or 0), new or 0, suggestions.get(draft.id))
            for draft, total, citizens, anonymous, new in rows]


def became(session: Session, drafts: Iterable[Draft]) -> dict[int, Suggestion]:
    """The suggestion each submitted draft of these became, once staff registered it, by draft id: the deputy's home
    and messages both say its number and where it stands."""
    submitted = {draft.id for draft in drafts if draft.status in stages.DRAFTS_SUBMITTED}
    if not submitted:
        return {}
    return {suggestion.draft_id: suggestion
            for suggestion in session.scalars(select(Suggestion).where(Suggestion.draft_id.in_(submitted)))}


def other_open_drafts(session: Session, deputy_id: int, draft_id: int) -> list[Draft]:
    return list(session.scalars(select(Draft).where(Draft.deputy_id == deputy_id, Draft.id != draft_id,
                                                    Draft.status == DraftStatus.OPEN).order_by(Draft.id)))


def cosigner_choices(session: Session, deputy_id: int) -> list[Deputy]:
    return list(session.scalars(select(Deputy).where(Deputy.active.is_(True), Deputy.id != deputy_id)
                                .order_by(Deputy.station_id, Deputy.id)))


def topics(session: Session, deputy_id: int) -> list[str]:
    query = select(Message.topic).distinct().where(Message.deputy_id == deputy_id, Message.topic.is_not(None),
                                                    Message.status.not_in(HIDDEN))
    return sorted(session.scalars(query))


@dataclass(frozen=True)
class MessagePage:
    messages: list[Message]
    page: int
    pages: int
    total: int


def messages(session: Session, deputy_id: int, text: str = "", topic: str = "", page: int = 1) -> MessagePage:
    """This deputy's messages, newest first, by words and topic.

    Words are matched in the masked text a deputy reads, so a search cannot find out a masked phone number.
    """
    query = _visible_messages(deputy_id).order_by(Message.id.desc())
    if topic:
        query = query.where(Message.topic == topic)
    text = text.strip()
    if _RECEIPT.fullmatch(text):
        query = query.where(Message.receipt == text.upper())
        text = ""
    if text:
        candidates = session.scalars(query.where(Message.text.contains(text, autoescape=True))
                                     .limit(SEARCH_LIMIT)).all()
        found = [m for m in candidates if text in masking.mask(m.text)]
        page, pages = _clamp(page, len(found))
        return MessagePage(found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages, len(found))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page, pages = _clamp(page, total)
    rows = session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return MessagePage(list(rows), page, pages, total)


def _clamp(page: int, total: int) -> tuple[int, int]:
    """The page asked for, within the pages there are (always at least one), and how many there are."""
    pages = max(1, -(-total // PAGE_SIZE))
    return min(max(page, 1), pages), pages


def mark_messages_viewed(deputy: Deputy):
    previous, deputy.messages_viewed_at = deputy.messages_viewed_at, utcnow()
    return previous

