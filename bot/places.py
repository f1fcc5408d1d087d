"""Does a message say where? jieba's place-name tags, a lexicon of place suffixes, the district's proper names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.tokenizer import (added_name, civic_words, dictionary_cut, dictionary_frequency, dictionary_tag, stop_words,
                           tagged_words)

# A word ending in one of these names a place (幸福小区, 东湖路, 桃园村, 青石中学 …).
SUFFIXES = (
    "村", "社区", "小区", "路", "街", "街道", "大道", "镇", "乡", "巷", "弄", "号", "组", "屯", "苑", "园",
    "花园", "广场", "公园", "大厦", "中学", "小学", "幼儿园", "医院", "卫生院", "市场", "桥", "站", "区", "县",
    "中专", "职校", "技校",
)
# …unless it is just the common noun itself.
GENERIC = {"马路", "道路", "公路", "小区", "社区", "村里", "学校", "医院", "市场", "车站", "地区", "城区", "景区",
           "街道", "乡村", "农村", "公园", "广场", "菜园", "果园", "路段", "中学", "小学", "幼儿园", "卫生院",
           "中专", "职校", "技校",
           "养老院", "服务站",
           # jieba tags these as place names, or they end like one, but they name a kind of place, not a place.
           "网站", "城镇", "乡镇", "高速公路", "高速", "城市", "文明城市", "县城", "市区", "区县", "省市", "跨区",
           "贫困县", "自治区", "自治州", "省份", "外地", "本地", "当地", "全国", "全省", "全市", "全县", "全区",
           "家乡", "故乡", "他乡", "异乡", "老乡"}
# A bare place word counts when a name stands before it (幸福 + 小区, 柳河 + 镇).
BARE = {"村", "社区", "小区", "镇", "乡", "街道", "路", "街", "组", "中学", "小学", "幼儿园", "卫生院", "医院",
        "市场"}
_NAME_FLAGS = {"n", "nr", "ns", "nz", "a", "j", "m", "t"}
# A proper name a district's messages may teach ends in one of these (金桂园滨江苑, 幸福新城, 恒大地产公司 …).
NAME_SUFFIXES = (
    "小区", "花园", "苑", "园", "城", "府", "村", "社区", "路", "街", "巷", "镇", "学校", "医院", "公司", "中学",
    "小学", "幼儿园", "大厦", "广场", "公寓", "家园", "新村", "大道", "市场", "学院", "集团", "卫生院", "商场", "厂",
    "坊",
)
# 府 ends an estate's name (江山府), 政府 a government's (A7县政府): whom citizens write to, never where the problem is.
_GOVERNMENT = "政府"
# A road's direction is no name of its own: the word before it is part of the road's (珍珠 + 北路, 解放 + 西路).
DIRECTION_ROADS = {"东路", "西路", "南路", "北路", "中路"}
_NOT_BEFORE_ROAD = ("p", "r", "u", "c", "d", "f", "q", "y", "e", "x", "w", "zg")
# A head word that makes a name of the word before it, however common that word is (幸福 + 新城).
NAME_HEADS = {"新城", "花园", "家园", "公寓", "新村", "小区", "社区", "中学", "小学", "医院", "学校", "幼儿园"} | DIRECTION_ROADS
MAX_NAME_TOKENS, MAX_NAME_CHARS = 4, 12
# A name ending so is an organisation: what it does, not where, is what citizens complain of.
ORGANISATION_SUFFIXES = ("公司", "集团", "银行", "厂")
# A verb morpheme (怡 vg of 怡|海星|城) is no word alone: among a name's words it is part of the name, as a noun's
# (苑 ng of 潇楚佳|苑|小区) already is.
_MORPHEMES = {"vg"}
_NAMEISH_FLAGS = {"ns", "nr", "nz", "nrt", "nt", "nrfg", "eng"}
_BREAKING_FLAGS = ("v", "p", "r", "u", "d", "c", "f", "q", "y", "s", "t", "e", "o", "w", "x", "z")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
# A word ending so is a place of its own before the name (西山村|青石中学 is two places, not one name).
_ADMINISTRATIVE = ("村", "镇", "乡", "区", "县", "市", "省", "路", "街", "社区", "街道")
RARE_IN_DICTIONARY = 100  # a word jieba's dictionary barely knows is likely part of a name
# A word the dictionary knows this well as a common noun names a kind of place (学区, 片区, 开发区, 火车站),
# not a place a draft may name, though it ends like one. Grouping still counts it (measured: as no place, two
# problems that no longer disagree on a place joined more often in bench.problems).
KIND_OF_PLACE = 10
# A name's stem never ends in a preposition, particle, measure word, demonstrative or modal verb: before 路 or
# 站 such a character is a cut across words (车|把路都堵死了 cut 车把|路, 这|条路, 领导能|站在), not a name.
_NOT_A_STEM_END = frozenset("把被将的了在到往从向给让条段个座这那能会可不没只")
# 各乡镇, 本小区, 该村: a kind of place said of each or of this one, not a place's name.
_DETERMINERS = frozenset("各每全本该此这那某")
# Only administrative units, two or more (县镇, 村组, 乡镇村): said of a kind of place, never the name of one.
_UNITS_ONLY = re.compile(r"(?:省|市|县|区|乡|镇|村|组|街道|街|社区){2,}")
# A number before 组 or 村 names one (十三组); 一下 or 一些 before 幼儿园 does not.
_NUMERALS = re.compile(r"[〇零一二两三四五六七八九十百千\d]+")
# What a company does and its legal form: 置业有限公司 ends many developers' names (新天南置业有限公司, 九岳置业有限公司)
# and names none of them.
_TRADES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "股份", "置业", "投资", "实业", "房地产", "地产",
           "开发", "科技", "发展", "建设", "贸易", "商贸", "物业", "物业服务", "置地", "工程", "建筑", "劳务", "信息",
           "技术", "网络", "电子", "销售", "管理", "服务", "文化", "传媒", "教育", "咨询", "控股", "国际", "中国", "项目")
# Whom a letter says built or sold, before the name of that company: never part of its name (开发商|湖星湾置业有限公司).
_ROLES = {"开发商", "承建商", "开发方", "施工方", "业主"}
# How a letter asks, said right before the place it names (建议23路公交…, 希望东湖路…): never part of the name.
_ASKING = {"建议", "希望", "要求", "请求", "恳请", "呼吁", "反映", "投诉", "举报", "请问", "咨询"}
# 查一查, 管一管, 修了修: a verb said twice asks someone to act (希望修一修河湾村的水渠); the word model takes it for a
# person's name.
ASKED_TO_DO = re.compile(r"(.)[一了]\1")
# Whom a letter blames or asks, said in a list whose punctuation was lost (小区物业社区业委会): never a name before a
# bare place word, so 物业社区 or 业主小区 is no place.
_BODIES = _ROLES | {"物业", "物管", "业委会", "居委会", "村委会", "城管"}
# Idioms and set phrases (jieba's i and l: 安全隐患, 不闻不问) are never part of a place's name.
_PHRASE_FLAGS = ("i", "l")
_ALL_SUFFIXES = tuple(sorted(set(SUFFIXES) | set(NAME_SUFFIXES), key=len, reverse=True))
# The district's own administrative names (its province, city …): every message is about them, so they never
# say which place a problem is at. Set once per process from the configuration (DISTRICT_NAMES).
_DISTRICT: set[str] = set()


# Names of provinces and cities, said whole or short: a district's messages name their own and others' (西地省,
# 广东省, 北京, 上海市), which never say where in the district a problem is. A county or town is said as such.
_PROVINCES = frozenset(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州"
    " 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 中国".split())
_WIDE_AREA_ENDS = ("省", "自治区", "自治州", "特别行政区")
# Words ending in 省 or 市 that are no province or city: a verb, or a kind of market.
_NOT_WIDE_AREA = ("节省", "反省", "自省", "省省", "超市", "夜市", "菜市", "股市", "楼市", "门市", "城市", "上市", "早市")


# A county or city named by a code, as in anonymised letters (A7县, B9市, A市): the tokenizer cuts the code from
# its suffix. A county's code starts with its city's letter (A7县 is in A市).
_CODED_AREA = re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{0,2}[县区市]")
_AREA_CODE = re.compile(r"[A-Z][0-9]{0,2}")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_GLUED = frozenset("和及与跟同或在的了把被对向从给让是为")
# Adverbs the word model glues to the next character, which may be a name's first (可|含浦镇 cut 可含|浦镇).
_GLUED_ADVERBS = frozenset("可也都就还又才再却但而")
# What ends an amount of time or things, not a name: 好多年, 几个, 这些.
_AMOUNT_ENDS = frozenset("年月日天周次个些岁届代")


def areas_in(text: str) -> list[str]:
    """The counties a text names by code (A7县), and the cities it names (A市) none of whose counties it names;
    counties named in full (长沙县) are among its places already."""
    found = {name for name in _CODED_AREA.findall(text) if name not in _DISTRICT}
    counties_of = {name[0] for name in found if len(name) > 2}
    return sorted(name for name in found if len(name) > 2 or name[0] not in counties_of)


def is_coded_area(name: str) -> bool:
    """A county or city named by a code (A7县, B9市), as anonymised letters name them: never a place's name."""
    return bool(_CODED_AREA.fullmatch(name))


