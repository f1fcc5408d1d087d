"""Open311 GeoReport v2 read as our domain: topics as services, API submissions as service requests.

Only messages that came in through the API are service requests: a citizen who wrote to their deputy in
the chat did not write to other systems. A key limited to a station sees that station's requests only.
A request is closed when its suggestion was answered in category A or rated (or when it will go no
further: not taken into a suggestion, or set aside by staff); otherwise open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from intake.classifier.taxonomy import Taxonomy
from intake.labels import SUGGESTION_STATUS
from intake.models import (ApiSubmission, Assignment, Deputy, Draft, DraftMessage, HandlingUnit, Message,
                           Reply, Station, Suggestion, SuggestionMessage)
from intake.services.api.keys import LiveKey, require_scope
from intake.services.api.reads import RECEIPT
from intake.services.errors import InvalidInput, NotFound
from intake.services.lifecycle.handling import CATEGORIES
from intake.services.lifecycle.states import HAS_ANSWER, SuggestionStatus as S
from intake.services.privacy import masking
from intake.services.reception import progress

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90  # the standard's window when no dates are given
MAX_IDS = 100
YEARS = (1900, 2999)  # a date outside these is a mistake, and near year 1 or 9999 the 90-day window overflows
PAGE = 200

# What the citizen-facing stage (the chat's 查询, `message_progress`) means to another system, before there is a suggestion.
STAGE_NOTES = {
    "collecting": "已收到，正在整理",
    "received": "已收到，正在整理",
    "tagged": "已收到，正在整理",
    "held": "已收到，工作人员正在核实",
    "drafted": "已整理进代表建议草稿，等待代表审阅",
    "submitted": "代表已将建议草稿提交代表工委，等待登记为代表建议",
    "closed": "代表已阅，这次没有写入建议",
    "rejected": "工作人员核实后没有转给代表",
    "withdrawn": "已撤回",
}
FINISHED_STAGES = ("closed", "rejected", "withdrawn")


def message_stage(session: Session, message: Message) -> str:
    """The stage the chat's 查询 and the progress page tell the citizen; the one place that asks for it."""
    return progress.message_progress(session, message).stage


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: str


def services(taxonomy: Taxonomy) -> list[Service]:
    """Each first-level topic is a service; its handling units are its group."""
    found = []
    for topic in taxonomy.topics:
        subtopics = [sub for sub in taxonomy.subtopics(topic) if sub != "其他"]
        units = dict.fromkeys(taxonomy.unit_for(topic, sub) for sub in taxonomy.subtopics(topic))
        found.append(Service(code=topic, name=topic, description=f"{topic}方面的问题和建议，转给代表",
                             group="、".join(units), keywords=",".join(subtopics)))
    return found


def service(taxonomy: Taxonomy, code: str) -> Service:
    if code not in taxonomy.topics:
        raise NotFound("api_service_unknown")
    return next(candidate for candidate in services(taxonomy) if candidate.code == code)


def check_service(taxonomy: Taxonomy, code: str) -> None:
    if code not in taxonomy.topics:
        raise NotFound("api_service_unknown")


@dataclass(frozen=True)
class Filters:
    ids: tuple[str, ...] = ()
    service_code: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, args) -> "Filters":
        """From the query string, strictly: a value we cannot read is refused, never ignored."""
        ids = tuple(part.strip() for part in (args.get("service_request_id") or "").split(",") if part.strip())
        if len(ids) > MAX_IDS:
            raise InvalidInput("api_too_many_ids", limit=MAX_IDS)
        statuses = frozenset(part.strip() for part in (args.get("status") or "").split(",") if part.strip())
        if statuses - {"open", "closed"}:
            raise InvalidInput("api_status")
        return cls(ids=ids, service_code=(args.get("service_code") or "").strip() or None,
                   start=_moment(args.get("start_date"), "start_date"), end=_moment(args.get("end_date"), "end_date"),
                   statuses=statuses)


