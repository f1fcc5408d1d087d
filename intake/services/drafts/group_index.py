"""The grouping index in the database: a batch loads only what its messages are compared with, and saves what changed.

A batch's messages are compared, through the in-memory Grouper, with the groups that share their words
(a few per word: all while few use it, the latest few while it is rare in the district), the latest messages sharing a rare word, and the first message with the same
words. Those are read here for the batch's words only, and the counts the batch changes are written back,
so a batch costs the same whether the deputy has ten messages or ten thousand. The index says exactly what
a Grouper rebuilt from every grouped message would hold; a change of a group's members made outside
grouping (merging, moving out, removing) rebuilds that group's part with `reindex`.

A worker keeps what it read and wrote of a deputy's index in memory between batches, while the deputy's
stamp (`grouping_deputies.stamp`) is the one it wrote: every change to the deputy's groups, by any worker or by
staff, writes a new stamp in its own transaction, and a stamp the worker does not hold means reading afresh.
So a batch of one reads only the words and messages no earlier batch of this worker met.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, OrderedDict, defaultdict
from itertools import chain, zip_longest
from sys import intern
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, event, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from bot.places import is_coded_area
from intake.models import (
    Deputy,
    Draft,
    DraftMessage,
    GroupingKey,
    GroupTerms,
    GroupWord,
    IndexedDeputy,
    Message,
    WordFrequency,
    stages,
    utcnow,
)
from intake.services.drafts import grouping

# Plain columns (not the mapped classes) for the index's reads and writes: a batch runs a few small
# statements, and the ORM's per-statement work would cost more than the database's.
KEYS, TERMS, WORDS, FREQUENCIES, DRAFTS = (model.__table__.c for model in (
    GroupingKey, GroupTerms, GroupWord, WordFrequency, Draft))
ALL = grouping.SCOPE  # the index's rows are kept under one scope, whatever the groups' topics
MESSAGES_ROW = ""  # the word_frequencies row counting the messages themselves
MEMBERS, MESSAGES = DraftMessage.__table__.c, Message.__table__.c
WORDS_PER_STATEMENT = 2000
# A group made by the batch is numbered above any draft's id until the batch stores it with its draft: it
# orders after every stored group, as its id will.
NEW_GROUPS = 1 << 62

# Every statement of a batch is built once, with its values as parameters: building and compiling a
# statement per batch cost more than running it. Each is run on the session's connection (no ORM work).
DIALECTS = ("sqlite", "postgresql")


def among(column, dialect: str, name: str = "words"):
    """`column` is one of the batch's words (or ids), the parameter `name`. SQLite takes them as one JSON array
    (`listed`): an IN list expanded value by value cost SQLAlchemy more than the look-up. PostgreSQL keeps the IN
    list: one array parameter (`= ANY`) made the server's side of the job slower than the client time it saved."""
    if dialect == "postgresql":
        return column.in_(bindparam(name, expanding=True))
    return column.in_(select(func.json_each(bindparam(name)).table_valued("value").c.value))


def listed(connection, values: list):
    """The values of an `among` parameter."""
    return list(values) if connection.dialect.name == "postgresql" else json.dumps(values, ensure_ascii=False)


_FREQUENCIES = {dialect: select(FREQUENCIES.word, FREQUENCIES.messages).where(
    among(FREQUENCIES.word, dialect)) for dialect in DIALECTS}
# The groups met, with their norm and places, and how many messages their text was written from and how many
# joined since: one row per group. Comparing, and deciding whether to write the text again, need no more.
_GROUPS = (
    select(DRAFTS.id, DRAFTS.topic, DRAFTS.status, TERMS.square_sum, TERMS.places, DRAFTS.composed_messages,
           DRAFTS.pending_messages)
    .select_from(Draft.__table__.outerjoin(GroupTerms.__table__, TERMS.draft_id == DRAFTS.id))
    .where(DRAFTS.id.in_(bindparam("ids", expanding=True))))
# A group's counts of the batch's words, read once a message joins it (most groups met are only compared with).
_GROUP_WORDS = select(WORDS.word, WORDS.count).where(WORDS.draft_id == bindparam("draft"),
                                                     WORDS.word.in_(bindparam("words", expanding=True)))
# The drafts whose text a batch writes again, with their links and messages. Once a deputy's messages mostly
# join groups already stored, every batch runs it: built once, and each link's message read with its link.
_WITH_MESSAGES = (select(Draft).where(Draft.id.in_(bindparam("ids", expanding=True)))
                  .options(selectinload(Draft.links).joinedload(DraftMessage.message, innerjoin=True)))