def is_city_code(name: str) -> bool:
    return len(name) == 2 and name.endswith("市") and bool(_CODED_AREA.fullmatch(name))


def areas_named(places) -> frozenset[str]:
    """Which of these places are counties or cities: too wide to make one problem of two letters, wide enough
    to tell the same trouble in two of them apart."""
    return frozenset(place for place in places if _CODED_AREA.fullmatch(place)
                     or len(place) >= 3 and place.endswith("县") and not is_district_name(place))


def same_area(a: str, b: str) -> bool:
    """A7县 and A7县, or A7县 and the city A市 it is in."""
    if a == b:
        return True
    city, county = sorted((a, b), key=len)
    return is_city_code(city) and county[0] == city[0] and bool(_CODED_AREA.fullmatch(county))


def set_district_names(names) -> None:
    _DISTRICT.clear()
    _DISTRICT.update(name for name in names if name)


def is_district_name(word: str) -> bool:
    """The district's own administrative names (DISTRICT_NAMES) or any province's or city's: every message
    of the district lies within them, or they are elsewhere, so they never say which problem it is."""
    return word in _DISTRICT or is_wide_area(word)


@lru_cache(maxsize=100_000)
def is_wide_area(word: str) -> bool:
    if word in _PROVINCES:
        return True
    if word.endswith(_NOT_WIDE_AREA):
        return False
    return len(word) >= 2 and word.endswith(_WIDE_AREA_ENDS) or len(word) >= 3 and word.endswith("市")


