"""The grouping index kept between batches: the same groups as grouping everything at once, at the cost of the batch."""

from __future__ import annotations

import csv
import gc
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, func, insert, select, text

from intake.db import make_engine, make_session_factory
from intake.models import (
    AuditEntry,
    Draft,
    DraftMessage,
    DraftStatus,
    GroupingKey,
    GroupTerms,
    GroupWord,
    IndexedDeputy,
    Message,
    MessageStatus,
)
from intake.services.drafts import drafting, group_index, grouping, unit_choices
from intake.services.drafts.composing import citizen_count, compose
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


def test_a_message_joins_the_group_another_worker_made_of_words_this_one_knew(app, runtime, tmp_path,
                                                                              database_url):
    """The first worker knows every word of the later message from its own batches, and which groups used
    them then; the group the second worker made of those words meanwhile is still found."""
    lights = "路灯 损坏 夜间 照明 安全 隐患 维修 道路 黑暗 摔倒".split()
    sewage = "污水 排放 河道 臭味 垃圾 堆放 清理 环境 卫生 蚊虫".split()
    school = lights[:5] + sewage[:5]
    deputy_id = _deputy(app, tmp_path)
    other = make_engine(database_url)
    try:
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [("城乡建设", {"places": ["幸福小区"], "words": lights}),
                                        ("环境保护", {"places": ["东湖路"], "words": sewage})], 0)
            drafting.batch_deputy(session, deputy_id, TZ, 2)
        with make_session_factory(other)() as session, session.begin():
            (made,) = _store(session, deputy_id, [("城乡建设", {"places": ["中心小学"], "words": school})], 2)
            drafting.batch_deputy(session, deputy_id, TZ, 2)
    finally:
        other.dispose()
    with runtime.sessions() as session, session.begin():
        (late,) = _store(session, deputy_id, [("城乡建设", {"places": ["中心小学"], "words": school[:6]})], 3)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session:
        placed = dict(session.execute(select(DraftMessage.message_id, DraftMessage.draft_id)).all())
    assert len(set(placed.values())) == 3
    assert placed[late] == placed[made]


def test_staff_moving_a_message_is_seen_by_the_worker_that_grouped_it(app, runtime, tmp_path):
    """A worker that grouped a message places a later copy of it with the draft staff moved it to, not with
    the group it kept in memory."""
    deputy_id = _deputy(app, tmp_path)
    messages = _messages(40)
    copy = messages[0]
    with runtime.sessions() as session, session.begin():
        first, second = _store(session, deputy_id, [copy, copy], 0)
        _store(session, deputy_id, messages[1:], 2)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        moved = drafting.draft_from(session, [session.get(Message, first)], TZ).id
    with runtime.sessions() as session, session.begin():
        (late,) = _store(session, deputy_id, [copy], 100)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session:
        placed = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == late))
        left = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == second))
    assert placed == moved != left


def test_a_draft_approved_since_the_workers_last_batch_is_never_joined(app, runtime, tmp_path):
    """Late copies of an approved draft's message go to a follow-up, even from the worker that kept the draft's
    group in memory while it was open."""
    deputy_id = _deputy(app, tmp_path)
    copy = _messages(1)[0]
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, [copy, copy], 0)
        (draft_id,) = drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        session.get(Draft, draft_id).status = DraftStatus.APPROVED
    with runtime.sessions() as session, session.begin():
        (late,) = _store(session, deputy_id, [copy], 2)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session:
        approved = session.get(Draft, draft_id)
        follow_up = session.scalar(select(Draft).join(DraftMessage).where(DraftMessage.message_id == late))
        assert len(approved.links) == 2
        assert follow_up.follows_id == draft_id


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
    """The stored index as plain rows (group words, group norms, messages' keys with their groups)."""
    return (
        sorted(session.execute(select(GroupWord.draft_id, GroupWord.word, GroupWord.count, GroupWord.topic)
                               .where(GroupWord.deputy_id == deputy_id)).all()),
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
        session.execute(delete(GroupWord).where(GroupWord.deputy_id == deputy_id))
        session.execute(delete(GroupTerms))
        session.execute(delete(IndexedDeputy).where(IndexedDeputy.deputy_id == deputy_id))
        group_index.ensure_indexed(session, deputy_id)
        rebuilt = _index(session, deputy_id)
    assert kept[0] and kept == rebuilt


def _reads_of_one_batch(runtime, deputy_id: int, new: list[tuple[str, dict]], start: int) -> tuple[list, list, int]:
    """The drafts a batch of these new messages changed, the SELECTs it ran, and the rows they read
    (besides the district's word frequencies, which are counted apart)."""
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, new, start)
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
    return changed, selects, counts


