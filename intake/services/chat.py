"""One chat turn: the bot engine decides, this module stores what it decided.

A submission is stored as soon as its first words arrive (status `collecting`), so nothing a citizen
says is lost even if they never answer the follow-up questions; it is processed once confirmed, or
by the sweep when the conversation goes quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import engine
from intake.models import (
    Attachment,
    CitizenNotice,
    Conversation,
    Deputy,
    Draft,
    DraftMessage,
    DraftStatus,
    Message,
    MessageStatus,
    utcnow,
)
from intake.services import messages

MAX_SUBMISSION_CHARS = 10_000


@dataclass
class ChatResult:
    replies: list[str]
    message: Message | None = None  # set when a submission was confirmed in this turn
    rejected: bool = False
    receipt: str | None = None


@dataclass(frozen=True)
class Limits:
    max_chars: int
    local_tz: tzinfo


def greeting(deputy: Deputy) -> str:
    return engine.greeting(deputy.name, deputy.level, deputy.station.name)


def conversation_for(session: Session, citizen_id: int, deputy_id: int) -> Conversation:
    """The conversation, claimed for this transaction: two turns of one conversation arriving together
    (a double click, a retried request) run one after the other instead of both starting a submission."""
    where = (Conversation.citizen_id == citizen_id, Conversation.deputy_id == deputy_id)
    # Writing first takes the row lock on PostgreSQL and the write lock on SQLite before the state is read.
    session.execute(update(Conversation).where(*where).values(updated_at=utcnow()))
    conversation = session.scalar(select(Conversation).where(*where))
    if conversation is None:
        try:
            with session.begin_nested():
                conversation = Conversation(citizen_id=citizen_id, deputy_id=deputy_id,
                                            state=engine.AWAITING_DESCRIPTION)
                session.add(conversation)
        except IntegrityError:
            session.execute(update(Conversation).where(*where).values(updated_at=utcnow()))
            conversation = session.scalar(select(Conversation).where(*where))
    return conversation


def _public_status(session: Session, message: Message) -> str:
    draft_status = session.scalar(
        select(Draft.status).join(DraftMessage, DraftMessage.draft_id == Draft.id)
        .where(DraftMessage.message_id == message.id)
    )
    return "submitted" if draft_status == DraftStatus.APPROVED else message.status


def _apply(session: Session, conversation: Conversation, decision: engine.Turn, *, channel: str,
           limits: Limits, attachment: tuple[bytes | None, str, str | None] | None = None) -> ChatResult:
    if decision.query_receipt:
        own = messages.find_own(session, conversation.citizen_id, decision.query_receipt)
        status = _public_status(session, own) if own else None
        return ChatResult([engine.status_reply(decision.query_receipt, status)])
    if decision.rejected:
        return ChatResult(decision.replies, rejected=True)

    open_submission = session.get(Message, conversation.submission_id) if conversation.submission_id else None
    if decision.append is not None and open_submission is None:
        # Nothing open to add to (it was processed meanwhile): these words start a new submission.
        decision = replace(decision, start=decision.append, append=None)
    new_text = decision.start or decision.append
    if new_text is not None:
        try:
            cleaned = messages.validate(new_text, limits.max_chars)
            if open_submission is not None and decision.append is not None and \
                    len(open_submission.text) + len(cleaned) > MAX_SUBMISSION_CHARS:
                raise messages.MessageRejected("too_long", length=len(open_submission.text) + len(cleaned),
                                               limit=MAX_SUBMISSION_CHARS)
        except messages.MessageRejected as rejected:
            return ChatResult([engine.rejection_reply(rejected.reason, **rejected.details)], rejected=True)

    if decision.withdraw and open_submission is not None:
        open_submission.status = MessageStatus.WITHDRAWN
        open_submission = None
        conversation.submission_id = None
    if decision.start is not None:
        if open_submission is not None:  # a loose end from an earlier conversation: keep it, process it
            open_submission.status = MessageStatus.RECEIVED
        open_submission = messages.submit(
            session, deputy_id=conversation.deputy_id, citizen_id=conversation.citizen_id, text=decision.start,
            channel=channel, max_chars=limits.max_chars, local_tz=limits.local_tz, status=MessageStatus.COLLECTING,
        )
        conversation.submission_id = open_submission.id
    elif decision.append is not None and open_submission is not None:
        addition = messages.clean_text(decision.append)
        if not open_submission.text.endswith(addition):  # the same words sent twice (a double click) count once
            open_submission.text = f"{open_submission.text}\n{addition}"
    if attachment is not None and open_submission is not None:
        data, content_type, ref = attachment
        session.add(Attachment(message_id=open_submission.id, data=data, content_type=content_type, external_ref=ref))
    if decision.phone and open_submission is not None:
        open_submission.contact_phone = decision.phone
    if decision.share_phone is not None and open_submission is not None:
        open_submission.share_phone = decision.share_phone

    conversation.state = decision.state
    result = ChatResult(list(decision.replies))
    if decision.finalize and open_submission is not None:
        open_submission.status = MessageStatus.RECEIVED
        conversation.submission_id = None
        result.message = open_submission
        result.receipt = open_submission.receipt
        result.replies += engine.receipt_replies(open_submission.receipt, bool(open_submission.contact_phone),
                                                 open_submission.share_phone)
    session.flush()
    return result


def _notices(session: Session, citizen_id: int) -> list[str]:
    """What staff asked us to tell this citizen (e.g. a reassignment), said once on their next turn."""
    pending = session.scalars(
        select(CitizenNotice).where(CitizenNotice.citizen_id == citizen_id, CitizenNotice.delivered_at.is_(None))
        .order_by(CitizenNotice.id)
    ).all()
    for notice in pending:
        notice.delivered_at = utcnow()
    return [notice.text for notice in pending]


def turn(session: Session, *, deputy: Deputy, citizen_id: int, text: str, channel: str, limits: Limits) -> ChatResult:
    conversation = conversation_for(session, citizen_id, deputy.id)
    result = _apply(session, conversation, engine.handle(conversation.state, text), channel=channel, limits=limits)
    result.replies = _notices(session, citizen_id) + result.replies
    return result


def attach(session: Session, *, deputy: Deputy, citizen_id: int, note: str, channel: str, limits: Limits,
           data: bytes | None, content_type: str, external_ref: str | None = None, reply: str) -> ChatResult:
    """An image (or a location) joins the open submission or starts one; `reply` acknowledges it."""
    conversation = conversation_for(session, citizen_id, deputy.id)
    decision = engine.attachment_turn(conversation.state, note)
    result = _apply(session, conversation, decision, channel=channel, limits=limits,
                    attachment=(data, content_type, external_ref) if content_type else None)
    result.replies.insert(0, reply)
    return result


def finalize_abandoned(session: Session, older_than: datetime) -> list[int]:
    """Submissions whose citizen stopped answering: process them anyway, nothing is lost."""
    stale = session.scalars(
        select(Message).where(Message.status == MessageStatus.COLLECTING, Message.created_at <= older_than)
    ).all()
    for message in stale:
        message.status = MessageStatus.RECEIVED
        for conversation in session.scalars(select(Conversation).where(Conversation.submission_id == message.id)):
            conversation.submission_id = None
            conversation.state = engine.AWAITING_DESCRIPTION
    session.flush()
    return [m.id for m in stale]
