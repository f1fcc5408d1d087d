"""Drafted messages onto the district's problems: the same grouping as a deputy's, across all deputies.

A deputy's group is linked to the district problem its messages first fit (or one it starts). Each message
joins its group's problem only when it is about the same place and says much the same: a deputy's group may
mix problems (a letter naming no place joins any group it resembles), and the radar must not add them up.
A message that does not belong there is compared, through grouping's Grouper, with the district problems
sharing its words, and joins the closest that names the same distinctive place or says nearly the same
words, or starts a problem of its own. Whatever the words, a letter whose subject line names nothing of a
problem's but its places is not of it (one template paragraph, one estate, two troubles), unless its writer
wrote one of the problem's letters nearly word for word (asking again); and a copy of a letter already on the
radar (the same text sent to another deputy) joins its original's problem.
Only the problems sharing a batch's words are read, of those only the counts of the words their messages are
compared by, and only the counts the batch changes are written, so placing a deputy's batch costs the same
in a district of a thousand messages or of a million.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

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
from bot.places import areas_in, areas_named, is_city_code, is_kind_of_place, same_area, same_place
from bot.tokenizer import dictionary_tag
from intake.services.drafts import grouping

PROBLEMS, WORDS, TERMS, LINKS, ON_RADAR = (model.__table__.c for model in (
    RadarProblem, RadarWord, RadarTerm, RadarDraft, RadarMessage))
FREQUENCIES = WordFrequency.__table__.c
MESSAGES_ROW = ""  # as in the grouping index: the word_frequencies row counting the messages
CHUNK = 2000
# A message naming no place the problem is about joins it only when their words are this close (cosine, no bonus).
WITHOUT_PLACE = 0.75
# A message naming no other place stays on its group's problem, or joins one its station's citizens raised, when its
# words are as close as a deputy's grouping asks of a message of the same topic, without the same place's bonus.
FOLLOW = grouping.JOIN_SIMILARITY - grouping.SAME_TOPIC_BONUS
# A message about a problem's own place joins it when they also say this much the same: one estate has many problems.
SAME_PLACE = 0.15
# A place is the problem's own while the district names it at most this many times as often as the problem does.
DISTINCT_PLACE = 2
# 东路 is in 栗雨东路 and in 东路村: a place of two characters says too little to be the same one.
MIN_PLACE_CHARS = 3
# A copy is the same letter once spaces and punctuation are gone; a short text (路灯坏了) is no letter of its own.
_NOT_WORD = re.compile(r"[\W_]+")
MIN_COPY_CHARS = 40
# A thing a subject line names that one letter in this many of the district's names (公交, 业主) tells no problem apart.
SUBJECT_RARE = 0.005
# Words one letter in this many of the district's says (业主, 小区, 政策) are shared by subject lines by chance;
# in a district of a few hundred letters, a word a handful say is not common yet.
SUBJECT_COMMON, SUBJECT_COMMON_LEAST = 0.03, 20
# A subject line's verbs, adverbs and times (加快推进, 反对, 早日) are said of any trouble: its nouns say which.
_NOT_NAMING = ("v", "d", "p", "c", "r", "u", "a", "t")
_NAMES = ("nr", "ns", "nt", "nz")
# Two subject lines this alike (Dice of their character pairs) say one thing: 反对K7县拆除五一桥来建商铺廊桥 and
# 反对K7县拆五一桥建商铺廊桥, though the letters under them name different places. Only a line this long says enough.
SAME_HEADING, MIN_HEADING_CHARS = 0.75, 8
HEADINGS_READ = 50  # a problem's first letters, whose subject lines a new letter's is compared with
# Any constant: every placement on the radar takes it, so two workers never start one problem twice.
LOCK_KEY = 0x7261646172


class Subject(NamedTuple):
    """A letter's subject line, the words it names things by, and its character pairs (compared often, made once)."""
    line: str
    words: frozenset[str]
    pairs: frozenset[str]


