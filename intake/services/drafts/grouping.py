"""Which messages describe the same problem: content words and place names compared, no database here.

A message joins the group it resembles most (cosine of its words, weighted by how rare they are in the
district's messages and doubled in its subject line, against the group's word counts) when that resemblance
is high enough and the places do not disagree: two complaints about the roads of two different villages
are two problems. The topic is one signal among others: a message tagged with another topic may still
join, it only needs more words in common. A near-duplicate (the same text forwarded, small edits, about
the same place) joins the group of the message it repeats, so it can never start a second draft.

Both look-ups go through inverted indexes, so a message is compared with the few groups and messages
that share its words, never with a deputy's whole history.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from sys import intern

from bot.places import (ASKED_TO_DO, areas_in, areas_named, is_city_code, is_district_name, is_organisation,
                        name_candidates, names_a_site, place_names, places_agree, places_differ, road_candidates,
                        same_area, swallows)
from bot.tokenizer import (compound_ending, dictionary_frequency, dictionary_tag, equivalent_words, stop_words,
                           tagged_words)
from intake.services.privacy import masking

_CJK = re.compile(r"[\u4e00-\u9fff]")
# The first line (or sentence) of a letter, when more follows, is its subject line: 小区电梯长期停运. Where
# line breaks were lost, a full-width space still separates it from the body (小区电梯长期停运　　我们小区…).
_SUBJECT_END = re.compile(r"[\n。！？!?\u3000]")
MAX_SUBJECT_CHARS = 40
# A letter whose punctuation was lost (no line, sentence or clause ends within its first MAX_SUBJECT_CHARS
# characters: M14县出租车随意涨价谁来管月20号…) still opens with what it is about: its first OPENING_CHARS
# characters, about a subject line's length, weigh as one.
_CLAUSE_END = re.compile(r"[\n。！？!?\u3000，,；;：:、\s]")
OPENING_CHARS = 16
SUBJECT_WEIGHT = 2.0
JOIN_SIMILARITY = 0.3
PLACE_WEIGHT = 2.0
SAME_TOPIC_BONUS = 0.05  # the model's topic agrees: a little closer, never required
# The grouping index is kept across topics: one problem told as 城乡建设 and as 环境保护 meets itself.
SCOPE = "*"
# A long letter's first words say what it is about; comparing all of them costs time and memory, not accuracy.
MAX_WORDS = 24
SAME_PLACE_BONUS = 0.15  # two short messages about one place share few words: 路灯坏了 / 加装两盏路灯
NEAR_DUPLICATE = 0.8  # Jaccard of the word sets
# A word found in more groups than this finds candidates only while it stays rare in the district's messages
# (RARE_SHARE), and then only among the latest COMMON_WORD_GROUPS groups using it: 噪音 in a city's mailbox tells
# groups apart no better than 问题 does, but 再婚 or 独生子女 still gathers a policy's complaints once they
# have scattered over five groups.
COMMON_WORD_GROUPS = 4
RARE_SHARE = 0.003
# A group found by rarer words must resemble the message this much by them alone before the common words the
# two share count too: 养老金 and 调整 join one policy's complaints, never a group met through one word.
RARE_FLOOR = 0.05
# A group found through no problem word (only the place, 门口, 晚上: _NOT_A_PROBLEM_TAGS) is about the message's
# problem too when the problem words the two share, however common, weigh this much of the resemblance: one town's
# planning asked in words every planning question uses (规划, 建设, 方案). Two problems of one estate (路灯, 污水沟)
# share nothing beyond the place.
ABOUT_SHARE = 0.1
# Words that say where, when or how much, never what is wrong: 门口, 旁边, 路上 (jieba tags them f, s), 东门 (ns),
# 晚上 (t), 一个 (m), 几盏 (q), 那条 (r). 幸福小区门口的下水道 and 幸福小区门口的路灯 share only such words.
_NOT_A_PROBLEM_TAGS = ("f", "s", "ns", "t", "m", "q", "r")
# Whom a problem hurts and how they feel it, never what is wrong: 幸福小区3号楼前积水，老人出门很不方便 and 幸福小区的路灯
# 坏了，老人出门很不安全 are two problems of one estate that share the same old people going out.
WHO_IT_HURTS = frozenset("老人 老年人 孩子 小孩 出门 回家 方便 不便 害怕 担心".split())
# A subject line names its problem: a group that two or more of a message's subject-line words find among their
# latest holders is a candidate however common those words are (养老金, 调整 and 出台 of one province's pension
# rise, each said in letters on a hundred other problems), when it resembles the message this much. One word finds
# any group (投诉, 咨询), and letters that share only their subject's common words must share much of them.
SUBJECT_FINDS = 2
SUBJECT_SIMILARITY = 0.5
# A letter naming no site but the county the group's letters name joins such a group at JOIN_SIMILARITY: one county's
# taxi fares told in common words are the county's own problem (the same trouble in another county is another).
# An edited copy is looked for among the latest messages sharing one of its rarest words; an exact copy
# (the same words) is found however old its original is.
RECENT_MEMBERS = 8
# A complaint about a rule, a fee, a benefit or a scheme is one problem wherever it is written from: the towns its
# letters name do not define it (乡镇快递代收点另收取件费 from nineteen towns, 乡村医生养老待遇, 生育津贴). Such a word
# shared with a group lets the message join it however the places differ; a thing at a place (路灯, 电梯, 道路) is
# no such word, so 路灯坏了 at two estates stays two problems.
# 政策 and 条例 alone say that a letter is about some rule, not which (再婚 and 独生子女证 letters both say 政策).
POLICY_ENDS = ("费", "补贴", "补助", "津贴", "待遇", "养老", "养老金", "养老保险", "退休金", "奖励金", "产假")
# A school, an estate, a village or a company sets its own charges and pays its own staff: its fees (补课费 of 二中 and
# of 三中, 物业费 of two estates, 床位费 of two villages' old people's homes) are its own problem, so a letter naming one
# keeps the places apart.
LOCAL_SITE_ENDS = ("中", "中专", "学校", "学院", "幼儿园", "小区", "花园", "家园", "公寓", "新村", "苑", "村")
# Charging is said as a verb too, and the fee's own word is often cut off (取件|费): 收取, 另收.
CHARGING = frozenset("收取 收钱 乱收 另收 加收 多收".split())
NOT_POLICY = frozenset("消费 浪费 花费 经费 免费".split())
# Words every complaint uses: they say nothing about which problem it is.
GENERIC = frozenset(
    "问题 反映 希望 建议 要求 解决 处理 领导 部门 相关 情况 现在 目前 已经 一直 很多 非常 严重 影响 群众 居民 百姓"
    " 老百姓 政府 有关 尽快 请求 恳请 您好 你好 尊敬 谢谢 感谢 一下 没有 不能 可以 应该 这个 那个 我们 他们 大家"
    " 时候 今年 去年 每天 多年 以来 由于 因为 所以 但是 如果 还是 就是 进行 工作 管理 单位 市民 人员 地方"
    # Whom a letter asks (…请问厅长, 尊敬的县委书记): the officials citizens write to, never what is wrong.
    " 书记 市长 省长 县长 区长 镇长 乡长 局长 厅长 部长 县委书记 市委书记 省委书记 先生 女士"
    # A complaint's impatience (路灯到底什么时候修, 究竟管不管), in its subject line as often as not.
    " 到底 究竟".split()
)


# Whom a letter is written to, and its greeting (尊敬的胡书记：您好！, 张伟代表您好，, 各位领导好！, 您好！): every
# letter to one deputy names them, so they say nothing of its problem. Who writes is no address (我是明珠小区的居民代表，).
OPENING_ADDRESS = re.compile(
    r"^\s*(?:(?!我|本人)(?:尊敬的|敬爱的|亲爱的)?[^，。：:！!？?\n]{0,12}(?:书记|市长|省长|县长|区长|镇长|乡长|主任|局长|领导们?|代表|同志"
    r"|先生|女士|您|你们|政府)(?:[：:，,]\s*(?:您好|你好)?|(?:您好|你好|好)(?=[！!，,。\s]))|(?:您好|你好))[！!，,。]?\s*")


def unaddressed(text: str) -> str:
    """The message without the address and greetings it opens with (several: 尊敬的领导：\n您好！)."""
    while (found := OPENING_ADDRESS.match(text)) and found.end():
        text = text[found.end():]
    return text


def subject_line(text: str) -> str:
    """The letter's first line or sentence when it is short and more follows; '' otherwise, and for a letter that
    opens with whom it is written to (尊敬的领导：您好！我是…的业主。 names no subject)."""
    text = text.strip()
    if OPENING_ADDRESS.match(text):
        return ""
    found = _SUBJECT_END.search(text)
    if found is None or found.start() > MAX_SUBJECT_CHARS or not text[found.end():].strip():
        return ""
    return text[:found.start()]


def opening(text: str) -> str:
    """The first characters of a long letter whose punctuation was lost (see OPENING_CHARS); '' otherwise."""
    text = text.strip()
    found = _CLAUSE_END.search(text)
    if found is not None and found.start() <= MAX_SUBJECT_CHARS or len(text) <= 2 * OPENING_CHARS:
        return ""
    return text[:OPENING_CHARS]


def terms_of(text: str) -> dict[str, list[str]]:
    """What grouping compares, kept with the message: the places it names, and its first content words,
    each once, the subject line's first, then nouns (the draft's title takes its key phrase from them)."""
    tagged = _unglued(tagged_words(unaddressed(text)))
    stops = stop_words()
    nouns, others = [], []
    for word, flag in _unswallowed(tagged):
        if (len(word) >= 2 and word not in GENERIC and word not in stops and _CJK.search(word)
                and not is_district_name(word) and not ASKED_TO_DO.fullmatch(word)):
            (nouns if flag.startswith("n") or flag == "vn" else others).append(word)
    subject = subject_line(text)
    heading = [word for word in nouns + others if word in subject] if subject else []
    opened = opening(text) if not subject else ""
    first = [word for word in nouns + others if word in opened] if opened else []
    words = list(dict.fromkeys(heading + first + nouns + others))[:MAX_WORDS]
    places = list(dict.fromkeys(place_names(tagged)))
    return {"places": places, "words": words,
            "subject": [word for word in dict.fromkeys(heading) if word in words],
            # Weighs as a subject line when messages are compared; the radar's and drafts' subject lines are as written.
            "opening": [word for word in dict.fromkeys(first) if word in words],
            # The counties it names (A7县 by code, 长沙县 in full): a county's own trouble told in common words.
            "areas": sorted({area for area in areas_in(text) if not is_city_code(area)} | areas_named(places)),
            # Counted by the batch: those that recur are learned.
            "names": list(dict.fromkeys(name_candidates(tagged) + road_candidates(text)))}


# A city said without its name (市 of an anonymised A市, or 本市 cut 本|市…) glues to the place after it: 市泉塘
# of 市泉塘传销泛滥 is 泉塘, the place every other letter on it names.
_GLUED_CITY = "市"


def _unglued(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The words, a city's 市 glued to an unknown word after it given back as its own word."""
    words = []
    for word, flag in tagged:
        rest = word[len(_GLUED_CITY):]
        if word.startswith(_GLUED_CITY) and len(rest) >= 2 and not dictionary_frequency(word):
            words += [(_GLUED_CITY, "n"), (rest, dictionary_tag(rest) if dictionary_frequency(rest) else flag)]
        else:
            words.append((word, flag))
    return words