_FOLLOW_UP = (select(DRAFTS.id)
              .where(DRAFTS.follows_id == bindparam("closed"), DRAFTS.status.not_in(stages.DRAFTS_SEALED))
              .order_by(DRAFTS.id.desc()).limit(1))
INDEXED = IndexedDeputy.__table__.c
# Only the id: every batch takes the lock, and loading the deputy as an object cost more than the look-up.
_LOCK = select(Deputy.__table__.c.id).where(Deputy.__table__.c.id == bindparam("deputy")).with_for_update()
_INDEXED = select(INDEXED.deputy_id, INDEXED.stamp).where(INDEXED.deputy_id == bindparam("deputy"))
_STAMP = (update(IndexedDeputy.__table__).where(INDEXED.deputy_id == bindparam("deputy"))
          .values(stamp=bindparam("new_stamp")))
# How many messages the groups' text was written from and how many joined since, for groups kept from earlier
# batches (the sweep changes these without touching the index).
_SIZES = select(DRAFTS.id, DRAFTS.composed_messages, DRAFTS.pending_messages).where(
    DRAFTS.id.in_(bindparam("ids", expanding=True)))
# The latest groups using each word, one more than the few a word finds, read from the index's end: those from the
# word's (COMMON_WORD_GROUPS + 1)-th latest group on. A word that more groups use shows its last one: no count of the
# groups using a word is kept, for past a few a word finds candidates only while it is rare in the district, and
# then its latest few. SQLite is told to start from the words (CROSS JOIN): left to itself it walked the deputy's
# whole part of the index.
_HOLDERS_SQL = {
    "sqlite": ('SELECT w.value, g.draft_id, g."count" FROM json_each(?1) AS w CROSS JOIN group_words AS g '
               'ON g.deputy_id = ?2 AND g.topic = ?3 AND g.word = w.value AND g.draft_id >= coalesce(('
               'SELECT h.draft_id FROM group_words AS h WHERE h.deputy_id = ?2 AND h.topic = ?3 AND h.word = w.value '
               'ORDER BY h.draft_id DESC LIMIT 1 OFFSET ?4), 0)'),
    "postgresql": ('SELECT w.value, g.draft_id, g."count" FROM unnest(%(words)s::text[]) AS w(value) JOIN group_words AS g '
                   'ON g.deputy_id = %(deputy)s AND g.topic = %(topic)s AND g.word = w.value AND g.draft_id >= coalesce(('
                   'SELECT h.draft_id FROM group_words AS h WHERE h.deputy_id = %(deputy)s AND h.topic = %(topic)s '
                   'AND h.word = w.value ORDER BY h.draft_id DESC LIMIT 1 OFFSET %(skip)s), 0)'),
}


def _keys_sql(words: str, cross: str, deputy: str, skip: str) -> str:
    """The latest stored messages (in a group) under each prefix word of `:latest`, and the first one with each
    word set of `:first`, with their groups: one statement for all of a batch's keys, each look-up reading its few
    rows from the key's end as _HOLDERS_SQL does. A compound SELECT of one look-up per key (padded to a power of
    two, so that a few statements served batches of any size) was SQLite's costliest statement of a batch."""
    def part(keys: str, compare: str, order: str, otherwise: str) -> str:
        return (f'SELECT w.value, k.message_id, m.draft_id FROM {words.format(keys)} {cross} grouping_keys AS k '
                f'ON k.deputy_id = {deputy} AND k."key" = w.value AND k.message_id {compare}(SELECT h.message_id '
                f'FROM grouping_keys AS h JOIN draft_messages AS d ON d.message_id = h.message_id WHERE h.deputy_id = '
                f'{deputy} AND h."key" = w.value ORDER BY h.message_id {order}){otherwise} '
                'JOIN draft_messages AS m ON m.message_id = k.message_id')
    return (part("latest", ">= coalesce(", f"DESC LIMIT 1 OFFSET {skip}", ", 0)")
            + " UNION ALL " + part("first", "= ", "LIMIT 1", ""))


_KEYS_SQL = {"sqlite": _keys_sql("json_each(:{}) AS w", "CROSS JOIN", ":deputy", ":skip"),
             "postgresql": _keys_sql("unnest(%({})s::text[]) AS w(value)", "JOIN", "%(deputy)s", "%(skip)s")}

# A message met under several keys is read once.
_TERMS = select(MESSAGES.id, MESSAGES.terms).where(MESSAGES.id.in_(bindparam("ids", expanding=True)))
_DELETE_KEYS = {dialect: delete(GroupingKey.__table__).where(among(KEYS.message_id, dialect, "ids"))
                for dialect in DIALECTS}