def test_a_batch_of_one_message_reads_what_it_is_compared_with_not_the_history(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    history, new = _messages(301)[:300], _messages(301)[300:]
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, history, 0)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    changed, selects, counts = _reads_of_one_batch(runtime, deputy_id, new, len(history))
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


def test_a_batch_of_new_groups_reads_none_of_the_drafts_it_made_back(app, runtime, tmp_path):
    """Nearly every message of a batch starts a group: its draft is inserted outside the session, and the
    message's 操作记录 says which draft and whether it is one yet from that draft as made, not read back one by
    one (a look-up per new group was a sixth of the grouping job)."""
    import_roster(app, write_roster(tmp_path))
    first, one, ten = (deputy["id"] for deputy in deputies(app)[:3])
    _reads_of_one_batch(runtime, first, _messages(1), 0)  # the worker's first batch reads what it keeps for all
    _, single, _ = _reads_of_one_batch(runtime, one, _messages(1), 1)
    changed, selects, _ = _reads_of_one_batch(runtime, ten, _messages(10), 2)
    assert len(changed) >= 5  # most of the ten started a group of their own
    assert len(selects) == len(single), [statement[:80] for statement, _ in selects]


def test_the_jobs_own_inserts_store_what_sqlalchemys_insert_stores(app, runtime, tmp_path):
    """The batch writes its new drafts, their links and the 操作记录 through the driver: the same columns, dates
    and JSON as every other page and job reads and writes (a date in another format would sort apart)."""
    deputy_id = _deputy(app, tmp_path)
    at = datetime(2026, 12, 5, 1, 2, 3, 456789, tzinfo=timezone.utc)
    draft = {"deputy_id": deputy_id, "topic": "城乡建设", "title": "", "status": DraftStatus.COLLECTING,
             "handling_unit": None, "follows_id": None, "sections": {"诉求": ["修好路灯"]}, "composed_messages": 0,
             "pending_messages": 0}
    entry = {"at": at, "actor": "system", "target": "message:1", "before": {}, "action": "grouped",
             "after": {"draft": 1}}
    with runtime.sessions() as session, session.begin():
        connection = session.connection()
        for table, row in ((Draft.__table__, draft), (AuditEntry.__table__, entry)):
            connection.execute(insert(table), [row])
            group_index.insert_rows(connection, table, [row])
            stored = [tuple(found)[1:] for found in connection.execute(
                select(*(text(f'CAST("{column.name}" AS TEXT)') for column in table.columns)).select_from(table)
                .order_by(table.c.id))]
            if table is Draft.__table__:  # made now, each at its own instant
                stored = [row[:8] + row[10:] for row in stored]
            assert len(stored) == 2 and stored[0] == stored[1], stored
        assert "2026-12-05 01:02:03.456789" in stored[0][0]


class _Walked(dict):
    """A kept index's groups by number, counting every pass over them (a look-up by number is no pass)."""

    passes = 0

    def _pass(self, view):
        _Walked.passes += 1
        return view

    def keys(self):
        return self._pass(super().keys())

    def values(self):
        return self._pass(super().values())

    def items(self):
        return self._pass(super().items())

    def __iter__(self):
        return self._pass(super().__iter__())


