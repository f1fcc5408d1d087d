"""Drafts from a deputy's tagged messages: one group per problem, a draft once enough citizens raise it."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, tzinfo

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from intake.models import AuditEntry, Draft, DraftMessage, DraftStatus, Message, MessageStatus, RadarMessage, stages, utcnow
from intake.services.drafts import composing, draft_text, group_index, grouping, names, stamps, unit_choices
from intake.services.drafts.composing import citizen_count, compose

VISIBLE_TO_DEPUTY = (DraftStatus.OPEN, DraftStatus.APPROVED, DraftStatus.DISCARDED)
# A draft's text is written again from all its messages each time one joins while it is small, and once larger
# only when it has grown by a fifth since it was last written: a message joining a draft of a thousand costs
# what one joining a draft of ten does. The sweep writes the others (catch_up), so no text lags for longer than
# DRAFT_BATCH_INTERVAL; the messages themselves are linked, and shown to the deputy, at once.
REWRITE_UP_TO = 20
REWRITE_GROWTH = 0.2


# Built once: building it for every batch cost more than running it.
_PENDING = (select(Message).where(Message.deputy_id == bindparam("deputy"), Message.status == MessageStatus.TAGGED)
            .order_by(Message.id))


def batch_deputy(session: Session, deputy_id: int, local_tz: tzinfo, min_citizens: int) -> list[int]:
    """Put every tagged, ungrouped message of a deputy into the group of its problem (a new one if none).

    A group becomes a draft the deputy sees once `min_citizens` citizens are in it and its messages share a
    distinctive phrase (see composing). Approved and discarded
    drafts are never touched: late messages on their problem start a follow-up group linked to them.
    Returns the ids of drafts that changed; an empty list when there was nothing to do.
    """
    # The row lock (SQLite's write lock, see intake.db) serialises two batch runs for one deputy.
    if not group_index.lock(session, deputy_id):
        return []
    pending = session.scalars(_PENDING, {"deputy": deputy_id}).all()
    if not pending:
        return []
    stamp = group_index.ensure_indexed(session, deputy_id)
    # The drafts are written before anything is flushed, so a new one is inserted once, with its text, rather
    # than inserted and then updated. The grouper's many small objects go once the batch is saved, before the
    # collector runs again.
    with grouping.collector_paused(), session.no_autoflush:
        index, placed, rewrite, stamped = _place(session, deputy_id, pending, stamp, min_citizens)
        choices = unit_choices.current(session, stamped) if rewrite else []
        for draft in rewrite:
            _write(draft, local_tz, choices, min_citizens)
        index.save(placed)
    _mark_drafted(session, pending)
    _record_grouped(session, [(message_id, index.draft_id(group), index.status(group))
                              for group, _, message_id in placed])
    return sorted({index.draft_id(group) for group, _, _ in placed})


def _record_grouped(session: Session, grouped: list[tuple[int, int, str]]) -> None:
    """Each message's 操作记录 says the system put it in its draft, or in a problem still collecting messages
    (not yet a draft a clerk could open): one insert for the batch (an ORM row per message would cost the
    grouping job a flush of each)."""
    now = utcnow()
    rows = [{"at": now, "actor": "system", "target": f"message:{message_id}", "before": {},
             **({"action": "grouped_collecting", "after": {"group": draft_id}} if status == DraftStatus.COLLECTING
                else {"action": "grouped", "after": {"draft": draft_id}})}
            for message_id, draft_id, status in grouped]
    group_index.insert_rows(session.connection(), AuditEntry.__table__, rows)


_DRAFTED = {dialect: update(Message.__table__).where(group_index.among(Message.__table__.c.id, dialect, "ids"))
            .values(status=MessageStatus.DRAFTED) for dialect in group_index.DIALECTS}


def _mark_drafted(session: Session, messages: list[Message]) -> None:
    """The batch's messages are in their drafts now: one UPDATE (the ORM's flush would handle each), and the
    loaded messages say so too."""
    ids, connection = [message.id for message in messages], session.connection()
    for start in range(0, len(ids), group_index.WORDS_PER_STATEMENT):
        group_index.run(connection, _DRAFTED[connection.dialect.name],
                        {"ids": group_index.listed(connection, ids[start:start + group_index.WORDS_PER_STATEMENT])})
    for message in messages:
        set_committed_value(message, "status", MessageStatus.DRAFTED)


def titles(session: Session, drafts: list[Draft]) -> dict[int, str]:
    """Each draft's title by id, the deputy's own where they rewrote it; a group left unwritten (`_new_group`) titled now from its message, by the
    names the job's tokenizer knows. Never stored: a batch may write the group meanwhile."""
    unwritten = [draft for draft in drafts if not draft.title]
    if not unwritten:
        return {draft.id: draft_text.text_of(draft, "title") for draft in drafts}
    names.known(session, stamps.read(session))
    said = defaultdict(list)
    for draft_id, message in session.execute(
            select(DraftMessage.draft_id, Message).join(Message, Message.id == DraftMessage.message_id)
            .where(DraftMessage.draft_id.in_([draft.id for draft in unwritten])).order_by(Message.id)):
        said[draft_id].append(message)
    return {draft.id: draft_text.text_of(draft, "title") or composing.title_of(said[draft.id], draft.topic) for draft in drafts}


