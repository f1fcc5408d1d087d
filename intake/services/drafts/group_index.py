"""The grouping index in the database: a batch loads only what its messages are compared with, and saves what changed.

A batch's messages are compared, through the in-memory Grouper, with the groups that share their words
(fewer than a few per word), the latest messages sharing a rare word, and the first message with the same
words. Those are read here for the batch's words only, and the counts the batch changes are written back,
so a batch costs the same whether the deputy has ten messages or ten thousand. The index says exactly what
a Grouper rebuilt from every grouped message would hold; a change of a group's members made outside
grouping (merging, moving out, removing) rebuilds that group's part with `reindex`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from itertools import chain
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, insert, select, tuple_, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake.models import (
    Deputy,
    Draft,
    DraftMessage,
    GroupingKey,
    GroupTerms,
    GroupWord,
    IndexedDeputy,
    Message,
    TopicWord,
    WordFrequency,
    stages,
)
from intake.services.drafts import grouping

# Plain columns (not the mapped classes) for the index's reads and writes: a batch runs a dozen small
# statements, and the ORM's per-statement work would cost more than the database's.
KEYS, TERMS, WORDS, TOPICS, FREQUENCIES = (model.__table__.c for model in (GroupingKey, GroupTerms, GroupWord, TopicWord,
                                                                          WordFrequency))
ALL = grouping.SCOPE  # the index's rows are kept under one scope, whatever the groups' topics
MESSAGES_ROW = ""  # the word_frequencies row counting the messages themselves
MEMBERS, MESSAGES = DraftMessage.__table__.c, Message.__table__.c
# Look-ups per statement: SQLite allows 500 terms in one compound SELECT.
LOOKUPS_PER_STATEMENT = 400


def _repeat_key(item: grouping.Entry) -> str:
    # Sorted, so the same words and places give the same key in every process.
    text = "\x1f".join(sorted(item.words)) + "\x1e" + "\x1f".join(sorted(item.places))
    return "=" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _keys(item: grouping.Entry) -> list[str]:
    return list(item.prefix) + ([_repeat_key(item)] if item.words else [])


def _chunks(values: list, size: int = LOOKUPS_PER_STATEMENT) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class BatchIndex:
    """One batch's view of a deputy's groups: a Grouper holding the stored groups its messages may meet."""

    def __init__(self, session: Session, deputy_id: int, items: list[tuple[grouping.Entry, str]]) -> None:
        self.session, self.deputy_id = session, deputy_id
        self.grouper = grouping.Grouper()
        self._words = sorted(set().union(*(item.features for item, _ in items)))
        self._topic_groups: dict[tuple[str, str], int] = {}  # stored: how many groups of a topic use a word
        self._topics: set[str] = set()
        self._stored: dict[int, dict[str, int]] = {}  # each loaded group's stored counts of the batch's words
        self._frequencies = self._read_frequencies()
        # Read first, then load every group met in one go, then fill the Grouper.
        words = self._read_topics({ALL})
        keys = self._read_keys([item for item, _ in items])
        self._load_groups({draft_id for found in words[1].values() for draft_id, _ in found}
                          | {draft_id for _, _, draft_id in keys})
        self._restore_words(*words)
        self._restore_keys(keys)
        total = self._frequencies.pop(MESSAGES_ROW, 0)
        self.grouper.restore_frequencies(self._frequencies, total)
        self._frequencies[MESSAGES_ROW] = total

    def _read_frequencies(self) -> dict[str, int]:
        found = {}
        for words in _chunks(self._words + [MESSAGES_ROW], 2000):
            found.update(self.session.execute(select(FREQUENCIES.word, FREQUENCIES.messages)
                                              .where(FREQUENCIES.word.in_(words))).all())
        return found

    def _load_topics(self, topics: set[str]) -> None:
        counted, holders = self._read_topics(topics)
        self._load_groups({draft_id for found in holders.values() for draft_id, _ in found})
        self._restore_words(counted, holders)

    def _read_topics(self, topics: set[str]) -> tuple[dict, dict]:
        """How many groups of these topics use each batch word, and which groups where they are few."""
        topics = topics - self._topics
        self._topics |= topics
        counted: dict[tuple[str, str], int] = {}
        holders: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        if not topics or not self._words:
            return counted, holders
        for words in _chunks(self._words, 2000):
            counted.update(((topic, word), groups) for topic, word, groups in self.session.execute(
                select(TOPICS.topic, TOPICS.word, TOPICS.groups)
                .where(TOPICS.deputy_id == self.deputy_id, TOPICS.topic.in_(topics), TOPICS.word.in_(words))))
        self._topic_groups.update(counted)
        rare = [pair for pair, groups in counted.items() if groups < grouping.COMMON_WORD_GROUPS + 1]
        for pairs in _chunks(rare, 2000):
            for topic, word, draft_id, count in self.session.execute(
                    select(WORDS.topic, WORDS.word, WORDS.draft_id, WORDS.count)
                    .where(WORDS.deputy_id == self.deputy_id, tuple_(WORDS.topic, WORDS.word).in_(pairs))):
                holders[(topic, word)].append((draft_id, count))
        return counted, holders

    def _restore_words(self, counted: dict, holders: dict) -> None:
        for (topic, word), groups in counted.items():
            if groups > grouping.COMMON_WORD_GROUPS:
                self.grouper.restore_word(word, ())
            else:
                self.grouper.restore_word(word, tuple(
                    draft_id for draft_id, count in sorted(holders[(topic, word)]) for _ in range(count)))

    def _load_groups(self, draft_ids: set[int]) -> None:
        draft_ids = sorted(draft_ids - self.grouper.groups.keys())
        if not draft_ids:
            return
        drafts = self.session.scalars(select(Draft).where(Draft.id.in_(draft_ids))).all()
        terms = {row.draft_id: row for row in self.session.execute(
            select(TERMS.draft_id, TERMS.square_sum, TERMS.places).where(TERMS.draft_id.in_(draft_ids)))}
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for words in _chunks(self._words, 2000):
            for draft_id, word, count in self.session.execute(
                    select(WORDS.draft_id, WORDS.word, WORDS.count)
                    .where(WORDS.draft_id.in_(draft_ids), WORDS.word.in_(words))):
                counts[draft_id][word] = count
        for draft in drafts:
            stored = terms.get(draft.id)
            self._stored[draft.id] = dict(counts[draft.id])
            self.grouper.restore_group(draft, draft.topic, draft.id, stages.sealed(draft.status), counts[draft.id],
                                       stored.square_sum if stored else 0, set(stored.places) if stored else set())
        self._load_topics({ALL})

    def _read_keys(self, items: list[grouping.Entry]) -> list:
        """The latest stored messages under each prefix word, and the first one with each batch message's words."""
        prefixes = sorted({word for item in items for word in item.prefix})
        repeats = sorted({_repeat_key(item) for item in items if item.words})
        lookups = [(key, grouping.RECENT_MEMBERS, True) for key in prefixes] + [(key, 1, False) for key in repeats]
        rows = []
        for chunk in _chunks(lookups):
            parts = []
            for key, limit, latest in chunk:
                order = KEYS.message_id.desc() if latest else KEYS.message_id
                found = (select(KEYS.key, KEYS.message_id, MEMBERS.draft_id)
                         .join(DraftMessage.__table__, MEMBERS.message_id == KEYS.message_id)
                         .where(KEYS.deputy_id == self.deputy_id, KEYS.key == key)
                         .order_by(order).limit(limit).subquery())
                parts.append(select(found))
            rows.extend(self.session.execute(union_all(*parts)).all())
        return rows

    def _restore_keys(self, rows: list) -> None:
        message_ids = sorted({message_id for _, message_id, _ in rows})
        entries = {}
        for ids in _chunks(message_ids, 2000):
            for message_id, terms in self.session.execute(
                    select(MESSAGES.id, MESSAGES.terms).where(MESSAGES.id.in_(ids))):
                entries[message_id] = grouping.entry(terms)
        groups = self.grouper.groups
        recent: dict[str, list[tuple[int, grouping.Entry]]] = defaultdict(list)
        for key, message_id, draft_id in rows:
            member = entries[message_id]
            member.group = groups[draft_id]
            if key.startswith("="):
                self.grouper.restore_repeat(member, member.group)
            else:
                recent[key].append((message_id, member))
        for word, members in recent.items():
            self.grouper.restore_recent(word, [member for _, member in sorted(members, key=lambda pair: pair[0])])

    def follow_up(self, closed: Draft) -> grouping.Group | None:
        """The open group of late messages on a closed draft's problem, if there is one."""
        draft_id = self.session.scalar(select(Draft.id).where(Draft.follows_id == closed.id,
                                                              Draft.status.not_in(stages.DRAFTS_SEALED))
                                       .order_by(Draft.id.desc()).limit(1))
        if draft_id is None:
            return None
        self._load_groups({draft_id})
        return self.grouper.groups[draft_id]

    def new_group(self, draft: Draft) -> grouping.Group:
        """A group for a draft just made; its id (flushed) orders it after every stored group."""
        self.session.add(draft)
        self.session.flush()
        self._stored[draft.id] = {}
        return self.grouper.new_group(draft, draft.topic, number=draft.id)

    def save(self, placed: list[tuple[grouping.Group, grouping.Entry, int]]) -> None:
        """Write back what the batch changed: the counts of its words in the groups it joined, and its messages' keys."""
        words_by_group: dict[int, set[str]] = defaultdict(set)
        for group, item, _ in placed:
            words_by_group[group.number].update(item.features)
        groups = self.grouper.groups
        added, changed, topic_deltas = [], [], Counter()
        for number, words in words_by_group.items():
            group, stored = groups[number], self._stored[number]
            for word in words:
                row = {"d": number, "w": word, "c": group.words[word]}
                if stored.get(word):
                    changed.append(row)
                else:
                    added.append({"draft_id": number, "word": word, "count": group.words[word],
                                  "deputy_id": self.deputy_id, "topic": ALL})
                    topic_deltas[(ALL, word)] += 1
        if added:
            self.session.execute(insert(GroupWord.__table__), added)
        if changed:
            self.session.execute(update(GroupWord.__table__).where(WORDS.draft_id == bindparam("d"),
                                                                   WORDS.word == bindparam("w"))
                                 .values(count=bindparam("c")), changed)
        _adjust_topic_words(self.session, self.deputy_id, topic_deltas, self._topic_groups)
        _save_terms(self.session, [groups[number] for number in words_by_group])
        _save_keys(self.session, self.deputy_id, [(message_id, item) for _, item, message_id in placed])
        self._save_frequencies(placed)

    def _save_frequencies(self, placed: list[tuple[grouping.Group, grouping.Entry, int]]) -> None:
        """Add the batch's messages to the district's word frequencies (never a pass over the history)."""
        deltas = Counter(chain.from_iterable(item.features for _, item, _ in placed))
        deltas[MESSAGES_ROW] = len(placed)
        # Other deputies' batches add to the same rows meanwhile: an upsert, in one order of words (no deadlock).
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[self.session.get_bind().dialect.name]
        for words in _chunks(sorted(deltas), 2000):
            statement = dialect.insert(WordFrequency.__table__).values(
                [{"word": word, "messages": deltas[word]} for word in words])
            self.session.execute(statement.on_conflict_do_update(
                index_elements=[FREQUENCIES.word],
                set_={"messages": FREQUENCIES.messages + statement.excluded.messages}))