NO_SUBJECT = Subject("", frozenset(), frozenset())

_TERMS = select(TERMS.word, TERMS.problems).where(TERMS.word.in_(bindparam("words", expanding=True)))
_HOLDERS = select(WORDS.word, WORDS.problem_id, WORDS.count).where(WORDS.word.in_(bindparam("words", expanding=True)))
_PROBLEMS = select(PROBLEMS.id, PROBLEMS.topic, PROBLEMS.square_sum, PROBLEMS.places, PROBLEMS.located).where(
    PROBLEMS.id.in_(bindparam("ids", expanding=True)))
_COUNTS = select(WORDS.word, WORDS.count).where(WORDS.problem_id == bindparam("problem"),
                                                WORDS.word.in_(bindparam("words", expanding=True)))
_STATIONS = select(ON_RADAR.station_id).where(ON_RADAR.problem_id == bindparam("problem")).distinct()
_TEXTS = (select(Message.text).join(RadarMessage, RadarMessage.message_id == Message.id)
          .where(RadarMessage.problem_id == bindparam("problem")).order_by(RadarMessage.message_id)
          .limit(HEADINGS_READ))
_FREQUENCIES = select(FREQUENCIES.word, FREQUENCIES.messages).where(
    FREQUENCIES.word.in_(bindparam("words", expanding=True)))
_ORIGINALS = (select(ON_RADAR.fingerprint, ON_RADAR.problem_id)
              .where(ON_RADAR.fingerprint.in_(bindparam("prints", expanding=True))).order_by(ON_RADAR.message_id))
# A citizen's letters already on the radar (their problems and texts), to know them writing one again.
_WRITTEN = (select(ON_RADAR.citizen, ON_RADAR.problem_id, Message.text).join(Message, Message.id == ON_RADAR.message_id)
            .where(ON_RADAR.citizen.in_(bindparam("citizens", expanding=True))))
