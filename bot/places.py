"""Does a message say where? jieba's place-name tags, a lexicon of place suffixes, the district's proper names."""

from __future__ import annotations

from functools import lru_cache

from bot.tokenizer import added_name, tagged_words

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
# The district's own administrative names (its province, city …): every message is about them, so they never
# say which place a problem is at. Set once per process from the configuration (DISTRICT_NAMES).
_DISTRICT: set[str] = set()


def set_district_names(names) -> None:
    _DISTRICT.clear()
    _DISTRICT.update(name for name in names if name)


def is_district_name(word: str) -> bool:
    return word in _DISTRICT


@lru_cache(maxsize=100_000)
def is_place_name(word: str) -> bool:
    return len(word) >= 2 and word.endswith(SUFFIXES) and word not in GENERIC


def place_names(words: list[tuple[str, str]]) -> list[str]:
    """The places named among tagged words: jieba's place names, words with a place suffix, and a bare
    place word joined to the name before it (幸福 + 小区 → 幸福小区)."""
    found = []
    for index, (word, flag) in enumerate(words):
        if (flag == "ns" and len(word) >= 2) or is_place_name(word):
            found.append(word)
        elif word in BARE and index > 0:
            previous, previous_flag = words[index - 1]
            if len(previous) >= 2 and previous_flag in _NAME_FLAGS:
                found.append(previous + word)
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


def has_place(text: str) -> bool:
    return bool(place_names(tagged_words(text)))