def _adjust_topic_words(session: Session, deputy_id: int, deltas: Counter,
                        known: dict[tuple[str, str], int] | None = None) -> None:
    """Add to how many groups of a topic use each word; `known` holds the stored numbers where already read."""
    deltas = {pair: delta for pair, delta in deltas.items() if delta}
    if not deltas:
        return
    known = dict(known or {})
    unknown = [pair for pair in deltas if pair not in known]
    for pairs in _chunks(unknown, 2000):
        known.update(((topic, word), groups) for topic, word, groups in session.execute(
            select(TOPICS.topic, TOPICS.word, TOPICS.groups)
            .where(TOPICS.deputy_id == deputy_id, tuple_(TOPICS.topic, TOPICS.word).in_(pairs))))
    new, changed, gone = [], [], []
    for (topic, word), delta in deltas.items():
        before = known.get((topic, word), 0)
        if before == 0:
            new.append({"deputy_id": deputy_id, "topic": topic, "word": word, "groups": delta})
        elif before + delta > 0:
            changed.append({"t": topic, "w": word, "g": before + delta})
        else:
            gone.append((topic, word))
    if new:
        session.execute(insert(TopicWord.__table__), new)
    if changed:
        session.execute(update(TopicWord.__table__).where(TOPICS.deputy_id == deputy_id, TOPICS.topic == bindparam("t"),
                                                          TOPICS.word == bindparam("w"))
                        .values(groups=bindparam("g")), changed)
    for pairs in _chunks(gone, 2000):
        session.execute(delete(TopicWord.__table__).where(TOPICS.deputy_id == deputy_id,
                                                tuple_(TOPICS.topic, TOPICS.word).in_(pairs)))


