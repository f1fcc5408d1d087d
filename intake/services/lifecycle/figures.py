"""The congress's figures on suggestions, counted from the stored rows every time (no counters that drift).

办复率 = answered / total; 面商率 = with at least one 当面 contact / total; 满意率 = (满意 + 基本满意) / rated;
办结率 = (category A, or B whose promised work is reported done) / total; shares of A–D are of the answered.
A suggestion counts with its latest accepted reply and its latest rating; percentages have two decimals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.config import LifecycleRules
from intake.models import Assignment, Deputy, HandlingUnit, Rating, Reply, Suggestion, UnitContact
from intake.services.lifecycle.handling import rules_or_default, today
from intake.services.lifecycle.states import WITH_UNIT

CATEGORY_KEYS = ("A", "B", "C", "D")
BREAKDOWNS = ("unit", "deputy", "topic")


def percent(part: int, whole: int) -> float:
    """part / whole as a percentage rounded half up to two decimals (61.05, not 61.0526…); 0 of 0 is 0."""
    if not whole:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class _Row:
    """What the figures need of one suggestion."""

    id: int
    status: str
    deadline: date | None
    deputy_id: int
    topic: str
    key_supervision: bool
    category: str | None = None  # of the latest accepted reply
    done: bool = False  # that reply is B and its promised work was reported done
    face: bool = False
    rating: str | None = None  # the latest rating's level


def _rows(session: Session, year: int | None) -> dict[int, _Row]:
    chosen = select(Suggestion.id)
    if year is not None:
        chosen = chosen.where(Suggestion.year == year)
    query = select(Suggestion.id, Suggestion.status, Suggestion.deadline, Suggestion.lead_deputy_id, Suggestion.topic,
                   Suggestion.key_supervision)
    if year is not None:
        query = query.where(Suggestion.year == year)
    rows = {r[0]: _Row(*r) for r in session.execute(query)}
    replies = (select(Reply.suggestion_id, Reply.category, Reply.done_reported_at.is_not(None))
               .where(Reply.state == "accepted", Reply.suggestion_id.in_(chosen)).order_by(Reply.round, Reply.id))
    for suggestion_id, category, done in session.execute(replies):
        row = rows.get(suggestion_id)
        if row is not None:
            row.category, row.done = category, bool(done) and category == "B"
    faces = select(UnitContact.suggestion_id).where(UnitContact.way == "face",
                                                    UnitContact.suggestion_id.in_(chosen)).distinct()
    for suggestion_id in session.scalars(faces):
        if suggestion_id in rows:
            rows[suggestion_id].face = True
    ratings = (select(Rating.suggestion_id, Rating.level).where(Rating.suggestion_id.in_(chosen))
               .order_by(Rating.round, Rating.id))
    for suggestion_id, level in session.execute(ratings):
        if suggestion_id in rows:
            rows[suggestion_id].rating = level
    return rows


def _summary(rows, on: date) -> dict:
    total = answered = face = rated = pleased = completed = overdue = key = 0
    by_category = dict.fromkeys(CATEGORY_KEYS, 0)
    for row in rows:
        total += 1
        key += row.key_supervision
        if row.category:
            answered += 1
            by_category[row.category] += 1
            completed += row.category == "A" or row.done
        face += row.face
        if row.rating:
            rated += 1
            pleased += row.rating in ("satisfied", "basic")
        overdue += row.status in WITH_UNIT and row.deadline is not None and row.deadline < on
    return {
        "total": total,
        "answered": answered,
        "by_category": by_category,
        "shares": {name: percent(count, answered) for name, count in by_category.items()},
        "reply_rate": percent(answered, total),
        "face_to_face": face,
        "face_to_face_rate": percent(face, total),
        "rated": rated,
        "satisfied": pleased,
        "satisfaction_rate": percent(pleased, rated),
        "completed": completed,
        "completion_rate": percent(completed, total),
        "overdue": overdue,
        "key_supervision": key,
    }


def figures(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None) -> dict:
    """The year's figures (all years when None): total, answered, by_category, shares, the four rates, overdue."""
    result = _summary(_rows(session, year).values(), today(rules_or_default(rules)))
    result["year"] = year
    return result


def breakdown(session: Session, year: int | None, by: str, *, rules: LifecycleRules | None = None) -> list[dict]:
    """The same figures per lead unit, per lead deputy or per topic, largest first; each has a "name"."""
    if by not in BREAKDOWNS:
        raise ValueError(f"breakdown by {by!r}")
    rows = _rows(session, year)
    groups: dict[object, list[_Row]] = defaultdict(list)
    if by == "unit":
        leads = select(Assignment.suggestion_id, Assignment.unit_id).where(Assignment.active.is_(True),
                                                                           Assignment.role == "lead")
        lead_of = dict(session.execute(leads).all())
        names = dict(session.execute(select(HandlingUnit.id, HandlingUnit.name)).all())
        for row in rows.values():
            groups[names.get(lead_of.get(row.id), "未交办")].append(row)
    elif by == "deputy":
        names = dict(session.execute(select(Deputy.id, Deputy.name)).all())
        for row in rows.values():
            groups[(names.get(row.deputy_id, ""), row.deputy_id)].append(row)
    else:
        for row in rows.values():
            groups[row.topic or "未分类"].append(row)
    on = today(rules_or_default(rules))
    result = []
    for key, members in groups.items():
        summary = _summary(members, on)
        summary["name"] = key[0] if isinstance(key, tuple) else key
        result.append(summary)
    return sorted(result, key=lambda item: (-item["total"], item["name"]))


def years(session: Session) -> list[int]:
    """The years that have suggestions, newest first."""
    return list(session.scalars(select(Suggestion.year).distinct().order_by(Suggestion.year.desc())))
