"""The reminders a unit, the office or a deputy sees on their home page: only those still to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.models import Assignment, Reminder, Suggestion
from intake.services.lifecycle.states import S, WITH_UNIT

SHOWN = 50


@dataclass(frozen=True)
class Line:
    suggestion: Suggestion
    milestone: str
    at: datetime
    days_left: int | None  # to the deadline, negative once it has passed; None for a rating reminder

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def _lines(session: Session, recipient: str, today: date, unit_id: int | None = None) -> list[Line]:
    rows = session.execute(select(Reminder, Suggestion).join(Suggestion, Suggestion.id == Reminder.suggestion_id)
                           .options(selectinload(Suggestion.assignments).selectinload(Assignment.unit))
                           .where(Reminder.recipient == recipient, or_(
                               and_(Reminder.milestone != "rating", Suggestion.status.in_(WITH_UNIT)),
                               and_(Reminder.milestone == "rating", Suggestion.status == S.ANSWERED)))
                           .order_by(Reminder.id.desc()).limit(SHOWN * 4)).all()
    seen, lines = set(), []
    for reminder, suggestion in rows:  # the newest reminder of each suggestion, if it is about today's deadline
        if suggestion.id in seen:
            continue
        seen.add(suggestion.id)
        deadline = suggestion.deadline.isoformat() if suggestion.deadline else None
        current = reminder.milestone == "rating" or reminder.anchor == deadline
        if unit_id is not None and unit_id not in {a.unit_id for a in suggestion.active_assignments}:
            current = False
        if current:
            left = None if reminder.milestone == "rating" else (suggestion.deadline - today).days
            lines.append(Line(suggestion, reminder.milestone, reminder.created_at, left))
    lines.sort(key=lambda line: (not line.overdue, line.suggestion.deadline or date.max, line.suggestion.id))
    return lines[:SHOWN]


def for_unit(session: Session, unit_id: int, today: date) -> list[Line]:
    return _lines(session, f"unit:{unit_id}", today, unit_id)


def for_office(session: Session, today: date) -> list[Line]:
    return _lines(session, "office", today)


def for_deputy(session: Session, deputy_id: int, today: date) -> list[Line]:
    return _lines(session, f"deputy:{deputy_id}", today)


def rating_apart(lines: list[Line], to_rate: set[int]) -> tuple[list[Line], set[int]]:
    """The deputy's reminders less those about a reply listed for rating, and those replies' suggestions: the page marks
    them where the deputy rates them rather than listing the same suggestion twice."""
    waiting = {line.suggestion.id for line in lines if line.days_left is None and line.suggestion.id in to_rate}
    return [line for line in lines if line.suggestion.id not in waiting], waiting


def listed_apart(lines: list[Line], listed: set[int]) -> tuple[list[Line], dict[int, Line]]:
    """A unit's reminders less those about a suggestion its list shows, and those by suggestion: the list marks each
    in the suggestion's row (已超期 3 天) rather than naming the same suggestion twice."""
    marked = {line.suggestion.id: line for line in lines if line.suggestion.id in listed}
    return [line for line in lines if line.suggestion.id not in marked], marked