_INSERT_DRAFTS = insert(Draft.__table__).returning(DRAFTS.id, sort_by_parameter_order=True)
# Messages joined a draft whose text is written later: counted, and the draft marked as changed.
_JOINED_LATER = (update(Draft.__table__).where(DRAFTS.id == bindparam("draft"))
                 .values(pending_messages=DRAFTS.pending_messages + bindparam("joined"), updated_at=bindparam("now")))
_UPSERTS: dict[str, object] = {}  # by dialect
# The index's rows (about a hundred a message) go to the driver as plain tuples, all in one call: SQLAlchemy's
# work per row of an executemany (some 1.5 µs) cost more than the database's. PostgreSQL takes them as one
# array per column, unnested in a single statement. Other batches add to the same counts: upserts.
_WRITES = {
    "words": ('group_words (draft_id, word, "count", deputy_id, topic)', ("integer", "text", "integer", "integer", "text"),
              ' ON CONFLICT (draft_id, word) DO UPDATE SET "count" = excluded."count"'),
    "frequencies": ("word_frequencies (word, messages)", ("text", "integer"),
                    " ON CONFLICT (word) DO UPDATE SET messages = word_frequencies.messages + excluded.messages"),
    "keys": ('grouping_keys (deputy_id, "key", message_id)', ("integer", "text", "integer"), ""),
}
_WRITE_SQL = {
    "sqlite": {name: f"INSERT INTO {into} VALUES ({', '.join('?' for _ in types)}){then}"
               for name, (into, types, then) in _WRITES.items()},
    "postgresql": {name: f"INSERT INTO {into} SELECT * FROM unnest({', '.join(f'%s::{t}[]' for t in types)}){then}"
                   for name, (into, types, then) in _WRITES.items()},
}


# The reads every batch makes, and its writes by the ids of its messages, on SQLite each compiled once and run
# by the driver: binding each parameter by name and processing each row cost SQLAlchemy more than the database's
# look-ups (none of them reads or writes JSON).
_COMPILED: dict[tuple[int, str], tuple[str, tuple[str, ...] | None, dict]] = {}


def run(connection, statement, parameters: dict):
    """Run one of those statements; its result as the driver gives it on SQLite."""
    dialect = connection.dialect
    if dialect.name == "postgresql":  # run by the driver, the reads made the server slower (see among)
        return connection.execute(statement, parameters)
    found = _COMPILED.get((id(statement), dialect.name))
    if found is None:
        compiled = statement.compile(dialect=dialect)
        found = _COMPILED[(id(statement), dialect.name)] = (compiled.string, compiled.positiontup, compiled.params)
    sql, order, fixed = found
    values = {**fixed, **parameters}
    if order is not None:
        return connection.exec_driver_sql(sql, tuple(values[name] for name in order))
    return connection.exec_driver_sql(sql, values)


def _read(connection, statement, parameters: dict) -> list[tuple]:
    return run(connection, statement, parameters).all()


def _write(connection, name: str, rows: list[tuple]) -> None:
    """One of _WRITES over all these rows, in one call to the driver."""
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql(_WRITE_SQL[dialect][name], tuple(list(column) for column in zip(*rows)))
    else:
        connection.exec_driver_sql(_WRITE_SQL[dialect][name], rows)


# Rows of a mapped table inserted by the job, by table and the columns given: on SQLite the statement, each
# column's bind processor (the same SQLAlchemy applies) and the columns left to their Python defaults, worked out
# once; SQLAlchemy's work per row of an insert (some 60 µs a new draft) cost more than the database's.
_INSERTS: dict[tuple[str, tuple[str, ...]], tuple[str, list, list]] = {}


