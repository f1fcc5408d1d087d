"""Giving a stored message its topic and handling unit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake import classifier
from intake.models import Message, MessageStatus, utcnow


def tag_message(session: Session, message_id: int) -> bool:
    """Tag one message; False when it is gone or already tagged (so a re-run changes nothing)."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is None or message.status != MessageStatus.RECEIVED:
        return False
    prediction = classifier.classify(message.text)
    message.topic = prediction.topic
    message.handling_unit = prediction.handling_unit
    message.topic_confidence = prediction.confidence
    message.model_version = prediction.model_version
    message.status = MessageStatus.TAGGED
    message.tagged_at = utcnow()
    session.flush()
    return True
