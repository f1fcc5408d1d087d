"""The unit office staff chose for a kind of problem: kept when they give a suggestion to a lead unit, and
proposed as 建议承办单位 for later drafts on a similar problem, wherever it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.places import is_real_place
from intake.models import Draft, HandlingUnit, Message, Suggestion, UnitChoice, utcnow
from intake.services.drafts import grouping, stamps

PROBLEM_WORDS = 12  # the problem's most said words: what kind of problem it is
# Two problems are of one kind when half the words of the shorter list are in the other, and at least these many.
SAME_KIND = 0.5
MIN_SHARED = 3
UNIT_CHARS = 50  # what a draft's 建议承办单位 holds


@dataclass(frozen=True)
class Choice:
    words: frozenset[str]
    unit: str
    suggestion_id: int  # the later choice wins a tie


def _terms(message: Message) -> dict[str, list[str]]:
    return message.terms if message.terms is not None else grouping.message_terms(message.text)


def problem_words(messages: Iterable[Message]) -> list[str]:
    """The words most of the messages say, without places: the kind of problem, not where it is."""
    said: Counter = Counter()
    for message in messages:
        terms = _terms(message)
        places = terms.get("places") or ()
        said.update(word for word in terms["words"]
                    if not is_real_place(word) and not any(word in place for place in places))
    return [word for word, _ in said.most_common(PROBLEM_WORDS)]


def _unit_name(unit: HandlingUnit) -> str:
    """As a draft names it: the full name, or the short name when the full one does not fit (the office's
    list finds a unit by either)."""
    return unit.name if len(unit.name) <= UNIT_CHARS else (unit.short_name or unit.name)[:UNIT_CHARS]


def remember(session: Session, suggestion: Suggestion, unit: HandlingUnit) -> None:
    """Staff gave this suggestion to `unit`: the latest choice for it is kept with the words of its problem."""
    draft = session.get(Draft, suggestion.draft_id) if suggestion.draft_id else None
    if draft is not None and draft.links:
        words = problem_words(draft.messages)
    else:  # written on paper: its own words say the problem
        words = grouping.message_terms(f"{suggestion.title}\n{suggestion.problems}")["words"][:PROBLEM_WORDS]
    if len(words) < MIN_SHARED:
        return  # too little to know the kind of problem by
    choice = session.get(UnitChoice, suggestion.id)
    if choice is None:
        session.add(UnitChoice(suggestion_id=suggestion.id, unit_id=unit.id, words=words))
    else:
        choice.unit_id, choice.words, choice.chosen_at = unit.id, words, utcnow()


def load(session: Session) -> list[Choice]:
    """Every remembered choice whose unit still takes suggestions; read once per batch or change."""
    rows = session.execute(select(UnitChoice.suggestion_id, UnitChoice.words, HandlingUnit)
                           .join(HandlingUnit, HandlingUnit.id == UnitChoice.unit_id)
                           .where(HandlingUnit.active.is_(True)))
    return [Choice(frozenset(words), _unit_name(unit), suggestion_id) for suggestion_id, words, unit in rows]


def current(session: Session, stamped: dict[str, str]) -> list[Choice]:
    """As `load`, read from the database only when the choices changed since this process last read them."""
    return stamps.kept(session, stamped, stamps.UNIT_CHOICES, load)


def preferred(choices: Sequence[Choice], words: Sequence[str]) -> str | None:
    """The unit staff chose for the problem of this kind most like these words, None when none is alike."""
    wanted = frozenset(words)
    best, best_key = None, None
    for choice in choices:
        shared = len(wanted & choice.words)
        smaller = min(len(wanted), len(choice.words))
        if shared < MIN_SHARED or shared < SAME_KIND * smaller:
            continue
        key = (shared / smaller, choice.suggestion_id)
        if best_key is None or key > best_key:
            best, best_key = choice.unit, key
    return best
