"""One chat turn: the bot engine decides, this module stores what it decided.

A submission is stored as soon as its first words arrive (status `collecting`), so nothing a citizen
says is lost even if they never answer the follow-up questions; it is processed once confirmed, or
by the sweep when the conversation goes quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache

from sqlalchemy import and_, bindparam, case, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import engine, texts
from intake.models import (
    Attachment,
    CitizenNotice,
    Conversation,
    Deputy,
    Message,
    MessageStatus,
    Station,
    stages,
    utcnow,
)
from intake.prebuilt import Prebuilt
from intake.services.console import audit
from intake.services.drafts import composing
from intake.services.privacy import masking
from intake.services.reception import messages, progress, progress_links
@dataclass
class ChatResult:
    replies: list[str]
    message_id: int | None = None  # set when a submission was confirmed in this turn
    rejected: bool = False
    receipt: str | None = None
    progress_url: str | None = None  # the citizen's private progress link, given with the receipt
    said: str | None = None  # what the receipt is for, as its card shows it (receipt_words)
    # Several receipts answered at once: each answer's progress link (progress_url holds one alone).
    answer_links: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_chars: int
    local_tz: tzinfo
    base_url: str = ""  # the progress link given with a receipt starts with it
    # The browser's key for its progress links (progress_links.browser_key): with it a link is shown again to the
    # same browser (the receipt card, a 查询 answer); without it (WeChat) a link is given once.
    link_key: bytes | None = None


@dataclass
class ClaimedConversation:
    id: int
    citizen_id: int
    deputy_id: int
    state: str
    submission_id: int | None
    has_notices: bool


# A turn is the hottest path we have: it runs on prebuilt Core statements, a handful per turn, each run
# straight on the driver's cursor (intake.prebuilt).
_conversations = Conversation.__table__
_messages = Message.__table__
_notices_table = CitizenNotice.__table__
# A conversation pointing at a sent message (a number may follow the receipt or a progress answer) stops pointing
# after a while: on a family's shared phone the next number, hours later, is someone else's, for another report.
CONTACT_WINDOW = timedelta(minutes=30)
_STALE_CONTACT = and_(or_(*(_conversations.c.state == state for state in engine.CONTACT_STATES)),  # no IN: prebuilt
                      _conversations.c.updated_at < bindparam("stale_before"))
_CLAIM = (
    update(_conversations)
    .where(_conversations.c.citizen_id == bindparam("citizen"), _conversations.c.deputy_id == bindparam("deputy"))
    # The SET reads the row as it was, before this claim's time is written.
    .values(updated_at=bindparam("now"),
            state=case((_STALE_CONTACT, engine.AWAITING_DESCRIPTION), else_=_conversations.c.state),
            submission_id=case((_STALE_CONTACT, None), else_=_conversations.c.submission_id))
    .returning(_conversations.c.id, _conversations.c.state, _conversations.c.submission_id,
               exists().where(_notices_table.c.citizen_id == bindparam("citizen"),
                              _notices_table.c.delivered_at.is_(None)).label("has_notices"))
)
_SAVE_CONVERSATION = (
    update(_conversations).where(_conversations.c.id == bindparam("conversation"))
    .values(state=bindparam("new_state"), submission_id=bindparam("submission"), updated_at=bindparam("now"))
)
_CLAIM_RUN = Prebuilt(_CLAIM)
_SAVE_CONVERSATION_RUN = Prebuilt(_SAVE_CONVERSATION)
_SUBMISSION_TEXT = Prebuilt(select(_messages.c.text).where(_messages.c.id == bindparam("submission")))
_INSERT_LINK = Prebuilt(progress_links.INSERT)


def _start_and_save() -> Prebuilt:
    """PostgreSQL: a description's submission stored (its receipt counted) and the conversation saved
    pointing at it, one statement instead of two."""
    inserted = messages.numbered_insert().cte("inserted")
    return Prebuilt(update(_conversations).where(_conversations.c.id == bindparam("conversation"))
                    .values(state=bindparam("new_state"), submission_id=inserted.c.id, updated_at=bindparam("now"))
                    .returning(inserted.c.id, inserted.c.receipt))


_START_AND_SAVE = _start_and_save()
_PENDING_NOTICES = (
    select(_notices_table.c.id, _notices_table.c.text, _notices_table.c.dedupe_key)
    .where(_notices_table.c.citizen_id == bindparam("citizen"), _notices_table.c.delivered_at.is_(None))
    .order_by(_notices_table.c.id)
)


SAID_CHARACTERS = 36  # two lines under a receipt number on a 320 px phone


def receipt_words(text: str) -> str:
    """What a receipt was given for, under its number: the description's first line, masked as the conversation
    shows it (a phone lent to a neighbour shows no number), cut to two short lines. A citizen with two receipts
    could not tell which one was the street lamp. It starts where the problem does: 你好，我们小区那边有点问题想反映一下
    told neither."""
    first = next((line.strip() for line in composing.told(text).splitlines() if line.strip()), "")
    words = masking.mask(first)
    return words if len(words) <= SAID_CHARACTERS else words[:SAID_CHARACTERS - 1] + "…"


@dataclass(frozen=True)
class Receipt:
    number: str
    said: str
    progress_url: str | None = None  # the private progress link given with it, while it works


def receipts_of(session: Session, citizen_id: int | None, deputy_id: int, limit: int = 5,
                limits: Limits | None = None) -> list[Receipt]:
    """This browser's latest receipts to this deputy, newest first, each with what it was for and its progress
    link: they survive a reload."""
    if citizen_id is None:
        return []
    rows = session.execute(
        select(Message.id, Message.receipt, Message.text).where(
            Message.citizen_id == citizen_id, Message.deputy_id == deputy_id,
            Message.status.not_in((MessageStatus.COLLECTING, MessageStatus.WITHDRAWN)))
        .order_by(Message.id.desc()).limit(limit)).all()
    tokens = progress_links.links_again(session, limits.link_key if limits else None, [row.id for row in rows])
    return [Receipt(receipt, receipt_words(text), _progress_url(limits, tokens[message_id])
                    if message_id in tokens else None) for message_id, receipt, text in rows]


def _progress_url(limits: Limits, token: str) -> str:
    return limits.base_url + progress_links.PATH.format(token=token)


def greeting(deputy) -> str:
    return engine.greeting(deputy.name, deputy.level, deputy.station_name)


def conversation_for(session: Session, citizen_id: int, deputy_id: int) -> ClaimedConversation:
    """The conversation, claimed for this transaction: two turns of one conversation arriving together
    (a double click, a retried request) run one after the other instead of both starting a submission."""
    now = utcnow()
    params = {"citizen": citizen_id, "deputy": deputy_id, "now": now, "stale_before": now - CONTACT_WINDOW}
    # Writing first takes the row lock on PostgreSQL and the write lock on SQLite before the state is read.
    row = _CLAIM_RUN.first(session, params)
    if row is None:
        try:
            with session.begin_nested():
                session.execute(insert(_conversations).values(
                    citizen_id=citizen_id, deputy_id=deputy_id, state=engine.AWAITING_DESCRIPTION, updated_at=utcnow()))
        except IntegrityError:
            pass  # the other turn created it; claiming below waits for that turn to finish
        row = _CLAIM_RUN.one(session, params)
    conversation_id, state, submission_id, has_notices = row
    return ClaimedConversation(conversation_id, citizen_id, deputy_id, state, submission_id, bool(has_notices))


def _contact_target(session: Session, conversation: ClaimedConversation) -> Message | None:
    """The sent message a conversation in a contact state points at, while it may still take a number."""
    if conversation.state not in engine.CONTACT_STATES or conversation.submission_id is None:
        return None
    message = session.get(Message, conversation.submission_id)
    return message if message is not None and _takes_contact(message, conversation.citizen_id) else None


def _takes_contact(message: Message, citizen_id: int) -> bool:
    """A sent message of this citizen's whose personal data is still kept may be given a number, unless staff
    took it for spam or a duplicate (rejected) or it was withdrawn."""
    return (message.citizen_id == citizen_id and message.personal_data_removed_at is None
            and message.status not in (MessageStatus.COLLECTING, *stages.MESSAGES_FINISHED))


# Stages after which nobody will call back about a message: its suggestion closed, or its draft discarded.
_NO_CALL_BACK = ("finished", "closed")


def open_question(session: Session, citizen_id: int | None, deputy_id: int) -> list[str]:
    """What the conversation still waits on, said again when the page is shown afresh (a reload, Back): the
    unfinished message's first words and the question it was asked; nothing when no message is open."""
    if citizen_id is None:
        return []
    row = session.execute(
        select(Conversation.state, Message.text).join(Message, Message.id == Conversation.submission_id)
        .where(Conversation.citizen_id == citizen_id, Conversation.deputy_id == deputy_id,
               Message.status == MessageStatus.COLLECTING)).first()
    question = engine.open_question(row.state, row.text) if row else None
    if question is None:
        return []
    return [texts.STILL_OPEN.format(said=receipt_words(row.text)), question]


