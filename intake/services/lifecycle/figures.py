"""The congress's figures on suggestions, counted from the stored rows every time (no counters that drift).

办复率 = answered / total; 面商率 = with at least one 当面 contact / total; 满意率 = (满意 + 基本满意) / rated;
办结率 = (category A, or B whose promised work is reported done) / total; shares of A–D are of the answered.
A suggestion counts with the accepted reply of the round it is in and its latest rating: one reopened by 不满意
is neither answered nor concluded while its next round runs (its page says 办理中, 第 2 轮), and its 不满意
still counts in 满意率 until the deputy rates the new reply. Percentages have two decimals (the API's
numbers); printed, one (`percent_text`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

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


# What each rate counts and of what: a rate of nothing (no suggestion yet, none rated) is not 0 %, it is "—".
COUNTS = {"reply_rate": ("answered", "total"), "face_to_face_rate": ("face_to_face", "total"),
          "satisfaction_rate": ("satisfied", "rated"), "completion_rate": ("completed", "total")}
BASES = {key: whole for key, (_, whole) in COUNTS.items()}
NONE = "—"


def percent_text(part: int, whole: int, *, counts: bool = False) -> str:
    """part of whole as the congress prints a percentage: one decimal rounded half up, a whole number without its
    ".0" (83.3%, 100%), from the counts themselves; with `counts` the count behind it follows (83.3%（5/6）), as the
    pages show it. "—" when it is a share of nothing."""
    if not whole:
        return NONE
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    shown = f"{value:.0f}%" if value == value.to_integral_value() else f"{value}%"
    return f"{shown}（{part}/{whole}）" if counts else shown


def rate_text(f: dict, key: str, *, counts: bool = False) -> str:
    """One of a figures dictionary's four rates as printed."""
    part, whole = COUNTS[key]
    return percent_text(f[part], f[whole], counts=counts)


def share_text(f: dict, category: str, *, counts: bool = False) -> str:
    """A reply category's share of the answered suggestions as printed."""
    return percent_text(f["by_category"][category], f["answered"], counts=counts)


def _facts_query(year: int | None, station_id: int | None = None):
    """One row per suggestion: what the figures count and what they are broken down by. The latest accepted
    reply and the latest rating are those with no later one (an anti-join on the (suggestion_id, …, id)
    indexes), which both databases answer from the index alone; the reply only if it is of the suggestion's
    current round (a reply its deputy turned down with 不满意 no longer answers it)."""
    reply, later_reply, rating, later_rating = aliased(Reply), aliased(Reply), aliased(Rating), aliased(Rating)
    met = exists().where(UnitContact.suggestion_id == Suggestion.id, UnitContact.way == "face")
    query = (select(Suggestion.status, Suggestion.deadline, Suggestion.key_supervision, reply.category,
                    reply.done_reported_at.is_not(None).label("done"), met.label("met"), rating.level,
                    Assignment.unit_id, Suggestion.lead_deputy_id, Suggestion.topic)
             .select_from(Suggestion)
             .outerjoin(reply, and_(reply.suggestion_id == Suggestion.id, reply.state == "accepted",
                                    reply.round == Suggestion.round,
                                    ~exists().where(later_reply.suggestion_id == Suggestion.id,
                                                    later_reply.state == "accepted", later_reply.id > reply.id)))
             .outerjoin(rating, and_(rating.suggestion_id == Suggestion.id,
                                     ~exists().where(later_rating.suggestion_id == Suggestion.id,
                                                     later_rating.id > rating.id)))
             .outerjoin(Assignment, and_(Assignment.suggestion_id == Suggestion.id, Assignment.active.is_(True),
                                         Assignment.role == "lead")))
    if year is not None:
        query = query.where(Suggestion.year == year)
    if station_id is not None:  # a station's suggestions are those its deputies lead
        query = query.where(Suggestion.lead_deputy_id.in_(select(Deputy.id).where(Deputy.station_id == station_id)))
    return query


def _facts(session: Session, year: int | None) -> list:
    return list(session.execute(_facts_query(year)))


