"""Giving a stored message its topic and handling unit, and recording staff corrections."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.classifier import registry
from intake.classifier.prediction import Prediction
from intake.classifier.taxonomy import Taxonomy
from intake.models import Message, MessageStatus, TopicCorrection, utcnow
from intake.services.drafts import grouping
from intake.services.reception import spam
from intake.services.topics import units


@dataclass(frozen=True)
class _Reading:
    """What the model and the tokenizer make of a text: the slow part of tagging, needing no lock."""

    prediction: Prediction
    unit: str
    terms: dict


def _read(session: Session, text: str, taxonomy: Taxonomy, signing_key: bytes) -> _Reading:
    prediction = registry.active(session, taxonomy, signing_key).predict(text)
    # Kept for grouping, which then runs on many messages without jieba.
    return _Reading(prediction, units.unit_for(taxonomy, prediction.topic, text), grouping.message_terms(text))


def tag_message(session: Session, message_id: int, *, taxonomy: Taxonomy, threshold: float,
                signing_key: bytes) -> bool:
    """Tag one message; False when it is gone or already tagged (so a re-run changes nothing)."""
    # The text is read and classified before the row is locked: on SQLite that lock is the database's only
    # writer, which the chat's turns wait for. A received message's text no longer changes (the chat adds to a
    # message only while it is being written), so the lock need only confirm it is still to be tagged.
    text = session.scalar(select(Message.text).where(Message.id == message_id,
                                                      Message.status == MessageStatus.RECEIVED))
    if text is None:
        return False
    reading = _read(session, text, taxonomy, signing_key)
    message = session.get(Message, message_id, with_for_update=True, populate_existing=True)
    if message is None or message.status != MessageStatus.RECEIVED:
        return False
    prediction = reading.prediction
    message.topic = prediction.topic
    message.handling_unit = reading.unit
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
    message.terms = reading.terms
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