def _progress(session: Session, conversation: ClaimedConversation, decision: engine.Turn, limits: Limits) -> ChatResult:
    """The stage of the message asked after. With nothing open, a number sent next may join it: the conversation
    points at it (AWAITING_CONTACT), and the offer is made when it has no number yet. Several asked after at once
    are answered each, and none is pointed at: a number sent next would be for neither."""
    if decision.query_receipts:
        found = [(receipt, messages.find_own(session, conversation.citizen_id, receipt))
                 for receipt in decision.query_receipts]
    else:
        own = messages.latest_own(session, conversation.citizen_id, about=decision.query_about)
        if own is None:
            return ChatResult(decision.replies)
        found = [(own.receipt, own)]
    stages = [progress.message_progress(session, own) if own else None for _, own in found]
    result = ChatResult([engine.status_reply(own.receipt if own else receipt, stage.sentence if stage else None)
                         for (receipt, own), stage in zip(found, stages)])
    # The link given with each receipt, again (this browser was given it), on its answer's last line.
    tokens = progress_links.links_again(session, limits.link_key, [own.id for _, own in found if own])
    urls = [_progress_url(limits, tokens[own.id]) if own and own.id in tokens else None for _, own in found]
    if len(found) > 1:
        for i, url in enumerate(urls):
            if url:
                result.replies[i] += "\n" + texts.PROGRESS_LINK.format(url=url)
        result.answer_links = [url for url in urls if url]
        if conversation.state in (engine.AWAITING_DESCRIPTION, *engine.CONTACT_STATES):
            _SAVE_CONVERSATION_RUN.rows(session, {"conversation": conversation.id, "now": utcnow(),
                                                  "submission": None, "new_state": engine.AWAITING_DESCRIPTION})
        return result
    (_, own), stage = found[0], stages[0]
    result.progress_url = urls[0]
    link_line = "\n" + texts.PROGRESS_LINK.format(url=urls[0]) if urls[0] else ""
    if conversation.state not in (engine.AWAITING_DESCRIPTION, *engine.CONTACT_STATES):
        result.replies[-1] += link_line
        return result  # a report is open: its question comes first
    target = own if own is not None and _takes_contact(own, conversation.citizen_id) \
        and stage.stage not in _NO_CALL_BACK else None
    if target is not None and target.contact_phone:  # kept: a number sent next adds to nothing
        result.replies[-1] += texts.CONTACT_KEPT.format(phone=masking.mask_phone(target.contact_phone))
        target = None
    elif target is not None:
        result.replies[-1] += texts.CONTACT_OFFER  # one reply: the stage read first, then what may follow
    _SAVE_CONVERSATION_RUN.rows(session, {
        "conversation": conversation.id, "now": utcnow(), "submission": target.id if target else None,
        "new_state": engine.AWAITING_CONTACT if target else engine.AWAITING_DESCRIPTION})
    result.replies[-1] += link_line
    return result


