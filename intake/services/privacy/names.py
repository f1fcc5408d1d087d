"""Names of persons in a citizen's sentences, shown as 王某某 in drafts: after their role (物业经理王建国说), or
wherever the tokenizer tells a person's name (幸福小区3栋的王建国乱搭违建) that is no place's, firm's or title's.
A pure function of the text (and of the names the district taught the tokenizer)."""

from __future__ import annotations

import re

from bot.names import SURNAMES as _SURNAMES
from bot.places import BARE, NAME_HEADS, NAME_SUFFIXES, ORGANISATION_SUFFIXES, SUFFIXES, place_names
from bot.tokenizer import added_name, dictionary_frequency, dictionary_tag, tagged_words

# Third persons are named after their role ("物业经理王建国说") or introduced ("一个叫王建国的人"); the name is a
# common surname and one or two characters, followed by what people say next. A name already anonymous (张某某)
# or a courtesy form (王先生) is left alone. Shown as the surname and 某 for each other character.
_ROLES = ("总经理|经理|主任|书记|支书|老板|老总|师傅|医生|大夫|护士|老师|校长|班主任|队长|村长|组长|局长|所长|站长|院长|"
          "科长|处长|厅长|部长|主管|保安|会计|出纳|干部|同事|邻居|员工|工人|司机|律师|法官|警官|民警|城管|网格员|负责人|"
          "股长|镇长|乡长|区长|县长|市长|厂长|董事长|法人|房东|包工头|工头|业务员|销售|客服|名叫|叫做|叫")
_NEXT = r"[说讲称问答骂打要不也在让叫把就还又都和跟同等以却竟拒带用曾已从对给向被将是的私擅多一，。、！？；：,.!?;:\s）)“”\"]|$"
_THIRD_PERSON = re.compile(f"({_ROLES})((?:{_SURNAMES})(?!某|先生|女士|小姐|师傅|阿姨|大爷|大妈|老师|经理)[\u4e00-\u9fff]{{1,2}}?)"
                           f"(?={_NEXT})")


def _anonymous(match: re.Match) -> str:
    return f"{match.group(1)}{_masked(match.group(2))}"


def _masked(name: str) -> str:
    surname = _surname_of(name)
    return f"{surname}{'某' * (len(name) - len(surname))}"


_SURNAME_SET = frozenset(_SURNAMES.split("|"))


def _surname_of(word: str) -> str:
    return word[:2] if word[:2] in _SURNAME_SET else word[:1] if word[:1] in _SURNAME_SET else ""


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
# Words after which a name is a person's: roles, kin, a report's signature (村民杨永, 本人邱林松).
_PERSON_BEFORE = _ROLE_WORDS | {"本人", "举报人", "村民", "居民", "业主", "丈夫", "妻子", "老公", "老婆", "父亲", "母亲",
                                "哥哥", "姐姐", "弟弟", "妹妹", "儿子", "女儿", "侄子", "工程师", "民警"}
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
    return (surname not in _WORDLIKE_SURNAMES or previous in _PERSON_BEFORE
            or (len(word) == 3 and not known and previous not in _PLACE_BEFORE and not previous.endswith(_PLACE_ENDS)))


def _names_a_place(following: list[tuple[str, str]]) -> bool:
    """Is the word before these the start of a place's or a firm's name (李家|村, 徐基|海鲜, 陆奔|车身|厂)?"""
    if not following:
        return False
    word, flag = following[0]
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


def _tagged_names(text: str) -> str:
    words = tagged_words(text)
    places = None  # found only when a name is: most sentences name no one
    parts, copied, position = [], 0, 0
    for index, (word, flag) in enumerate(words):
        start = text.find(word, position)
        if start < 0:  # the tokenizer dropped or changed characters: keep the text as it is from here
            continue
        position = start + len(word)
        following = words[index + 1:index + 4]
        if len(word) == 3 and word.endswith("家"):  # 到周媚家: a name and 家, the person's home
            word, following = word[:2], [("家", "n")] + following
        if not _is_name(word, flag, words[index - 1][0] if index else "", following):
            continue
        places = place_names(words) if places is None else places
        if not any(word in place for place in places):
            parts.append(text[copied:start] + _masked(word))
            copied = start + len(word)
    return "".join(parts) + text[copied:]


def mask_names(text: str) -> str:
    """Third persons' names in a citizen's sentence, as 王某某; the citizen's own too (我叫王建国): a draft goes
    to a handling unit. A surname with a title alone (刘主任) names no one and stays."""
    # The role rule first: it takes a name whole where the tokenizer cuts it short (总经理罗平卫 → 罗平|卫).
    return _tagged_names(_THIRD_PERSON.sub(_anonymous, text))
