"""The grouping index kept between batches: the same groups as grouping everything at once, at the cost of the batch."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, select

from intake.models import (
    Draft,
    DraftMessage,
    GroupingKey,
    GroupTerms,
    GroupWord,
    IndexedDeputy,
    Message,
    MessageStatus,
    TopicWord,
)
from intake.services.drafts import drafting, group_index, grouping
from tests.conftest import SHARED_DATA
from tests.helpers import deputies, import_roster, write_roster

EXAMPLES = Path(__file__).resolve().parents[1] / "intake" / "classifier" / "examples.tsv"
TZ = ZoneInfo("Asia/Shanghai")


def _messages(count: int) -> list[tuple[str, dict]]:
    """Labelled example texts and variations of them (a word dropped, one added, forwarded unchanged)."""
    rows = [line.split("\t") for line in EXAMPLES.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    base = [(topic, grouping.terms_of(text.strip())) for topic, text in rows]
    rng = random.Random(26)
    out = []
    for index in range(count):
        topic, terms = base[index % len(base)] if index < len(base) else rng.choice(base)
        words = list(terms["words"])
        kind = rng.random()
        if index >= len(base) and kind < 0.4 and len(words) > 3:
            del words[rng.randrange(len(words))]
        elif index >= len(base) and kind < 0.7:
            words.append(rng.choice(rng.choice(base)[1]["words"] or ["其他"]))
        out.append((topic, {"places": terms["places"], "words": words}))
    return out


def _store(session, deputy_id: int, messages: list[tuple[str, dict]], start: int,
           status: str = MessageStatus.TAGGED) -> list[int]:
    stored = [Message(deputy_id=deputy_id, channel="web", text="、".join(terms["words"]) or "无", topic=topic,
                      terms=terms, status=status, receipt=f"T{start + i:08d}")
              for i, (topic, terms) in enumerate(messages)]
    session.add_all(stored)
    session.flush()
    return [m.id for m in stored]


def _deputy(app, tmp_path) -> int:
    import_roster(app, write_roster(tmp_path))
    return deputies(app)[0]["id"]


def _partition(session, deputy_id: int) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for draft_id, message_id in session.execute(
            select(DraftMessage.draft_id, DraftMessage.message_id).join(Draft).where(Draft.deputy_id == deputy_id)):
        groups.setdefault(draft_id, set()).add(message_id)
    return {frozenset(ids) for ids in groups.values()}


def _in_batches_and_in_one_pass(runtime, deputy_id: int, messages: list[tuple[str, dict]]) -> tuple[set, set]:
    """The groups the worker makes of the messages in batches of 1, 3 and 10 through the stored index, and
    those one Grouper makes of them all at once, in order (as grouping was before the index was kept)."""
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, messages, 0, MessageStatus.RECEIVED)
    # Messages are tagged a few at a time: batches of 1, 3 and 10, each its own transaction.
    sizes, done = [1, 3, 10], 0
    while done < len(ids):
        size = sizes[done % 3]
        with runtime.sessions() as session, session.begin():
            for message in session.scalars(select(Message).where(Message.id.in_(ids[done:done + size]))):
                message.status = MessageStatus.TAGGED
            drafting.batch_deputy(session, deputy_id, TZ, 2)
        done += size
    grouper, members = grouping.Grouper(), {}
    for message_id, (topic, terms) in zip(ids, messages):
        item = grouping.entry(terms)
        group = grouper.place(item, topic) or grouper.new_group(None, topic)
        grouper.add(group, item)
        members.setdefault(group.number, set()).add(message_id)
    with runtime.sessions() as session:
        return _partition(session, deputy_id), {frozenset(ids) for ids in members.values()}


def test_batches_of_any_size_group_as_one_pass_over_every_message(app, runtime, tmp_path):
    messages = _messages(240)
    found, expected = _in_batches_and_in_one_pass(runtime, _deputy(app, tmp_path), messages)
    assert len(expected) < len(messages) * 0.9, "the variations make groups of several messages"
    assert found == expected


@pytest.mark.shared("labelled-dev.csv")
def test_real_messages_group_in_batches_as_in_one_pass(app, runtime, tmp_path):
    """Real messages share words that many groups use: those count in a stored group a message meets as in
    one pass, whatever else was in the message's batch."""
    with open(SHARED_DATA / "labelled-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:300]
    messages = [(row["label"], grouping.terms_of(row["text"])) for row in rows]
    found, expected = _in_batches_and_in_one_pass(runtime, _deputy(app, tmp_path), messages)
    assert len(expected) < len(messages) * 0.95, "some of them make groups of several messages"
    assert found == expected


def _index(session, deputy_id: int) -> tuple:
    """The stored index as plain rows (group words, topic counts, group norms, messages' keys with their groups)."""
    return (
        sorted(session.execute(select(GroupWord.draft_id, GroupWord.word, GroupWord.count, GroupWord.topic)
                               .where(GroupWord.deputy_id == deputy_id)).all()),
        sorted(session.execute(select(TopicWord.topic, TopicWord.word, TopicWord.groups)
                               .where(TopicWord.deputy_id == deputy_id)).all()),
        sorted((row.draft_id, row.square_sum, sorted(row.places)) for row in session.scalars(
            select(GroupTerms).join(Draft).where(Draft.deputy_id == deputy_id))),
        sorted(session.execute(select(GroupingKey.key, GroupingKey.message_id, DraftMessage.draft_id)
                               .join(DraftMessage, DraftMessage.message_id == GroupingKey.message_id)
                               .where(GroupingKey.deputy_id == deputy_id)).all()),
    )


def test_taking_messages_out_and_merging_leave_the_index_a_rebuild_would_make(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, _messages(120), 0)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        shared = [d for d in drafting.all_drafts(session, deputy_id) if len(d.links) > 1]
        taken = [shared[0].links[0].message_id, shared[1].links[-1].message_id, ids[5]]
        drafting.remove_from_drafts(session, taken, TZ)
        for message in session.scalars(select(Message).where(Message.id.in_(taken))):
            message.status = MessageStatus.TAGGED  # re-tagged: grouped again by the next batch
        drafting.draft_from(session, [session.get(Message, ids[7]), session.get(Message, ids[9])], TZ)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
        kept = _index(session, deputy_id)
    with runtime.sessions() as session, session.begin():
        for table in (GroupWord, TopicWord):
            session.execute(delete(table).where(table.deputy_id == deputy_id))
        session.execute(delete(GroupTerms))
        session.execute(delete(IndexedDeputy).where(IndexedDeputy.deputy_id == deputy_id))
        group_index.ensure_indexed(session, deputy_id)
        rebuilt = _index(session, deputy_id)
    assert kept[0] and kept == rebuilt


def test_a_batch_of_one_message_reads_what_it_is_compared_with_not_the_history(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    history, new = _messages(301)[:300], _messages(301)[300:]
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, history, 0)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, new, len(history))
        connection = session.connection()
        selects = []

        def record(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                selects.append((statement, parameters))

        event.listen(connection, "before_cursor_execute", record)
        try:
            changed = drafting.batch_deputy(session, deputy_id, TZ, 2)
        finally:
            event.remove(connection, "before_cursor_execute", record)
        # Every row those statements read, counted by running them again in the same transaction.
        counts = [(statement[:80], len(connection.exec_driver_sql(statement, parameters).all()))
                  for statement, parameters in selects]
    # The district's frequencies of the message's own words: one row per word at most, whatever the history.
    frequencies = sum(n for statement, n in counts if "word_frequencies" in statement)
    rows = sum(n for _, n in counts) - frequencies
    assert changed
    # The deputy's lock, the pending messages, learned names, the stamps of what the worker keeps (the known
    # names and the units staff chose, read again only when changed), five reads of the index, the joined
    # group's counts of the message's words, its draft with its messages: about a dozen statements, however
    # long the history.
    assert len(selects) <= 13, selects
    assert frequencies <= len(grouping.entry(new[0][1]).features) + 1
    # The old job read every grouped message of the deputy (300 rows and more) for each batch; the groups
    # of every topic now share one index, so a message meets a few more of them.
    assert rows < len(history) / 3, counts