def _save_terms(session: Session, groups: list[grouping.Group]) -> None:
    numbers = [group.number for group in groups]
    stored = set(session.scalars(select(TERMS.draft_id).where(TERMS.draft_id.in_(numbers))))
    rows = [{"draft_id": g.number, "square_sum": g._square_sum, "places": sorted(g.places)} for g in groups]
    new = [row for row in rows if row["draft_id"] not in stored]
    old = [{"d": row["draft_id"], "s": row["square_sum"], "p": row["places"]} for row in rows
           if row["draft_id"] in stored]
    if new:
        session.execute(insert(GroupTerms.__table__), new)
    if old:
        session.execute(update(GroupTerms.__table__).where(TERMS.draft_id == bindparam("d"))
                        .values(square_sum=bindparam("s"), places=bindparam("p")), old)


def _save_keys(session: Session, deputy_id: int, members: list[tuple[int, grouping.Entry]]) -> None:
    # A message grouped again (after it was taken out of its group) gets its keys afresh.
    message_ids = [message_id for message_id, _ in members]
    for ids in _chunks(message_ids, 2000):
        session.execute(delete(GroupingKey.__table__).where(KEYS.message_id.in_(ids)))
    rows = [{"deputy_id": deputy_id, "key": key, "message_id": message_id}
            for message_id, item in members for key in dict.fromkeys(_keys(item))]
    if rows:
        session.execute(insert(GroupingKey.__table__), rows)