def _names_none(session: Session, citizen_id: int, about: str) -> bool:
    """Whether the citizen has sent messages and none of them has the words `about`."""
    return (messages.latest_own(session, citizen_id, about=about) is None
            and messages.latest_own(session, citizen_id) is not None)


def _add_contact(session: Session, target: Message, decision: engine.Turn) -> list[str]:
    """A number for a sent message that has none (kept from the deputy until they agree), or the answer whether
    the deputy may see it; the words telling the citizen so once it is answered. A number the message had before
    this exchange is never replaced; each change is in the audit log."""
    before = {"phone": masking.mask_phone(target.contact_phone), "share_phone": target.share_phone}
    changes: dict = {}
    if decision.contact_phone:
        changes.update(contact_phone=decision.contact_phone, share_phone=False, phone_shared_with_id=None)
    if decision.contact_share is not None:
        changes.update(share_phone=decision.contact_share,
                       phone_shared_with_id=target.deputy_id if decision.contact_share else None)
    stored = messages.update_fields(session, target.id, **changes)
    after = {"phone": masking.mask_phone(stored.contact_phone), "share_phone": stored.share_phone}
    audit.record(session, "citizen", "message.contact", f"message:{target.id}", before=before,
                 after={**after, "note": decision.contact_note} if decision.contact_note else after)
    if decision.contact_share is None:  # the consent follows: say which message the number is for
        return [texts.CONTACT_FOR.format(receipt=stored.receipt)]
    shared = texts.PHONE_SHARED if stored.share_phone else texts.PHONE_PRIVATE
    return [texts.CONTACT_ADDED.format(receipt=stored.receipt, shared=shared)]