_LINKS = select(LINKS.draft_id, LINKS.problem_id).where(LINKS.draft_id.in_(bindparam("ids", expanding=True)))


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def lock(session: Session) -> None:
    """One placement on the radar at a time, taken before anything is read: a placement waiting for a rebuild then
    reads the radar the rebuild left, never the one it replaced."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    else:
        # SQLite takes its write lock only at a transaction's first write: a write that changes nothing takes it now.
        session.execute(text("UPDATE radar_problems SET id = id WHERE 0"))


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

    def __init__(self, session: Session, items: list[grouping.Entry], cities: dict[int, frozenset[str]],
                 subjects: dict[int, Subject], said: Counter | None = None) -> None:
        self.connection = session.connection()
        self.grouper = grouping.Grouper()
        self.grouper.counts_of = self.compared
        self.grouper.rare_share = 0.0  # a word more problems use finds none, however rare (none are read for it)
        self.grouper.subjects_find = False  # nor however many of a subject line's words
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
        # By problem: its stored letters' subject lines as character pairs (read when first asked), and its batch's.
        self.headings: dict[int, list[frozenset[str]]] = {}
        self.added_headings: dict[int, list[frozenset[str]]] = defaultdict(list)
        # By id of the batch's entries with a known writer: who, and their text's character pairs; by writer: the
        # problems and texts of their letters on the radar (set by place(), read once for the batch) and added now,
        # a text made pairs only when its problem is asked about (a prolific writer's letters are many).
        self.writers: dict[int, tuple[str, frozenset[str]]] = {}
        self.letters_of: dict[str, list[tuple[int, str | frozenset[str]]]] = defaultdict(list)
        self.cities = cities  # by id of the batch's entries: the cities they name by code (see _entry)
        self.subjects = subjects  # by id of the batch's entries: their subject line and the words it names things by
        self.new: list[grouping.Group] = []
        # Any message may leave its group's problem and be compared with the district's on its own.
        sought = sorted(set().union(*(item.features for item in items))) if items else []
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
        if said is None:
            frequencies = {}
            for words in _chunks(sought + [MESSAGES_ROW]):
                frequencies.update(self.connection.execute(_FREQUENCIES, {"words": words}).all())
        else:
            frequencies = {word: said[word] for word in sought + [MESSAGES_ROW] if word in said}
        total = frequencies.pop(MESSAGES_ROW, 0)
        self.grouper.restore_frequencies(frequencies, total)

    def load(self, problem_ids: set[int]) -> None:
        ids = sorted(problem_ids - self.grouper.groups.keys())
        for chunk in _chunks(ids):
            for problem_id, topic, square_sum, places, located in self.connection.execute(_PROBLEMS, {"ids": chunk}):
                places = places or {}
                self.places[problem_id], self.located[problem_id] = Counter(places), located
                # A city is no place to grouping: A市 and A7县 must not disagree there (_entry keeps it apart).
                self.grouper.restore_group(problem_id, topic, problem_id, False, {}, square_sum,
                                           {place for place in places if not is_city_code(place)})

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
        self.places[number].update(item.places | self.cities.get(id(item), frozenset()))
        self.located[number] += bool(item.locations - areas_named(item.locations))
        heading = self.subjects.get(id(item), NO_SUBJECT).pairs
        if heading:
            self.added_headings[number].append(heading)
        if id(item) in self.writers:
            citizen, pairs = self.writers[id(item)]
            self.letters_of[citizen].append((number, pairs))

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
                and len(place) >= MIN_PLACE_CHARS and frequencies.get(place, 0) <= DISTINCT_PLACE * count + 2
                and not areas_named([place]) and not is_kind_of_place(place)]

    def headings_of(self, group: grouping.Group) -> list[frozenset[str]]:
        if group.number not in self.headings:
            found = []
            if group.key is not None:
                texts = self.connection.execute(_TEXTS, {"problem": group.number}).scalars()
                found = [pairs for pairs in (_pairs(grouping.subject_line(text or "")) for text in texts) if pairs]
            self.headings[group.number] = found
        return self.headings[group.number] + self.added_headings[group.number]

    def asked_again(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """The citizen who wrote one of the problem's letters writes it again, nearly word for word, under another
        subject line (再次咨询…): their own follow-up, whatever the subject says."""
        citizen, pairs = self.writers.get(id(item), ("", frozenset()))
        if not pairs:
            return False
        letters = self.letters_of.get(citizen, [])
        for position, (number, other) in enumerate(letters):
            if number != group.number:
                continue
            if not isinstance(other, frozenset):
                # A stored letter is read as text and turned into pairs once, when first compared.
                other = _pairs(other, MIN_COPY_CHARS)
                letters[position] = (number, other)
            if _alike(pairs, other):
                return True
        return False

    def same_heading(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """The letter's subject line is nearly that of one of the problem's letters."""
        pairs = self.subjects.get(id(item), NO_SUBJECT).pairs
        return bool(pairs) and any(_alike(pairs, other) for other in self.headings_of(group))

    def stations_of(self, group: grouping.Group) -> set[int]:
        if group.number not in self.stations:
            found = set()
            if group.key is not None:
                found.update(self.connection.execute(_STATIONS, {"problem": group.number}).scalars())
            self.stations[group.number] = found
        return self.stations[group.number]

    def areas_differ(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """Both name counties and none the same: the same trouble in two counties is two problems, though a
        county is too wide to make one problem of two letters that name it."""
        own = areas_named(item.places) | self.cities.get(id(item), frozenset())
        theirs = areas_named(self.places.get(group.number, Counter()))
        return bool(own) and bool(theirs) and not any(same_area(a, b) for a in own for b in theirs)

    def same_main_place(self, group: grouping.Group, item: grouping.Entry) -> bool | None:
        """True when the message names one of the problem's own places, False when it names only others, None
        when either names none."""
        main = self.main_places(group)
        own = [place for place in item.locations if len(place) >= MIN_PLACE_CHARS and not areas_named([place])]
        if not own or not main:
            return None
        return any(same_place(place, other) for place in own for other in main)

    def shares_phrase(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """The message uses a word the district says mostly in this problem (as a distinctive place is judged):
        two questions about 户口 share words, two letters about 户口迁回 share 迁回."""
        counts, frequencies = self.counts(group, item.words), self.grouper.frequencies
        return any(counts.get(word, 0) and frequencies.get(word, 0) <= DISTINCT_PLACE * counts[word] + 2
                   for word in item.words)

    def same_subject(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """Letters sharing one template paragraph, or one estate, are about what their subject lines say (a
        provincial road and another road; a hospital and a bus route of one town). Besides the places both name
        (with a word written just before one, or a name just after: 新世界 of 新城新世界, which the tokenizer keeps
        apart from the estate), the subject names something of the problem that few letters of the district name,
        or mostly what the problem names, in words not every other letter says (老年人 and 养老保险: each said often,
        together one question; 业主 and 小区 say nothing), or nothing."""
        line, said, _ = self.subjects.get(id(item), NO_SUBJECT)
        theirs = self.places.get(group.number, Counter())
        places = [place for place in item.places | self.cities.get(id(item), frozenset())
                  if any(same_place(place, other) for other in theirs)]
        words = [word for word in said if not any(word in place or word + place in line or place + word in line
                                                  and dictionary_tag(word).startswith(_NAMES) for place in places)]
        if not words:
            return True
        counts, frequencies = self.counts(group, words), self.grouper.frequencies
        rare = SUBJECT_RARE * self.grouper.messages
        common = max(SUBJECT_COMMON * self.grouper.messages, SUBJECT_COMMON_LEAST)
        shared = [word for word in words if counts.get(word, 0)]
        uncommon = [word for word in shared if frequencies.get(word, 0) <= common]
        return (len(uncommon) >= 2 and 2 * len(uncommon) >= len(words)
                or any(frequencies.get(word, 0) <= max(DISTINCT_PLACE * counts[word] + 2, rare) for word in shared))

    def fits(self, group: grouping.Group, item: grouping.Entry, station_id: int) -> bool:
        """A message joins a district problem other than its group's only about the same distinctive place, or
        when it says nearly the same words, or its subject line is nearly one of the problem's: the district hears
        of the same kind of trouble in many estates and counties, and each one's is its own. A message naming no
        place at all may mean the estate its station's citizens named (电梯又坏了): there, as close as a message to
        its own group's problem is enough."""
        if self.areas_differ(group, item):
            return False
        if self.asked_again(group, item):
            return True
        if not self.same_subject(group, item):
            return False
        if self.same_heading(group, item):
            return True
        similarity = self.similarity(group, item)
        if not item.locations and station_id in self.stations_of(group):
            return similarity >= FOLLOW and self.shares_phrase(group, item)
        return similarity >= WITHOUT_PLACE or bool(self.same_main_place(group, item)) and similarity >= SAME_PLACE

    def belongs(self, group: grouping.Group, item: grouping.Entry) -> bool:
        """A message stays on its group's problem when it names the problem's place or, naming none, says much
        the same in a phrase of its own: a deputy's grouping lets a letter naming no place join a group it barely
        resembles."""
        if self.areas_differ(group, item):
            return False
        if self.asked_again(group, item):
            return True
        if not self.same_subject(group, item):
            return False
        same = self.same_main_place(group, item)
        if same:
            return self.similarity(group, item) >= SAME_PLACE
        return same is None and self.similarity(group, item) >= FOLLOW and self.shares_phrase(group, item)


