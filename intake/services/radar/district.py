"""Drafted messages onto the district's problems: the same grouping as a deputy's, across all deputies.

A message whose deputy's group is already part of a district problem joins that problem: a deputy's group
is one problem, told to one deputy. The first message of a group not yet on the radar is compared, through
grouping's Grouper, with the district problems sharing its words, and joins the closest or starts one.
Only the problems sharing a batch's words are read, of those only the counts of the words their messages are
compared by, and only the counts the batch changes are written, so placing a deputy's batch costs the same in a
district of a thousand messages or of a million.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake.models import (
    Deputy,
    DraftMessage,
    Message,
    MessageStatus,
    RadarDraft,
    RadarMessage,
    RadarProblem,
    RadarTerm,
    RadarWord,
    WordFrequency,
)
from bot.places import same_place
from intake.services.drafts import grouping

PROBLEMS, WORDS, TERMS, LINKS, ON_RADAR = (model.__table__.c for model in (
    RadarProblem, RadarWord, RadarTerm, RadarDraft, RadarMessage))
FREQUENCIES = WordFrequency.__table__.c
MESSAGES_ROW = ""  # as in the grouping index: the word_frequencies row counting the messages
CHUNK = 2000
# A group naming no place the problem is about joins it only when their words are this close (cosine, no bonus).
WITHOUT_PLACE = 0.75
# A place is the problem's own while the district names it at most this many times as often as the problem does.
DISTINCT_PLACE = 2
# 东路 is in 栗雨东路 and in 东路村: a place of two characters says too little to be the same one.
MIN_PLACE_CHARS = 3
# Any constant: every placement on the radar takes it, so two workers never start one problem twice.
LOCK_KEY = 0x7261646172

_TERMS = select(TERMS.word, TERMS.problems).where(TERMS.word.in_(bindparam("words", expanding=True)))
_HOLDERS = select(WORDS.word, WORDS.problem_id, WORDS.count).where(WORDS.word.in_(bindparam("words", expanding=True)))
_PROBLEMS = select(PROBLEMS.id, PROBLEMS.topic, PROBLEMS.square_sum, PROBLEMS.places, PROBLEMS.located).where(
    PROBLEMS.id.in_(bindparam("ids", expanding=True)))
_COUNTS = select(WORDS.word, WORDS.count).where(WORDS.problem_id == bindparam("problem"),
                                                WORDS.word.in_(bindparam("words", expanding=True)))
_STATIONS = select(ON_RADAR.station_id).where(ON_RADAR.problem_id == bindparam("problem")).distinct()
_FREQUENCIES = select(FREQUENCIES.word, FREQUENCIES.messages).where(
    FREQUENCIES.word.in_(bindparam("words", expanding=True)))
_LINKS = select(LINKS.draft_id, LINKS.problem_id).where(LINKS.draft_id.in_(bindparam("ids", expanding=True)))


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def lock(session: Session) -> None:
    """One placement on the radar at a time (SQLite serialises writers by itself)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def pending(session: Session, deputy_id: int | None = None, limit: int | None = None, after: int = 0) -> list[int]:
    """Drafted messages not yet on the radar (of one deputy, or of all), oldest first, from the id after `after`."""
    query = (select(Message.id).join(DraftMessage, DraftMessage.message_id == Message.id)
             .outerjoin(RadarMessage, RadarMessage.message_id == Message.id)
             .where(Message.status == MessageStatus.DRAFTED, Message.flag.is_(None), RadarMessage.message_id.is_(None),
                    Message.id > after)
             .order_by(Message.id))
    if deputy_id is not None:
        query = query.where(Message.deputy_id == deputy_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def place_deputy(session: Session, deputy_id: int) -> int:
    """Put a deputy's drafted messages that are not on the radar yet onto it; returns how many (0: nothing to do)."""
    lock(session)
    return place(session, pending(session, deputy_id))


class _Index:
    """The district problems a batch may meet, in a Grouper, and what the batch changes in them."""

    def __init__(self, session: Session, seeking: list[grouping.Entry]) -> None:
        self.connection = session.connection()
        self.grouper = grouping.Grouper()
        self.grouper.counts_of = self.compared
        self.grouper.rare_share = 0.0  # a word more problems use finds none, however rare (none are read for it)
        # The stored counts of the problems met, of only the words read so far: those of the messages joining
        # or compared with each, never all the batch's words for every problem (a cross product that grows with
        # the district).
        self.stored: dict[int, dict[str, int]] = defaultdict(dict)
        self.read: dict[int, set[str]] = defaultdict(set)
        self.joined: set[int] = set()  # problems a message of the batch joined: their group.words count it too
        self.asking: grouping.Entry | None = None  # the message closest() is comparing now
        self.places: dict[int, Counter] = {}  # by problem: how many of its messages name each place
        self.located: dict[int, int] = {}  # by problem: how many of its messages name a place
        self.stations: dict[int, set[int]] = {}  # by problem met: the stations it reached
        self.new: list[grouping.Group] = []
        # Only the messages starting a deputy's group on the radar are compared: the others follow their group.
        sought = sorted(set().union(*(item.features for item in seeking))) if seeking else []
        counted, holders = {}, defaultdict(list)
        for words in _chunks(sought):
            counted.update(self.connection.execute(_TERMS, {"words": words}).all())
        few = [word for word, problems in counted.items() if problems <= grouping.COMMON_WORD_GROUPS]
        for words in _chunks(sorted(few)):
            for word, problem_id, count in self.connection.execute(_HOLDERS, {"words": words}):
                holders[word].append((problem_id, count))
        candidates = {problem_id for found in holders.values() for problem_id, _ in found}
        self.load(candidates)
        for word, problems in counted.items():
            self.grouper.restore_word(word, () if problems > grouping.COMMON_WORD_GROUPS else tuple(
                problem_id for problem_id, count in sorted(holders[word]) for _ in range(count)))
        frequencies = {}
        for words in _chunks(sought + [MESSAGES_ROW]):
            frequencies.update(self.connection.execute(_FREQUENCIES, {"words": words}).all())
        total = frequencies.pop(MESSAGES_ROW, 0)
        self.grouper.restore_frequencies(frequencies, total)

    def load(self, problem_ids: set[int]) -> None:
        ids = sorted(problem_ids - self.grouper.groups.keys())
        for chunk in _chunks(ids):
            for problem_id, topic, square_sum, places, located in self.connection.execute(_PROBLEMS, {"ids": chunk}):
                places = places or {}
                self.places[problem_id], self.located[problem_id] = Counter(places), located
                self.grouper.restore_group(problem_id, topic, problem_id, False, {}, square_sum, set(places))

    def closest(self, item: grouping.Entry, topic: str) -> grouping.Group | None:
        self.asking = item
        return self.grouper.closest(item, topic)

    def compared(self, group: grouping.Group) -> dict[str, int]:
        return self.counts(group, self.asking.features)

    def counts(self, group: grouping.Group, words: Iterable[str]) -> dict[str, int]:
        """A problem's counts, exact for these words (and those asked before): stored ones read when first asked,
        and the batch's own added once a message joined it."""
        number, read = group.number, self.read[group.number]
        missing = sorted(word for word in words if word not in read)
        if missing and group.key is not None:
            stored = self.stored[number]
            for chunk in _chunks(missing):
                found = self.connection.execute(_COUNTS, {"problem": number, "words": chunk}).all()
                stored.update(found)
                if number in self.joined:
                    # A word not read yet was not added in this batch either: its count is still the stored one.
                    group.words.update(found)
        read.update(missing)
        return group.words if number in self.joined else self.stored[number]

    def add(self, group: grouping.Group, item: grouping.Entry, station_id: int) -> None:
        number = group.number
        self.stations_of(group).add(station_id)
        if number not in self.joined:
            self.joined.add(number)
            group.words = dict(self.stored[number])
            self.places.setdefault(number, Counter())
            self.located.setdefault(number, 0)
        self.counts(group, item.features)
        self.grouper.add(group, item)
        self.places[number].update(item.places)
        self.located[number] += bool(item.locations)

    def similarity(self, group: grouping.Group, item: grouping.Entry) -> float:
        """The cosine grouping compares by, without its bonuses."""
        weights = self.grouper.weights(item)
        size = math.sqrt(sum(weight * weight for weight in weights.values()))
        counts = self.counts(group, weights)
        norm = math.sqrt(group._square_sum)
        if not size or not norm:
            return 0.0
        return sum(weight * counts.get(word, 0) for word, weight in weights.items()) / (size * norm)

    def main_places(self, group: grouping.Group) -> list[str]:
        """The places a third or more of a problem's messages name, and that the district names mostly there: 修路
        or 水泥路, caught as places, are said of many villages' roads."""
        located, places = self.located.get(group.number, 0), self.places.get(group.number, Counter())
        frequencies = self.grouper.frequencies
        return [place for place, count in places.items() if located and count * 3 >= located
                and len(place) >= MIN_PLACE_CHARS and frequencies.get(place, 0) <= DISTINCT_PLACE * count + 2]

    def stations_of(self, group: grouping.Group) -> set[int]:
        if group.number not in self.stations:
            found = set()
            if group.key is not None:
                found.update(self.connection.execute(_STATIONS, {"problem": group.number}).scalars())
            self.stations[group.number] = found
        return self.stations[group.number]

    def fits(self, group: grouping.Group, item: grouping.Entry, station_id: int) -> bool:
        """A deputy's group joins a district problem only about the same place, or when it says nearly the same
        words: the district hears of the same kind of trouble in many estates, and each estate's is its own. A
        message naming no place may mean the estate its station's citizens named (电梯又坏了): there, grouping's own
        closeness is enough."""
        main = self.main_places(group)
        own = [place for place in item.locations if len(place) >= MIN_PLACE_CHARS]
        if own and main and any(same_place(place, other) for place in own for other in main):
            return True
        if not item.locations and station_id in self.stations_of(group):
            return True  # as close as a deputy's own grouping asks, near where the problem was told
        return self.similarity(group, item) >= WITHOUT_PLACE


def place(session: Session, message_ids: list[int]) -> int:
    """Put these drafted messages onto the radar (those already on it, or no longer drafted, are left)."""
    if not message_ids:
        return 0
    rows = []
    for ids in _chunks(sorted(message_ids)):
        rows.extend(session.execute(
            select(Message.id, Message.terms, Message.topic, Message.citizen_id, Message.created_at,
                   Message.deputy_id, Deputy.station_id, DraftMessage.draft_id)
            .join(DraftMessage, DraftMessage.message_id == Message.id).join(Deputy, Deputy.id == Message.deputy_id)
            .outerjoin(RadarMessage, RadarMessage.message_id == Message.id)
            .where(Message.id.in_(ids), Message.status == MessageStatus.DRAFTED, Message.flag.is_(None),
                   RadarMessage.message_id.is_(None))).all())
    if not rows:
        return 0
    rows.sort(key=lambda row: row.id)
    items = [grouping.entry(row.terms or grouping.message_terms("")) for row in rows]
    linked: dict[int, int | grouping.Group] = {}
    for drafts in _chunks(sorted({row.draft_id for row in rows})):
        linked.update(session.connection().execute(_LINKS, {"ids": drafts}).all())
    unlinked: dict[int, list[tuple[grouping.Entry, str, int]]] = defaultdict(list)
    for row, item in zip(rows, items):
        if row.draft_id not in linked:
            unlinked[row.draft_id].append((item, row.topic or "", row.station_id))
    index = _Index(session, [item for told in unlinked.values() for item, _, _ in told])
    index.load({problem_id for problem_id in linked.values()})
    groups, placed = index.grouper.groups, []
    for row, item in zip(rows, items):
        known = linked.get(row.draft_id)
        if isinstance(known, int):
            group = groups[known]
        elif known is not None:
            group = known
        else:
            group = _problem_of(index, unlinked[row.draft_id])
            if group is None:
                group = index.grouper.new_group(None, row.topic or "", number=(1 << 62) + len(index.new))
                index.new.append(group)
            linked[row.draft_id] = group
        index.add(group, item, row.station_id)
        placed.append((row, item, group))
    _save(session, index, placed, linked)
    return len(placed)


def _problem_of(index: _Index, told: list[tuple[grouping.Entry, str, int]]) -> grouping.Group | None:
    """The district problem a deputy's new group is part of: the first its messages fit, in the order they came
    (the group's first message may name no place where a later one names the estate)."""
    for item, topic, station_id in told:
        group = index.closest(item, topic)
        if group is not None and index.fits(group, item, station_id):
            return group
    return None


def _save(session: Session, index: _Index, placed: list, linked: dict) -> None:
    """The new problems, the changed counts, the links of new groups and the messages, written back."""
    ids: dict[int, int] = {}
    connection = session.connection()
    if index.new:
        # One statement for all the batch's new problems (not a flush each), their ids in the rows' order.
        made = connection.execute(
            RadarProblem.__table__.insert().returning(PROBLEMS.id, sort_by_parameter_order=True),
            [{"topic": group.topic, "square_sum": 0, "places": {}, "located": 0} for group in index.new]).scalars()
        ids.update(zip((group.number for group in index.new), made, strict=True))
    for group in index.grouper.groups.values():
        ids.setdefault(group.number, group.number)
    touched: dict[int, set[str]] = defaultdict(set)
    for _, item, group in placed:
        touched[group.number].update(item.features)
    upsert = _upsert(session)
    rows, deltas = [], Counter()
    for number in sorted(touched):
        group, stored = index.grouper.groups[number], index.stored[number]
        for word in sorted(touched[number]):
            rows.append({"problem_id": ids[number], "word": word, "count": group.words[word]})
            if not stored.get(word):
                deltas[word] += 1
    for chunk in _chunks(rows):
        connection.execute(upsert["words"], chunk)
    terms = [{"word": word, "problems": delta} for word, delta in sorted(deltas.items())]
    for chunk in _chunks(terms):
        connection.execute(upsert["terms"], chunk)
    for number in sorted(touched):
        group = index.grouper.groups[number]
        connection.execute(PROBLEMS_UPDATE, {"pid": ids[number], "square_sum": group._square_sum,
                                             "places": dict(sorted(index.places[number].items())),
                                             "located": index.located[number]})
    links = [{"draft_id": draft_id, "problem_id": ids[group.number]}
             for draft_id, group in sorted(linked.items(), key=lambda pair: pair[0])
             if isinstance(group, grouping.Group)]
    if links:
        connection.execute(RadarDraft.__table__.insert(), links)
    connection.execute(RadarMessage.__table__.insert(), [
        {"message_id": row.id, "problem_id": ids[group.number], "draft_id": row.draft_id, "deputy_id": row.deputy_id,
         "station_id": row.station_id, "citizen": citizen_key(row.citizen_id, row.id), "at": row.created_at}
        for row, _, group in placed])


PROBLEMS_UPDATE = (RadarProblem.__table__.update().where(PROBLEMS.id == bindparam("pid"))
                   .values(square_sum=bindparam("square_sum"), places=bindparam("places"),
                           located=bindparam("located")))


def citizen_key(citizen_id: int | None, message_id: int) -> str:
    """Who said it: a citizen known by their channel counts once however often they write; a message
    without one (imported, or sent by post) is a citizen of its own."""
    return str(citizen_id) if citizen_id is not None else f"m{message_id}"


_UPSERTS: dict[str, dict] = {}


def _upsert(session: Session) -> dict:
    name = session.get_bind().dialect.name
    if name not in _UPSERTS:
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[name]
        words, terms = dialect.insert(RadarWord.__table__), dialect.insert(RadarTerm.__table__)
        _UPSERTS[name] = {
            "words": words.on_conflict_do_update(index_elements=[WORDS.problem_id, WORDS.word],
                                                 set_={"count": words.excluded["count"]}),
            "terms": terms.on_conflict_do_update(index_elements=[TERMS.word],
                                                 set_={"problems": TERMS.problems + terms.excluded.problems}),
        }
    return _UPSERTS[name]


def rebuild(session: Session, batch: int = 1000) -> int:
    """The radar from nothing: every drafted message placed again, oldest first, a batch at a time."""
    lock(session)
    for model in (RadarMessage, RadarDraft, RadarWord, RadarTerm, RadarProblem):
        session.execute(delete(model.__table__))
    total = last = 0
    while True:
        # From the last batch on: the anti-join then never walks again past the messages already placed.
        ids = pending(session, limit=batch, after=last)
        if not ids:
            return total
        total += place(session, ids)
        last = ids[-1]


def problem_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RadarProblem)) or 0