def _apply(session: Session, conversation: ClaimedConversation, decision: engine.Turn, *, channel: str,
           limits: Limits, attachment: tuple[bytes | None, str, str | None] | None = None,
           contact: Message | None = None) -> ChatResult:
    if decision.otherwise is not None and (
            messages.latest_own(session, conversation.citizen_id, about=decision.query_about) is None
            if decision.query_mine else _names_none(session, conversation.citizen_id, decision.query_about)):
        # The earlier report named is none of this citizen's: news about something else, never answered for
        # another message; with no message at all the receipt number is asked for, unless only "my" thing was
        # named ("我的孩子上学问题怎么样了"): that is news too.
        decision = decision.otherwise
    if decision.query_receipts or decision.query_latest:
        return _progress(session, conversation, decision, limits)
    if decision.wants_person or decision.withdraw_sent:
        station = session.scalar(select(Station).join(Deputy, Deputy.station_id == Station.id)
                                 .where(Deputy.id == conversation.deputy_id))
        reply = engine.person_reply if decision.wants_person else engine.withdraw_sent_reply
        return ChatResult([reply(station.name, station.phone, station.opening_hours)])
    if decision.rejected:
        return ChatResult(decision.replies, rejected=True)

    # In a contact state the conversation points at a sent message, which is no open submission.
    submission_id = None if conversation.state in engine.CONTACT_STATES else conversation.submission_id
    contact_replies = []
    if contact is not None and decision.call_back and contact.contact_phone:
        # A call back asked for about a message that has its number: that number, and nothing is asked; the
        # conversation still points at it, so the same ask again is answered the same.
        decision = engine.Turn(engine.AWAITING_SENT_CONTACT, [
            texts.CONTACT_CALL_BACK.format(phone=masking.mask_phone(contact.contact_phone))])
    if contact is not None and (decision.contact_phone or decision.contact_share is not None):
        if decision.contact_phone and contact.contact_phone and conversation.state != engine.AWAITING_CONTACT_CONSENT:
            # The message got a number meanwhile (another turn, another tab): kept, and nothing is open.
            contact_replies = [texts.CONTACT_KEPT.format(phone=masking.mask_phone(contact.contact_phone))]
            decision = engine.Turn(engine.AWAITING_DESCRIPTION)
        else:
            contact_replies = _add_contact(session, contact, decision)
    if decision.go_on or decision.explain:
        so_far = _SUBMISSION_TEXT.one(session, {"submission": submission_id})[0] if submission_id is not None else ""
        decision = replace(decision, replies=[(engine.go_on_reply if decision.go_on else engine.explain_reply)(so_far)])
    open_text = None
    if decision.append is not None and submission_id is not None:
        (open_text,) = _SUBMISSION_TEXT.one(session, {"submission": submission_id})
    if decision.append is not None and submission_id is None:
        # Nothing open to add to (it was processed meanwhile): these words start a new submission.
        decision = replace(decision, start=decision.append, append=None)
    new_text = decision.start or decision.append
    if new_text is not None:
        try:
            cleaned = messages.validate(new_text, limits.max_chars)
            if open_text is not None and decision.append is not None and \
                    len(open_text) + len(cleaned) > messages.MAX_SUBMISSION_CHARS:
                raise messages.MessageRejected("submission_full", so_far=len(open_text),
                                               limit=messages.MAX_SUBMISSION_CHARS)
        except messages.MessageRejected as rejected:
            return ChatResult([engine.rejection_reply(rejected.reason, **rejected.details)], rejected=True)

    if decision.withdraw and submission_id is not None:
        messages.update_fields(session, submission_id, status=MessageStatus.WITHDRAWN)
        submission_id = None
    sent_open = None
    if decision.send_open and submission_id is not None:
        sent_open = _send_open(session, submission_id, limits)
        submission_id = None
    if decision.start is not None and submission_id is not None:
        # A loose end from an earlier conversation: keep it, process it.
        messages.update_fields(session, submission_id, status=MessageStatus.RECEIVED)
        submission_id = None
    changes: dict = {}  # to the open submission (or the one this turn starts), written in one statement
    open_after = decision.start is not None or submission_id is not None
    if decision.append is not None and submission_id is not None:
        addition = messages.clean_text(decision.append)
        if not open_text.endswith(addition):  # the same words sent twice (a double click) count once
            changes["text"] = f"{open_text}\n{addition}"
    if decision.phone and open_after:
        changes["contact_phone"] = decision.phone
    if decision.share_phone is not None and open_after:
        changes["share_phone"] = decision.share_phone
        changes["phone_shared_with_id"] = conversation.deputy_id if decision.share_phone else None
    finalized = decision.finalize and open_after
    if finalized:
        changes["status"] = MessageStatus.RECEIVED
    saved_along = None  # the conversation's save, when the new submission's statement makes it
    if decision.start is not None:
        # On PostgreSQL, when storing it is all the turn writes besides the conversation, the two are one statement.
        if session.get_bind().dialect.name == "postgresql" and not changes and not finalized:
            saved_along = (_START_AND_SAVE, {"conversation": conversation.id, "new_state": decision.state,
                                             "now": utcnow()})
        submission_id = messages.submit(
            session, deputy_id=conversation.deputy_id, citizen_id=conversation.citizen_id, text=decision.start,
            channel=channel, max_chars=limits.max_chars, local_tz=limits.local_tz, status=MessageStatus.COLLECTING,
            along=saved_along,
        ).id
    if attachment is not None and submission_id is not None:
        data, content_type, ref = attachment
        session.add(Attachment(message_id=submission_id, data=data, content_type=content_type, external_ref=ref))

    result = sent_open or ChatResult([])
    result.replies += contact_replies + list(decision.replies)
    token, link = progress_links.new_link(submission_id, limits.link_key) if finalized else (None, None)
    pointed = contact.id if contact is not None and decision.state in engine.CONTACT_STATES else submission_id
    new_state = decision.state
    if finalized and new_state == engine.AWAITING_DESCRIPTION:
        # A number sent right after the receipt is for the message just sent: the conversation points at it.
        new_state, pointed = engine.AWAITING_SENT_CONTACT, submission_id
    elif finalized:
        pointed = None
    saved = {"conversation": conversation.id, "new_state": new_state, "submission": pointed, "now": utcnow()}
    stored = None if saved_along else _write(session, submission_id, changes, saved, link)
    if decision.contact_note and "contact_phone" in changes:
        # How to reach the citizen ("张先生", "晚上打") is kept beside the number for staff, never in the report.
        audit.record(session, "citizen", "message.contact", f"message:{submission_id}",
                     after={"phone": masking.mask_phone(decision.phone), "note": decision.contact_note})
    if finalized:
        result.message_id, result.receipt, result.said = submission_id, stored.receipt, receipt_words(stored.text)
        result.progress_url = _progress_url(limits, token)
        result.replies += engine.receipt_replies(stored.receipt, bool(stored.contact_phone), stored.share_phone,
                                                 result.progress_url)
    session.flush()
    return result


