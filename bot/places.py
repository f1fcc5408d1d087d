"""Does a message say where? jieba's place-name tags, a lexicon of place suffixes, the district's proper names."""

from __future__ import annotations

from functools import lru_cache

import re

from bot.tokenizer import added_name, dictionary_frequency, stop_words, tagged_words

# A word ending in one of these names a place (幸福小区, 东湖路, 桃园村, 青石中学 …).
SUFFIXES = (
    "村", "社区", "小区", "路", "街", "街道", "大道", "镇", "乡", "巷", "弄", "号", "组", "屯", "苑", "园",
    "花园", "广场", "公园", "大厦", "中学", "小学", "幼儿园", "医院", "卫生院", "市场", "桥", "站", "区", "县",
)
# …unless it is just the common noun itself.
GENERIC = {"马路", "道路", "公路", "小区", "社区", "村里", "学校", "医院", "市场", "车站", "地区", "城区", "景区",
           "街道", "乡村", "农村", "公园", "广场", "菜园", "果园", "路段", "中学", "小学", "幼儿园", "卫生院",
           "养老院", "服务站"}
# A bare place word counts when a name stands before it (幸福 + 小区, 柳河 + 镇).
BARE = {"村", "社区", "小区", "镇", "乡", "街道", "路", "街", "组", "中学", "小学", "幼儿园", "卫生院", "医院",
        "市场"}
_NAME_FLAGS = {"n", "nr", "ns", "nz", "a", "j", "m", "t"}
# A proper name a district's messages may teach ends in one of these (金桂园滨江苑, 幸福新城, 恒大地产公司 …).
NAME_SUFFIXES = (
    "小区", "花园", "苑", "园", "城", "府", "村", "社区", "路", "街", "巷", "镇", "学校", "医院", "公司", "中学",
    "小学", "幼儿园", "大厦", "广场", "公寓", "家园", "新村", "大道", "市场", "学院", "集团", "卫生院", "商场", "厂",
)
# A head word that makes a name of the word before it, however common that word is (幸福 + 新城).
NAME_HEADS = {"新城", "花园", "家园", "公寓", "新村", "小区", "社区", "中学", "小学", "医院", "学校", "幼儿园"}
MAX_NAME_TOKENS, MAX_NAME_CHARS = 4, 12
_NAMEISH_FLAGS = {"ns", "nr", "nz", "nrt", "nt", "nrfg", "eng"}
_BREAKING_FLAGS = ("v", "p", "r", "u", "d", "c", "f", "q", "y", "s", "t", "e", "o", "w", "x", "z")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
# A word ending so is a place of its own before the name (西山村|青石中学 is two places, not one name).
_ADMINISTRATIVE = ("村", "镇", "乡", "区", "县", "市", "省", "路", "街", "社区", "街道")
RARE_IN_DICTIONARY = 100  # a word jieba's dictionary barely knows is likely part of a name
# A name's stem never ends in a preposition, particle, measure word or demonstrative: before 路 or 村 such a
# character is a cut across words (车|把路都堵死了 cut 车把|路, 这|条路), not a name.
_NOT_A_STEM_END = frozenset("把被将的了在到往从向给让条段个座这那")
_ALL_SUFFIXES = tuple(sorted(set(SUFFIXES) | set(NAME_SUFFIXES), key=len, reverse=True))
# The district's own administrative names (its province, city …): every message is about them, so they never
# say which place a problem is at. Set once per process from the configuration (DISTRICT_NAMES).
_DISTRICT: set[str] = set()


def set_district_names(names) -> None:
    _DISTRICT.clear()
    _DISTRICT.update(name for name in names if name)


def is_district_name(word: str) -> bool:
    return word in _DISTRICT


def cut_across(name: str) -> bool:
    """True when the string is no name but a cut across words: 车把路 of 车把路都堵死了, 条路 of 这条路."""
    suffix = next((suffix for suffix in _ALL_SUFFIXES if name.endswith(suffix)), "")
    stem = name[:len(name) - len(suffix)]
    return bool(suffix) and bool(stem) and stem[-1] in _NOT_A_STEM_END


@lru_cache(maxsize=100_000)
def is_place_name(word: str) -> bool:
    return len(word) >= 2 and word.endswith(SUFFIXES) and word not in GENERIC and not cut_across(word)


def place_names(words: list[tuple[str, str]]) -> list[str]:
    """The places named among tagged words: jieba's place names, words with a place suffix, and a bare
    place word joined to the name before it (幸福 + 小区 → 幸福小区)."""
    found = []
    for index, (word, flag) in enumerate(words):
        previous, previous_flag = words[index - 1] if index else ("", "")
        if (word in BARE or word in NAME_HEADS) and len(previous) >= 2 and previous_flag in _NAME_FLAGS:
            if not cut_across(previous + word):
                found.append(previous + word)
        elif (flag == "ns" and len(word) >= 2) or is_place_name(word):
            found.append(word)
    return [name for name in found if name not in _DISTRICT]


def is_real_place(name: str) -> bool:
    """A place a draft may name: one with a place suffix or a name the district's messages or gazetteer
    taught (not 美国, nor a phrase jieba mistook for a place such as 加大力度)."""
    return name not in _DISTRICT and (is_place_name(name) or added_name(name))


def same_place(a: str, b: str) -> bool:
    """滨江苑 and 金桂园滨江苑 are one place, said short and in full."""
    return a in b or b in a


def places_agree(ours, theirs) -> bool:
    """True unless both name places and none of them is the same place."""
    if not ours or not theirs or not ours.isdisjoint(theirs):
        return True
    return any(same_place(a, b) for a in ours for b in theirs)


def name_candidates(words: list[tuple[str, str]]) -> list[str]:
    """Strings of a message that may be proper names: one to three words before a word ending like a place
    or an organisation (住在|金|桂园|滨江|苑 → 滨江苑, 桂园滨江苑, 金桂园滨江苑), stopping at verbs, pronouns,
    particles and punctuation. Only those that recur in the district's messages are learned."""
    stops = stop_words()
    found = []
    for end, (head, _) in enumerate(words):
        if not head.endswith(NAME_SUFFIXES):
            continue
        if added_name(head):  # already kept whole here (learned in this process): counted like any other
            found.append(head)
        name, nameish = head, False
        for start in range(end - 1, max(-1, end - MAX_NAME_TOKENS), -1):
            token, flag = words[start]
            if (token in stops or not _NAME_CHARS.fullmatch(token) or flag == "x" or token.endswith(_ADMINISTRATIVE)
                    or (flag.startswith(_BREAKING_FLAGS) and flag not in _NAMEISH_FLAGS)):
                break
            name = token + name
            if len(name) > MAX_NAME_CHARS:
                break
            nameish = nameish or flag in _NAMEISH_FLAGS or dictionary_frequency(token) < RARE_IN_DICTIONARY
            if (len(name) >= 3 and (nameish or head in NAME_HEADS) and name not in _DISTRICT and name not in GENERIC
                    and not cut_across(name)):
                found.append(name)
    return list(dict.fromkeys(found))


def has_place(text: str) -> bool:
    return bool(place_names(tagged_words(text)))
