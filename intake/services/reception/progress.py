"""Where a citizen's message stands on its way, and telling the citizens behind a suggestion when it moves on.

已收到 → 已归入建议草稿 → 已形成代表建议 (number) → 已交办 (lead unit) → 已答复 (category, the summary the office
approved) → 办理完毕. The chat's 查询 and the private progress page both ask message_progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import engine, texts
from intake.models import (Assignment, Draft, DraftMessage, DraftStatus, HandlingUnit, Message, MessageStatus, Reply,
                           Suggestion, SuggestionMessage, stages)
from intake.services.lifecycle.states import S
from intake.services.reception import outbound

STEPS = tuple(texts.PROGRESS_STEPS)
# Stages off the way (withdrawn, held …) and an approved draft not yet registered, placed on the way's steps.
_STEP_OF = {"submitted": "drafted"}
_SUGGESTION_STAGE = {S.REGISTERED: "suggested", S.ASSIGNED: "assigned", S.RETURN_REQUESTED: "assigned",
                     S.HANDLING: "assigned", S.REPLY_SUBMITTED: "assigned", S.ANSWERED: "replied",
                     S.RATED: "replied", S.CLOSED: "finished"}


@dataclass(frozen=True)
class Progress:
    receipt: str
    stage: str  # one of STEPS, or off the way: collecting, held, rejected, withdrawn, closed (not taken), submitted
    number: str = ""
    unit: str = ""
    category: str = ""
    summary: str = ""
    promised: date | None = None  # a B reply's day for the promised work
    promise_done: bool = False

    @property
    def outcome(self) -> str:
        """What the reply means to the citizen, with the day promised: 问题已列入计划逐步解决，承诺 2027-02-28 前完成."""
        said = texts.REPLY_OUTCOMES.get(self.category, "")
        if self.category == "B" and self.promised:
            said += texts.REPLY_PROMISED.format(day=self.promised.isoformat())
        if self.category == "B" and self.promise_done:
            said += texts.REPLY_PROMISE_DONE
        return said

    @property
    def sentence(self) -> str:
        return engine.stage_sentence(self.stage, number=self.number, unit=self.unit, outcome=self.outcome,
                                     summary=self.summary)

    @property
    def steps(self) -> list[tuple[str, bool]]:
        """Each step's label and whether the message got there; empty off the way."""
        step = _STEP_OF.get(self.stage, self.stage)
        if step not in STEPS:
            return []
        reached = STEPS.index(step)
        return [(texts.PROGRESS_STEPS[name], i <= reached) for i, name in enumerate(STEPS)]


def _suggestion_of(session: Session, message_id: int) -> Suggestion | None:
    return session.scalar(select(Suggestion).join(SuggestionMessage, SuggestionMessage.suggestion_id == Suggestion.id)
                          .where(SuggestionMessage.message_id == message_id).order_by(Suggestion.id.desc()).limit(1))


def _lead_unit(session: Session, suggestion_id: int) -> str:
    return session.scalar(select(HandlingUnit.name).join(Assignment, Assignment.unit_id == HandlingUnit.id).where(
        Assignment.suggestion_id == suggestion_id, Assignment.role == "lead", Assignment.active.is_(True))) or ""


def _accepted_reply(session: Session, suggestion_id: int) -> Reply | None:
    return session.scalar(select(Reply).where(Reply.suggestion_id == suggestion_id, Reply.state == "accepted")
                          .order_by(Reply.id.desc()).limit(1))


def suggestion_progress(session: Session, suggestion: Suggestion, receipt: str = "") -> Progress:
    stage = _SUGGESTION_STAGE.get(suggestion.status, "suggested")
    unit = _lead_unit(session, suggestion.id) if stage != "suggested" else ""
    reply = _accepted_reply(session, suggestion.id) if stage in ("replied", "finished") else None
    if reply is None and stage in ("replied", "finished"):
        stage = "assigned"  # a ledger line imported as answered, without its reply
    if reply is None:
        return Progress(receipt, stage, suggestion.number, unit)
    return Progress(receipt, stage, suggestion.number, unit, reply.category, reply.public_summary,
                    reply.promised_date, reply.done_reported_at is not None)


def message_progress(session: Session, message: Message) -> Progress:
    """The message's stage with what the citizen may read of it: nothing of other citizens' messages."""
    if message.status in (MessageStatus.COLLECTING, MessageStatus.HELD, *stages.MESSAGES_FINISHED):
        return Progress(message.receipt, message.status)
    suggestion = _suggestion_of(session, message.id)
    if suggestion is not None:
        return suggestion_progress(session, suggestion, message.receipt)
    draft_status = session.scalar(select(Draft.status).join(DraftMessage, DraftMessage.draft_id == Draft.id)
                                  .where(DraftMessage.message_id == message.id))
    if stages.submitted(draft_status):
        return Progress(message.receipt, "submitted")
    if draft_status == DraftStatus.DISCARDED:
        return Progress(message.receipt, "closed")
    if draft_status in (DraftStatus.OPEN, DraftStatus.MERGED):
        return Progress(message.receipt, "drafted")
    # A group still collecting is no draft yet: to the citizen the message is being worked on.
    return Progress(message.receipt, "received")


_NOTICES = {"suggested": texts.NOTICE_SUGGESTED, "assigned": texts.NOTICE_ASSIGNED, "replied": texts.NOTICE_REPLIED}


_STEP_NOTICE = "progress:"  # a notice of a suggestion's step is named progress:<suggestion>:<citizen>:<stage>


def _notice_key(suggestion_id: int, citizen_id: int, stage: str) -> str:
    return f"{_STEP_NOTICE}{suggestion_id}:{citizen_id}:{stage}"


def latest_steps(notices: list[tuple[str | None, str]]) -> list[str]:
    """Of notices (their key, their text) told together, oldest first, each suggestion's latest step only: a citizen
    back after 写入建议 and 交办 heard both and then 查询's answer, three bubbles saying nearly the same; the latest says
    the earlier (所在的第 5 号代表建议，已交…办理). Other notices all stay."""
    steps = [(key or "").startswith(_STEP_NOTICE) for key, _ in notices]
    latest = {key.rsplit(":", 1)[0]: index for index, (key, _) in enumerate(notices) if steps[index]}
    kept = set(latest.values())
    return [text for index, (_, text) in enumerate(notices) if not steps[index] or index in kept]


def tell_citizens(session: Session, suggestion: Suggestion, stage: str) -> list[int]:
    """Queue one notice per citizen behind the suggestion for reaching `stage` (suggested, assigned, replied),
    however many of their messages it holds and however often this is called; returns who was queued."""
    rows = session.execute(select(Message.citizen_id, Message.receipt)
                           .join(SuggestionMessage, SuggestionMessage.message_id == Message.id)
                           .where(SuggestionMessage.suggestion_id == suggestion.id, Message.citizen_id.is_not(None),
                                  Message.personal_data_removed_at.is_(None))
                           .order_by(Message.citizen_id, Message.id)).all()
    receipts: dict[int, list[str]] = {}
    for citizen_id, receipt in rows:
        receipts.setdefault(citizen_id, []).append(receipt)
    if not receipts:
        return []
    now = suggestion_progress(session, suggestion)
    queued = []
    for citizen_id, theirs in receipts.items():
        text = engine.full_stop(_NOTICES[stage].format(receipts="、".join(theirs), number=suggestion.number,
                                                       unit=now.unit, outcome=now.outcome, summary=now.summary))
        if outbound.notify(session, citizen_id, text, once_as=_notice_key(suggestion.id, citizen_id, stage)):
            queued.append(citizen_id)
    return queued
