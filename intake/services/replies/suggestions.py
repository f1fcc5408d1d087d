"""The check of units' replies to suggestions: the one the office is about to accept or the deputy to rate,
and the share of each unit's replies judged 充分 for the statistics page.

Nothing is stored: a check is worked out from the reply, its suggestion and the replies before it whenever a
page shows it, so it follows the rules as they are today. Copies are looked for among the replies to other
suggestions submitted before this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.config import LifecycleRules
from intake.models import HandlingUnit, Reply, Suggestion
from intake.services.lifecycle.figures import percent
from intake.services.lifecycle.handling import rules_or_default
from intake.services.replies import scoring
from intake.services.replies.copies import Copies, Item

# The reply each stage shows: the office checks the one submitted, the deputy rates the one accepted.
SHOWN = {"reply_submitted": "submitted", "answered": "accepted"}


def _asked(suggestion: Suggestion) -> str:
    return "\n".join(part for part in (suggestion.title, suggestion.problems, suggestion.proposals) if part)


def _check(suggestion: Suggestion, reply: Reply, copied_from: str, rules: LifecycleRules) -> scoring.Check:
    replied_on = reply.submitted_at.astimezone(ZoneInfo(rules.timezone)).date() if reply.submitted_at else None
    return scoring.check(scoring.suggestion_points(suggestion.problems, suggestion.proposals), reply.text,
                         asked=_asked(suggestion), category=reply.category, promised=reply.promised_date,
                         deadline=suggestion.deadline, replied_on=replied_on, copied_from=copied_from)


def shown_check(session: Session, suggestion: Suggestion, rules: LifecycleRules | None = None, *,
                deputy: bool = False) -> scoring.Check | None:
    """The check of the reply this suggestion's stage puts before a person, or None when there is none: office
    staff see the reply submitted or accepted, a deputy only the accepted one they are asked to rate."""
    if deputy and suggestion.status != "answered":
        return None
    state = SHOWN.get(suggestion.status)
    if state is None:
        return None
    reply = session.scalar(select(Reply).where(Reply.suggestion_id == suggestion.id, Reply.state == state)
                           .order_by(Reply.id.desc()).limit(1))
    if reply is None:
        return None
    earlier = session.execute(
        select(Reply.text, Suggestion.number, Suggestion.title, Suggestion.problems, Suggestion.proposals)
        .join(Suggestion, Suggestion.id == Reply.suggestion_id)
        .where(Reply.suggestion_id != suggestion.id, Reply.id < reply.id).order_by(Reply.id)).all()
    items = [Item(row.number, row.text, _asked(row)) for row in earlier]
    items.append(Item(suggestion.number, reply.text, _asked(suggestion)))
    return _check(suggestion, reply, Copies(items).source(len(items) - 1), rules_or_default(rules))


@dataclass(frozen=True)
class UnitShare:
    name: str
    checked: int
    full: int  # judged 充分
    share: float  # percent


def unit_shares(session: Session, year: int | None = None, *, rules: LifecycleRules | None = None
                ) -> list[UnitShare]:
    """Per unit, its replies (all rounds, sent back or not) and the share judged 充分, most replies first."""
    rules = rules_or_default(rules)
    query = (select(Reply, Suggestion, HandlingUnit.name).join(Suggestion, Suggestion.id == Reply.suggestion_id)
             .join(HandlingUnit, HandlingUnit.id == Reply.unit_id).order_by(Reply.id))
    rows = session.execute(query).all()
    copies = Copies([Item(s.number, r.text, _asked(s)) for r, s, _ in rows])
    counts: dict[str, list[int]] = {}
    for index, (reply, suggestion, name) in enumerate(rows):
        if year is not None and suggestion.year != year:
            continue
        level = _check(suggestion, reply, copies.source(index), rules).level
        tally = counts.setdefault(name, [0, 0])
        tally[0] += 1
        tally[1] += level == "充分"
    shares = [UnitShare(name, n, full, percent(full, n)) for name, (n, full) in counts.items()]
    return sorted(shares, key=lambda u: (-u.checked, u.name))
