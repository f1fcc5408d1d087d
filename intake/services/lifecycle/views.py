"""What each person may see of suggestions: a unit only those assigned to it, a deputy those they lead or
co-sign, office staff all of them. An id outside what one may see answers NotFound, like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.config import LifecycleRules
from intake.models import (Assignment, CoOpinion, Draft, HandlingUnit, Rating, Reply, Suggestion,
                           SuggestionCosigner, SuggestionEvent, UnitContact)
from intake.services.errors import NotFound
from intake.services.lifecycle.handling import rules_or_default, today
from intake.services.lifecycle.states import WITH_UNIT
from intake.services.lifecycle.units import proposed_unit
from intake.services.privacy import masking

PAGE = 200


@dataclass(frozen=True)
class OfficeFilters:
    year: int | None = None
    status: str = ""
    unit_id: int | None = None
    deputy_id: int | None = None
    text: str = ""  # in the number or the title
    key_only: bool = False
    overdue_only: bool = False


@dataclass(frozen=True)
class Viewer:
    """Who asks: role "staff" (office, admin), "unit" or "deputy", with the unit's or deputy's id."""

    role: str
    id: int | None = None


def _with_parts(query):
    return query.options(selectinload(Suggestion.assignments).selectinload(Assignment.unit),
                         selectinload(Suggestion.lead_deputy), selectinload(Suggestion.cosigners))


def _unit_ids(unit_id: int):
    return select(Assignment.suggestion_id).where(Assignment.unit_id == unit_id, Assignment.active.is_(True))


def _deputy_ids(deputy_id: int):
    return select(SuggestionCosigner.suggestion_id).where(SuggestionCosigner.deputy_id == deputy_id)


def unit_list(session: Session, unit_id: int, *, year: int | None = None, page: int = 1) -> ListPage:
    """The suggestions given to a unit, PAGE at a time: those it still has to handle first, soonest deadline first,
    then the rest newest first (a list cut at 200 by deadline once hid the newest 交办 and counted 200 of 208)."""
    query = select(Suggestion).where(Suggestion.id.in_(_unit_ids(unit_id)))
    if year:
        query = query.where(Suggestion.year == year)
    still_open = Suggestion.status.in_(WITH_UNIT)
    return _page_of(session, query, page, case((still_open, 0), else_=1),
                    case((still_open, Suggestion.deadline), else_=None), Suggestion.id.desc())


def unit_years(session: Session, unit_id: int) -> list[int]:
    """The years of the suggestions given to a unit, newest first: what its list can be narrowed to."""
    return list(session.scalars(select(Suggestion.year).where(Suggestion.id.in_(_unit_ids(unit_id)))
                                .distinct().order_by(Suggestion.year.desc())))


def one_for_unit(session: Session, unit_id: int, suggestion_id: int) -> Suggestion:
    suggestion = session.scalar(_with_parts(select(Suggestion)).where(
        Suggestion.id == suggestion_id, Suggestion.id.in_(_unit_ids(unit_id))))
    if suggestion is None:
        raise NotFound("suggestion")
    return suggestion


def unit_role(session: Session, unit_id: int, suggestion_id: int) -> str | None:
    """"lead", "co", or None when the unit does not handle the suggestion (any more)."""
    return session.scalar(select(Assignment.role).where(Assignment.suggestion_id == suggestion_id,
                                                        Assignment.unit_id == unit_id, Assignment.active.is_(True)))


def for_deputy(session: Session, deputy_id: int) -> list[Suggestion]:
    query = select(Suggestion).where(or_(Suggestion.lead_deputy_id == deputy_id,
                                         Suggestion.id.in_(_deputy_ids(deputy_id))))
    return list(session.scalars(_with_parts(query).order_by(Suggestion.id.desc()).limit(PAGE)))


def one_for_deputy(session: Session, deputy_id: int, suggestion_id: int) -> Suggestion:
    suggestion = session.scalar(_with_parts(select(Suggestion)).where(
        Suggestion.id == suggestion_id,
        or_(Suggestion.lead_deputy_id == deputy_id, Suggestion.id.in_(_deputy_ids(deputy_id)))))
    if suggestion is None:
        raise NotFound("suggestion")
    return suggestion


def one(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = session.scalar(_with_parts(select(Suggestion)).where(Suggestion.id == suggestion_id))
    if suggestion is None:
        raise NotFound("suggestion")
    return suggestion


@dataclass(frozen=True)
class ListPage:
    """One page of a list of suggestions; `first`–`last` are the rows' places among all `total`."""

    rows: list[Suggestion]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * PAGE + len(self.rows)


def office_list(session: Session, filters: OfficeFilters = OfficeFilters(), *, page: int = 1,
                rules: LifecycleRules | None = None) -> ListPage:
    """The suggestions the filters keep, newest first, PAGE at a time."""
    return _page_of(session, _office_query(filters, rules), page, Suggestion.id.desc())