def cut_across(name: str) -> bool:
    """True when the string is no name but a cut across words: 车把路 of 车把路都堵死了, 条路 of 这条路."""
    suffix = next((suffix for suffix in _ALL_SUFFIXES if name.endswith(suffix)), "")
    stem = name[:len(name) - len(suffix)]
    return bool(suffix) and bool(stem) and stem[-1] in _NOT_A_STEM_END


# A county's schools said by number (二中, 十一中): each one school, a place as 青石中学 is.
_NUMBERED_SCHOOL = re.compile(r"[一二三四五六七八九十]{1,3}中")


@lru_cache(maxsize=100_000)
def is_place_name(word: str) -> bool:
    return (len(word) >= 2 and word.endswith(SUFFIXES) and word not in GENERIC and not cut_across(word)
            and not _each_of_a_kind(word) and not _numbered_thing(word)) or bool(_NUMBERED_SCHOOL.fullmatch(word))


def _numbered_thing(word: str) -> bool:
    """身份证号, 手机号, 车牌号, 账号, 信号: a word the dictionary knows that ends in 号, a number of something, never a
    place (幸福路88号 is cut 88|号, and a building's number is no word the dictionary knows)."""
    return word.endswith("号") and dictionary_tag(word) not in ("", "ns")


def _each_of_a_kind(word: str) -> bool:
    """各乡镇, 本小区: a kind of place said of each; 县镇, 村组, 镇村: units said together (see units_only)."""
    return (word[0] in _DETERMINERS and (word[1:] in GENERIC or word[1:] in BARE)) or units_only(word)


def units_only(word: str) -> bool:
    """县镇, 村组, 县县 (of L9县|县98%…): administrative units said together, no one place and no problem."""
    return bool(_UNITS_ONLY.fullmatch(word))


def is_kind_of_place(word: str) -> bool:
    return dictionary_tag(word) == "n" and dictionary_frequency(word) >= KIND_OF_PLACE


def swallows(name: str, following: str) -> bool:
    """True when a place's last character begins one of our civic words that the next word lost: 东门路|灯不亮
    is 东门 + 路灯不亮 (jieba knows 灯不亮, rarely), not a road. 中山路|段 or 解放路|灯光 keep their road: what
    follows is a common word of its own. A name the district taught is kept whole by the tokenizer already."""
    return (bool(following) and not added_name(name) and name[-1] + following[0] in civic_words()
            and dictionary_frequency(following) < RARE_IN_DICTIONARY)


def place_names(words: list[tuple[str, str]]) -> list[str]:
    """The places named among tagged words: jieba's place names, words with a place suffix, and a bare
    place word joined to the name before it (幸福 + 小区 → 幸福小区), never one that took the first character
    of the next word (see swallows)."""
    found = []
    found_at = -1  # the index of the word that ends a name grown from the word before it
    stops = stop_words()
    for index, (word, flag) in enumerate(words):
        previous, previous_flag = words[index - 1] if index else ("", "")
        if swallows(word, words[index + 1][0] if index + 1 < len(words) else ""):
            continue
        if len(word) > 2 and word[0] in "区县市" and _AREA_CODE.fullmatch(previous):
            continue  # B9|市北区: the city's code and its suffix, then the first word of what follows
        if (word in DIRECTION_ROADS and _HAN.fullmatch(previous) and previous not in stops
                and not previous_flag.startswith(_NOT_BEFORE_ROAD)):
            # 万家|丽|北路: one character before the direction is the end of the road's name, not all of it.
            found.append(_name_before(words, index - 1) + previous + word if len(previous) == 1 else previous + word)
        elif (word in _LANE_ESTATE_HEADS and previous == _LANE and index >= 2
              and _names_a_lane(*words[index - 2])):
            found.append(words[index - 2][0] + previous + word)  # 幸福|里|小区: 里 is the lane's, not "inside"
        elif (word in BARE or word in NAME_HEADS) and len(previous) >= 2 and previous_flag in _NAME_FLAGS:
            if (previous not in _BODIES and not cut_across(previous + word) and not _AT_A_TIME.search(previous)
                    and (previous_flag != "m" or _NUMERALS.fullmatch(previous))):
                # 翠微|佳苑|小区: the head goes to the whole name found before it, 翠微佳苑
                grown = found[-1] if found and found_at == index - 1 and found[-1].endswith(previous) else previous
                found.append(grown + word)
        elif (flag == "ns" and len(word) >= 2 and word not in GENERIC and not _each_of_a_kind(word)
              or is_place_name(word)):
            before = _name_before(words, index) if len(_stem(word)) == 1 and dictionary_tag(word) in ("", "ns") else ""
            found.append(before + word)  # 石马|山镇, 水家|渡村
            found_at = index if before else found_at
        elif (_PHASE.fullmatch(word) and (estate := estate_before_phase(words, index))
              and (not found or found[-1] != estate)):  # 梅溪湖|一期: the estate is found already
            found.append(estate)
    return [name for name in found if not is_district_name(name)]


