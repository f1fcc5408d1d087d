"""What an integrating system may read: deputies, drafts, suggestions and a message's stage, page by page.

Every query takes the key's station (None for a key of the whole congress); an object outside it answers
NotFound like a missing one. Pages run in id order and continue after an opaque cursor, so rows added while a
client pages through never shift what it has already seen.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.models import (MAX_ID, ApiSubmission, Assignment, Deputy, Draft, DraftMessage, DraftStatus, Message,
                           MessageStatus, Suggestion, SuggestionMessage, stages)
from intake.services.drafts import draft_text
from intake.services.errors import InvalidInput, NotFound
from intake.services.privacy import masking

MAX_PAGE = 100
_CURSOR_PREFIX = "after:"


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def cursor_of(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{last_id}".encode()).decode().rstrip("=")


def after_id(cursor: str | None) -> int:
    """The id a cursor continues after (0 for the first page); anything not made by cursor_of is refused."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("api_cursor_invalid") from None
    number = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not number.isdecimal() or not 0 < int(number) <= MAX_ID:
        raise InvalidInput("api_cursor_invalid")
    return int(number)


def _page(session: Session, query, id_column, cursor: str | None, limit: int) -> Page:
    limit = max(1, min(limit, MAX_PAGE))
    rows = list(session.scalars(query.where(id_column > after_id(cursor)).order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, cursor_of(rows[-1].id) if more else None)


def _in_station(query, station_id: int | None, deputy_column):
    if station_id is None:
        return query
    return query.where(deputy_column.in_(select(Deputy.id).where(Deputy.station_id == station_id)))


@dataclass(frozen=True)
class PublicDeputy:
    id: int
    name: str
    level: str
    station_id: int
    station_name: str
    citizen_link: str | None


def _public(deputy: Deputy, base_url: str) -> PublicDeputy:
    link = deputy.current_link
    return PublicDeputy(deputy.id, deputy.name, deputy.level, deputy.station_id, deputy.station.name,
                        f"{base_url}/c/{link.slug}" if link else None)


def _deputies(station_id: int | None):
    query = select(Deputy).where(Deputy.active.is_(True)).options(selectinload(Deputy.links),
                                                                  selectinload(Deputy.station))
    return query if station_id is None else query.where(Deputy.station_id == station_id)


def deputies(session: Session, station_id: int | None, base_url: str, *, cursor: str | None = None,
             limit: int = 50) -> Page:
    """Serving deputies: name, level, station and the link behind their QR code — never a phone number."""
    page = _page(session, _deputies(station_id), Deputy.id, cursor, limit)
    return Page([_public(deputy, base_url) for deputy in page.items], page.next_cursor)


def deputy(session: Session, station_id: int | None, deputy_id: int, base_url: str) -> PublicDeputy:
    found = session.scalar(_deputies(station_id).where(Deputy.id == deputy_id))
    if found is None:
        raise NotFound("deputy")
    return _public(found, base_url)


# Still being gathered from citizens' messages: not yet a draft anyone wrote.
_NOT_YET_DRAFTS = (DraftStatus.COLLECTING,)


@dataclass(frozen=True)
class DraftView:
    id: int
    title: str
    topic: str
    stage: str
    deputy_id: int
    deputy_name: str
    suggested_unit: str | None
    created_at: object
    updated_at: object


def _draft_view(draft: Draft) -> DraftView:
    # The title the deputy gave it where they wrote one; third persons the deputy has not chosen to name stay
    # 王某某 here as on every page, those its letters name too (masking.in_draft).
    title = masking.in_draft(draft_text.text_of(draft, "title"), draft)
    return DraftView(draft.id, title, draft.topic, draft.status, draft.deputy_id, draft.deputy.name,
                     draft.handling_unit, draft.created_at, draft.updated_at)


def _drafts(station_id: int | None, stage: str | None):
    # A title is masked with the names its letters tell (_draft_view): they come with it.
    letters = selectinload(Draft.links).selectinload(DraftMessage.message)
    query = select(Draft).where(Draft.status.not_in(_NOT_YET_DRAFTS)).options(selectinload(Draft.deputy), letters)
    if stage:
        query = query.where(Draft.status == stage)
    return _in_station(query, station_id, Draft.deputy_id)


def drafts(session: Session, station_id: int | None, *, stage: str | None = None, cursor: str | None = None,
           limit: int = 50) -> Page:
    page = _page(session, _drafts(station_id, stage), Draft.id, cursor, limit)
    return Page([_draft_view(draft) for draft in page.items], page.next_cursor)


def draft(session: Session, station_id: int | None, draft_id: int) -> DraftView:
    found = session.scalar(_drafts(station_id, None).where(Draft.id == draft_id))
    if found is None:
        raise NotFound("draft")
    return _draft_view(found)


@dataclass(frozen=True)
class UnitPart:
    id: int
    name: str
    role: str  # lead / co


@dataclass(frozen=True)
class SuggestionView:
    id: int
    number: str
    year: int
    title: str
    topic: str
    kind: str
    stage: str
    lead_deputy_id: int
    lead_deputy_name: str
    units: list[UnitPart]
    reply_category: str | None
    deadline: object
    created_at: object
    updated_at: object


def _suggestion_view(suggestion: Suggestion) -> SuggestionView:
    units = [UnitPart(a.unit_id, a.unit.name, a.role)
             for a in sorted(suggestion.active_assignments, key=lambda a: (a.role != "lead", a.id))]
    accepted = [reply for reply in suggestion.replies if reply.state == "accepted"]
    return SuggestionView(suggestion.id, suggestion.number, suggestion.year, suggestion.title, suggestion.topic,
                          suggestion.kind, suggestion.status, suggestion.lead_deputy_id,
                          suggestion.lead_deputy.name, units, accepted[-1].category if accepted else None,
                          suggestion.deadline, suggestion.created_at, suggestion.updated_at)


def _suggestions(station_id: int | None, stage: str | None, year: int | None):
    query = select(Suggestion).options(selectinload(Suggestion.assignments).selectinload(Assignment.unit),
                                       selectinload(Suggestion.lead_deputy), selectinload(Suggestion.replies))
    if stage:
        query = query.where(Suggestion.status == stage)
    if year is not None:
        query = query.where(Suggestion.year == year)
    return _in_station(query, station_id, Suggestion.lead_deputy_id)


def suggestions(session: Session, station_id: int | None, *, stage: str | None = None, year: int | None = None,
                cursor: str | None = None, limit: int = 50) -> Page:
    page = _page(session, _suggestions(station_id, stage, year), Suggestion.id, cursor, limit)
    return Page([_suggestion_view(suggestion) for suggestion in page.items], page.next_cursor)


def suggestion(session: Session, station_id: int | None, suggestion_id: int) -> SuggestionView:
    found = session.scalar(_suggestions(station_id, None, None).where(Suggestion.id == suggestion_id))
    if found is None:
        raise NotFound("suggestion")
    return _suggestion_view(found)


@dataclass(frozen=True)
class MessageStage:
    receipt: str
    stage: str
    created_at: object
    draft_id: int | None
    suggestion_id: int | None
    suggestion_stage: str | None


RECEIPT = re.compile(r"MS-[0-9]{8}-[0-9]{4,10}")
# Holding a message for review says it looked like spam: a client learns only that it waits to be handled.
_SHOWN_STAGE = {MessageStatus.HELD: MessageStatus.RECEIVED, MessageStatus.COLLECTING: MessageStatus.RECEIVED}


def message_stage(session: Session, station_id: int | None, receipt: str) -> MessageStage:
    """Where the message with this receipt, submitted through the API, is: its own stage, and the draft and
    suggestion it went into."""
    receipt = receipt.strip().upper()
    if not RECEIPT.fullmatch(receipt):
        raise NotFound("message")  # no such receipt can exist; nor does the database see odd bytes
    # A chat's message holds its number from its first words; until it is sent, the number was never given out.
    # Only messages that came in through the API, as Open311 answers: receipts are numbered one after another, and
    # a key must not list when each citizen wrote in the chat or on WeChat and what became of it.
    query = _in_station(select(Message).where(Message.receipt == receipt,
                                              Message.status.not_in(stages.MESSAGES_UNSENT),
                                              Message.id.in_(select(ApiSubmission.message_id))),
                        station_id, Message.deputy_id)
    message = session.scalar(query)
    if message is None:
        raise NotFound("message")
    draft_id = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == message.id))
    grew_from = Suggestion.id.in_(select(SuggestionMessage.suggestion_id)
                                  .where(SuggestionMessage.message_id == message.id))
    if draft_id is not None:
        grew_from = grew_from | (Suggestion.draft_id == draft_id)
    found = session.execute(select(Suggestion.id, Suggestion.status).where(grew_from)
                            .order_by(Suggestion.id.desc()).limit(1)).first()
    return MessageStage(message.receipt, _SHOWN_STAGE.get(message.status, message.status), message.created_at,
                        draft_id, found.id if found else None, found.status if found else None)