def _unswallowed(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The words, a place that took the first character of the next word given back: 东门路|灯不亮 says 东门 and
    路灯 (places.swallows), so the message shares 路灯 with the others about the estate's lamps."""
    words = []
    for index, (word, flag) in enumerate(tagged):
        following = tagged[index + 1][0] if index + 1 < len(tagged) else ""
        if len(word) > 2 and swallows(word, following):
            words += [(word[:-1], flag), (word[-1] + following[0], "n")]
        else:
            words.append((word, flag))
    return words


def message_terms(text: str) -> dict[str, list[str]]:
    """The terms of a message as deputies may see it: phone and ID numbers masked first."""
    return terms_of(masking.mask(text))


@dataclass(eq=False, slots=True)
class Group:
    key: object  # the caller's handle (a draft, or None for a group not stored yet)
    topic: str
    number: int  # its place in Grouper.groups
    closed: bool = False  # approved or discarded: never joined; late messages go to a follow-up
    words: dict[str, int] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)
    _square_sum: int = 0
    areas: set[str] = field(default_factory=set)  # the counties its messages name (Entry.areas)


@dataclass(eq=False, slots=True)
class Entry:
    """A message's terms as grouping compares them, worked out once for both the look-up and the adding."""

    words: frozenset[str] | tuple[str, ...]  # a tuple once placed and kept (group_index): a sixth of the memory
    places: frozenset[str]
    features: frozenset[str]
    prefix: tuple[str, ...]
    heading: frozenset[str]  # the features of its subject line, which weigh more
    locations: frozenset[str]  # its places that are no organisation (叶绿集团 is a company, not a place)
    repeat: bytes  # its words and places as one digest (repeat_key): an exact copy has the same
    group: Group | None = None  # where it went, once added
    areas: frozenset[str] = frozenset()  # the counties it names (terms_of)