def insert_rows(connection, table, rows: list[dict]) -> None:
    """Insert these rows (each with the same keys; other columns take their defaults) in one driver call."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(insert(table), rows)
        return
    given = tuple(rows[0])
    found = _INSERTS.get((table.name, given))
    if found is None:
        defaulted = [column for column in table.columns if column.key not in given and column.default is not None]
        columns = [table.c[key] for key in given] + defaulted
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(column.name) for column in columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        # The dialect's own type (dates as SQLite text), as SQLAlchemy's insert binds them.
        found = _INSERTS[(table.name, given)] = (
            sql, [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns],
            [column.default for column in defaulted])
    sql, processors, defaults = found
    values = []
    for row in rows:
        raw = [row[key] for key in given] + [default.arg(None) if default.is_callable else default.arg
                                             for default in defaults]
        values.append(tuple(value if process is None else process(value) for process, value in zip(processors, raw)))
    connection.exec_driver_sql(sql, values)


def _insert_drafts(connection, rows: list[dict]) -> list[int]:
    """New drafts, their ids in the order of the rows."""
    if connection.dialect.name == "postgresql":
        return connection.execute(_INSERT_DRAFTS, rows).scalars().all()
    insert_rows(connection, Draft.__table__, rows)
    # SQLite numbers each new row of an INTEGER PRIMARY KEY the largest id plus one, and the batch holds the write
    # lock: the rows' ids are consecutive, in order (as SQLAlchemy's own insert of many rows takes them).
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar()
    return list(range(last - len(rows) + 1, last + 1))


class _Kept:
    """What a worker knows of one deputy's stored index: a Grouper holding the part read or written so far,
    and which part, so that a later batch reads only the rest."""

    __slots__ = ("grouper", "prefixes", "counted", "held")

    def __init__(self) -> None:
        # Which words' groups and which repeats' first messages are known, the grouper says (`met`): every word
        # and repeat looked up is a batch message's, which the grouper holds once the batch has placed it.
        self.grouper = grouping.Grouper()
        self.held = 0  # its groups when it was kept (counted towards KEPT_GROUPS)
        self.prefixes: set[str] = set()  # prefix words whose latest messages were looked up
        # By group, the words whose counts are known; None for a group made here (all of them).
        self.counted: dict[int, set[str] | None] = {}


# Each deputy's kept index by (engine, deputy), with the stamp it was kept under, least recently used first.
# A batch takes its deputy's out, so a batch that fails leaves nothing behind, and puts it back under the stamp
# it writes. Past KEPT_GROUPS groups in all (about 6 KB each with their words and messages: some 600 MB; a
# thousand deputies' 100,000 messages), the least recently used deputies' go.
KEPT_GROUPS = 100_000
_KEPT: OrderedDict[tuple[int, int], tuple[str, _Kept]] = OrderedDict()
# The groups _KEPT holds, counted as deputies come and go: summing them at every batch cost a pass over a
# thousand deputies' indexes.
_held = 0


def _take(session: Session, deputy_id: int, stamp: str | None) -> _Kept:
    global _held
    found = _KEPT.pop((id(session.get_bind()), deputy_id), None)
    if found is None:
        return _Kept()
    _held -= found[1].held
    return found[1] if stamp is not None and found[0] == stamp else _Kept()


def _keep(session: Session, deputy_id: int, kept: _Kept) -> None:
    global _held
    stamp = uuid.uuid4().hex
    session.connection().execute(_STAMP, {"deputy": deputy_id, "new_stamp": stamp})
    key = (id(session.get_bind()), deputy_id)
    replaced = _KEPT.pop(key, None)  # none, as its batch took it out; a count never goes astray
    kept.held = len(kept.grouper.groups)
    _KEPT[key] = (stamp, kept)
    _held += kept.held - (replaced[1].held if replaced else 0)
    while _held > KEPT_GROUPS and len(_KEPT) > 1:
        _, (_, gone) = _KEPT.popitem(last=False)
        _held -= gone.held


def changed(session: Session, deputy_ids: Iterable[int]) -> None:
    """These deputies' groups changed in this transaction: every worker reads their index afresh once it commits."""
    rows = [{"deputy": deputy_id, "new_stamp": uuid.uuid4().hex} for deputy_id in sorted(set(deputy_ids))]
    if rows:
        session.connection().execute(_STAMP, rows)


@event.listens_for(Session, "before_flush")
def _sealed(session: Session, _context, _instances) -> None:
    # An approved, discarded or merged draft is never joined again, and a deleted one is gone, wherever that is
    # done: the workers' kept indexes hold each group's state.
    deputies = {draft.deputy_id for draft in session.deleted if isinstance(draft, Draft)}
    for draft in session.dirty:
        if isinstance(draft, Draft):
            added, _, deleted = inspect(draft).attrs.status.history
            if any(stages.sealed(status) for status in (*added, *deleted)):
                deputies.add(draft.deputy_id)
    changed(session, deputies)


def _upsert_terms(session: Session):
    """Insert-or-replace of groups' norms and places, for this database."""
    name = session.get_bind().dialect.name
    if name not in _UPSERTS:
        terms = {"postgresql": postgresql, "sqlite": sqlite}[name].insert(GroupTerms.__table__)
        _UPSERTS[name] = terms.on_conflict_do_update(index_elements=[TERMS.draft_id], set_={
            "square_sum": terms.excluded.square_sum, "places": terms.excluded.places})
    return _UPSERTS[name]