# 半夜里, 昨天夜里, 城里: "in the night", "in town" before 小区, no lane's name; 和平里 is one.
_AT_A_TIME = re.compile(r"(?:[夜晚早这那哪城家村屋院心]|半夜|夜间|白天)里$")


# 幸福里, 和平里: a lane's or an estate's name ends in 里, which the tagger takes for "inside" (f), so 幸福里小区 is
# no name to the rule above. Only before the estate's head word, after a name-like word.
_LANE, _LANE_ESTATE_HEADS = "里", frozenset({"小区", "社区", "新村", "花园", "家园"})
_LANE_NAME_FLAGS = {"a", "nr", "ns", "nz", "nrt", "j"}


def _names_a_lane(word: str, flag: str) -> bool:
    """幸福 of 幸福|里|小区; not 社区 or 公园 (社区里小区, 公园里小区 are "inside"), nor a word that is no name."""
    return (len(word) >= 2 and _HAN.fullmatch(word) is not None and word not in GENERIC and word not in _BODIES
            and not word.endswith(_ALL_SUFFIXES) and (flag in _LANE_NAME_FLAGS or _unknown(word)))


# An estate built in phases is named with its phase (才子嘉都二期, 华润凤凰城三期): the words before it are the estate's
# name, however it ends. A phase is said by one numeral's character: 分24期 is a loan's instalments.
_PHASE = re.compile(r"[一二三四五六七八九十]期")
# 嘉都 ends an estate's name (才子|嘉|都); 都 is otherwise an adverb (他们|都|二期), so it is part of a name only just
# before the phase and after a name's word.
_ESTATE_ENDS = frozenset("都")
# One common character is no part of an estate's name before its phase (市|钱隆|世家, 月|30|交房); a word this common
# does not open one (领导|梅岭国际, 方便|阳光100).
_COMMON_CHARACTER, _COMMON_OPENING = 3000, 1000
_ILLNESS_ENDS = ("病", "症", "癌", "肺")
# What of an estate a phase is said of, after its name: no part of the name.
_KINDS_OF_BUILDING = frozenset("楼盘 洋房 项目 高层 小高层 别墅 商铺 地块 工地 住户 楼栋 现场 工程 安置房 还建房".split())


def estate_before_phase(words: list[tuple[str, str]], index: int) -> str:
    """The estate's name before the phase word at words[index] (才子|嘉|都|二期 → 才子嘉都), '' if the words before
    it are no name: a common word (项目|一期), a kind of place (小区|二期), a pronoun or verb, or one character.
    Common words that open it are left out (领导|梅岭|国际|二期 → 梅岭国际), and a county's code with them
    (A6|区高星|物流园|二期 → 高星物流园)."""
    stops = stop_words()
    tokens: list[tuple[str, str]] = []
    for start in range(index - 1, max(-1, index - 1 - MAX_NAME_TOKENS), -1):
        token, flag = words[start]
        if start == index - 1 and token in _ESTATE_ENDS:
            tokens.insert(0, (token, "estate"))
            continue
        if start and len(token) > 1 and token[0] in "区县市" and _AREA_CODE.fullmatch(words[start - 1][0]):
            tokens.insert(0, (token[1:], "nz"))  # A6|区高星|物流园: the code took the name's first character
            break
        if (token in stops or _PHASE.fullmatch(token) or not _NAME_CHARS.fullmatch(token) or token in GENERIC
                or token in _BODIES or token.endswith(_ADMINISTRATIVE) or is_wide_area(token)
                or flag == "vn" or flag.startswith(_BREAKING_FLAGS + _PHRASE_FLAGS) and flag not in _NAMEISH_FLAGS
                or flag == "m" and not _NUMERALS.fullmatch(token)
                or len(token) == 1 and flag != "j" and dictionary_frequency(token) >= _COMMON_CHARACTER):
            break
        tokens.insert(0, (token, flag))
    while tokens and (tokens[0][0][0].isdigit() or tokens[0][1] not in _NAMEISH_FLAGS
                      and dictionary_frequency(tokens[0][0]) >= _COMMON_OPENING):
        del tokens[0]
    while len(tokens) > 1 and tokens[-1][0] in _KINDS_OF_BUILDING:
        del tokens[-1]  # 星湖湾|洋房|二期 and 星湖湾|楼盘|二期 are one estate
    name = "".join(token for token, _ in tokens)
    if name.endswith(_ALL_SUFFIXES + _ILLNESS_ENDS):
        return ""  # 桂花园|二期 is found by its suffix; 尘肺病|三期 is an illness's stage
    nameish = any(flag in _NAMEISH_FLAGS or flag == "j" or _unknown(token)
                  or flag != "estate" and dictionary_frequency(token) < RARE_IN_DICTIONARY for token, flag in tokens)
    stem = name[:-1] if name[-1:] in _ESTATE_ENDS else name
    return name if nameish and len(stem) >= 2 and len(name) <= MAX_NAME_CHARS and not cut_across(name) else ""