def _moment(text: str | None, name: str) -> datetime | None:
    """A W3C date-time with its offset (2026-12-01T00:00:00+08:00 or …Z)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        given = datetime.fromisoformat(text)
        # Without an offset the moment is ambiguous.
        if given.tzinfo is None or not YEARS[0] <= given.year <= YEARS[1]:
            raise ValueError(text)
        return given.astimezone(timezone.utc)
    except ValueError:
        raise InvalidInput("api_date", field=name) from None


@dataclass(frozen=True)
class ServiceRequest:
    service_request_id: str
    token: str
    status: str  # open / closed
    status_notes: str
    service_code: str
    service_name: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str
    lat: float | None
    long: float | None


@dataclass(frozen=True)
class _Progress:
    status: str
    notes: str
    agency: str
    updated: datetime | None
    expected: date | None


def _latest_answer(session: Session, suggestion_id: int) -> Reply | None:
    return session.scalar(select(Reply).where(Reply.suggestion_id == suggestion_id, Reply.state == "accepted")
                          .order_by(Reply.id.desc()).limit(1))


def _suggestion_progress(session: Session, suggestion: Suggestion) -> _Progress:
    lead = session.scalar(select(HandlingUnit.name).join(Assignment, Assignment.unit_id == HandlingUnit.id)
                          .where(Assignment.suggestion_id == suggestion.id, Assignment.active.is_(True),
                                 Assignment.role == "lead").order_by(Assignment.id.desc()).limit(1)) or ""
    notes = f"已写入代表建议 {suggestion.number}，{SUGGESTION_STATUS.get(suggestion.status, suggestion.status)}"
    if lead:
        notes += f"，主办单位：{lead}"
    answer = _latest_answer(session, suggestion.id) if suggestion.status in HAS_ANSWER else None
    if answer is not None:
        notes += f"。答复为{answer.category}类（{CATEGORIES.get(answer.category, '')}）"
    closed = suggestion.status in (S.RATED, S.CLOSED) or (answer is not None and answer.category == "A")
    return _Progress("closed" if closed else "open", notes, lead, suggestion.updated_at, suggestion.deadline)


def _progress(session: Session, message: Message) -> _Progress:
    suggestion = session.scalar(select(Suggestion)
                                .join(SuggestionMessage, SuggestionMessage.suggestion_id == Suggestion.id)
                                .where(SuggestionMessage.message_id == message.id)
                                .order_by(Suggestion.id.desc()).limit(1))
    if suggestion is not None:
        return _suggestion_progress(session, suggestion)
    stage = message_stage(session, message)
    draft_changed = session.scalar(select(func.max(Draft.updated_at))
                                   .join(DraftMessage, DraftMessage.draft_id == Draft.id)
                                   .where(DraftMessage.message_id == message.id))
    return _Progress("closed" if stage in FINISHED_STAGES else "open", STAGE_NOTES.get(stage, stage), "",
                     draft_changed, None)


def _request(session: Session, row, local_tz: tzinfo) -> ServiceRequest:
    submission, message, deputy_name, station_name = row
    progress = _progress(session, message)
    times = [t for t in (message.created_at, message.tagged_at, progress.updated) if t is not None]
    expected = datetime.combine(progress.expected, time(23, 59, 59), local_tz) if progress.expected else None
    return ServiceRequest(
        service_request_id=message.receipt, token=str(message.id), status=progress.status,
        status_notes=progress.notes, service_code=message.topic or "", service_name=message.topic or "",
        description=masking.mask(message.text), agency_responsible=progress.agency,
        service_notice=f"已转给{station_name}的{deputy_name}代表", requested_datetime=message.created_at,
        updated_datetime=max(times), expected_datetime=expected, address=submission.address or "",
        lat=submission.lat, long=submission.long)


def _visible(key: LiveKey) -> Select:
    query = (select(ApiSubmission, Message, Deputy.name, Station.name)
             .join(Message, Message.id == ApiSubmission.message_id)
             .join(Deputy, Deputy.id == Message.deputy_id).join(Station, Station.id == Deputy.station_id))
    if key.station_id is not None:
        query = query.where(Deputy.station_id == key.station_id)
    return query


def find_requests(session: Session, key: LiveKey, filters: Filters, *, local_tz: tzinfo,
                  now: datetime) -> list[ServiceRequest]:
    """At most 1,000 requests, newest first; without ids or dates, those of the last 90 days."""
    require_scope(key, "read")
    query = _visible(key)
    if filters.ids:  # the standard: a list of ids overrides every other filter
        filters = Filters(ids=filters.ids)
        # An id that cannot be a receipt matches nothing; the database never sees its bytes.
        query = query.where(Message.receipt.in_([one for one in filters.ids if RECEIPT.fullmatch(one)]))
    else:
        start = filters.start or ((filters.end or now) - timedelta(days=DEFAULT_DAYS))
        query = query.where(Message.created_at >= start)
        if filters.end:
            query = query.where(Message.created_at <= filters.end)
    if filters.service_code:
        query = query.where(Message.topic == filters.service_code)
    found: list[ServiceRequest] = []
    before = None
    # Status is worked out per request, so the query reads page by page until enough match.
    while len(found) < MAX_REQUESTS:
        page = query.where(Message.id < before) if before is not None else query
        rows = session.execute(page.order_by(Message.id.desc()).limit(PAGE)).all()
        for row in rows:
            request = _request(session, row, local_tz)
            if not filters.statuses or request.status in filters.statuses:
                found.append(request)
        if len(rows) < PAGE:
            break
        before = rows[-1][1].id
    return found[:MAX_REQUESTS]


def find_request(session: Session, key: LiveKey, request_id: str, *, local_tz: tzinfo) -> ServiceRequest:
    """One request; another station's is answered as a missing one."""
    require_scope(key, "read")
    request_id = request_id.strip()
    row = (session.execute(_visible(key).where(Message.receipt == request_id)).first()
           if RECEIPT.fullmatch(request_id) else None)
    if row is None:
        raise NotFound("api_request_unknown")
    return _request(session, row, local_tz)


def find_token(session: Session, key: LiveKey, token: str) -> tuple[str, str]:
    """(token, service_request_id): the standard's way to learn the id of a request submitted earlier."""
    require_scope(key, "read")
    number = token.strip()
    row = (session.execute(_visible(key).where(ApiSubmission.message_id == int(number))).first()
           if number.isdecimal() and 0 < int(number) < 2**31 else None)
    if row is None:
        raise NotFound("api_token_unknown")
    return number, row[1].receipt