def test_a_batch_of_one_message_never_walks_the_groups_the_worker_keeps(app, runtime, tmp_path, monkeypatch):
    """A deputy with a long history has thousands of groups kept in the worker: a batch looks up the few its
    message meets, by number. A pass over all of them per batch made the last tenth of a 10,000-message history
    cost more per message than the first."""
    deputy_id = _deputy(app, tmp_path)
    messages = _messages(303)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, messages[:300], 0)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    kept = group_index._KEPT[(id(runtime.engine), deputy_id)][1].grouper
    assert len(kept.groups) > 50
    monkeypatch.setattr(kept, "groups", _Walked(kept.groups))
    monkeypatch.setattr(_Walked, "passes", 0)
    for start in (300, 301, 302):
        changed, _, _ = _reads_of_one_batch(runtime, deputy_id, messages[start:start + 1], start)
        assert changed
    assert group_index._KEPT[(id(runtime.engine), deputy_id)][1].grouper is kept, "the index stayed kept"
    assert _Walked.passes == 0


def test_a_message_joining_a_large_draft_reads_as_many_rows_whatever_its_size(app, runtime, tmp_path):
    """Its draft's messages are not read (nor its text written from them) for each message that joins: the
    message is linked at once, and the text written again once the draft has grown by a fifth."""
    import_roster(app, write_roster(tmp_path))
    small_deputy, large_deputy = (deputy["id"] for deputy in deputies(app)[:2])
    message = _messages(1)
    rows, selected = {}, {}
    for deputy_id, size in ((small_deputy, 60), (large_deputy, 240)):
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, message * size, deputy_id * 1000)
            (draft_id,) = drafting.batch_deputy(session, deputy_id, TZ, 2)
        changed, selects, counts = _reads_of_one_batch(runtime, deputy_id, message, deputy_id * 1000 + size)
        assert changed == [draft_id]
        rows[size] = sum(n for statement, n in counts if "word_frequencies" not in statement)
        selected[size] = len(selects)
        with runtime.sessions() as session:
            draft = session.get(Draft, draft_id)
            # The deputy sees the message in the draft at once; its text follows within a sweep.
            assert len(draft.links) == size + 1
            assert (draft.composed_messages, draft.pending_messages) == (size, 1)
    assert rows[240] == rows[60] < 60, rows
    assert selected[240] == selected[60], selected