@lru_cache(maxsize=100_000)
def mistagged_phrase(word: str) -> bool:
    """A word of four characters or more that jieba's dictionary tags as a place, rarely, and that has no place's
    suffix: mostly an idiom it mistags (马耳东风, 一日三省) or a place abroad (下萨克森), never a site in a district's
    letters. A district's own such names are learned or imported, and so known as names."""
    return (len(word) >= 4 and not word.endswith(_ALL_SUFFIXES) and not added_name(word)
            and dictionary_tag(word) == "ns" and dictionary_frequency(word) < KIND_OF_PLACE)


def _stem(name: str) -> str:
    """The name before its place suffix (丽 of 丽北路, 山 of 山镇, 桂花 of 桂花园)."""
    suffix = next((road for road in DIRECTION_ROADS if name.endswith(road)), "") or min(
        (suffix for suffix in _ALL_SUFFIXES if name.endswith(suffix)), key=len, default="")
    return name[:len(name) - len(suffix)]


def _name_before(words: list[tuple[str, str]], index: int) -> str:
    """The word before words[index] when it begins the same name: a place's name is rarely one character, so a
    place cut with a one-character stem (石马|山镇, 万家|丽|北路) takes a name-like word before it (a name, a word
    the dictionary does not know or barely knows as a noun, a numeral's word that is no number: 万家); after a
    county's code or a town's name, without the suffix that went to it (K1|区珠|山镇, 上岭桥|镇堰|井村)."""
    if index < 1:
        return ""
    token, flag = words[index - 1]
    glued = index >= 2 and len(token) > 1 and token[0] in "区县市镇乡" and (
        _AREA_CODE.fullmatch(words[index - 2][0]) is not None or words[index - 2][1] == "ns")
    if glued:
        token = token[1:]  # 上岭桥|镇堰|井村: the town's suffix went to the village's name
    if (not _HAN.fullmatch(token) or token in stop_words() or token.endswith(_ADMINISTRATIVE)
            or is_district_name(token) or token in GENERIC):
        return ""
    if len(token) == 2 and token[0] in _GLUED_ADVERBS and not dictionary_frequency(token):
        return token[1]  # 可含|浦镇: the word model glued 可 (but) to the town's first character: 含浦镇
    rare_noun = flag.startswith("n") and dictionary_frequency(token) < RARE_IN_DICTIONARY
    # 万家 is tagged a numeral's word and names a road (万家丽北路); 好多年 is an amount (好多年|四区), but 月 alone
    # may begin a name (月|山镇, 月|塘村).
    number_word = flag == "m" and not _NUMERALS.search(token[0]) and not (len(token) > 1 and token[-1] in _AMOUNT_ENDS)
    return token if glued and len(token) == 1 or _namelike(token, flag) or rare_noun or number_word else ""


def is_real_place(name: str) -> bool:
    """A place a draft may name: one with a place suffix or a name the district's messages or gazetteer
    taught (not 美国, nor a phrase jieba mistook for a place such as 加大力度, nor a kind such as 学区, nor a
    word that only ends like a place, such as 沿街)."""
    return not is_district_name(name) and (is_place_name(name) and not is_kind_of_place(name)
                                           and not _only_ends_like_a_place(name) or added_name(name))


def _only_ends_like_a_place(name: str) -> bool:
    """An idiom (必经之路, 必由之路), or one character and a place's suffix that the dictionary knows as a word of
    another kind (沿街 f, 半路 m, 回乡 v, 重组 v) or as a noun made of a verb (绕路: 绕 is a verb): no place's name.
    Grouping still counts it among a letter's places (bench.problems: remarriage letters met through 重组 of 重组家庭;
    leaving these out of grouping's places joined one more pair of different problems in a set never tuned on)."""
    tag = dictionary_tag(name)
    return tag in ("l", "i") or (len(_stem(name)) == 1 and name not in NAME_HEADS and tag not in ("", "ns")
                                 and (not tag.startswith("n") or dictionary_tag(_stem(name)).startswith(("v", "p"))))


def is_organisation(name: str) -> bool:
    return name.endswith(ORGANISATION_SUFFIXES)