def _send_open(session: Session, submission_id: int, limits: Limits) -> ChatResult:
    """The open submission sent as it is, its receipt and progress link told, since another report begins."""
    stored = messages.update_fields(session, submission_id, status=MessageStatus.RECEIVED)
    token, link = progress_links.new_link(submission_id, limits.link_key)
    _INSERT_LINK.rows(session, link)
    url = _progress_url(limits, token)
    said = receipt_words(stored.text)
    return ChatResult([texts.OPEN_SENT.format(said=said)] + engine.receipt_replies(
        stored.receipt, bool(stored.contact_phone), bool(stored.share_phone), url),
        message_id=submission_id, receipt=stored.receipt, progress_url=url, said=said)


def _write(session: Session, submission_id: int | None, changes: dict, saved: dict, link: dict | None):
    """The turn's last writes: the open submission's changes, its progress link when confirmed, the
    conversation's new state; returns the submission as it now is (None when unchanged)."""
    if changes and session.get_bind().dialect.name == "postgresql":
        return messages.Contact(*_merged_write(tuple(sorted(changes)), link is not None).one(
            session, {**saved, **(link or {}), **messages.update_params(submission_id, changes)}))
    stored = messages.update_fields(session, submission_id, **changes) if changes else None
    if link is not None:
        _INSERT_LINK.rows(session, link)
    _SAVE_CONVERSATION_RUN.rows(session, saved)
    return stored