def _same_county(item: Entry, group: Group) -> bool:
    """The message and the group name one county (or a county and its city: A7县 is in A市)."""
    theirs = group.areas | areas_named(group.places)
    return any(same_area(ours, other) for ours in item.areas for other in theirs)


@lru_cache(maxsize=200_000)
def _says_what(word: str) -> bool:
    """Whether a word (or character pair) may name a problem: it says no where, when or how much
    (_NOT_A_PROBLEM_TAGS)."""
    return not dictionary_tag(word).startswith(_NOT_A_PROBLEM_TAGS)


def _names(places: frozenset[str]) -> str:
    """The places' names in one string: a word is part of one of them when it is in this (no word holds the
    separator), one search rather than one per place."""
    return "\x1f".join(places)


def problem_features(item: Entry) -> frozenset[str]:
    """The features of the message that may say what is wrong: its words that are no part of its places nor
    say where, when or how much, and their character pairs that are none either (一个 of 一个多 and 一个月 is
    none; 水沟 of 污水沟 and 排水沟 is one)."""
    if not item.locations:  # each word's part is known already
        return frozenset(chain.from_iterable(map(_problem_parts, item.words)))
    named = _names(item.locations)
    return frozenset(feature for word in item.words if word not in named
                     for feature in _problem_parts(word) if feature not in named)