def test_drafts_settle_to_the_text_written_from_all_their_messages(app, runtime, tmp_path):
    """Large drafts are written again only as they grow by a fifth; once the sweep has caught up, every draft
    says what writing it from all its messages says, and is open when that makes it one."""
    deputy_id = _deputy(app, tmp_path)
    messages = _messages(200)
    for position in range(0, 210, 3):
        messages.insert(position, messages[0])  # one problem raised again and again: a draft of seventy
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, messages, 0, MessageStatus.RECEIVED)
    sizes, done = [1, 3, 10], 0
    while done < len(ids):
        size = sizes[done % 3]
        with runtime.sessions() as session, session.begin():
            for message in session.scalars(select(Message).where(Message.id.in_(ids[done:done + size]))):
                message.status = MessageStatus.TAGGED
            drafting.batch_deputy(session, deputy_id, TZ, 2)
        done += size
    with runtime.sessions() as session:
        linked = set(session.scalars(select(DraftMessage.message_id)))
        behind = drafting.deputies_behind(session)
    assert linked == set(ids), "every message is in its draft at once"
    assert behind == [deputy_id], "the large draft's text was left to the sweep"
    with runtime.sessions() as session, session.begin():
        assert drafting.catch_up(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        assert drafting.catch_up(session, deputy_id, TZ, 2) == []
        assert drafting.deputies_behind(session) == []

    def written(draft):
        return draft.title, draft.sections, draft.handling_unit, draft.composed_messages, draft.pending_messages

    def shown(draft):
        """As pages and the export show it: a group of one message, left unwritten, written when shown."""
        if draft.title:
            return written(draft)
        assert draft.status == DraftStatus.COLLECTING and len(draft.links) == 1 and written(draft)[3:] == (0, 0)
        return *drafting.text_of(session, draft, TZ), 1, 0

    with runtime.sessions() as session:
        drafts = drafting.all_drafts(session, deputy_id)
        settled = {draft.id: (shown(draft), draft.status) for draft in drafts}
        assert any(not draft.title for draft in drafts), "groups of one message are left unwritten"
        choices = unit_choices.load(session)
        again = {}
        for draft in drafts:
            one_problem = compose(draft, TZ, choices)
            opens = draft.status == DraftStatus.OPEN or one_problem and citizen_count(draft) >= 2
            again[draft.id] = (written(draft), DraftStatus.OPEN if opens else DraftStatus.COLLECTING)
        session.rollback()
    assert {draft_id: text for draft_id, (text, _) in settled.items()} == {
        draft_id: text for draft_id, (text, _) in again.items()}
    assert {draft_id: status for draft_id, (_, status) in settled.items()} == {
        draft_id: status for draft_id, (_, status) in again.items()}


def test_a_word_rare_in_the_district_finds_its_latest_group_however_many_groups_use_it(app, runtime, tmp_path):
    """再婚, 生育 and 夫妻 said in five villages' groups are still rare among the district's two thousand
    messages: a complaint saying only them, about the fifth village, joins that village's group from a later
    batch, where five groups using each word made them find no group at all."""
    deputy_id = _deputy(app, tmp_path)
    words = ["再婚", "生育", "夫妻"]
    others = [("卫生计生", {"places": [], "words": ["路灯", "损坏"]})] * 2000
    villages = [("卫生计生", {"places": [village], "words": words})
                for village in ("甲村", "乙村", "丙村", "丁村")]
    latest = ("卫生计生", {"places": ["戊村"], "words": words + ["条例"]})
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, others + villages + [latest], 0)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    assert grouping.RARE_SHARE * (len(others) + 5) >= 5, "the words are rare in the district"
    with runtime.sessions() as session, session.begin():
        (message_id,) = _store(session, deputy_id, [("卫生计生", {"places": ["戊村"], "words": words})], 10_000)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session:
        partition = _partition(session, deputy_id)
    assert len(partition) == 1 + len(villages) + 1, "one group per village, and the others' one"
    assert any(message_id in ids and len(ids) == 2 for ids in partition)


def test_a_subject_lines_common_words_find_their_latest_group_from_a_later_batch_of_another_worker(
        app, runtime, tmp_path, database_url):
    """养老金, 调整 and 出台, used by five villages' groups, find no group; said in two letters' subject lines they find
    the latest groups using them. This worker's index, read in a batch whose letter said them only in its body, kept
    them as common for good: the next batch reads their latest groups all the same."""
    deputy_id = _deputy(app, tmp_path)
    common = ["养老金", "调整", "出台"]
    villages = [("劳动和社会保障", {"places": [village], "words": common + [village + "敬老院", "床位费", "护工"],
                                     "subject": []}) for village in ("甲村", "乙村", "丙村", "丁村", "戊村")]
    other = make_engine(database_url)
    try:
        with make_session_factory(other)() as session, session.begin():
            _store(session, deputy_id, villages, 0)
            drafting.batch_deputy(session, deputy_id, TZ, 2)
    finally:
        other.dispose()
    with runtime.sessions() as session, session.begin():
        (first,) = _store(session, deputy_id, [("劳动和社会保障", {
            "places": [], "words": ["何时", "下文"] + common, "subject": ["何时", "下文"]})], 10)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session, session.begin():
        (second,) = _store(session, deputy_id, [("劳动和社会保障", {
            "places": [], "words": common + ["补发"], "subject": common})], 11)
        drafting.batch_deputy(session, deputy_id, TZ, 2)
    with runtime.sessions() as session:
        placed = dict(session.execute(select(DraftMessage.message_id, DraftMessage.draft_id)).all())
    assert len(set(placed.values())) == len(villages) + 1
    assert placed[second] == placed[first]