@lru_cache(maxsize=100_000)
def _dictionary_place(name: str) -> bool:
    tag = dictionary_tag(name)
    if not tag:
        return True  # a name the dictionary does not know: 泉塘, 开元路
    if tag == "ns":
        # 惠及 is tagged so, and common: a phrase, not a place; 马耳东风 is an idiom (mistagged_phrase).
        return dictionary_frequency(name) < KIND_OF_PLACE and not mistagged_phrase(name)
    return tag.startswith(("n", "j"))


def names_a_site(name: str) -> bool:
    """A place that can tell two problems apart: a name the district taught, one the dictionary does not know,
    a noun or an abbreviation (中心小学), or a place name it rarely saw. A word it knows as a verb (重组 of
    重组家庭) or a common word it tags as a place (惠及, 新建, 美丽) only looks like one: such words must not keep
    two letters apart."""
    return added_name(name) or _dictionary_place(name)


def same_place(a: str, b: str) -> bool:
    """滨江苑 and 金桂园滨江苑 are one place, said short and in full."""
    return a in b or b in a


def places_agree(ours, theirs) -> bool:
    """True unless both name places and none of them is the same place."""
    if not ours or not theirs or not ours.isdisjoint(theirs):
        return True
    return any(same_place(a, b) for a in ours for b in theirs)


def places_differ(ours, theirs) -> bool:
    """Both name sites (see names_a_site) and none of them is the same place."""
    return not places_agree(frozenset(filter(names_a_site, ours)), frozenset(filter(names_a_site, theirs)))


# A town, township, village or subdistrict is said without its suffix too (白石渡源弘化工 of 白石渡镇, 含浦集镇 of
# 含浦镇): the learned name teaches its short form, kept whole and a place like it.
SHORT_FORM_SUFFIXES = ("街道", "镇", "乡", "村")


def short_forms(names) -> list[str]:
    """The short forms of these names (白石渡 of 白石渡镇): two characters or more, no kind of place nor the
    district's own; a word the dictionary knows (柳河 of 柳河镇) is whole already and left to it."""
    found = []
    for name in names:
        suffix = next((suffix for suffix in SHORT_FORM_SUFFIXES if name.endswith(suffix)), "")
        stem = name[:len(name) - len(suffix)]
        if (suffix and len(stem) >= 2 and _HAN.fullmatch(stem) and not stem.endswith(_ADMINISTRATIVE)
                and stem not in GENERIC and not is_district_name(stem) and not dictionary_frequency(stem)):
            found.append(stem)
    return sorted(set(found) - set(names))


def name_candidates(words: list[tuple[str, str]]) -> list[str]:
    """Strings of a message that may be proper names: one to three words before a word ending like a place
    or an organisation (住在|金|桂园|滨江|苑 → 滨江苑, 桂园滨江苑, 金桂园滨江苑), stopping at verbs, pronouns,
    particles and punctuation, but not at a word the dictionary does not know (潇楚佳|苑) nor at one character
    tagged by chance between a name's parts (金|地|花园). Only those that recur in the district's messages are
    learned; a group's own keep its title whole (intake.services.drafts.composing)."""
    stops = stop_words()
    found = []
    for end, (head, _) in enumerate(words):
        if _PHASE.fullmatch(head) and len(estate := estate_before_phase(words, end)) >= 3:
            found.append(estate)  # 才子嘉都二期: an estate's name however it ends
        if len(head) == 2 and head[0] == head[1]:  # 桃园|村村|道: the name's 村 took that of 村道 (村民, 村委)
            head = head[0]
        if not head.endswith(NAME_SUFFIXES) or head.endswith(_GOVERNMENT):
            continue
        if added_name(head):  # already kept whole here (learned in this process): counted like any other
            found.append(head)
        name, nameish, glued = head, False, False
        for start in range(end - 1, max(-1, end - MAX_NAME_TOKENS), -1):
            token, flag = words[start]
            first = stray = bound = False
            if start and len(token) > 1 and token[0] in "区县市" and _AREA_CODE.fullmatch(words[start - 1][0]):
                # F1|区金|地|花园: the county's code took the name's first character; the name starts after it.
                token, first = token[1:], True
            elif len(token) == 2 and token[0] in _GLUED_ADVERBS and not dictionary_frequency(token):
                token, first = token[1:], True  # 可含|浦镇: the name starts after the adverb
            elif len(token) == 1 and flag in _MORPHEMES and token not in stops:
                bound = True
            elif (token in stops or token in _ROLES or token in _ASKING or ASKED_TO_DO.fullmatch(token)
                    or not _NAME_CHARS.fullmatch(token) or flag == "x"
                    or token in _BODIES and not is_organisation(head)  # 物业社区 is none, 绿城物业公司 is one
                    or flag.startswith(_PHRASE_FLAGS)
                    or token.endswith(_ADMINISTRATIVE) or is_wide_area(token)
                    or flag == "m" and not _NUMERALS.fullmatch(token)):
                break
            elif flag.startswith(_BREAKING_FLAGS) and flag not in _NAMEISH_FLAGS and not _unknown(token):
                # 金|地|花园: a single character between a name's parts is tagged as a particle or verb by
                # chance; it is part of the name when a name's word stands before it.
                before, before_flag = words[start - 1] if start else ("", "")
                if not (len(token) == 1 and _namelike(before, before_flag) and before not in stops):
                    break
                stray = True
            if glued:  # 绿林|苑|小区: the one character went on from the word before it, so 苑小区 is no name
                found.pop()
            name = token + name
            if len(name) > MAX_NAME_CHARS:
                break
            nameish = nameish or bound or flag in _NAMEISH_FLAGS or dictionary_frequency(token) < RARE_IN_DICTIONARY
            if (len(name) >= 3 and (nameish or head in NAME_HEADS) and not is_district_name(name) and name not in GENERIC
                    and not cut_across(name) and not stray and not _trade_only(name)):
                found.append(name)
                glued = len(token) == 1 and not bound  # a morpheme opens the name after it (怡海星城)
            else:
                glued = False
            if first:
                break
    return list(dict.fromkeys(found))


