"""The staff's queue of messages: filters, Chinese search, paging, and the actions staff take on it."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, String, cast, func, literal, or_, select
from sqlalchemy.orm import Session, joinedload

from bot.engine import receipt_number
from intake import labels
from intake.classifier.taxonomy import Taxonomy
from intake.classifier.tokenize import tokens
from intake.models import (
    AuditEntry,
    Deputy,
    Draft,
    DraftMessage,
    DraftStatus,
    Message,
    MessageStatus,
    StaffNote,
    StaffUser,
    Suggestion,
    SuggestionMessage,
    as_id,
    stages,
)
from bot import texts
from intake.services import plain_text
from intake.services.console import audit
from intake.services.days import read_day
from intake.services.errors import InvalidInput, NotAllowed
from intake.services.reception import outbound
from intake.services.drafts import drafting
from intake.services.topics import tagging
from intake.services.console.directory import station_scope

PAGE_SIZE = 50
COUNT_CAP = 10_000  # counting stops here ("10000+"): an exact count of a broad search costs a full scan
ATTENTION = tuple(labels.ATTENTION)
FLAGS = ("spam", "abusive", "duplicate")

# What the columns hold (messages.flag_reason, staff_notes.text); the forms say so.
REASON_LIMIT = 200
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Filters:
    station: int | None = None
    deputy: int | None = None
    topic: str = ""
    status: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    attention: str = ""
    q: str = ""

    @classmethod
    def parse(cls, args) -> "Filters":
        """From query-string values; anything malformed is ignored rather than failing the page."""
        def number(name):
            # A form sends text; filters stored as JSON with an export come back as numbers.
            return as_id(str(args.get(name) or ""))

        attention = (args.get("attention") or "").strip()
        return cls(
            station=number("station"), deputy=number("deputy"), topic=(args.get("topic") or "").strip()[:50],
            status=(args.get("status") or "").strip()[:20], channel=(args.get("channel") or "").strip()[:20],
            date_from=read_day(args.get("date_from")), date_to=read_day(args.get("date_to")),
            attention=attention if attention in ATTENTION else "", q=(args.get("q") or "").strip()[:100],
        )

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v not in (None, "")}


def _filtered(staff: StaffUser, filters: Filters, local_tz: tzinfo) -> Select:
    query = (select(Message).join(Deputy, Message.deputy_id == Deputy.id)
             .where(Message.status.not_in(stages.MESSAGES_UNSENT)))
    scope = station_scope(staff)
    if scope is not None:
        query = query.where(Deputy.station_id == scope)
    if filters.station:
        query = query.where(Deputy.station_id == filters.station)
    if filters.deputy:
        query = query.where(Message.deputy_id == filters.deputy)
    if filters.topic:
        query = query.where(Message.topic == filters.topic)
    if filters.status:
        query = query.where(Message.status == filters.status)
    if filters.channel:
        query = query.where(Message.channel == filters.channel)
    if filters.date_from:
        query = query.where(Message.created_at >= datetime.combine(filters.date_from, time(), local_tz))
    if filters.date_to:
        query = query.where(Message.created_at < datetime.combine(filters.date_to + timedelta(days=1), time(), local_tz))
    if filters.attention == "any":
        query = query.where(or_(Message.needs_attention.is_(True), Message.status == MessageStatus.HELD))
    elif filters.attention == "low_confidence":
        query = query.where(Message.needs_attention.is_(True), Message.status != MessageStatus.HELD)
    elif filters.attention == "spam":
        query = query.where(or_(Message.status == MessageStatus.HELD, Message.flag.in_(("spam", "abusive"))))
    elif filters.attention == "duplicate":
        query = query.where(Message.flag == "duplicate")
    receipt = receipt_number(filters.q) if filters.q else None
    if receipt:  # a clerk pasting the receipt number a citizen read out
        return query.where(Message.receipt == receipt)
    # Search is jieba-tokenised: every word of the query must occur in the message.
    for word in tokens(filters.q)[:8] if filters.q else []:
        query = query.where(Message.text.contains(word, autoescape=True))
    return query


@dataclass
class Page:
    messages: list[Message]
    total: int
    next_before: int | None
    whereabouts: dict[int, str] = field(default_factory=dict)  # where those in a draft stand now, by id

    @property
    def total_label(self) -> str:
        return f"{COUNT_CAP}+" if self.total > COUNT_CAP else str(self.total)


def page(session: Session, staff: StaffUser, filters: Filters, local_tz: tzinfo, before: int | None = None,
         size: int = PAGE_SIZE) -> Page:
    """Newest first, paged by id so that page 100 costs what page 1 costs."""
    query = _filtered(staff, filters, local_tz)
    capped = query.with_only_columns(Message.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped))
    if before:
        query = query.where(Message.id < before)
    rows = list(session.scalars(
        query.options(joinedload(Message.deputy).joinedload(Deputy.station)).order_by(Message.id.desc()).limit(size + 1)
    ))
    next_before = rows[size - 1].id if len(rows) > size else None
    shown = rows[:size]
    return Page(shown, total, next_before, whereabouts(session, [m.id for m in shown]))


def all_ids(session: Session, staff: StaffUser, filters: Filters, local_tz: tzinfo, limit: int) -> list[int]:
    """The newest `limit` matching ids, newest first."""
    query = _filtered(staff, filters, local_tz).with_only_columns(Message.id).order_by(Message.id.desc()).limit(limit)
    return list(session.scalars(query))


def visible(session: Session, staff: StaffUser, message_ids: list[int]) -> list[Message]:
    """The messages among these ids that this staff member may act on; the others are not there for them."""
    if not message_ids:
        return []
    query = select(Message).join(Deputy, Message.deputy_id == Deputy.id).where(
        Message.id.in_(message_ids), Message.status.not_in(stages.MESSAGES_UNSENT))
    scope = station_scope(staff)
    if scope is not None:
        query = query.where(Deputy.station_id == scope)
    return list(session.scalars(query.order_by(Message.id)))


def referenced(session: Session, staff: StaffUser, typed: str) -> Message | None:
    """The message a clerk names by its number (12) or its receipt (MS-20261205-0003, as a citizen reads it out),
    None when nothing was typed. Text naming neither, or a message this staff member cannot see, is refused
    saying which: taking it for an empty box told the clerk to fill in what they had filled in."""
    typed = plain_text.writable(typed or "").strip()
    if not typed:
        return None
    receipt = receipt_number(typed)  # nine digits or more (202612050003 too): never a message's number
    if receipt is not None:
        found = visible(session, staff, list(session.scalars(select(Message.id).where(Message.receipt == receipt))))
        if not found:
            raise InvalidInput("duplicate_of_receipt_unknown", receipt=receipt)
        return found[0]
    number = as_id(unicodedata.normalize("NFKC", typed))
    if number is None:
        raise InvalidInput("duplicate_of_unreadable", typed=typed[:30])
    found = visible(session, staff, [number])
    if not found:
        raise InvalidInput("duplicate_of_unknown", number=number)
    return found[0]


def _actor(staff: StaffUser) -> str:
    return f"staff:{staff.username}"


def retag(session: Session, staff: StaffUser, messages: list[Message], topic: str, taxonomy: Taxonomy,
          local_tz: tzinfo) -> list[int]:
    """Change or confirm the topic; a message whose topic changed is grouped again by its new topic.
    Returns the deputies whose batch must run."""
    changed = []
    for message in messages:
        before = {"topic": message.topic, "handling_unit": message.handling_unit}
        tagging.correct_topic(session, message.id, topic, taxonomy=taxonomy, staff_id=staff.id)
        audit.record(session, _actor(staff), "retag", f"message:{message.id}", before,
                     {"topic": message.topic, "handling_unit": message.handling_unit})
        if before["topic"] != topic:
            changed.append(message)
    return drafting.regroup(session, changed, local_tz)


def add_to_draft(session: Session, staff: StaffUser, messages: list[Message], draft_id: int | None,
                 local_tz: tzinfo) -> None:
    """Into an existing open draft or collecting group of the same deputy."""
    draft = session.get(Draft, draft_id) if draft_id else None
    if draft is None or draft.status not in (DraftStatus.OPEN, DraftStatus.COLLECTING) or \
            any(m.deputy_id != draft.deputy_id for m in messages):
        raise InvalidInput("draft_target")
    if station_scope(staff) not in (None, draft.deputy.station_id):
        raise InvalidInput("draft_target")
    drafting.add_to_draft(session, messages, draft, local_tz)
    for message in messages:
        audit.record(session, _actor(staff), "add_to_draft", f"message:{message.id}", {}, {"draft": draft.id})


def flag(session: Session, staff: StaffUser, messages: list[Message], kind: str, reason: str, local_tz: tzinfo,
         duplicate_of: Message | None = None) -> None:
    """Spam, abuse or a duplicate: taken out of every draft and never shown to a deputy; the reason stays internal."""
    if kind not in FLAGS:
        raise InvalidInput("flag_unknown")
    reason = plain_text.writable(reason).strip()
    if len(reason) > REASON_LIMIT:  # refused, never cut: a reason's end is often the reason
        raise InvalidInput("flag_reason_long", maximum=REASON_LIMIT, length=len(reason))
    if kind == "duplicate" and duplicate_of is None:
        raise InvalidInput("duplicate_of_missing")
    for message in messages:
        if duplicate_of is not None and duplicate_of.id == message.id:
            raise InvalidInput("duplicate_of_itself")
        before = {"status": message.status, "flag": message.flag}
        drafting.remove_from_drafts(session, [message.id], local_tz)
        message.flag, message.flag_reason = kind, reason
        message.duplicate_of_id = duplicate_of.id if kind == "duplicate" else None
        message.status = MessageStatus.REJECTED
        message.needs_attention = False
        audit.record(session, _actor(staff), f"flag_{kind}", f"message:{message.id}", before,
                     {"status": message.status, "flag": kind, "reason": message.flag_reason,
                      "duplicate_of": message.duplicate_of_id})


def release(session: Session, staff: StaffUser, messages: list[Message]) -> list[int]:
    """Held or wrongly flagged messages go back into the flow; returns the deputies to batch."""
    deputies = set()
    for message in messages:
        if message.status not in (MessageStatus.HELD, MessageStatus.REJECTED):
            continue
        before = {"status": message.status, "flag": message.flag}
        message.status, message.flag, message.duplicate_of_id = MessageStatus.TAGGED, None, None
        message.needs_attention = False
        deputies.add(message.deputy_id)
        audit.record(session, _actor(staff), "release", f"message:{message.id}", before, {"status": message.status})
    return sorted(deputies)


def reassign(session: Session, staff: StaffUser, messages: list[Message], deputy: Deputy,
             local_tz: tzinfo) -> list[int]:
    """Move messages to another deputy (out of the old deputy's drafts); the citizen is told. The citizen agreed
    to show the phone to the deputy written to, not to whoever takes the message over: the new one sees it masked,
    and that deputy sees it again when the message is moved back."""
    scope = station_scope(staff)
    if not deputy.active or (scope is not None and deputy.station_id != scope):
        raise NotAllowed("reassign_to_deputy")
    for message in messages:
        if message.deputy_id == deputy.id:
            continue
        before = {"deputy_id": message.deputy_id, "status": message.status, "share_phone": message.share_phone}
        drafting.remove_from_drafts(session, [message.id], local_tz)
        message.deputy_id, message.share_phone = deputy.id, message.phone_shared_with_id == deputy.id
        if message.status == MessageStatus.DRAFTED:
            message.status = MessageStatus.TAGGED
        if message.citizen_id is not None:
            outbound.notify(session, message.citizen_id, texts.REASSIGNED.format(
                receipt=message.receipt, station=deputy.station.name, deputy=deputy.name))
        audit.record(session, _actor(staff), "reassign", f"message:{message.id}", before,
                     {"deputy_id": deputy.id, "status": message.status, "share_phone": message.share_phone})
    return [deputy.id]


def add_note(session: Session, staff: StaffUser, messages: list[Message], text: str) -> None:
    text = plain_text.writable(text).strip()  # a pasted control character is invisible, and unstorable
    if not text:
        raise InvalidInput("note_empty")
    if len(text) > NOTE_LIMIT:
        raise InvalidInput("staff_note_long", maximum=NOTE_LIMIT, length=len(text))
    for message in messages:
        session.add(StaffNote(message_id=message.id, staff_id=staff.id, text=text))
        audit.record(session, _actor(staff), "note", f"message:{message.id}", {}, {"note": text})


def force_draft(session: Session, staff: StaffUser, messages: list[Message], local_tz: tzinfo) -> int:
    usable = [m for m in messages if m.status in (MessageStatus.TAGGED, MessageStatus.DRAFTED, MessageStatus.RECEIVED)]
    if not usable or len({m.deputy_id for m in usable}) != 1:
        raise InvalidInput("force_draft_messages")
    draft = drafting.draft_from(session, usable, local_tz)
    audit.record(session, _actor(staff), "force_draft", f"draft:{draft.id}", {},
                 {"messages": [m.id for m in usable]})
    return draft.id


def notes_for(session: Session, message_id: int) -> list[StaffNote]:
    return list(session.scalars(select(StaffNote).where(StaffNote.message_id == message_id).order_by(StaffNote.id)))


def in_draft(session: Session, message_id: int) -> tuple[Draft | None, str | None]:
    """The draft or group the message is in, and its title (a group of one message is titled now)."""
    draft = session.scalar(select(Draft).join(DraftMessage, DraftMessage.draft_id == Draft.id)
                           .where(DraftMessage.message_id == message_id))
    return draft, drafting.titles(session, [draft])[draft.id] if draft else None


def whereabouts(session: Session, message_ids: list[int]) -> dict[int, str]:
    """Where each of these messages in a group or draft stands now, in words: 收集中，尚未成稿, 已入草稿, 草稿已放弃,
    已写入建议 2026-001（已交办）… (a message's own status stays 已入草稿 whatever became of its draft)."""
    if not message_ids:
        return {}
    found = {message_id: labels.MESSAGE_IN_DRAFT.get(status, labels.MESSAGE_STATUS[MessageStatus.DRAFTED])
             for message_id, status in session.execute(
                 select(DraftMessage.message_id, Draft.status).join(Draft, Draft.id == DraftMessage.draft_id)
                 .where(DraftMessage.message_id.in_(message_ids)))}
    for message_id, number, status in session.execute(
            select(SuggestionMessage.message_id, Suggestion.number, Suggestion.status)
            .join(Suggestion, Suggestion.id == SuggestionMessage.suggestion_id)
            .where(SuggestionMessage.message_id.in_(message_ids)).order_by(Suggestion.id)):
        found[message_id] = labels.MESSAGE_IN_SUGGESTION.format(
            number=number, status=labels.SUGGESTION_STATUS.get(status, status))
    return found


# The steps that moved messages into or between a deputy's drafts, logged on the draft: each names the messages it
# moved in its "after".
_DRAFT_MOVES = ("force_draft",) + tuple(f"draft.{action}" for action in (
    "from_group", "from_messages", "add_messages", "move_out", "split", "merge", "merged"))
# What became of the draft a message is in, and of the suggestion it was registered as.
_DRAFT_FATES = ("draft.approve", "draft.discard")
_SUGGESTION_STEPS = ("suggestion.register", "suggestion.assign", "suggestion.reassign")


def _moves(entry: AuditEntry, message_id: int) -> bool:
    after = entry.after if isinstance(entry.after, dict) else {}
    moved = after.get("messages")
    return after.get("message") == message_id or (isinstance(moved, list) and message_id in moved)


def history(session: Session, message: Message, limit: int = 100) -> list[AuditEntry]:
    """What was done to the message, newest first: the entries on it, and those on the drafts and suggestion it
    went through that concern it (the deputy moving it out, merging its draft, approving or discarding it, the
    office registering and assigning the suggestion), which name the draft or suggestion, not the message."""
    entries = audit.history(session, f"message:{message.id}", limit)
    drafts = select(literal("draft:", String) + cast(Draft.id, String)).where(Draft.deputy_id == message.deputy_id)
    entries += [entry for entry in session.scalars(select(AuditEntry).where(
        AuditEntry.target.in_(drafts), AuditEntry.action.in_(_DRAFT_MOVES))) if _moves(entry, message.id)]
    draft_id = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == message.id))
    if draft_id is not None:
        entries += session.scalars(select(AuditEntry).where(AuditEntry.target == f"draft:{draft_id}",
                                                            AuditEntry.action.in_(_DRAFT_FATES)))
    suggestions = select(literal("suggestion:", String) + cast(SuggestionMessage.suggestion_id, String)).where(
        SuggestionMessage.message_id == message.id)
    entries += session.scalars(select(AuditEntry).where(AuditEntry.target.in_(suggestions),
                                                        AuditEntry.action.in_(_SUGGESTION_STEPS)))
    return sorted({entry.id: entry for entry in entries}.values(), key=lambda entry: -entry.id)[:limit]
