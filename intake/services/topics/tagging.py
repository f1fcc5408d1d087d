"""Giving a stored message its topic and handling unit, and recording staff corrections."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.classifier import registry
from intake.classifier.taxonomy import Taxonomy
from intake.models import Message, MessageStatus, TopicCorrection, utcnow
from intake.services.drafts import grouping
from intake.services.reception import spam
from intake.services.topics import units


def tag_message(session: Session, message_id: int, *, taxonomy: Taxonomy, threshold: float,
                signing_key: bytes) -> bool:
    """Tag one message; False when it is gone or already tagged (so a re-run changes nothing)."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is None or message.status != MessageStatus.RECEIVED:
        return False
    prediction = registry.active(session, taxonomy, signing_key).predict(message.text)
    message.topic = prediction.topic
    message.handling_unit = units.unit_for(taxonomy, prediction.topic, message.text)
    message.topic_confidence = round(prediction.confidence, 4)
    message.model_version = prediction.model_version
    # Staff look at what the model was unsure about before it shapes a deputy's drafts.
    message.needs_attention = prediction.confidence < threshold
    suspicion = spam.score(session, message)
    message.spam_score = round(suspicion.score, 2)
    if suspicion.held:
        message.status = MessageStatus.HELD
        message.flag_reason = "；".join(suspicion.reasons)
        message.needs_attention = True
    else:
        message.status = MessageStatus.TAGGED
    # Kept for grouping, which then runs on many messages without jieba.
    message.terms = grouping.message_terms(message.text)
    message.tagged_at = utcnow()
    session.flush()
    return True


class UnknownTopic(ValueError):
    pass


def correct_topic(session: Session, message_id: int, topic: str, *, taxonomy: Taxonomy,
                  staff_id: int | None) -> TopicCorrection:
    """Confirm (same topic) or change a message's topic; the next `train --from-db` learns from it."""
    if topic not in taxonomy.topics:
        raise UnknownTopic(topic)
    message = session.get(Message, message_id)
    if message is None:
        raise LookupError(message_id)
    correction = TopicCorrection(message_id=message.id, old_topic=message.topic, new_topic=topic, staff_id=staff_id)
    session.add(correction)
    message.topic = topic
    message.handling_unit = units.unit_for(taxonomy, topic, message.text)
    message.topic_confirmed = True
    message.needs_attention = False
    session.flush()
    return correction