@lru_cache(maxsize=200_000)
def _problem_parts(word: str) -> tuple[str, ...]:
    """The word and those of its character pairs that may say what is wrong; none if the word itself says no
    such thing. Worked out once per word: every message placed asks it of each of its words."""
    if not _says_what(word) or word in WHO_IT_HURTS:
        return ()
    return (word, *(pair for pair in _pairs(word) if _says_what(pair) and pair not in WHO_IT_HURTS))


@lru_cache(maxsize=200_000)
def names_a_policy(word: str) -> bool:
    """A rule, a fee, a benefit or a scheme (取件费, 养老待遇, 生育津贴, 补贴): see POLICY_ENDS."""
    return word in CHARGING or word.endswith(POLICY_ENDS) and word not in NOT_POLICY


@lru_cache(maxsize=200_000)
def _local_site(place: str) -> bool:
    return names_a_site(place) and (place.endswith(LOCAL_SITE_ENDS) or is_organisation(place))


@lru_cache(maxsize=200_000)
def _pairs(word: str) -> tuple[str, ...]:
    return tuple(intern(word[i:i + 2]) for i in range(len(word) - 1)) if len(word) >= 3 else ()


def _features(words: list[str]) -> frozenset[str]:
    """Words and the character pairs of longer words: 污水沟, 水沟 and 排污沟 then share something."""
    return frozenset(words).union(chain.from_iterable(map(_pairs, words)))


@lru_cache(maxsize=200_000)
def _order(word: str) -> tuple[int, int]:
    # Rarer words first, so the lists a message's prefix looks up stay short.
    return dictionary_frequency(word), zlib.crc32(word.encode())


def _prefix(words: frozenset[str]) -> tuple[str, ...]:
    # Prefix filtering: two sets with Jaccard >= t share a word among the first n - ceil(t * n) + 1 of each,
    # in any fixed order of words.
    size = len(words)
    return tuple(sorted(words, key=_order)[: size - math.ceil(NEAR_DUPLICATE * size) + 1])


def repeat_key(words: frozenset[str], places: frozenset[str]) -> bytes:
    """The same words about the same places, as 16 bytes in every process: a worker keeps this of each message
    rather than its word set."""
    text = "\x1f".join(sorted(words)) + "\x1e" + "\x1f".join(sorted(places))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def compared_words(words: list[str]) -> list[str]:
    """The words as grouping compares them: each said as the first of its equivalents (煤气 and 液化气 as 燃气,
    bot/equivalents.txt), once, and one string per word however many groups and messages hold it (a worker keeps
    thousands of groups)."""
    return list(dict.fromkeys(map(_said_as, words)))