def place(session: Session, message_ids: list[int], said: Counter | None = None) -> int:
    """Put these drafted messages onto the radar (those already on it, or no longer drafted, are left).

    A word is distinctive by how often the district says it: the grouping index's counts, or, when `said` is given,
    those of the messages counted in it so far (a rebuild's: the district as it was when the batch came), to
    which this batch's are added message by message as they are placed, and then to `said`."""
    if not message_ids:
        return 0
    rows = []
    for ids in _chunks(sorted(message_ids)):
        rows.extend(session.execute(
            select(Message.id, Message.text, Message.terms, Message.topic, Message.citizen_id, Message.created_at,
                   Message.deputy_id, Deputy.station_id, DraftMessage.draft_id)
            .join(DraftMessage, DraftMessage.message_id == Message.id).join(Deputy, Deputy.id == Message.deputy_id)
            .outerjoin(RadarMessage, RadarMessage.message_id == Message.id)
            .where(Message.id.in_(ids), Message.status == MessageStatus.DRAFTED, Message.flag.is_(None),
                   RadarMessage.message_id.is_(None))).all())
    if not rows:
        return 0
    rows.sort(key=lambda row: row.id)
    told, cities, subjects = [], {}, {}
    for row in rows:
        item, cities[id(item)], subjects[id(item)] = _entry(row.terms, row.text)
        told.append((item, row.topic or "", row.station_id))
    prints = {row.id: fingerprint(row.text) for row in rows}
    linked: dict[int, int | grouping.Group] = {}
    for drafts in _chunks(sorted({row.draft_id for row in rows})):
        linked.update(session.connection().execute(_LINKS, {"ids": drafts}).all())
    unlinked: dict[int, list[tuple[grouping.Entry, str, int]]] = defaultdict(list)
    for row, message in zip(rows, told):
        if row.draft_id not in linked:
            unlinked[row.draft_id].append(message)
    originals: dict[str, int] = {}
    for chunk in _chunks(sorted({value for value in prints.values() if value})):
        for value, problem_id in session.connection().execute(_ORIGINALS, {"prints": chunk}):
            originals.setdefault(value, problem_id)
    index = _Index(session, [item for item, *_ in told], cities, subjects, said)
    index.writers = {id(item): (citizen_key(row.citizen_id, row.id), _pairs(row.text, MIN_COPY_CHARS))
                     for row, (item, *_) in zip(rows, told) if row.citizen_id is not None}
    writers = sorted({citizen for citizen, _ in index.writers.values()})
    for chunk in _chunks(writers):
        for citizen, problem_id, text_ in session.connection().execute(_WRITTEN, {"citizens": chunk}):
            index.letters_of[citizen].append((problem_id, text_ or ""))
    if said is not None:
        # The index counts each message of the batch as it is placed, as if they had come one by one.
        said.update(word for item, *_ in told for word in item.features)
        said[MESSAGES_ROW] += len(told)
    index.load(set(linked.values()) | set(originals.values()))
    groups, placed = index.grouper.groups, []
    copies = {value: groups[problem_id] for value, problem_id in originals.items()}
    for row, (item, topic, station_id) in zip(rows, told):
        known = linked.get(row.draft_id)
        group = groups[known] if isinstance(known, int) else known
        original = copies.get(prints[row.id])
        if group is None:
            group = original or _problem_of(index, unlinked[row.draft_id]) or _new_problem(index, topic)
            linked[row.draft_id] = group
        if original is not None:
            # The same letter sent to another deputy: the problem its first copy is on, whatever places it names.
            group = original
        elif group._square_sum and not index.belongs(group, item):
            group = _own_problem(index, item, topic, station_id)
        index.add(group, item, station_id)
        if prints[row.id]:
            copies.setdefault(prints[row.id], group)
        placed.append((row, item, group))
    _save(session, index, placed, linked, prints)
    return len(placed)