def text_of(session: Session, draft: Draft, local_tz: tzinfo) -> tuple[str, dict, str | None]:
    """A draft's title, sections and unit as stored; a group left unwritten written now, for reading only."""
    if draft.title:
        return draft.title, draft.sections, draft.handling_unit
    stamped = stamps.read(session)
    names.known(session, stamped)
    text = composing.text_of(draft.messages, draft.topic, draft.handling_unit, local_tz,
                             unit_choices.current(session, stamped))
    return text.title, text.sections, text.handling_unit


def _write(draft: Draft, local_tz: tzinfo, choices, min_citizens: int) -> None:
    # Enough citizens, and messages that share a distinctive phrase: one problem, a draft by itself.
    one_problem = compose(draft, local_tz, choices)
    if draft.status == DraftStatus.COLLECTING and one_problem and citizen_count(draft) >= min_citizens:
        draft.status = DraftStatus.OPEN


def _rewrite_now(composed: int, joined_since: int) -> bool:
    total = composed + joined_since
    return total <= REWRITE_UP_TO or total >= composed * (1 + REWRITE_GROWTH)


def catch_up(session: Session, deputy_id: int, local_tz: tzinfo, min_citizens: int) -> list[int]:
    """Write the text of this deputy's drafts that messages joined since it was last written (see REWRITE_UP_TO).
    Returns their ids; run again, it finds nothing to do."""
    if not group_index.lock(session, deputy_id):
        return []
    drafts = session.scalars(
        select(Draft).where(Draft.deputy_id == deputy_id, Draft.pending_messages > 0,
                            Draft.status.not_in(stages.DRAFTS_SEALED))
        .order_by(Draft.id).options(selectinload(Draft.links).selectinload(DraftMessage.message))).all()
    choices = unit_choices.load(session) if drafts else []
    for draft in drafts:
        _write(draft, local_tz, choices, min_citizens)
    session.flush()
    return [draft.id for draft in drafts]


# Every sweep asks this of all drafts: ix_drafts_behind holds only the drafts behind, so it reads only those.
DEPUTIES_BEHIND = (select(Draft.deputy_id).where(Draft.pending_messages > 0, Draft.status.not_in(stages.DRAFTS_SEALED))
                   .distinct().order_by(Draft.deputy_id))


def deputies_behind(session: Session) -> list[int]:
    """Deputies with a draft whose text is behind its messages."""
    return list(session.scalars(DEPUTIES_BEHIND).all())