def _page_of(session: Session, query, page: int, *order) -> ListPage:
    """One page of `query` in `order`, with the count of all it finds; a page past the end shows the last one."""
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 1), pages)
    rows = session.scalars(_with_parts(query).order_by(*order).offset((page - 1) * PAGE).limit(PAGE))
    return ListPage(list(rows), page, pages, total)


def _office_query(filters: OfficeFilters, rules: LifecycleRules | None):
    query = select(Suggestion)
    if filters.year:
        query = query.where(Suggestion.year == filters.year)
    if filters.status:
        query = query.where(Suggestion.status == filters.status)
    if filters.unit_id:
        query = query.where(Suggestion.id.in_(_unit_ids(filters.unit_id)))
    if filters.deputy_id:
        query = query.where(or_(Suggestion.lead_deputy_id == filters.deputy_id,
                                Suggestion.id.in_(_deputy_ids(filters.deputy_id))))
    if filters.text:
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Suggestion.number.like(pattern, escape="\\"),
                                Suggestion.title.like(pattern, escape="\\")))
    if filters.key_only:
        query = query.where(Suggestion.key_supervision.is_(True))
    if filters.overdue_only:
        query = query.where(Suggestion.status.in_(WITH_UNIT),
                            Suggestion.deadline < today(rules_or_default(rules)))
    return query


def overdue(suggestion: Suggestion, on: date) -> bool:
    return suggestion.status in WITH_UNIT and suggestion.deadline is not None and suggestion.deadline < on


def days_overdue(suggestions: list[Suggestion], on: date) -> dict[int, int]:
    """How many days past its deadline each overdue suggestion is: a list says 已超期 3 天, never a bare 已超期."""
    return {s.id: (on - s.deadline).days for s in suggestions if overdue(s, on)}


def suggested_lead(session: Session, suggestion: Suggestion) -> HandlingUnit | None:
    """The unit the draft's 建议承办单位 names, to pre-select as the lead unit."""
    return proposed_unit(session, suggestion.suggested_unit)


def suggested_unit_shown(session: Session, suggestion: Suggestion) -> str:
    """The draft's 建议承办单位 as its page and document showed it to the deputy who signed it: a person it names
    masked (王某某). Kept as typed, it still finds the unit to pre-select (suggested_lead)."""
    draft = session.get(Draft, suggestion.draft_id) if suggestion.suggested_unit and suggestion.draft_id else None
    return masking.in_draft(suggestion.suggested_unit, draft) if draft else masking.mask(suggestion.suggested_unit)


def suggested_leads(session: Session, suggestions: list[Suggestion]) -> dict[int, int]:
    """The id of the unit each suggestion's 建议承办单位 names, for those that name one: the list's batch 交办
    pre-selects it when the ticked suggestions agree. One look-up per distinct name, not per row."""
    names = {s.suggested_unit for s in suggestions if s.suggested_unit}
    found = {name: unit.id for name in names if (unit := proposed_unit(session, name)) is not None}
    return {s.id: found[s.suggested_unit] for s in suggestions if s.suggested_unit in found}


@dataclass(frozen=True)
class History:
    events: list[SuggestionEvent]
    contacts: list[UnitContact]
    opinions: list[CoOpinion]
    replies: list[Reply]
    ratings: list[Rating]


def history(session: Session, suggestion_id: int) -> History:
    """Everything that happened to a suggestion, oldest first (the caller has checked who may see it)."""
    def rows(model, order):
        return list(session.scalars(select(model).where(model.suggestion_id == suggestion_id).order_by(order)))

    return History(rows(SuggestionEvent, SuggestionEvent.id), rows(UnitContact, UnitContact.id),
                   rows(CoOpinion, CoOpinion.id), rows(Reply, Reply.id), rows(Rating, Rating.id))


def attachment(session: Session, reply_id: int, viewer: Viewer, rules: LifecycleRules | None = None
               ) -> tuple[str, Path, str]:
    """(file name, path on disk, "pdf"/"docx") of a reply's attachment the viewer may download: office staff
    any; a unit those of suggestions it handles; a deputy those of accepted replies on their suggestions."""
    rules = rules_or_default(rules)
    reply = session.get(Reply, reply_id)
    if reply is None or not reply.attachment_path:
        raise NotFound("attachment")
    if viewer.role == "unit":
        if unit_role(session, viewer.id, reply.suggestion_id) is None:
            raise NotFound("attachment")
    elif viewer.role == "deputy":
        if reply.state != "accepted":
            raise NotFound("attachment")
        one_for_deputy(session, viewer.id, reply.suggestion_id)
    elif viewer.role != "staff":
        raise NotFound("attachment")
    path = rules.instance_dir / reply.attachment_path
    if not path.is_file():
        raise NotFound("attachment")
    return reply.attachment_name or f"答复.{reply.attachment_type}", path, reply.attachment_type
