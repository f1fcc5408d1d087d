"""Removing citizens' personal data from items closed longer ago than the retention period.

Closed: finished for good as intake.models.stages says: withdrawn, rejected by staff, or in a discarded draft.
A message in a submitted suggestion keeps its link to the citizen: it is still being handled. What goes: the
contact phone, phone and ID numbers typed into the text, photos, the link to the citizen's channel id and the
private progress links; then conversations, notices and citizens nothing refers to any more, old delivery
records, reminders sent (or given up on) to staff, whose e-mail addresses and texts they hold, and a WeChat
follower's encrypted openid once none of their messages is still on its way (every one
cleaned, or in a suggestion closed before the cutoff).
What stays: the masked text, its topic and its place in drafts and statistics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from bot import engine
from intake.models import (
    Attachment,
    Citizen,
    CitizenNotice,
    Conversation,
    Delivery,
    Draft,
    DraftMessage,
    InboundEvent,
    Message,
    ProgressLink,
    Suggestion,
    SuggestionMessage,
    stages,
)
from intake.services.lifecycle.states import SuggestionStatus
from intake.services.console import audit
from intake.services.privacy.masking import mask

BATCH = 500  # messages per run at most: the next run continues


def cutoff(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * 365.25 / 12))


def _closed_before(before: datetime):
    in_closed_draft = exists().where(
        DraftMessage.message_id == Message.id, DraftMessage.draft_id == Draft.id,
        Draft.status.in_(stages.DRAFTS_FINISHED),
    )
    return select(Message).where(
        Message.personal_data_removed_at.is_(None),
        Message.created_at <= before,
        or_(Message.status.in_(stages.MESSAGES_FINISHED), in_closed_draft),
    ).order_by(Message.id).limit(BATCH)


def remove_personal_data(session: Session, *, now: datetime, months: int) -> dict:
    """One bounded pass; running it again right after changes nothing. Returns what it removed."""
    before = cutoff(now, months)
    messages = session.scalars(_closed_before(before).with_for_update(skip_locked=True)).all()
    ids = [message.id for message in messages]
    for message in messages:
        message.text = mask(message.text)
        message.contact_phone, message.share_phone, message.phone_shared_with_id = None, False, None
        message.citizen_id = None
        message.personal_data_removed_at = now
    photos = session.execute(delete(Attachment).where(Attachment.message_id.in_(ids))).rowcount if ids else 0
    links = session.execute(delete(ProgressLink).where(ProgressLink.message_id.in_(ids))).rowcount if ids else 0
    finished_long_ago = exists().where(
        SuggestionMessage.message_id == Message.id, SuggestionMessage.suggestion_id == Suggestion.id,
        Suggestion.status == SuggestionStatus.CLOSED, Suggestion.updated_at <= before)
    addresses = session.execute(update(Citizen).where(
        Citizen.address_encrypted.is_not(None), Citizen.created_at <= before,
        ~exists().where(Message.citizen_id == Citizen.id, ~finished_long_ago),
    ).values(address_encrypted=None)).rowcount
    # A conversation left offering to add a number to a sent message points at it, and is as finished as one at rest.
    conversations = session.execute(delete(Conversation).where(
        Conversation.updated_at <= before,
        or_(Conversation.submission_id.is_(None), Conversation.state.in_(engine.CONTACT_STATES)))).rowcount
    notices = session.execute(delete(CitizenNotice).where(CitizenNotice.created_at <= before)).rowcount
    citizens = session.execute(delete(Citizen).where(
        Citizen.created_at <= before,
        ~exists().where(Message.citizen_id == Citizen.id),
        ~exists().where(Conversation.citizen_id == Citizen.id),
        ~exists().where(CitizenNotice.citizen_id == Citizen.id),
    )).rowcount
    deliveries = session.execute(delete(InboundEvent).where(InboundEvent.created_at <= before)).rowcount
    # Only finished ones: a reminder is sent once because its Reminder row stays, not its delivery's.
    staff_reminders = session.execute(delete(Delivery).where(
        Delivery.created_at <= before, Delivery.state.in_(("sent", "failed")))).rowcount
    removed = {"messages": len(ids), "photos": photos, "progress_links": links, "conversations": conversations,
               "notices": notices, "citizens": citizens, "addresses": addresses, "deliveries": deliveries,
               "staff_reminders": staff_reminders}
    if any(removed.values()):
        audit.record(session, "system", "retention", f"closed-before:{before:%Y-%m-%d}", after=removed)
    return removed