def test_the_worker_keeps_its_latest_deputies_indexes_within_its_bound(app, runtime, tmp_path, monkeypatch):
    """Deputies taking turns keep their indexes in the worker while their groups fit under KEPT_GROUPS (a batch
    then reads only words it has not met); past it, the least recently batched deputy's index goes."""
    import_roster(app, write_roster(tmp_path))
    first, second, third = (deputy["id"] for deputy in deputies(app))
    messages, engine = _messages(36), id(runtime.engine)

    def batch(deputy_id: int, start: int) -> None:
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, messages[start:start + 4], start)
            drafting.batch_deputy(session, deputy_id, TZ, 2)

    def kept() -> dict[int, int]:
        return {deputy_id: len(found[1].grouper.groups)
                for (bind, deputy_id), found in group_index._KEPT.items() if bind == engine}

    monkeypatch.setattr(group_index, "KEPT_GROUPS", 1000)
    for turn in range(6):  # taking turns, each batch takes its deputy's index out and puts it back grown
        batch((first, second)[turn % 2], 4 * turn)
    assert set(kept()) == {first, second}
    # Room for the third deputy's first batch (four messages: four groups at most) beside the other two.
    monkeypatch.setattr(group_index, "KEPT_GROUPS", sum(kept().values()) + 4)
    batch(third, 24)
    assert set(kept()) == {first, second, third}
    # One group less than all three hold: the next batch drops the least recently used deputy's, only that.
    monkeypatch.setattr(group_index, "KEPT_GROUPS", sum(kept().values()) - 1)
    batch(first, 28)
    assert set(kept()) == {third, first}
    assert sum(kept().values()) <= group_index.KEPT_GROUPS


def test_the_indexes_the_worker_keeps_hold_no_reference_cycles(app, runtime, tmp_path):
    """The worker's collector makes its full pass over what it keeps seldom (workers/context.FULL_PASS_AFTER):
    safe while a kept index, once dropped, is freed by reference counting alone, leaving the collector nothing."""
    deputy_id, messages = _deputy(app, tmp_path), _messages(24)
    for start in range(0, len(messages), 4):
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, messages[start:start + 4], start)
            drafting.batch_deputy(session, deputy_id, TZ, 2)
    assert len(group_index._KEPT[(id(runtime.engine), deputy_id)][1].grouper.groups) > 1
    with runtime.sessions() as session:
        gc.collect()
        gc.disable()
        try:
            group_index._take(session, deputy_id, None)  # taken out under no stamp: dropped
            assert (id(runtime.engine), deputy_id) not in group_index._KEPT
            assert gc.collect() == 0
        finally:
            gc.enable()


def test_the_worker_keeps_what_lives_as_long_as_it_out_of_the_collectors_frequent_passes():
    from workers import context

    thresholds = gc.get_threshold()
    try:
        context.settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (*thresholds[:2], context.FULL_PASS_AFTER)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_two_workers_grouping_one_deputy_at_once_take_turns(app, runtime, tmp_path):
    """A retried job and the sweep may batch one deputy together: the second waits for the first and finds
    nothing left (on SQLite it read the same messages beside the first and failed writing them again)."""
    deputy_id = _deputy(app, tmp_path)
    for round_ in range(3):
        with runtime.sessions() as session, session.begin():
            ids = _store(session, deputy_id, _messages(40), round_ * 100)
        start = threading.Barrier(2)

        def batch(_):
            start.wait()
            with runtime.sessions() as session, session.begin():
                return drafting.batch_deputy(session, deputy_id, TZ, 2)

        with ThreadPoolExecutor(max_workers=2) as pool:
            changed = list(pool.map(batch, range(2)))
        assert sorted(map(bool, changed)) == [False, True]
        with runtime.sessions() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.target.in_([f"message:{i}" for i in ids]), AuditEntry.action.like("grouped%"))) == len(ids)