@lru_cache(maxsize=64)  # one per set of columns a turn changes, with or without a link
def _merged_write(names: tuple[str, ...], with_link: bool) -> Prebuilt:
    """On PostgreSQL the three are one statement, two round trips less on a confirming turn; SQLite has no
    writes inside WITH, and there each statement is a cheap call in the same process."""
    statement = messages.update_statement(names).add_cte(
        _SAVE_CONVERSATION.returning(_conversations.c.id).cte("saved_conversation"))
    if with_link:
        statement = statement.add_cte(progress_links.INSERT.returning(progress_links.INSERT.table.c.id).cte("new_link"))
    return Prebuilt(statement)


def _notices(session: Session, citizen_id: int) -> list[str]:
    """What staff asked us to tell this citizen (e.g. a reassignment), said once on their next turn."""
    pending = session.execute(_PENDING_NOTICES, {"citizen": citizen_id}).all()
    if pending:
        session.execute(update(_notices_table).where(_notices_table.c.id.in_([n.id for n in pending]))
                        .values(delivered_at=utcnow()))
    return progress.latest_steps([(notice.dedupe_key, notice.text) for notice in pending])


def turn(session: Session, *, deputy_id: int, citizen_id: int, text: str, channel: str,
         limits: Limits) -> ChatResult:
    conversation = conversation_for(session, citizen_id, deputy_id)
    contact = _contact_target(session, conversation)
    if contact is None and conversation.state in engine.CONTACT_STATES:
        # The message can no longer take a number (withdrawn, or its personal data removed): nothing is open.
        conversation = replace(conversation, state=engine.AWAITING_DESCRIPTION, submission_id=None)
    result = _apply(session, conversation, engine.handle(conversation.state, text), channel=channel, limits=limits,
                    contact=contact)
    if conversation.has_notices:
        result.replies = _notices(session, citizen_id) + result.replies
    return result


def attach(session: Session, *, deputy_id: int, citizen_id: int, note: str, channel: str, limits: Limits,
           data: bytes | None, content_type: str, external_ref: str | None = None, reply: str) -> ChatResult:
    """An image (or a location) joins the open submission or starts one; `reply` acknowledges it."""
    conversation = conversation_for(session, citizen_id, deputy_id)
    if conversation.state in engine.CONTACT_STATES:  # a picture is news, for a new message
        conversation = replace(conversation, state=engine.AWAITING_DESCRIPTION, submission_id=None)
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