@lru_cache(maxsize=200_000)
def _said_as(word: str) -> str:
    """The word as the first of its equivalents; a compound ending in one, with that one's first (代课老师 as 代课教师,
    so it shares 教师 with 民办教师: the last word of a Chinese compound says what the thing is)."""
    equivalents = equivalent_words()
    if word in equivalents:
        return intern(equivalents[word])
    ending = compound_ending(word, equivalents)
    return intern(word[:-len(ending)] + equivalents[ending] if ending else word)


def entry(terms: dict[str, list[str]]) -> Entry:
    said = compared_words(terms["words"])
    words = frozenset(said)
    places = frozenset(map(intern, terms["places"]))
    heading = compared_words(terms.get("subject") or terms.get("opening") or [])
    return Entry(words, places, _features(said), _prefix(words), _features(heading),
                 frozenset(place for place in places if not is_organisation(place)), repeat_key(words, places),
                 areas=frozenset(map(intern, terms.get("areas") or ())))


def _near_duplicate(a: frozenset[str], b: frozenset[str] | tuple[str, ...]) -> bool:
    shared = len(a.intersection(b))
    return shared >= NEAR_DUPLICATE * (len(a) + len(b) - shared)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Around the grouping of one deputy's messages. It makes many small objects that live until the batch
    ends and no reference cycles; the cyclic garbage collector would only scan them again and again (a
    seventh of the time at 500 messages a deputy). Anything cyclic made meanwhile is collected afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class Grouper:
    """The groups of one deputy, and where each new message goes."""

    def __init__(self) -> None:
        # By group number: the order groups were made in (a draft's id, when they are stored), which breaks ties.
        self.groups: dict[int, Group] = {}
        self._norms: dict[int, float] = {}  # of each group's word counts: every look-up divides by it
        # For each word, the numbers of the groups using it (the latest COMMON_WORD_GROUPS of them), each as often
        # as the group has the word; an empty tuple for a word common for good (rarity not followed).
        self._by_word: dict[str, tuple[int, ...]] = {}
        # How many groups use each word that more than COMMON_WORD_GROUPS groups use.
        self._spread: dict[str, int] = {}
        self.rare_share = RARE_SHARE
        self.subjects_find = True  # a subject line's common words find groups (SUBJECT_FINDS)
        # Not by topic: a repeated text must land with its original even when the model tagged it otherwise.
        self._exact: dict[bytes, Group] = {}  # by repeat_key
        self._by_prefix: dict[str, list[Entry]] = {}
        self._next_number = 0
        # In how many of the district's messages each feature occurs (for the words met so far), and how
        # many messages there are: a message counts once it is placed, so batches of any size agree.
        self.frequencies: dict[str, int] = {}
        self.messages = 0
        # A group's counts of words: a stored group's are read only once it is met this way (group_index).
        self.counts_of: Callable[[Group], dict[str, int]] = lambda group: group.words

    def new_group(self, key, topic: str, closed: bool = False, number: int | None = None) -> Group:
        if number is None:
            number = self._next_number
        self._next_number = max(self._next_number, number + 1)
        group = Group(key, topic, number, closed)
        self.groups[number] = group
        self._norms[number] = 0.0
        return group

    def restore_group(self, key, topic: str, number: int, closed: bool, words: dict[str, int], square_sum: int,
                      places: set[str], areas: set[str] = frozenset()) -> Group:
        """A stored group as far as a batch needs it: its counts of the batch's words, and its whole norm."""
        group = self.new_group(key, topic, closed, number)
        group.words, group.places, group._square_sum, group.areas = words, places, square_sum, set(areas)
        self._norms[number] = math.sqrt(square_sum)
        return group

    def restore_word(self, word: str, holders: tuple[int, ...], groups: int = 0) -> None:
        """Which groups use a word (the latest COMMON_WORD_GROUPS, each as often as it has it) and how many do;
        an empty tuple for a word common for good."""
        self._by_word[word] = holders
        if groups > COMMON_WORD_GROUPS:
            self._spread[word] = groups

    def unfollowed(self, words: set[str]) -> list[str]:
        """Those of these words restored as common for good (no holders followed)."""
        return sorted(word for word in words if self._by_word.get(word) == ())

    def restore_frequencies(self, frequencies: dict[str, int], messages: int) -> None:
        self.frequencies.update(frequencies)
        self.messages = messages

    def restore_repeat(self, item: Entry, group: Group) -> None:
        """The group of the earliest stored message with exactly these words and places."""
        self._exact.setdefault(item.repeat, group)

    def restore_recent(self, word: str, members: list[Entry]) -> None:
        """The latest stored messages having this word in their prefix, oldest first, each with its group."""
        self._by_prefix[word] = members[-RECENT_MEMBERS:]

    def met(self, word: str) -> bool:
        """Whether the groups using the word are known here (restored, or a message here has it)."""
        return word in self._by_word

    def met_repeat(self, key: bytes) -> bool:
        """Whether the group of the first message with these words and places (repeat_key) is known here."""
        return key in self._exact

    def renumber(self, number: int, new: int) -> None:
        """Give a group another number (its draft's id, once stored); its words are all in the group."""
        group = self.groups.pop(number)
        group.number, self.groups[new], self._norms[new] = new, group, self._norms.pop(number)
        for word in group.words:
            holders = self._by_word.get(word)
            if holders:
                self._by_word[word] = tuple(new if holder == number else holder for holder in holders)

    def add(self, group: Group, item: Entry) -> None:
        index = self._by_word
        counts, square_sum, number = group.words, group._square_sum, group.number
        for word in item.features:
            count = counts.get(word, 0)
            holders = index.get(word)
            if holders is None:
                index[word] = (number,)
            elif holders:
                if count:
                    if number in holders:  # else an older group than the latest holders
                        index[word] = holders + (number,)
                else:
                    self._hold(word, holders, number)
            square_sum += 2 * count + 1  # (count + 1)² − count²
            counts[word] = count + 1
        group._square_sum = square_sum
        self._norms[number] = math.sqrt(square_sum)
        group.places.update(item.places)
        group.areas.update(item.areas)
        frequencies = self.frequencies
        for word in item.features:
            frequencies[word] = frequencies.get(word, 0) + 1
        self.messages += 1
        self._exact.setdefault(item.repeat, group)
        item.group = group
        for word in item.prefix:
            latest = self._by_prefix.get(word)
            if latest is None:
                self._by_prefix[word] = [item]
                continue
            latest.append(item)
            if len(latest) > RECENT_MEMBERS:
                del latest[0]

    def _hold(self, word: str, holders: tuple[int, ...], number: int) -> None:
        """A group uses the word for the first time: it joins its holders while they are few, then replaces the
        oldest of them when it is newer (the database reads the latest ones alike)."""
        groups = self._spread.get(word) or len(set(holders))
        if groups < COMMON_WORD_GROUPS:
            self._by_word[word] = holders + (number,)
            return
        self._spread[word] = groups + 1
        oldest = min(holders)
        if number > oldest:
            self._by_word[word] = tuple(held for held in holders if held != oldest) + (number,)

    def repeated(self, item: Entry) -> Group | None:
        """The group of a message this one nearly repeats, if any: the same words about the same place
        (the same complaint about another village is another problem)."""
        words, places = item.words, item.places
        if not words:
            return None
        exact = self._exact.get(item.repeat)
        if exact is not None:
            return exact
        # A set less than t times the size of the other cannot reach Jaccard t with it.
        smallest, largest = NEAR_DUPLICATE * len(words), len(words) / NEAR_DUPLICATE
        seen = set()  # a similar message turns up under several of the prefix's words: check it once
        for word in item.prefix:
            for member in self._by_prefix.get(word, ()):
                if member not in seen and smallest <= len(member.words) <= largest:
                    if places_agree(places, member.places) and _near_duplicate(words, member.words):
                        return member.group
                    seen.add(member)
        return None

    def weights(self, item: Entry) -> dict[str, float]:
        """Each feature's weight: rarer in the district's messages weighs more, the subject line's double.
        A place's name weighs at most PLACE_WEIGHT however rare: one estate has many problems, and the
        places' agreement is already counted apart (SAME_PLACE_BONUS). A company's name is no place: it weighs
        as its rarity says (citizens who name one company mostly complain of one thing it does)."""
        frequencies, top = self.frequencies, math.log(self.messages + 1)
        heading, named = item.heading, _names(item.locations)
        weights = {}
        for word in item.features:
            weight = top - math.log(frequencies.get(word, 0) + 1) + 1.0
            if named and word in named:
                weight = min(weight, PLACE_WEIGHT)
            elif word in heading:
                weight *= SUBJECT_WEIGHT
            weights[word] = weight
        return weights

    def closest(self, item: Entry, topic: str) -> Group | None:
        """The most similar group above the joining threshold whose places do not disagree, if any."""
        places, index = item.places, self._by_word
        if not index:
            return None
        # A group is about the message's problem only through a problem word: sharing a place, 门口 and 晚上 is
        # two problems at one place (幸福小区门口的下水道 and 幸福小区门口的路灯).
        problem = problem_features(item)
        groups, norms = self.groups, self._norms
        weights = self.weights(item)
        shared: Counter = Counter()  # group number → weighted overlap
        about: set[int] = set()  # groups sharing a problem word: one estate has many problems
        # Words too common to find a group, which still count in one found by rarer words, each with the groups
        # whose counts of it are among its holders already.
        common: list[tuple[str, float, frozenset[int]]] = []
        # By group, how many of the message's common subject-line problem words have it among their holders.
        by_subject: Counter = Counter()
        subject = (item.heading & item.words) if self.subjects_find else frozenset()
        spread, frequencies, most = self._spread, self.frequencies, self.rare_share * self.messages
        for word, weight in weights.items():
            holders = index.get(word)
            if holders and word in spread:
                if frequencies.get(word, 0) > most:
                    holders = ()
                else:  # rare, and used by more groups than its holders
                    common.append((word, weight, frozenset(holders)))
            if holders == ():
                common.append((word, weight, frozenset()))
                if word in subject and word in problem:
                    by_subject.update(frozenset(index.get(word) or ()))
            elif holders:
                for number, count in Counter(holders).items():
                    shared[number] += weight * count
                    if word in problem:
                        about.add(number)
        found_by_subject = {number for number, found in by_subject.items() if found >= SUBJECT_FINDS}
        for number in found_by_subject:
            shared.setdefault(number, 0.0)  # a candidate, even sharing none of the words that find groups
            about.add(number)
        best, best_score = None, JOIN_SIMILARITY
        size = math.sqrt(sum(weight * weight for weight in weights.values()))
        # Most candidates share one word or two with a long text: even both bonuses cannot lift them.
        reach = (JOIN_SIMILARITY - SAME_PLACE_BONUS - SAME_TOPIC_BONUS) * size
        # The common problem words, for groups found through no problem word.
        beyond_place = [(word, weight, held) for word, weight, held in common if word in problem]
        county_only = bool(item.areas) and not any(names_a_site(place) for place in places - item.areas)
        for number, overlap in shared.items():
            norm = norms[number]
            by_subject_only = overlap < RARE_FLOOR * size * norm
            if by_subject_only and number not in found_by_subject or number not in about and not beyond_place:
                continue
            group = groups[number]
            if common:
                counts = self.counts_of(group)
                if number not in about:
                    beyond = sum(weight * counts.get(word, 0) for word, weight, held in beyond_place if number not in held)
                    if beyond < ABOUT_SHARE * size * norm:
                        continue
                overlap += sum(weight * counts.get(word, 0) for word, weight, held in common if number not in held)
            if overlap < reach * norm:
                continue
            score = overlap / (size * norm)
            if places and group.places:
                if places_agree(places, group.places):
                    score += SAME_PLACE_BONUS
                elif places_differ(places, group.places) and not self._same_policy(item, problem, group):
                    continue  # both say where, and not the same place, and the problem is no policy's
            if group.topic == topic:
                score += SAME_TOPIC_BONUS
            if by_subject_only and score < (JOIN_SIMILARITY if county_only and _same_county(item, group)
                                            else SUBJECT_SIMILARITY):
                continue
            # The candidates come in the order of a set's words, which differs between processes: a tie goes to the
            # older group, so that a rerun elsewhere places the message where the first run did.
            if score > best_score or score == best_score and (best is None or number < best.number):
                best, best_score = group, score
        return best

    def _same_policy(self, item: Entry, problem: frozenset[str], group: Group) -> bool:
        """The message and the group name one rule, fee, benefit or scheme (POLICY_ENDS), and neither names a site
        that sets its own (LOCAL_SITE_ENDS)."""
        if any(_local_site(place) for place in chain(item.places, group.places)):
            return False
        counts = self.counts_of(group)
        return any(counts.get(word) for word in problem if names_a_policy(word))

    def place(self, item: Entry, topic: str) -> Group | None:
        """The group a message goes to: that of a message it repeats, else the closest; None for a new one."""
        return self.repeated(item) or self.closest(item, topic)