def _trade_only(name: str) -> bool:
    """The name says only what a company does and its form (置业有限公司, 房地产开发公司): no company's own name."""
    while name:
        trade = next((trade for trade in _TRADES if name.endswith(trade)), None)
        if trade is None:
            return False
        name = name[:-len(trade)]
    return True


# Roads are named so as well as …路 (东六线, 长永高速, 芙蓉立交), but these end words of their own too (在线, 热线, 专线,
# 沿线, 线下): only a road's head alone, or after a numeral (六线 of 东六线) or in a word the dictionary does not know.
ROAD_HEADS = ("线", "高速", "立交")
# A road's name stops at a verb or preposition (被|长永高速, 走|东六线), a particle, or one of our civic words
# (下穿|长永高速).
_NOT_IN_ROAD_NAME = ("v", "p", "u", "c", "d", "r", "q", "y", "e", "x", "w", "f", "t", "zg")


def road_candidates(text: str) -> list[str]:
    """Strings of a text that may name a road ending in 线, 高速 or 立交 (东六线, 长永高速): up to three words before
    the head in the dictionary's cut (see dictionary_cut), which cuts such a name alike wherever it is said, at
    least one of them name-like (a place or person's name, a numeral, or a word the dictionary does not know).
    Learned as name_candidates' are, when they recur."""
    if not any(head in text for head in ROAD_HEADS):
        return []
    words = dictionary_cut(text)
    stops = stop_words()
    found = []
    for end, token in enumerate(words):
        head = next((head for head in ROAD_HEADS if token.endswith(head)), "")
        stem = token[:len(token) - len(head)]
        if not head or stem and not (dictionary_tag(token) == "m" or dictionary_frequency(token) == 0):
            continue
        if end + 1 < len(words) and words[end + 1].startswith("路"):
            continue  # 线|路况: a line, no road
        name, nameish = token, bool(stem) and dictionary_frequency(token) == 0
        if nameish and len(stem) >= 2 and not is_district_name(token):
            found.append(token)  # kept whole already (learned in this process): counted like any other
        for start in range(end - 1, max(-1, end - 4), -1):
            word = words[start]
            tag = dictionary_tag(word)
            if (word in stops or word in _ASKING or ASKED_TO_DO.fullmatch(word) or not _HAN.fullmatch(word)
                    or word.endswith(_ADMINISTRATIVE) or is_wide_area(word)
                    or word in civic_words() or tag.startswith(_NOT_IN_ROAD_NAME) and tag not in _NAMEISH_FLAGS):
                break
            name = word + name
            if len(name) > MAX_NAME_CHARS:
                break
            # 人行横道|线 is a marking, however rare the dictionary's word: a road's stem has a name or a number in it.
            nameish = nameish or tag in _NAMEISH_FLAGS or dictionary_frequency(word) == 0 or (
                tag == "m" and _NUMERALS.search(word) is not None)
            if len(name) >= 3 and len(name) - len(head) >= 2 and nameish and not is_district_name(name):
                found.append(name)
    return list(dict.fromkeys(found))


def _unknown(token: str) -> bool:
    """A word of two characters or more that jieba's dictionary does not know (潇楚佳, cut by its word model):
    whatever part of speech it guessed, it is most likely part of a name, unless the model glued a conjunction
    or particle to it (和怡, 城及)."""
    return (len(token) >= 2 and _HAN.fullmatch(token) is not None and dictionary_frequency(token) == 0
            and not added_name(token) and token[0] not in _GLUED and token[-1] not in _GLUED)


def _namelike(token: str, flag: str) -> bool:
    return flag in _NAMEISH_FLAGS or _unknown(token)


# The words after a number naming a building of an estate or its unit (12栋, 5幢, 3号楼, 2单元). After a Chinese
# number only 号楼 and 单元 surely name one (三号楼); 三栋 counts buildings as often.
NAMED_BY_ANY_NUMBER = ("号楼", "单元")
BUILDING_WORDS = NAMED_BY_ANY_NUMBER + ("栋", "幢")
# ... and the rest of an address by number: a courtyard (5号院), a block (2座), a floor or a room (3楼, 6层, 501室),
# a house on a road (12号).
ADDRESS_NUMBER_WORDS = BUILDING_WORDS + ("号院", "座", "楼", "层", "室", "号")