def _problem_of(index: _Index, told: list[tuple[grouping.Entry, str, int]]) -> grouping.Group | None:
    """The district problem a deputy's new group is part of: the first its messages fit, in the order they came
    (the group's first message may name no place where a later one names the estate)."""
    for item, topic, station_id in told:
        group = index.closest(item, topic)
        if group is not None and index.fits(group, item, station_id):
            return group
    return None


def _own_problem(index: _Index, item: grouping.Entry, topic: str, station_id: int) -> grouping.Group:
    """The problem a message not of its group's problem is part of, by its own words and places, or a new one."""
    group = index.closest(item, topic)
    return group if group is not None and index.fits(group, item, station_id) else _new_problem(index, topic)


def _entry(terms: dict | None, text: str | None) -> tuple[grouping.Entry, frozenset[str], Subject]:
    """A message as the radar compares it, the cities it names by code (A市), and its subject line with the words
    it names things by: the counties it names by code (A7县) count among its places here, so that the same
    trouble in two counties stays two problems; a city only tells problems apart (A市 contains A7县, which
    grouping's places cannot say)."""
    terms = terms or grouping.message_terms("")
    areas = areas_in(text or "")
    counties = [area for area in areas if not is_city_code(area)]
    return (grouping.entry({**terms, "places": list(terms["places"]) + counties}),
            frozenset(area for area in areas if is_city_code(area)),
            _subject(grouping.subject_line(text or ""), terms.get("subject") or []))