def _place(session: Session, deputy_id: int, pending: list[Message], stamp: str | None, min_citizens: int
           ) -> tuple[group_index.BatchIndex, list, list[Draft], dict[str, str]]:
    """Each pending message into the draft of its problem (a new one, or a follow-up of a closed one), nothing
    flushed yet. `stamp` is the deputy's grouping stamp (group_index). Returns the batch's index and what it
    placed (to save once the drafts are written), the drafts whose text is to be written now, and the stamps
    of what workers keep between batches."""
    for message in pending:
        if message.terms is None:
            message.terms = grouping.message_terms(message.text)
    names.learn(session, [message.terms.get("names") or [] for message in pending])
    stamped = stamps.read(session)
    known = names.known(session, stamped)
    for message in pending:
        # Cut before the tokenizer knew a name it says (learned just now, or by another process): cut it again
        # so the name is whole, whichever process tagged it. Its places may hold the name while its words split it
        # (桃园|村道 read as the place 桃园村, the word 桃园): grouping compares the words.
        words = message.terms.get("words") or ()
        if any(name in message.text and not any(name in word for word in words) for name in known):
            message.terms = grouping.message_terms(message.text)
    items = [(grouping.entry(message.terms), message.topic) for message in pending]
    index = group_index.BatchIndex(session, deputy_id, items, stamp)
    grouper, follow_ups = index.grouper, {}
    joined: dict[int, list[Message]] = defaultdict(list)
    placed = []
    for message, (item, topic) in zip(pending, items):
        group = grouper.place(item, topic)
        if group is not None and group.closed:
            closed = group.number
            group = follow_ups.get(closed) or index.follow_up(group)
            if group is None:
                group = _new_group(index, message, follows=index.draft(grouper.groups[closed]))
            follow_ups[closed] = group
        elif group is None:
            group = _new_group(index, message)
        index.add(group, item)
        placed.append((group, item, message.id))
        joined[group.number].append(message)
    now = []
    for number, messages in joined.items():
        group = grouper.groups[number]
        if number >= group_index.NEW_GROUPS:
            if len(messages) > 1 or min_citizens <= 1:  # else one citizen's: no draft by itself, left unwritten
                now.append(group)
            continue
        composed, since = index.sizes(group)
        if _rewrite_now(composed, since + len(messages)):
            now.append(group)
        else:
            index.link_later(group, [message.id for message in messages])
    rewrite = index.drafts_with_messages(now)
    for group, draft in zip(now, rewrite):
        draft.links.extend(DraftMessage(message=message) for message in joined[group.number])
    return index, placed, rewrite, stamped


def _new_group(index: group_index.BatchIndex, message: Message, follows: Draft | None = None) -> grouping.Group:
    """A group of this message, its draft unwritten: nearly every message of a batch starts a group of its own,
    and writing them was a fifth of the job. Such a group is titled where it is shown (`titles`, `text_of`), from
    its message as writing it would, and written for good once another message joins it or it is made a draft.
    Nothing is pending: the sweep leaves it too. A group the batch writes overwrites these values."""
    return index.new_group({"deputy_id": message.deputy_id, "topic": follows.topic if follows else message.topic,
                            "handling_unit": follows.handling_unit if follows else message.handling_unit,
                            "follows_id": follows.id if follows else None, "status": DraftStatus.COLLECTING,
                            "title": "", "sections": {}, "composed_messages": 0, "pending_messages": 0})


def all_drafts(session: Session, deputy_id: int | None = None) -> list[Draft]:
    query = select(Draft).order_by(Draft.deputy_id, Draft.id)
    if deputy_id is not None:
        query = query.where(Draft.deputy_id == deputy_id)
    return list(session.scalars(query).all())


def summary(session: Session, draft: Draft, local_tz: tzinfo) -> dict:
    """A draft as plain data: what it says and which messages (with the numbers they were imported with) are behind it."""
    title, sections, unit = text_of(session, draft, local_tz)
    return {
        "id": draft.id,
        "deputy_id": draft.deputy_id,
        "title": title,
        "topic": draft.topic,
        "status": draft.status,
        "handling_unit": unit,
        "sections": sections,
        "messages": [{"id": m.id, "receipt": m.receipt, "external_id": m.external_id} for m in draft.messages],
        "updated_at": draft.updated_at.isoformat(),
    }


def deputies_with_pending(session: Session) -> list[int]:
    return list(
        session.scalars(select(Message.deputy_id).where(Message.status == MessageStatus.TAGGED).distinct()).all()
    )


def draft_of(session: Session, deputy_id: int, draft_id: int) -> Draft | None:
    """The draft, only when it belongs to this deputy and is one (not a group still collecting)."""
    return session.scalar(select(Draft).where(Draft.id == draft_id, Draft.deputy_id == deputy_id,
                                              Draft.status.in_(VISIBLE_TO_DEPUTY))
                          .options(selectinload(Draft.links).selectinload(DraftMessage.message)))


