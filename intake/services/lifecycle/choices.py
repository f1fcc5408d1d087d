"""What the suggestion pages list to choose from: units, approved drafts still to register, and the answers
waiting for a deputy's rating."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.models import Assignment, Draft, DraftMessage, HandlingUnit, Suggestion, stages
from intake.services.lifecycle.states import S


def units(session: Session, *, everyone: bool = False) -> list[HandlingUnit]:
    """Units to assign to (the active ones), or every unit for the office's list, the stopped ones last. In the
    order the district listed them (its list is imported row by row; a unit added by hand comes after it): ordered
    by name, they came by code point (交通 before 住建 before 城管), an order no clerk knows."""
    query = select(HandlingUnit).order_by(HandlingUnit.active.desc(), HandlingUnit.id)
    if not everyone:
        query = query.where(HandlingUnit.active.is_(True))
    return list(session.scalars(query))


def unit(session: Session, unit_id: int | None) -> HandlingUnit | None:
    return session.get(HandlingUnit, unit_id) if unit_id else None


def _unregistered():
    registered = select(Suggestion.draft_id).where(Suggestion.draft_id.is_not(None))
    return (select(Draft).where(Draft.status.in_(stages.DRAFTS_SUBMITTED), Draft.id.not_in(registered))
            .options(selectinload(Draft.deputy),
                     # its title is masked by the names its messages tell (masking.in_draft): read at once, not per row
                     selectinload(Draft.links).selectinload(DraftMessage.message)))


def unregistered_drafts(session: Session) -> list[Draft]:
    """Drafts deputies approved that the office has not registered yet, oldest first."""
    return list(session.scalars(_unregistered().order_by(Draft.id)))


def unregistered_draft(session: Session, draft_id: int) -> Draft | None:
    """One of unregistered_drafts, for the office to read before registering it; None for a draft its deputy has
    not submitted (theirs alone to read) or one registered already."""
    return session.scalar(_unregistered().where(Draft.id == draft_id))


def suggestion_of_draft(session: Session, draft_id: int) -> int | None:
    """The id of the suggestion a draft was registered as."""
    return session.scalar(select(Suggestion.id).where(Suggestion.draft_id == draft_id))


def awaiting_rating(session: Session, deputy_id: int) -> list[Suggestion]:
    """Accepted replies on the deputy's own suggestions that they have not rated yet."""
    query = (select(Suggestion).where(Suggestion.lead_deputy_id == deputy_id, Suggestion.status == S.ANSWERED)
             .options(selectinload(Suggestion.assignments).selectinload(Assignment.unit)).order_by(Suggestion.id))
    return list(session.scalars(query))