def _repeat_key(item: grouping.Entry) -> str:
    return "=" + item.repeat.hex()


def _keys(item: grouping.Entry) -> list[str]:
    return list(item.prefix) + ([_repeat_key(item)] if item.words else [])


def _chunks(values: list, size: int) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class BatchIndex:
    """One batch's view of a deputy's groups: a Grouper holding the stored groups its messages may meet.

    A stored group's draft is read (as a mapped Draft) only when the batch writes its text (`draft`); messages
    joining a draft whose text is written later are linked without reading it (`link_later`). A group the batch
    makes is the values of its draft's row, a mapped Draft only once the batch writes its text."""

    def __init__(self, session: Session, deputy_id: int, items: list[tuple[grouping.Entry, str]],
                 stamp: str | None) -> None:
        self.session, self.deputy_id = session, deputy_id
        self.connection = session.connection()
        self._kept = _take(session, deputy_id, stamp)
        self.grouper = self._kept.grouper
        self.grouper.counts_of = self._counts
        self.grouper.frequencies = {}  # the district's, read again for the batch's words: other deputies add to them
        self._word_set = set().union(*(item.features for item, _ in items))
        self._words = sorted(self._word_set)
        self._counted: set[int] = set()  # the groups whose counts of the batch's words are known
        self._joined: set[int] = set()  # the numbers of the groups the batch's messages joined
        self._drafts: dict[int, Draft] = {}  # by group number
        self._rows: dict[int, dict] = {}  # the new groups' drafts as rows, by group number (by id once saved)
        self._ids: dict[int, int] = {}  # the new groups' drafts' ids by group number, once saved
        self._sizes: dict[int, tuple[int, int]] = {}  # each stored group's messages written, and joined since
        self._new: list[int] = []  # the numbers of the groups made by the batch
        frequencies = self._read_frequencies()
        # Read first, then load every group met in one go, then fill the Grouper.
        total = frequencies.pop(MESSAGES_ROW, 0)
        # A word more groups use finds candidates while it is rare: it may become so in this batch only if it
        # is rare among the district's messages and the batch's. A subject line's words find their latest groups
        # however common (grouping.SUBJECT_FINDS), also a word an earlier batch kept as common for good.
        most = self.grouper.rare_share * (total + len(items))
        subject = {word for item, _ in items for word in item.heading & item.words}
        unfollowed = self.grouper.unfollowed(subject)
        holders = self._read_holders([word for word in self._words if not self.grouper.met(word)] + unfollowed)
        counted = {word: len(found) for word, found in holders.items() if word not in unfollowed}
        for word, groups in counted.items():
            if groups > grouping.COMMON_WORD_GROUPS and frequencies.get(word, 0) > most and word not in subject:
                del holders[word]  # common throughout this batch: its groups are not candidates
        for found in holders.values():
            found.sort(reverse=True)
            del found[grouping.COMMON_WORD_GROUPS:]
        keys = self._read_keys([item for item, _ in items])
        self._load_groups({draft_id for found in holders.values() for draft_id, _ in found}
                          | {draft_id for _, _, draft_id in keys})
        self._restore_words(counted, holders)
        for word in unfollowed:
            self.grouper.restore_word(word, _holder_numbers(holders[word]))
        self._restore_keys(keys)
        self.grouper.restore_frequencies(frequencies, total)

    def _read_frequencies(self) -> dict[str, int]:
        found = {}
        for words in _chunks(self._words + [MESSAGES_ROW], WORDS_PER_STATEMENT):
            found.update(_read(self.connection, _FREQUENCIES[self.connection.dialect.name],
                               {"words": listed(self.connection, words)}))
        return found

    def _read_holders(self, words: list[str]) -> dict[str, list[tuple[int, int]]]:
        """The latest groups using each of these words (one more than a word finds), newest first, with their
        counts of it; a word no group uses is not in the result."""
        holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
        dialect = self.connection.dialect.name
        for chunk in _chunks(words, WORDS_PER_STATEMENT):
            if dialect == "postgresql":
                parameters = {"words": chunk, "deputy": self.deputy_id, "topic": ALL,
                              "skip": grouping.COMMON_WORD_GROUPS}
            else:
                parameters = (listed(self.connection, chunk), self.deputy_id, ALL, grouping.COMMON_WORD_GROUPS)
            for word, draft_id, count in self.connection.exec_driver_sql(_HOLDERS_SQL[dialect], parameters):
                holders[word].append((draft_id, count))
        return holders

    def _restore_words(self, counted: dict, holders: dict) -> None:
        for word, groups in counted.items():
            if groups > grouping.COMMON_WORD_GROUPS and word not in holders:
                self.grouper.restore_word(word, ())  # common throughout this batch
            else:
                self.grouper.restore_word(word, tuple(
                    draft_id for draft_id, count in sorted(holders[word]) for _ in range(count)), groups)

    def _load_groups(self, draft_ids: set[int]) -> None:
        # Only the ids met, looked up one by one: `set - dict.keys()` walks every kept group, and a deputy with a
        # long history keeps thousands of them.
        groups = self.grouper.groups
        draft_ids = sorted(draft_id for draft_id in draft_ids if draft_id not in groups)
        found: dict[int, tuple] = {}
        for ids in _chunks(draft_ids, WORDS_PER_STATEMENT):
            for draft_id, topic, status, square_sum, places, composed, later in self.connection.execute(
                    _GROUPS, {"ids": ids}):
                found[draft_id] = (topic, status, square_sum or 0, set(places or ()))
                self._sizes[draft_id] = (composed, later)
        for draft_id in draft_ids:
            topic, status, square_sum, places = found[draft_id]
            # The counties its messages name by code are kept with its places (_save_terms): they are no place.
            areas = {place for place in places if is_coded_area(place)}
            self.grouper.restore_group(None, topic, draft_id, stages.sealed(status), {}, square_sum, places - areas,
                                       areas)
            self._kept.counted[draft_id] = set()

    def _counts(self, group: grouping.Group) -> dict[str, int]:
        """A group's counts of the batch's words, those not known yet read the first time a message meets it."""
        if group.number not in self._counted:
            self._counted.add(group.number)
            known = self._kept.counted.get(group.number)
            if known is not None:
                unknown = sorted(self._word_set - known)
                known.update(unknown)
                for words in _chunks(unknown, WORDS_PER_STATEMENT):
                    group.words.update(self.connection.execute(
                        _GROUP_WORDS, {"draft": group.number, "words": words}).all())
        return group.words

    def add(self, group: grouping.Group, item: grouping.Entry) -> None:
        self._counts(group)  # the counts it had of the batch's words, before this message adds to them
        self._joined.add(group.number)
        self.grouper.add(group, item)

    def _read_keys(self, items: list[grouping.Entry]) -> list:
        """The latest stored messages under each prefix word, and the first one with each batch message's words
        (those not looked up yet)."""
        known, grouper = self._kept.prefixes, self.grouper
        prefixes = sorted({word for item in items for word in item.prefix} - known)
        repeats = sorted({_repeat_key(item) for item in items if item.words and not grouper.met_repeat(item.repeat)})
        known.update(prefixes)
        rows = []
        for latest, first in zip_longest(_chunks(prefixes, WORDS_PER_STATEMENT), _chunks(repeats, WORDS_PER_STATEMENT),
                                         fillvalue=[]):
            parameters = {"latest": listed(self.connection, latest), "first": listed(self.connection, first),
                          "deputy": self.deputy_id, "skip": grouping.RECENT_MEMBERS - 1}
            rows.extend(self.connection.exec_driver_sql(_KEYS_SQL[self.connection.dialect.name], parameters).all())
        return rows

    def _restore_keys(self, rows: list) -> None:
        entries = {}
        for ids in _chunks(sorted({message_id for _, message_id, _ in rows}), WORDS_PER_STATEMENT):
            entries.update((message_id, _member(terms))
                           for message_id, terms in self.connection.execute(_TERMS, {"ids": ids}))
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

    def draft_id(self, group: grouping.Group) -> int:
        """The id of the group's draft; a new group's once `save` has inserted it."""
        return self._ids[group.number] if group.number >= NEW_GROUPS else group.number

    def draft(self, group: grouping.Group) -> Draft:
        """The group's draft, without its messages."""
        draft = self._drafts.get(group.number)
        if draft is None:
            draft = self._drafts[group.number] = self.session.get(Draft, group.number)
        return draft

    def status(self, group: grouping.Group) -> str:
        """The status of the group's draft (a new group's without making a Draft of it)."""
        row = self._rows.get(group.number)
        return row["status"] if row is not None and group.number not in self._drafts else self.draft(group).status

    def drafts_with_messages(self, groups: list[grouping.Group]) -> list[Draft]:
        """The groups' drafts with their messages, to write their text from them: the stored ones in two
        statements for the whole batch (composing reads every message, one by one otherwise), a new one made
        from its row (kept out of the session: `save` inserts it from its values)."""
        stored = [group.number for group in groups if group.number < NEW_GROUPS]
        for ids in _chunks(stored, WORDS_PER_STATEMENT):
            self._drafts.update((draft.id, draft) for draft in self.session.scalars(_WITH_MESSAGES, {"ids": ids}))
        for group in groups:
            if group.number >= NEW_GROUPS:
                self._drafts[group.number] = Draft(**self._rows[group.number])
        return [self._drafts[group.number] for group in groups]

    def sizes(self, group: grouping.Group) -> tuple[int, int]:
        """How many messages the group's text was written from, and how many joined since (0, 0 for a new group)."""
        if group.number >= NEW_GROUPS:
            return 0, 0
        if group.number not in self._sizes:  # kept from an earlier batch: every joined group's read at once
            unread = sorted(number for number in self._joined if number < NEW_GROUPS and number not in self._sizes)
            for ids in _chunks(unread, WORDS_PER_STATEMENT):
                self._sizes.update((draft_id, (composed, later)) for draft_id, composed, later in
                                   self.connection.execute(_SIZES, {"ids": ids}))
        return self._sizes[group.number]

    def link_later(self, group: grouping.Group, message_ids: list[int]) -> None:
        """Link messages to a stored group's draft, its text to be written later: the draft is not read."""
        insert_rows(self.connection, DraftMessage.__table__, [{"draft_id": group.number, "message_id": message_id,
                                                               "added_at": utcnow()} for message_id in message_ids])
        self.connection.execute(_JOINED_LATER, {"draft": group.number, "joined": len(message_ids), "now": utcnow()})

    def follow_up(self, closed: grouping.Group) -> grouping.Group | None:
        """The open group of late messages on a closed group's problem, if there is one."""
        draft_id = self.connection.execute(_FOLLOW_UP, {"closed": closed.number}).scalar()
        if draft_id is None:
            return None
        self._load_groups({draft_id})
        return self.grouper.groups[draft_id]

    def new_group(self, row: dict) -> grouping.Group:
        """A group for a draft made now, kept as the values of its row (every new draft's columns alike): `save`
        inserts it with its links. Most groups a batch makes hold one message and are never written by it
        (drafting), and making each a mapped Draft cost more than inserting its row."""
        number = NEW_GROUPS + len(self._new)
        self._new.append(number)
        self._rows[number] = row
        self._counted.add(number)
        return self.grouper.new_group(None, row["topic"], number=number)

    def _insert_new(self, placed: list[tuple[grouping.Group, grouping.Entry, int]]) -> None:
        """The drafts made by the batch, those it wrote with their text, and their links, in two statements: the
        ORM's unit of work cost more than the rows (the drafts get their ids in the order they were made)."""
        if not self._new:
            return
        rows = []
        for number in self._new:
            row, draft = self._rows[number], self._drafts.get(number)
            rows.append(row if draft is None else {key: getattr(draft, key) for key in row})
        self._ids.update(zip(self._new, _insert_drafts(self.connection, rows)))
        members: dict[int, list[int]] = defaultdict(list)
        for group, _, message_id in placed:
            if group.number >= NEW_GROUPS:
                members[group.number].append(message_id)
        now = utcnow()
        insert_rows(self.connection, DraftMessage.__table__, [
            {"draft_id": self._ids[number], "message_id": message_id, "added_at": now}
            for number in self._new for message_id in members[number]])

    def save(self, placed: list[tuple[grouping.Group, grouping.Entry, int]]) -> None:
        """Write back what the batch changed: the counts of its words in the groups it joined, how many groups
        use each word, the groups' norms, its messages' keys and the district's word frequencies; then a new
        stamp, under which this worker keeps the index for the deputy's next batch."""
        self._insert_new(placed)
        self.session.flush()  # the stored drafts' new messages and text, the messages' places
        words_by_group: dict[int, set[str]] = defaultdict(set)
        for group, item, _ in placed:
            words_by_group[group.number].update(item.features)
        groups, deputy_id = self.grouper.groups, self.deputy_id
        ids = {number: self.draft_id(groups[number]) for number in words_by_group}
        rows = []
        for number in sorted(words_by_group):
            counts, draft_id = groups[number].words, ids[number]
            rows.extend((draft_id, word, counts[word], deputy_id, ALL) for word in sorted(words_by_group[number]))
        connection = self.connection
        _write(connection, "words", rows)
        _save_terms(self.session, [(ids[number], groups[number]) for number in sorted(words_by_group)])
        _save_keys(self.session, deputy_id, [(message_id, item) for _, item, message_id in placed])
        # Other deputies' batches add to the same rows meanwhile: an upsert, in one order of words (no deadlock).
        deltas = Counter(chain.from_iterable(item.features for _, item, _ in placed))
        deltas[MESSAGES_ROW] = len(placed)
        _write(connection, "frequencies", sorted(deltas.items()))
        # The groups made now are known by their drafts' ids from here on, as a later read would find them.
        # Their drafts too: inserted outside the session, a look-up by id would read each one back.
        for number in self._new:
            draft_id = self._ids[number]
            if number in self._drafts:
                self._drafts[draft_id] = self._drafts[number]
            self._rows[draft_id] = self._rows.pop(number)
            self.grouper.renumber(number, draft_id)
            self._kept.counted[draft_id] = None
        self.grouper.counts_of = _counts_known  # no reads between batches, nor a hold on this batch's session
        for _, item, _ in placed:
            _slimmed(item)
        _keep(self.session, self.deputy_id, self._kept)


