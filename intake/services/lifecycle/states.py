"""The one state machine of a suggestion: only `move` changes its status, and every move is kept twice,
as a SuggestionEvent in its history and in the audit log.

registered → assigned → (return_requested → assigned again) → handling → reply_submitted → answered → rated
→ closed; a reply sent back returns to handling; an unsatisfied rating reopens it (handling, next round).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

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

LABELS = {
    S.REGISTERED: "已登记",
    S.ASSIGNED: "已交办",
    S.RETURN_REQUESTED: "申请退回",
    S.HANDLING: "办理中",
    S.REPLY_SUBMITTED: "答复待审核",
    S.ANSWERED: "已答复",
    S.RATED: "已评价",
    S.CLOSED: "已办结",
}

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
ACTION_LABELS = {
    "register": "登记", "assign": "交办", "request_return": "申请退回", "reassign": "重新交办",
    "contact": "登记沟通情况", "opinion": "提交协办意见", "reply": "提交答复", "accept": "审核通过答复",
    "send_back": "退回答复", "rate": "评价", "report_done": "报告落实完成", "import": "从台账导入",
}

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