def either(words) -> str:
    """The words as one regex alternation, the longer first: 3号楼 is read whole, not as 3号 and then 楼."""
    return "|".join(sorted(words, key=len, reverse=True))


# A building or its unit by number (12栋, 3号楼, 5幢, 2单元, 三号楼): where in an estate, as residents say it
# ("5栋2单元楼道灯坏了", "12幢楼下积水"). Not "2栋房子" or "交房了7栋" (buildings counted), nor 12号 alone, which is
# a day as often.
_BUILDING = re.compile(rf"(?<![0-9了共这那有])(?:[0-9]{{1,4}}(?:{either(BUILDING_WORDS)})"
                       rf"|[一二三四五六七八九十]{{1,3}}(?:{either(NAMED_BY_ANY_NUMBER)}))"
                       r"(?!房|民房|别墅|楼房|违建|违章)")


def has_place(text: str) -> bool:
    """Whether a citizen's message says where: a place's name. A building's number alone (5栋2单元) does not: a
    deputy covers many estates."""
    return bool(place_names(tagged_words(text)))


def _spoken_address(text: str) -> str:
    """The text as an address is read: without its closing stop, full-width digits as digits, and numbers closed up
    to the words beside them ("幸福里小区 3 栋" is 幸福里小区3栋, as phones' keyboards often space digits); digits
    are never joined to digits ("138 1234 5678" stays a number apart)."""
    said = unicodedata.normalize("NFKC", text).strip().rstrip("。.，,！!？?；;、 ")
    return _SPACED_NUMBER.sub("", said)


_SPACED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[0-9])|(?<=[0-9])\s+(?=[\u4e00-\u9fff])")
# Seven digits or more, spaced or not: a phone number (138 1234 567 mistyped too) or a date, never part of an address.
_LONG_NUMBER = re.compile(r"[0-9](?:[\s-]?[0-9]){6,}")


def building_alone(text: str) -> str | None:
    """The building a message names when it says nothing else and no place ("3栋", "小区3栋2单元"), to ask which
    estate it is in; None otherwise."""
    said = _spoken_address(text)
    found = _BUILDING.search(said)
    if not found or len(said) > 20 or _LONG_NUMBER.search(said) or has_place(said) or _ADDRESS_PARTS.sub("", said):
        return None
    return said[found.start():]


# What an address is made of besides places' names: numbers of a road's house, a building, a unit, a floor, a
# room, a lane, a village's group (12号, 3栋, 2单元, 501室, 3-2-501, 5弄, 3组); where about them (门口, 楼下, 东门,
# 交叉口); a county by its code (A3区); the words joining them.
_ADDRESS_PARTS = re.compile(
    rf"[0-9]{{1,5}}(?:[-－—][0-9]{{1,5}})*(?:{either(ADDRESS_NUMBER_WORDS + ('弄', '巷', '组'))})?|"
    rf"[一二三四五六七八九十]{{1,3}}(?:{either(BUILDING_WORDS + ('号院', '楼', '层', '组'))})|"
    r"(?:[东西南北]|正|侧|后|前|大|小)?门口|(?:[东西南北]|正|侧|后|前|大|小)门|楼[下上前后道梯口]|单元门|"
    r"[A-Z][0-9]{0,2}[县区市]|"
    r"[东西南北]{1,2}(?:侧|边|面|头|角)?|旁边|边上|附近|对面|周边|周围|一带|路口|(?:十字|丁字)?路口|交叉口|"
    r"拐角处?|转角处?|入口|出口|里面|外面|中间|之间|这边|那边|小区|社区|院子|院里|"
    r"[与和跟及到至的、，,。.\s:：（）()]")
# Words before an address saying it is one ("我家住在", "地址：", "在"): no part of the place named back.
_ADDRESS_LEAD = re.compile(r"^(?:(?:我|我们|俺|我家|我们家|俺家)(?:家)?(?:住|就住|是住)?(?:在|于)?|"
                           r"(?:家庭|详细)?(?:住址|地址|地点|位置)(?:是|在)?|在|位于)[:：\s]*")


def only_address(text: str) -> str | None:
    """The address a message says when it says nothing else ("幸福里小区3栋", "朝阳路12号", "我家住在东湖路幸福小区"):
    the words naming it, to be said back; None when the message says more, or names no place. Whoever sends only
    an address has not said what is wrong there."""
    said = _spoken_address(text)
    if not said or len(said) > 40 or _LONG_NUMBER.search(said) or not has_place(said):
        return None
    address = _ADDRESS_LEAD.sub("", said)
    rest = address
    for name in sorted(set(place_names(tagged_words(address))), key=len, reverse=True):
        rest = rest.replace(name, "，")
    return address if address and not _ADDRESS_PARTS.sub("", rest) else None
