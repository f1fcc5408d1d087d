"""Names of persons in a citizen's sentences, shown as 王某某 in drafts: after their role (物业经理王建国说), or
wherever the tokenizer tells a person's name (幸福小区3栋的王建国乱搭违建) that is no place's, firm's or title's.
A pure function of the text (and of the names the district taught the tokenizer, and of those a person's word told
in the draft's other letters)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.names import LESS_COMMON_SURNAMES
from bot.names import SURNAMES as _SURNAMES
from bot.places import BARE, NAME_HEADS, NAME_SUFFIXES, ORGANISATION_SUFFIXES, SUFFIXES, place_names
from bot.tokenizer import added_name, cuts_generation, dictionary_frequency, dictionary_tag, tagged_words

# Third persons are named after their role ("物业经理王建国说") or introduced ("一个叫王建国的人"); the name is a
# common surname and one or two characters, followed by what people say next. A name already anonymous (张某某)
# or a courtesy form (王先生) is left alone. Shown as the surname and 某 for each other character.
_ROLES = ("总经理|经理|主任|书记|支书|老板|老总|师傅|医生|大夫|护士|老师|校长|班主任|队长|村长|组长|局长|所长|站长|院长|"
          "科长|处长|厅长|部长|主管|保安|会计|出纳|干部|同事|邻居|员工|工人|司机|律师|法官|警官|民警|城管|网格员|负责人|"
          "股长|镇长|乡长|区长|县长|市长|厂长|董事长|法人|房东|包工头|工头|业务员|销售|客服|名叫|叫做|叫")
_NEXT = r"[说讲称问答骂打要不也在让叫把就还又都和跟同等以却竟拒带用曾已从对给向被将是的私擅多一家，。、！？；：,.!?;:\s）)“”\"]|$"
_THIRD_PERSON = re.compile(f"({_ROLES})((?:{_SURNAMES})(?!某|先生|女士|小姐|师傅|阿姨|大爷|大妈|老师|经理)[\u4e00-\u9fff]{{1,2}}?)"
                           f"(?={_NEXT})")


def _anonymous(match: re.Match, told: set[str]) -> str:
    _tell(match.group(2), told)
    return f"{match.group(1)}{_masked(match.group(2))}"


def _tell(name: str, told: set[str]) -> None:
    """Keep a name a person's word told, to mask it wherever the draft says it again; never a word the dictionary
    knows as another kind (局长|严惩, 员工|谢谢, 律师|顾问: the role rule's misreadings stay in their sentence)."""
    if dictionary_tag(name) in ("", "nr", "nrfg", "nrt") and dictionary_frequency(name) < _COMMON_IN_DICTIONARY:
        told.add(name)


def _masked(name: str) -> str:
    surname = _surname_of(name)
    return f"{surname}{'某' * (len(name) - len(surname))}"


_SURNAME_SET = frozenset(_SURNAMES.split("|"))
_LESS_COMMON = frozenset(LESS_COMMON_SURNAMES)


def _surname_of(word: str) -> str:
    if word[:2] in _SURNAME_SET:
        return word[:2]
    return word[:1] if word[:1] in _SURNAME_SET or word[:1] in _LESS_COMMON else ""


# Any other name is told by the tokenizer (jieba's nr: 幸福小区3栋的王建国乱搭违建, 我邻居张三电话…). It tags places,
# brands, titles and glued common words so too (李家|村, 步步高|超市, 胡书记, 左转, 何以堪): these are kept.
_NAME_FLAGS = ("nr", "nrfg")
_COURTESY = {"先生", "女士", "小姐", "师傅", "阿姨", "大爷", "大妈", "老师", "书记", "主任", "经理", "老板", "同志"}
# Besides the place suffixes, the ends of villages' and hills' names (伍家岭, 侯家塘, 丁字湾, 蔡家冲).
_PLACE_ENDS = tuple(set(SUFFIXES) | set(NAME_SUFFIXES) | set(ORGANISATION_SUFFIXES) | set("岭塘湾坡垸铺堆港渡坝滩冲"))
_PLACE_STARTS = frozenset("路街巷苑园村镇乡湖溪河坡岭塘湾桥")
# What follows a brand or a place named after a family (步步高|超市, 李家|村, 王府井|小区, 徐基|海鲜).
_HEADS = BARE | NAME_HEADS | {"超市", "商场", "商店", "酒店", "宾馆", "饭店", "餐馆", "餐厅", "酒家", "药店", "药房",
                              "诊所", "网吧", "酒吧", "茶楼", "海鲜", "烧烤", "火锅", "小吃", "快餐", "便利店"}
_ROLE_WORDS = frozenset(_ROLES.split("|"))
# Words after which a name is a person's: roles, kin, a report's signature (村民杨永, 本人邱林松), also as the end of
# the tokenizer's longer word (村主任谷斌海, 副校长).
_PERSON_BEFORE = _ROLE_WORDS | {"本人", "举报人", "村民", "居民", "业主", "丈夫", "妻子", "老公", "老婆", "父亲", "母亲",
                                "哥哥", "姐姐", "弟弟", "妹妹", "儿子", "女儿", "侄子", "工程师", "民警"}
_PERSON_BEFORE_ENDS = tuple(word for word in _PERSON_BEFORE if len(word) > 1)
# Surnames that begin many common words and place names (白搭, 高达, 金帆路, 左转, 许可法): a name with one is told
# only after a person's word, or as three characters the dictionary does not know said where no place is.
_WORDLIKE_SURNAMES = frozenset("白金左何高向莫龙武钱马文石方江常万于易严夏毛史雷田孔丁韦肖黄林许欧柳尤葛伍侯")
# After these such a word is a place: where one lives or goes (家住高林仕家, 从金增凤修辅道), or another of a list
# (爵士楚、高林仕家、康桥长郡: estates are listed as often as people).
_PLACE_BEFORE = {"家住", "住在", "位于", "在", "从", "到", "至", "往", "去", "经", "、"}
# Characters of grammar, pronouns and places, never of a given name: a word holding one is a glued phrase or a
# place (何时能, 莫让, 左拐, 谢谢您, 陈姓, 曾用名, 杜路花).
_NOT_IN_GIVEN_NAMES = frozenset("的了在是不也都和就还又之于被把从给要会说到等以时转拐让字改搭能用个这那么您你我他她们姓"
                                "路街巷村镇区县市省桥栋号局厂店馆")
_COMMON_IN_DICTIONARY = 20  # 文明, 高峰, 张榜, 肖邦: words the dictionary knows this well are no private person's


def _is_name(word: str, flag: str, previous: str, following: list[tuple[str, str]]) -> bool:
    if flag not in _NAME_FLAGS or not 2 <= len(word) <= 3:
        return False
    surname = _surname_of(word)
    # 蔡家, 胡书记, 王先生, 王某: a family, a title, a courtesy form, an anonymous name, none a full name.
    given = word[len(surname):]
    if not (surname and given and "某" not in word and given != "家" and given not in _COURTESY
            and given not in _ROLE_WORDS and not _NOT_IN_GIVEN_NAMES.intersection(given)):
        return False
    # 贺家山, 王家湾: a family's hill or bay is a place; a given name ending 山 is no rarer than 青山, so only after 家.
    if (word.endswith(_PLACE_ENDS) or word.endswith("家山") or added_name(word) or dictionary_tag(word) == "ns"
            or _names_a_place(following)):
        return False
    known = dictionary_frequency(word)
    if known >= _COMMON_IN_DICTIONARY:
        return False
    if surname in _LESS_COMMON:  # and not begun by a common word (业主安居梦想: 安居)
        return _after_person(previous) and dictionary_frequency(word[:2]) < _COMMON_IN_DICTIONARY
    return (surname not in _WORDLIKE_SURNAMES or _after_person(previous)
            or (len(word) == 3 and not known and previous not in _PLACE_BEFORE and not previous.endswith(_PLACE_ENDS)))


def _after_person(previous: str) -> bool:
    return previous in _PERSON_BEFORE or previous.endswith(_PERSON_BEFORE_ENDS)


def _names_a_place(following: list[tuple[str, str]]) -> bool:
    """Is the word before these the start of a place's or a firm's name (李家|村, 徐基|海鲜, 陆奔|车身|厂)?"""
    if not following:
        return False
    word, flag = following[0]
    if word == "家":  # 高林仕|家|小区: an estate named after a family, as 李家村; 张三|家|的狗 is a home
        return len(following) > 1 and following[1][0] in BARE | NAME_HEADS
    if word in _ROLE_WORDS or word in _COURTESY or flag.startswith("v"):
        return False
    if word in _HEADS or word.endswith(_PLACE_ENDS) or word[:1] in _PLACE_STARTS:
        return True
    for word, flag in following[:3]:
        if word.endswith(ORGANISATION_SUFFIXES):
            return True
        if not flag.startswith("n"):
            return False
    return False


_HOME_NUMERALS = frozenset("二三四五六七八九十")


def _cut_before_home(word: str, flag: str, following: list[tuple[str, str]]) -> str:
    """The character of a name that the tokenizer cut off before 家, the person's home: glued to it (张|三家, a numeral's
    word, as 王|五家; 蒋军|崇家门口, a word it does not know) or alone (蒋军|崇|家门口, 蒋民|爱|家门口, as 爱家 is rare)."""
    if not following:
        return ""
    glued = following[0][0]
    if len(word) == 1:
        home = len(glued) == 2 and glued[1] == "家" and glued[0] in _HOME_NUMERALS and following[0][1] == "m"
        return glued[0] if home and word in _SURNAME_SET else ""
    if len(word) != 2 or flag not in _NAME_FLAGS or _surname_of(word) != word[:1]:
        return ""
    if len(glued) > 2 and glued[1] == "家" and not dictionary_frequency(glued) and not added_name(glued):
        return glued[0]
    alone = (len(glued) == 1 and "\u4e00" <= glued <= "\u9fff" and len(following) > 1
             and not following[0][1].startswith(_GRAMMAR_FLAGS) and glued not in _BETWEEN_NAME_AND_HOME
             and following[1][0].startswith("家") and dictionary_frequency(glued + "家") < _COMMON_IN_DICTIONARY)
    return glued if alone else ""


# What a person told after their name says or does (村民黄军建反映, 业主陈晓明称): the end of the name before it.
_SPEAKING = frozenset({"反映", "说", "称", "讲", "表示", "投诉", "举报", "告诉", "指出", "介绍", "反应", "说道"})


def _cut_before_speech(word: str, flag: str, previous: str, following: list[tuple[str, str]]) -> str:
    """The rest of a name told after a person's word that the tokenizer cut off before what the person says: its
    third character alone (村民|黄军|建|反映 names 黄军建; 王伟|替|家人 and 王伟|说 name 王伟), or its given name as a
    common word after the surname alone (业主|王|建设|反映 names 王建设)."""
    if (not 1 <= len(word) <= 2 or flag not in _NAME_FLAGS or _surname_of(word) != word[:1]
            or not _after_person(previous) or len(following) < 2):
        return ""
    (glued, glued_flag), (after, after_flag) = following[0], following[1]
    given = len(glued) <= 3 - len(word) and all("\u4e00" <= character <= "\u9fff" for character in glued)
    alone = (given and not _NOT_IN_GIVEN_NAMES.intersection(glued) and glued not in _BETWEEN_NAME_AND_HOME
             and glued not in _SPEAKING and not glued_flag.startswith(_GRAMMAR_FLAGS))
    return glued if alone and (after in _SPEAKING or after in ("，", ",", "：", ":", "、")) else ""


# What stands between a name and 家 as a word of its own (王伟|的|家人, 张伟|帮|家里, 李军|对|家人说): never the name's
# last character.
_GRAMMAR_FLAGS = ("p", "c", "u", "d", "r", "y", "e")
_BETWEEN_NAME_AND_HOME = frozenset("的被把和给说帮替对跟向为与同让叫带回在到")


def _word_before(words: list[tuple[str, str]], index: int) -> str:
    """The word before words[index], past a colon: 举报人：夏明志 is told by 举报人 as 举报人夏明志 is."""
    before = index - 1
    if before >= 1 and words[before][0] in ("：", ":"):
        before -= 1
    return words[before][0] if before >= 0 else ""


def _tagged_names(text: str, told: set[str]) -> str:
    words = tagged_words(text)
    places = None  # found only when a name is: most sentences name no one
    parts, copied, position = [], 0, 0
    for index, (word, flag) in enumerate(words):
        start = text.find(word, position)
        if start < 0:  # the tokenizer dropped or changed characters: keep the text as it is from here
            continue
        position = start + len(word)
        if start < copied:  # the end of a name already masked (崇 of 蒋军|崇|家门口)
            continue
        following = words[index + 1:index + 4]
        previous = _word_before(words, index)
        if len(word) == 3 and word.endswith("家"):  # 到周媚家: a name and 家, the person's home
            word, following = word[:2], [("家", "n")] + following
        elif cut := _cut_before_speech(word, flag, previous, following):  # 村民黄军|建|反映: 黄军建
            word, following = word + cut, following[1:]
        elif cut := _cut_before_home(word, flag, following):  # 张|三家的狗: 张三 and 家
            rest, rest_flag = following[0][0][len(cut):], following[0][1]
            after = ([(rest, rest_flag)] if rest else []) + following[1:]
            if _is_name(word + cut, "nr", previous, after):  # else the name as cut (王伟|的|家人)
                word, flag, following = word + cut, "nr", after
        if not _is_name(word, flag, previous, following):
            continue
        places = place_names(words) if places is None else places
        if not any(word in place for place in places):
            parts.append(text[copied:start] + _masked(word))
            copied = start + len(word)
            if _after_person(previous):
                _tell(word, told)
    return "".join(parts) + text[copied:]


def _said_again(text: str, told: set[str]) -> str:
    """The names told after a person's word masked wherever the letter says them again, where nothing tells them
    (村主任谷斌海 … 拦住谷斌海的车), but not as a surname and a title (胡书 of 胡书记)."""
    places = None  # found only when a told name is said: most sentences say none

    def masked(match: re.Match) -> str:
        nonlocal places
        name = match.group()
        after_surname = text[match.start() + len(_surname_of(name)):match.start() + len(_surname_of(name)) + 3]
        if after_surname.startswith(_TITLES):
            return name
        places = place_names(tagged_words(text)) if places is None else places
        # 村民杨林说 … 杨林乡: a place the sentence names is no person's
        within = any(text.find(place, max(0, match.end() - len(place)), match.start() + len(place)) >= 0
                     for place in places if name in place and place != name)
        return name if within else _masked(name)

    return re.sub("|".join(sorted(map(re.escape, told), key=len, reverse=True)), masked, text)


_TITLES = tuple(_ROLE_WORDS | _COURTESY)


def mask_names(text: str, told: frozenset[str] = frozenset()) -> str:
    """Third persons' names in a citizen's sentence, as 王某某; the citizen's own too (我叫王建国): a draft goes
    to a handling unit. A surname with a title alone (刘主任) names no one and stays. `told`: the names a person's
    word told in the draft's letters (see names_told), masked here too, where the sentence alone tells nothing."""
    found = set(told)  # and the names a person's word tells here (物业经理王建国, 村民杨永)
    text = _masked_names(text, found)
    return _said_again(text, found) if found else text


def _masked_names(text: str, told: set[str]) -> str:
    # The role rule first: it takes a name whole where the tokenizer cuts it short (总经理罗平卫 → 罗平|卫).
    return _tagged_names(_THIRD_PERSON.sub(lambda match: _anonymous(match, told), text), told)


# A draft's page asks it of the same letters for each of its sentences; kept per generation of the tokenizer's cuts,
# since a name learned meanwhile (义新路) changes what a letter tells (业主付定国在义新路…).
@lru_cache(maxsize=4096)
def _told_in(text: str, generation: int) -> frozenset[str]:
    told: set[str] = set()
    _masked_names(text, told)
    return frozenset(told)


def names_told(texts: Iterable[str]) -> frozenset[str]:
    """The names a person's word tells in any of these letters (村主任谷斌海): a draft masks them in every sentence
    it quotes (谷斌海利用职权 as a point of its own)."""
    generation = cuts_generation()
    return frozenset().union(*(_told_in(text, generation) for text in texts))
