"""The staff's actions on ticked messages as one use case: a typed request in, an outcome or a domain error out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy.orm import Session

from intake.classifier.taxonomy import Taxonomy
from intake.models import StaffUser
from intake.services.console import directory, triage
from intake.services.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class StaffAction:
    kind: str
    message_ids: tuple[int, ...]
    topic: str = ""  # retag
    reason: str = ""  # spam, abusive, duplicate: internal
    duplicate_of: str = ""  # the original's number or receipt, as typed
    to_deputy: int | None = None  # reassign
    note: str = ""
    draft: int | None = None  # to_draft: an open draft or collecting group of the same deputy


@dataclass(frozen=True)
class Outcome:
    handled: int
    deputies_to_batch: list[int]
    citizens_to_notify: list[int]  # once committed, their notices go out on their channels


def carry_out(session: Session, staff: StaffUser, action: StaffAction, taxonomy: Taxonomy,
              local_tz: tzinfo) -> Outcome:
    """Flushes; the caller commits, then batches the deputies named in the outcome."""
    if not action.message_ids:
        raise InvalidInput("nothing_selected")
    messages = triage.visible(session, staff, list(action.message_ids))
    if len(messages) != len(action.message_ids):
        raise NotFound("message")  # some of these are not this staff member's to see
    batch: list[int] = []
    notify: list[int] = []
    kind = action.kind
    if kind == "retag":
        if action.topic not in taxonomy.topics:
            raise InvalidInput("topic_missing")
        batch = triage.retag(session, staff, messages, action.topic, taxonomy, local_tz)
    elif kind in ("spam", "abusive"):
        triage.flag(session, staff, messages, kind, action.reason, local_tz)
    elif kind == "duplicate":
        triage.flag(session, staff, messages, kind, action.reason, local_tz,
                    duplicate_of=triage.referenced(session, staff, action.duplicate_of))
    elif kind == "release":
        batch = triage.release(session, staff, messages)
    elif kind == "reassign":
        target = directory.deputy_for_staff(session, staff, action.to_deputy or 0)
        if target is None:
            raise InvalidInput("reassign_target_missing")
        batch = triage.reassign(session, staff, messages, target, local_tz)
        notify = sorted({m.citizen_id for m in messages if m.citizen_id is not None})
    elif kind == "note":
        triage.add_note(session, staff, messages, action.note)
    elif kind == "to_draft":
        triage.add_to_draft(session, staff, messages, action.draft, local_tz)
    elif kind == "force_draft":
        triage.force_draft(session, staff, messages, local_tz)
    else:
        raise InvalidInput("action_missing")
    return Outcome(len(messages), batch, notify)