def _subject(line: str, words: list[str]) -> Subject:
    return Subject(line, frozenset(word for word in words if not dictionary_tag(word).startswith(_NOT_NAMING)),
                   _pairs(line))


def _letters(text: str | None) -> str:
    """A text without spaces, punctuation or case: what two copies of one letter, or two subject lines, compare by."""
    return _NOT_WORD.sub("", text or "").lower()


def _pairs(text: str | None, least: int = MIN_HEADING_CHARS) -> frozenset[str]:
    """The character pairs of a text's letters; none for one of fewer than `least` letters (a subject line too
    short to compare, MIN_HEADING_CHARS, or a text too short to be a letter, MIN_COPY_CHARS)."""
    letters = _letters(text)
    if len(letters) < least:
        return frozenset()
    return frozenset(letters[i:i + 2] for i in range(len(letters) - 1))


def _alike(pairs: frozenset[str], other: frozenset[str]) -> bool:
    return 2 * len(pairs & other) >= SAME_HEADING * (len(pairs) + len(other))


def fingerprint(text: str | None) -> str | None:
    """The letter's text without spaces, punctuation or case, hashed; None for a text too short to be a letter."""
    letters = _letters(text)
    if len(letters) < MIN_COPY_CHARS:
        return None
    return hashlib.sha256(letters.encode()).hexdigest()[:16]


def _new_problem(index: _Index, topic: str) -> grouping.Group:
    group = index.grouper.new_group(None, topic, number=(1 << 62) + len(index.new))
    index.new.append(group)
    return group


def _save(session: Session, index: _Index, placed: list, linked: dict, prints: dict[int, str | None]) -> None:
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
         "station_id": row.station_id, "citizen": citizen_key(row.citizen_id, row.id), "at": row.created_at,
         "fingerprint": prints[row.id]}
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


def rebuild(session: Session, batch: int = 1000,
            progress: Callable[[int, int], None] | None = None) -> int:
    """The radar from nothing: every drafted message placed again, oldest first, a batch at a time, in the
    session's one transaction (the radar is read as it was until it commits). `progress(placed, total)` after
    each batch.

    Each batch is judged by the words of the messages before it, as the workers judged it when it came: the
    district's counts of today would find a problem's first letters' estate common, said by the letters to come."""
    lock(session)
    for model in (RadarMessage, RadarDraft, RadarWord, RadarTerm, RadarProblem):
        session.execute(delete(model.__table__))
    total = len(pending(session))
    placed = last = 0
    said: Counter = Counter()
    while True:
        # From the last batch on: the anti-join then never walks again past the messages already placed.
        ids = pending(session, limit=batch, after=last)
        if not ids:
            return placed
        placed += place(session, ids, said)
        last = ids[-1]
        if progress is not None:
            progress(placed, total)


def problem_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RadarProblem)) or 0