def merged_into(session: Session, deputy_id: int, draft_id: int) -> int | None:
    """The draft that this deputy's merged draft went into (following later merges), None for any other."""
    target, hops = draft_id, 0
    while hops < 20:  # a chain of merges is short; the bound only guards against a loop in bad data
        row = session.execute(select(Draft.status, Draft.merged_into_id)
                              .where(Draft.id == target, Draft.deputy_id == deputy_id)).one_or_none()
        if row is None:
            return None
        if row.status != DraftStatus.MERGED:
            return target if hops else None
        target, hops = row.merged_into_id, hops + 1
    return None


def mark_viewed(session: Session, draft: Draft) -> datetime | None:
    """The deputy opens the draft now; returns when they last did, so the page can show what is new since.

    Opening changes nothing in the draft: its updated_at (the 更新 time and place in the deputy's list) stays as the
    database holds it, also when a worker changed the draft while the page was being made."""
    previous, now = draft.viewed_at, utcnow()
    session.execute(update(Draft).where(Draft.id == draft.id).values(viewed_at=now, updated_at=Draft.updated_at))
    return previous


def remove_from_drafts(session: Session, message_ids: list[int], local_tz: tzinfo) -> None:
    """Take messages out of open drafts and groups (approved ones are the deputy's and stay as they are).

    A message taken out and tagged again is grouped by the next batch like any new one. The deputies' locks come
    first: links read before them may be ones another change (a second tap) has moved meanwhile."""
    for deputy_id in session.scalars(select(Message.deputy_id).where(Message.id.in_(message_ids)).distinct()
                                     .order_by(Message.deputy_id)):
        group_index.lock(session, deputy_id)
    links = session.scalars(
        select(DraftMessage).join(Draft, Draft.id == DraftMessage.draft_id)
        .where(DraftMessage.message_id.in_(message_ids), Draft.status.not_in(stages.DRAFTS_SEALED))
    ).all()
    touched = {link.draft for link in links}
    # Off the district's radar too: placed again with the group it goes to next, never left under one deleted.
    session.execute(delete(RadarMessage).where(RadarMessage.message_id.in_([link.message_id for link in links])))
    for link in links:
        link.draft.links.remove(link)
    group_index.reindex(session, touched)
    choices = unit_choices.load(session) if touched else []
    for draft in touched:
        if draft.links:
            compose(draft, local_tz, choices)
        else:
            session.delete(draft)
    session.flush()


def regroup(session: Session, messages: list[Message], local_tz: tzinfo) -> list[int]:
    """Messages whose topic changed leave their open draft or collecting group and wait, tagged, for the next
    batch to place them by their new topic. Returns the deputies whose batch must run."""
    remove_from_drafts(session, [m.id for m in messages], local_tz)
    moved = [m for m in messages if m.status == MessageStatus.DRAFTED and not _in_closed_draft(session, m.id)]
    for message in moved:
        message.status = MessageStatus.TAGGED
    session.flush()
    return sorted({m.deputy_id for m in moved})


def _in_closed_draft(session: Session, message_id: int) -> bool:
    return session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == message_id)) is not None


def add_to_draft(session: Session, messages: list[Message], draft: Draft, local_tz: tzinfo) -> None:
    """Staff put these messages into an existing draft of the same deputy (out of wherever they were)."""
    remove_from_drafts(session, [m.id for m in messages], local_tz)
    for message in messages:
        draft.links.append(DraftMessage(message=message))
        message.status = MessageStatus.DRAFTED
    group_index.reindex(session, [draft])  # later messages on the problem find it by its new words too
    compose(draft, local_tz, unit_choices.load(session))
    session.flush()


def draft_from(session: Session, messages: list[Message], local_tz: tzinfo) -> Draft:
    """A new draft from exactly these messages (staff asked for it), whatever their current drafts."""
    remove_from_drafts(session, [m.id for m in messages], local_tz)
    topics = Counter(m.topic or "其他" for m in messages)
    topic = topics.most_common(1)[0][0]
    unit = next((m.handling_unit for m in messages if m.topic == topic), None)
    draft = Draft(deputy_id=messages[0].deputy_id, topic=topic, handling_unit=unit, title="")
    session.add(draft)
    session.flush()
    for message in messages:
        draft.links.append(DraftMessage(message=message))
        message.status = MessageStatus.DRAFTED
    group_index.reindex(session, [draft])
    compose(draft, local_tz, unit_choices.load(session))
    session.flush()
    return draft