def _holder_numbers(holders: list[tuple[int, int]]) -> tuple[int, ...]:
    """A word's holders as the Grouper keeps them: each group's number as often as it has the word, oldest first."""
    return tuple(draft_id for draft_id, count in sorted(holders) for _ in range(count))


_NONE: frozenset[str] = frozenset()


def _member(terms: dict) -> grouping.Entry:
    """A grouped message as the index keeps it: its words (a tuple, a sixth of a set's memory) and places, all a
    later message's repeat is compared with."""
    words, places = frozenset(grouping.compared_words(terms["words"])), frozenset(map(intern, terms["places"]))
    return grouping.Entry(tuple(words), places or _NONE, _NONE, (), _NONE, _NONE, grouping.repeat_key(words, places))


def _slimmed(item: grouping.Entry) -> None:
    """A placed message kept as `_member` keeps it: its features (half a group's memory) served the placing."""
    item.words, item.places = tuple(item.words), item.places or _NONE
    item.features = item.heading = item.locations = _NONE
    item.prefix = ()


def _counts_known(group: grouping.Group) -> dict[str, int]:
    return group.words


def _save_terms(session: Session, groups: list[tuple[int, grouping.Group]]) -> None:
    """Each group's norm and places, by its draft's id."""
    # The counties named by code go with the places, and are told apart from them when read back (_load_groups).
    rows = [{"draft_id": draft_id, "square_sum": g._square_sum, "places": sorted(g.places | g.areas)}
            for draft_id, g in groups]
    if rows:
        session.connection().execute(_upsert_terms(session), rows)