def lock(session: Session, deputy_id: int) -> Deputy | None:
    """The deputy's row, locked: one change to a deputy's groups at a time, across workers and web requests."""
    return session.get(Deputy, deputy_id, with_for_update=True)


def reindex(session: Session, drafts: Iterable[Draft]) -> None:
    """Rebuild the index of these groups from their current members (after a merge, a move or a removal).

    Costs the size of these groups, not the deputy's history. The caller holds the deputy's lock
    (`lock`), so no batch of that deputy runs meanwhile.
    """
    session.flush()
    by_deputy: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_deputy[draft.deputy_id].append(draft)
    for deputy_id, group in by_deputy.items():
        if session.get(IndexedDeputy, deputy_id) is not None:
            _rebuild(session, deputy_id, group)


def _rebuild(session: Session, deputy_id: int, drafts: list[Draft]) -> None:
    draft_ids = [draft.id for draft in drafts]
    deltas: Counter = Counter()
    for topic, word in session.execute(select(WORDS.topic, WORDS.word).where(WORDS.draft_id.in_(draft_ids))):
        deltas[(topic, word)] -= 1
    session.execute(delete(GroupWord.__table__).where(WORDS.draft_id.in_(draft_ids)))
    session.execute(delete(GroupTerms.__table__).where(TERMS.draft_id.in_(draft_ids)))
    members = session.execute(
        select(MEMBERS.draft_id, Message.id, Message.terms, Message.text)
        .join(Message, Message.id == MEMBERS.message_id)
        .where(MEMBERS.draft_id.in_(draft_ids)).order_by(Message.id)).all()
    grouper = grouping.Grouper()
    topics = {draft.id: ALL for draft in drafts}
    placed = []
    for draft_id, message_id, terms, text in members:
        if terms is None:  # drafted before grouping kept its words
            terms = grouping.message_terms(text)
            session.execute(update(Message).where(Message.id == message_id).values(terms=terms))
        group = grouper.groups.get(draft_id) or grouper.new_group(None, topics[draft_id], number=draft_id)
        item = grouping.entry(terms)
        grouper.add(group, item)
        placed.append((message_id, item))
    rows = []
    for group in grouper.groups.values():
        for word, count in group.words.items():
            rows.append({"draft_id": group.number, "word": word, "count": count, "deputy_id": deputy_id,
                         "topic": group.topic})
            deltas[(group.topic, word)] += 1
    if rows:
        session.execute(insert(GroupWord.__table__), rows)
    _adjust_topic_words(session, deputy_id, deltas)
    _save_terms(session, list(grouper.groups.values()))
    _save_keys(session, deputy_id, placed)


def ensure_indexed(session: Session, deputy_id: int) -> None:
    """Build the index of a deputy whose groups predate it (once; the deputy's lock is held)."""
    if session.get(IndexedDeputy, deputy_id) is not None:
        return
    session.execute(delete(GroupingKey.__table__).where(KEYS.deputy_id == deputy_id))
    drafts = session.scalars(select(Draft).where(Draft.deputy_id == deputy_id).order_by(Draft.id)).all()
    if drafts:
        _rebuild(session, deputy_id, list(drafts))
    session.add(IndexedDeputy(deputy_id=deputy_id))
    session.flush()
