"""The one state machine of a suggestion: only `move` changes its status, and every move is kept twice,
as a SuggestionEvent in its history and in the audit log.

registered → assigned → (return_requested → assigned again) → handling → reply_submitted → answered → rated
→ closed; a reply sent back returns to handling; an unsatisfied rating reopens it (handling, next round).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake import labels
from intake.models import Suggestion, SuggestionEvent
from intake.services.console import audit
from intake.services.errors import InvalidTransition


class SuggestionStatus:
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    RETURN_REQUESTED = "return_requested"
    HANDLING = "handling"
    REPLY_SUBMITTED = "reply_submitted"
    ANSWERED = "answered"
    RATED = "rated"  # rated, and a B reply's promised work is not yet reported done
    CLOSED = "closed"


S = SuggestionStatus

LABELS = labels.SUGGESTION_STATUS

# What each action may do: from which statuses, to which. The actions without a status change (a contact,
# an opinion) still name where they are allowed.
EDGES: dict[str, dict[str, tuple[str, ...]]] = {
    "register": {"": (S.REGISTERED,)},
    "assign": {S.REGISTERED: (S.ASSIGNED,)},
    "request_return": {S.ASSIGNED: (S.RETURN_REQUESTED,), S.HANDLING: (S.RETURN_REQUESTED,)},
    "reassign": {S.RETURN_REQUESTED: (S.ASSIGNED,)},
    "contact": {S.ASSIGNED: (S.HANDLING,), S.HANDLING: (S.HANDLING,), S.REPLY_SUBMITTED: (S.REPLY_SUBMITTED,),
                S.ANSWERED: (S.ANSWERED,), S.RATED: (S.RATED,)},
    "opinion": {S.ASSIGNED: (S.HANDLING,), S.HANDLING: (S.HANDLING,)},
    "reply": {S.ASSIGNED: (S.REPLY_SUBMITTED,), S.HANDLING: (S.REPLY_SUBMITTED,)},
    "accept": {S.REPLY_SUBMITTED: (S.ANSWERED,)},
    "send_back": {S.REPLY_SUBMITTED: (S.HANDLING,)},
    "rate": {S.ANSWERED: (S.CLOSED, S.RATED, S.HANDLING)},
    "report_done": {S.ANSWERED: (S.ANSWERED,), S.RATED: (S.CLOSED,)},
    # A line of the office's ledger arrives in the status it describes.
    "import": {"": (S.REGISTERED, S.ASSIGNED, S.ANSWERED, S.RATED, S.CLOSED, S.HANDLING)},
}

# The action's name in the refusal sentence ("不能{action}").
ACTION_LABELS = labels.SUGGESTION_ACTIONS

# A reply the office accepted stands: the suggestion has its answer (an unsatisfied rating reopens it, to handling).
HAS_ANSWER = (S.ANSWERED, S.RATED, S.CLOSED)

# Still with a unit: these count as overdue once the deadline has passed.
WITH_UNIT = (S.ASSIGNED, S.RETURN_REQUESTED, S.HANDLING)


def allowed(status: str, action: str) -> bool:
    return status in EDGES[action]


def check(suggestion: Suggestion, action: str) -> None:
    """Refuse an action the suggestion's status does not allow, before anything is changed."""
    if not allowed(suggestion.status, action):
        raise InvalidTransition("suggestion_state", number=suggestion.number,
                                status=LABELS.get(suggestion.status, suggestion.status),
                                action=ACTION_LABELS[action])


def move(session: Session, suggestion: Suggestion, action: str, to: str, *, actor: str, note: str = "",
         data: dict | None = None) -> SuggestionEvent:
    """Change the status (or keep it, for an action that changes none) and write the history and audit."""
    before = suggestion.status or ""
    if to not in EDGES[action].get(before, ()):
        raise InvalidTransition("suggestion_state", number=suggestion.number, status=LABELS.get(before, before),
                                action=ACTION_LABELS[action])
    suggestion.status = to
    if suggestion.id is None:
        session.flush()
    event = SuggestionEvent(suggestion_id=suggestion.id, actor=actor, kind=action, from_status=before or None,
                            to_status=to, note=note, data=data or {})
    session.add(event)
    audit.record(session, actor, f"suggestion.{action}", f"suggestion:{suggestion.id}", {"status": before},
                 {"status": to, **(data or {})})
    return event