def _save_keys(session: Session, deputy_id: int, members: list[tuple[int, grouping.Entry]]) -> None:
    # A message grouped again (after it was taken out of its group) gets its keys afresh.
    connection = session.connection()
    for ids in _chunks([message_id for message_id, _ in members], WORDS_PER_STATEMENT):
        run(connection, _DELETE_KEYS[connection.dialect.name], {"ids": listed(connection, ids)})
    _write(connection, "keys", [(deputy_id, key, message_id)
                                for message_id, item in members for key in dict.fromkeys(_keys(item))])


def lock(session: Session, deputy_id: int) -> bool:
    """Lock the deputy's row: one change to a deputy's groups at a time, across workers and web requests. False
    when there is no such deputy. Taken before anything of the deputy's drafts is read: read before, it may be
    what another change replaced meanwhile (two taps on 新建草稿 failed so on SQLite, where the FOR UPDATE takes the
    database's write lock: intake.db)."""
    return session.connection().execute(_LOCK, {"deputy": deputy_id}).first() is not None


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
            changed(session, [deputy_id])


def _rebuild(session: Session, deputy_id: int, drafts: list[Draft]) -> None:
    draft_ids = [draft.id for draft in drafts]
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
    if rows:
        session.execute(insert(GroupWord.__table__), rows)
    _save_terms(session, [(group.number, group) for group in grouper.groups.values()])
    _save_keys(session, deputy_id, placed)


def ensure_indexed(session: Session, deputy_id: int) -> str | None:
    """Build the index of a deputy whose groups predate it (once; the deputy's lock is held). Returns the
    deputy's stamp (None for an index no batch has written yet)."""
    found = session.connection().execute(_INDEXED, {"deputy": deputy_id}).first()
    if found is not None:
        return found.stamp
    session.execute(delete(GroupingKey.__table__).where(KEYS.deputy_id == deputy_id))
    drafts = session.scalars(select(Draft).where(Draft.deputy_id == deputy_id).order_by(Draft.id)).all()
    if drafts:
        _rebuild(session, deputy_id, list(drafts))
    session.add(IndexedDeputy(deputy_id=deputy_id))
    session.flush()
    return None
