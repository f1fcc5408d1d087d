"""One chat turn: the bot engine decides, this module stores what it decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import engine
from intake.models import Conversation, Deputy, Message
from intake.services import messages


@dataclass
class ChatResult:
    replies: list[str]
    message: Message | None = None
    rejected: bool = False


def greeting(deputy: Deputy) -> str:
    return engine.greeting(deputy.name, deputy.level, deputy.station.name)


def _conversation(session: Session, citizen_id: int, deputy_id: int) -> Conversation:
    conversation = session.scalar(
        select(Conversation).where(Conversation.citizen_id == citizen_id, Conversation.deputy_id == deputy_id)
    )
    if conversation is None:
        conversation = Conversation(citizen_id=citizen_id, deputy_id=deputy_id, state=engine.AWAITING_DESCRIPTION)
        session.add(conversation)
    return conversation


def turn(
    session: Session,
    *,
    deputy: Deputy,
    citizen_id: int,
    text: str,
    channel: str,
    max_chars: int,
    local_tz: tzinfo,
) -> ChatResult:
    conversation = _conversation(session, citizen_id, deputy.id)
    decision = engine.handle(conversation.state, text)
    conversation.state = decision.state
    if decision.query_receipt:
        own = messages.find_own(session, citizen_id, decision.query_receipt)
        reply = engine.status_reply(decision.query_receipt, own.status if own else None)
        return ChatResult([reply])
    if decision.submit_text is None:
        return ChatResult(decision.replies, rejected=decision.rejected)
    try:
        message = messages.submit(
            session,
            deputy_id=deputy.id,
            citizen_id=citizen_id,
            text=decision.submit_text,
            channel=channel,
            max_chars=max_chars,
            local_tz=local_tz,
        )
    except messages.MessageRejected as rejected:
        return ChatResult([engine.rejection_reply(rejected.reason, **rejected.details)], rejected=True)
    return ChatResult([engine.receipt_reply(message.receipt)], message=message)