def _counted(session: Session, year: int | None, on: date, station_id: int | None) -> tuple:
    """The counts _summary makes, summed by the database instead (no row per suggestion leaves it)."""
    facts = _facts_query(year, station_id).subquery()

    def number(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    answered = facts.c.category.is_not(None)
    return session.execute(select(
        func.count(),
        *[number(facts.c.category == name) for name in CATEGORY_KEYS],
        number(facts.c.met), number(facts.c.level.is_not(None)), number(facts.c.level.in_(("satisfied", "basic"))),
        number(or_(facts.c.category == "A", and_(facts.c.category == "B", facts.c.done))),
        number(and_(facts.c.status.in_(WITH_UNIT), facts.c.deadline < on)),
        number(facts.c.key_supervision),
        number(answered),
    )).one()


# Where each grouping key sits in a row of _facts.
_KEY_AT = {"unit": 7, "deputy": 8, "topic": 9}


def _summary(facts, on: date) -> dict:
    total = answered = face = rated = pleased = completed = overdue = key = 0
    by_category = dict.fromkeys(CATEGORY_KEYS, 0)
    for status, deadline, key_supervision, category, done, met, level, *_ in facts:
        total += 1
        key += bool(key_supervision)
        if category:
            answered += 1
            by_category[category] += 1
            completed += category == "A" or (category == "B" and bool(done))
        face += bool(met)
        if level:
            rated += 1
            pleased += level in ("satisfied", "basic")
        overdue += status in WITH_UNIT and deadline is not None and deadline < on
    return _figures(total, answered, by_category, face, rated, pleased, completed, overdue, key)


def _figures(total, answered, by_category, face, rated, pleased, completed, overdue, key) -> dict:
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


def _grouped(session: Session, facts, by: str, on: date) -> list[dict]:
    if by == "unit":
        names = dict(session.execute(select(HandlingUnit.id, HandlingUnit.name)).all())
    elif by == "deputy":
        names = dict(session.execute(select(Deputy.id, Deputy.name)).all())
    elif by == "topic":
        names = {}
    else:
        raise ValueError(f"breakdown by {by!r}")
    groups = defaultdict(list)
    for row in facts:
        groups[row[_KEY_AT[by]]].append(row)
    result = []
    for key, members in groups.items():
        name = names.get(key, "") if by == "deputy" else names.get(key, "未交办") if by == "unit" else key or "未分类"
        result.append({**_summary(members, on), "name": name})
    return sorted(result, key=lambda item: (-item["total"], item["name"]))


def figures(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None,
            station_id: int | None = None) -> dict:
    """The year's figures (all years when None): total, answered, by_category, shares, the four rates, overdue;
    of one station's deputies' suggestions when station_id is given."""
    on = today(rules_or_default(rules))
    total, a, b, c, d, met, rated, pleased, completed, overdue, key, answered = (
        int(n) for n in _counted(session, year, on, station_id))
    return {**_figures(total, answered, dict(zip(CATEGORY_KEYS, (a, b, c, d))), met, rated, pleased, completed,
                       overdue, key), "year": year}


def breakdown(session: Session, year: int | None, by: str, *, rules: LifecycleRules | None = None) -> list[dict]:
    """The same figures per lead unit, per lead deputy or per topic, largest first; each has a "name"."""
    return _grouped(session, _facts(session, year), by, today(rules_or_default(rules)))


def overview(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None) -> dict:
    """What the stats page shows, from one read of the rows: {"figures": …, "unit": […], "deputy": […],
    "topic": […]}."""
    on, facts = today(rules_or_default(rules)), _facts(session, year)
    result = {"figures": {**_summary(facts, on), "year": year}}
    for by in BREAKDOWNS:
        result[by] = _grouped(session, facts, by, on)
    return result


def years(session: Session) -> list[int]:
    """The years that have suggestions, newest first."""
    return list(session.scalars(select(Suggestion.year).distinct().order_by(Suggestion.year.desc())))
