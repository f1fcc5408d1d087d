"""Writing a draft suggestion from its messages in the official form; nothing in it is invented.

The title names the group's place, in full, and the distinctive phrase its messages share
(关于<地点><问题>的建议); a group whose messages share no such phrase is not one problem, and stays
collecting. 存在问题 and 具体建议 are citizens' own sentences, each point once: near-identical sentences
(character pairs in common) are one item, said in its best-formed words, with every message behind it
and how many citizens said it. Salutations, headers, list numbers and fragments are left out; 具体建议
takes only sentences that propose something. 基本情况 only counts (citizens, messages, days, real places).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache

from bot.places import (ADDRESS_NUMBER_WORDS, GENERIC as KINDS_OF_PLACE, SUFFIXES, either, is_district_name,
                        is_kind_of_place, is_place_name, is_real_place, place_names, same_place, units_only)
from bot.tokenizer import dictionary_frequency, dictionary_tag, tagged_words
from intake.models import Draft
from intake.services import days, plain_text
from intake.services.drafts import grouping, unit_choices
from intake.services.privacy import masking
from intake.services.privacy.names import names_told

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
# A point's own end (？ ！ 。 …, a quotation closed after it), or what stands where its full stop belongs: a
# semicolon or comma the sentence was cut at, or nothing where the citizen's line ended.
_STOPPED = re.compile(r"[。！？!?…][”’」』）)]*$")
_NO_STOP = re.compile(r"[；;，,、\s]*$")
# Proposing, not merely mentioning: 要求 counts when it asks for an action, not in 不符合要求 or 开发商要求业主….
_PROPOSAL = re.compile(
    r"建议|希望|恳请|请求|呼吁|盼望|期望|期盼|恳求|望.{0,8}(?:尽快|早日|及时|能够|给予)"
    r"|请(?:有关|相关|政府|领导|上级|尽快|帮助|帮忙|协调|督促|落实|解决|处理|查处|整治|关注|重视|书记|市长)"
    r"|应该|应当|务必|要求.{0,10}(?:尽快|立即|马上|及时|解决|处理|整改|落实|查处|整治|退还|赔偿|恢复|停止|取缔)")
_NOT_PROPOSING = re.compile(r"(?:不符合|达到|按照?|根据)[^，。]{0,6}要求|要求(?:我们|业主|居民|群众|我|他们|大家)")
_LIST_NUMBER = re.compile(r"^(?:[（(]?\d{1,2}[)）.、．]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]"
                          r"|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十\d]{1,3}[，、,]|其[一二三四五六七八九十][，、,])\s*")
_GREETING_ONLY = re.compile(r"^(?:尊敬的)?[^，。]{0,12}(?:您好|你好|谢谢|感谢[^，。]{0,12}|此致敬礼|敬礼)[！!。]?$")
# 我们小区那边有点问题想反映一下, 我想反映个问题, 想咨询一下, 有个事情, 打扰一下: a clause that only announces there is
# something to tell. Not a point nor a summary: what follows says the problem.
_ANNOUNCING = re.compile(
    r"打扰(?:您|你)?(?:一下|了)?|麻烦(?:您|你)(?:一下)?|麻烦一下"
    r"|还?有(?:一?[个件点些]|几[个件]|点儿)?小?(?:问题|事情?|事儿|情况)(?:想|要|需要)?(?:跟|向|给|和)?(?:您|你|你们|代表|领导)?"
    r"(?:反映|反应|咨询|请教|求助|投诉|举报|说|讲|问|提)?(?:一下|下)?"
    r"|(?:想|要|需要|来|准备)?(?:跟|向|给|和)?(?:您|你|你们|代表|领导)?(?:反映|反应|咨询|请教|求助|投诉|举报|说说|讲讲|问问|问(?!题))"
    r"(?:一下|下)?(?:一?[个件点些]|几[个件])?(?:问题|事情?|事儿|情况)?")
# Around the announcement, who and where without what (我们小区那边, 我家这边) and how it is said (就, 啊, 的).
_WHO = frozenset("我 我们 俺 俺们 咱 咱们 本人 我家 这边 那边 这里 那里 这儿 那儿 问题 事 事情 事儿 情况".split())
_CLAUSE = re.compile(r"[^，,：:。！!？?；;\n]*[，,：:。！!？?；;\s]*")
_DANGLING = re.compile(r"[把被对在和与及的从向给将、，,：:…]$")  # 了 ends a sentence: 坏了一个多月了。
# 就是我家门口那个: the thing pointed at is left unsaid, an answer to the chat's question that means nothing alone.
_POINTING = re.compile(r"(?:那个|这个|那些|这些|那块|这块)$")
# 我的电话138****5678, 有事请联系我，手机：139****4321: a line that only leaves the citizen's (masked) number or
# address, a way to call back, not a problem.
_MASKED_NUMBER = re.compile(r"[+＋]?[0-9A-Za-z._%\-()（）@]*\*{3,}[0-9A-Za-z._\-@]*")
_CONTACT_ONLY = re.compile(r"(?:我的|本人|我|的|有事|随时|可以|请|欢迎|回访|联系|拨打|致电|打|找|电话|手机|号码|号|方式|邮箱|微信"
                           r"|身份证|是|为|86|[：:，,、。；;！!\s])*")
_QUESTION = re.compile(r"[？?]$|^(?:请问|想问|咨询|问一下)")
# 就在幸福小区东门: where, and nothing else (an answer to the chat's question); words of a place after 在.
_PLACE_TAGS = ("n", "s", "f", "zg", "a", "m", "q")
# Where, not what: jieba's place names, places (处所词: 门口, 路上) and positions (方位词: 旁边, 附近).
_WHERE_TAGS = ("ns", "s", "f")
_SPACE = re.compile(r"\s+")
# 3 栋, 2单元, 502室: a building, unit or room of the place said, where and nothing else.
_BUILDING = re.compile(rf"[0-9０-９一二三四五六七八九十]+\s*(?:{either(ADDRESS_NUMBER_WORDS + ('户',))})?")
# A line break (or the full-width spaces after a subject line) ends what a title may quote: 扰民\n投诉长乐坊 says
# no 扰民投诉长乐.
_LINE_BREAK = re.compile(r"\s*[\n\r\u3000]\s*")
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
MAX_PROBLEMS, MAX_PROPOSALS = 8, 6
KEY_WORDS = 30  # the group's most frequent words, by which sentences are ranked
MIN_SENTENCE_CHARS = 8
MAX_CANDIDATES = 80  # the best sentences compared with one another (each point once), whatever the draft's size
SAME_POINT = 0.5  # Jaccard of two sentences' character pairs
TITLE_MESSAGES = 60  # the title's phrase is looked for among the first messages: enough to see what is shared
PHRASE_SHARE = 0.5  # of the group's messages that must say the phrase
MAX_PHRASE_WORDS, MAX_PHRASE_CHARS = 4, 10
# How the dictionary tags a name (or '': it does not know the word, as most names).
_NAME_TAGS = ("", "ns", "nr", "nz", "nt", "nrt", "nrfg", "j")
_NOT_A_START = ("v", "d", "p", "r", "c", "u", "m", "q", "y", "e")
# Pronouns, adverbs, prepositions, conjunctions, particles and interjections: how a letter speaks, never its problem.
_NO_THING_TAGS = ("r", "d", "p", "c", "u", "y", "e")
PHRASE_WORDS = 12  # the group's most said words, of which the phrase is made
WHOLE_REACH = 12  # characters cut on either side of a title's place or phrase to see whether it cuts a word
# How a letter asks, where or when without naming it, and whom it addresses: any letter says them, whatever its
# problem, so a title neither is one of them nor ends in one (垃圾站考量 of 出于…考量 says 垃圾站).
VAGUE = frozenset(
    "咨询 询问 请问 事宜 事项 投诉 举报 求助 呼吁 强烈呼吁 来信 留言 回复 答复 考量 考虑 现象 电话 开发商"
    " 外地 本地 当地 附近 周边 周围 位置 具体位置 地点 具体地点 地址 区域 一带 交界处 晚上 白天 下雨天 平时"
    " 书记 市长 县长 区长 镇长 村长 局长 厅长 省长 主任 主席 处长 科长".split())
# An agency (教育局, 商务局, 住建委, 政府) is whom a letter writes to or blames, never its problem.
_AGENCY = re.compile(r"(?:..局|..厅|..委|..办|政府|部门)$")  # not 布局, 开办

# Words that say which kind of complaint, not which problem: never a title on their own.
GENERIC_TITLE = grouping.GENERIC | frozenset(
    "学生 小区 学校 医院 业主 孩子 家长 老师 村民 公司 街道 社区 开始 时间 地方 东西 事情 情况 方面 工作人员 费用 钱"
    " 规定 政策 服务 安全 环境 生活 国家 社会 城市 农村 市场 企业 部分 人员 家庭 老人 小孩 车辆 道路 房子 房屋 办理"
    " 建设 发展 调整 落实 完善 改善 加强 规范 提高 有限公司 置业 房地产 物业 物业公司"
    " 小区业主 小区居民 全体业主 广大业主 广大群众 广大市民 基础设施 公共设施 配套设施 改革开放".split()) | VAGUE
# A word the language uses this often (jieba's dictionary counts: 夫妻 2212, 户口 1072, 收费 2553, against 全票 20 or
# 养猪场 23) says which kind of problem, not which one: no title on its own, as a kind of place (居民区) is not.
COMMON_WORD = 1000
CHANNEL_NAMES = {"web": "“码上说”", "wechat": "“码上说”", "offline": "代表接待日", "api": "其他政务平台"}


# 符合国家标准, 按照相关规定: a norm a letter cites to say something breaks it, never the problem itself.
_CITING = re.compile(r"(?:符合|按照|依照|依据|根据|遵照|参照|达不?到|违反|违背|按)[^，。；！？,;!?\s]{0,4}$")
# 我县易市镇, 本市中山路, G8县易市镇: a level of the district after a pronoun or a county's code ends that word; what a
# cut glues it to (县易 of 我|县易|市镇 and of G8|县易|市镇) is no name, the place is what follows (易市镇).
_OWN_LEVEL = re.compile(r"(?:我|本|该|全|此|各|(?<![A-Za-z0-9])[A-Z][0-9]{0,2})$")
_LEVELS = "省市县区州旗镇乡"


def _cited(word: str, texts: list[str]) -> bool:
    """Whether the messages say `word` only as a norm cited (符合|国家标准, 按照国家|规定), not as what is wrong:
    收费标准过高 is a problem, 不符合国家标准 only says one is broken."""
    return _only_after(word, texts, _CITING)


def _cut_level(word: str, texts: list[str]) -> bool:
    """Whether `word` starts with the level of 我县 or 本市, glued to the next name by the cut (县易 of 我县易市镇)."""
    return word[:1] in _LEVELS and len(word) > 1 and _only_after(word, texts, _OWN_LEVEL)


def _only_after(word: str, texts: list[str], before: re.Pattern) -> bool:
    """Whether every time a message says `word`, what comes before it matches `before` (and it is said at all)."""
    said = False
    for text in texts:
        at = text.find(word)
        while at >= 0:
            if not before.search(text[:at]):
                return False
            said, at = True, text.find(word, at + 1)
    return said


def _vague(word: str) -> bool:
    return word in VAGUE or bool(_AGENCY.search(word)) or _verb_and_generic(word) or units_only(word)


def _verb_and_generic(word: str) -> bool:
    """符合国家: a dictionary word that is a verb and a generic word (of 符合国家政策吗), how a letter asks, never
    what is wrong; it hid from the generic words as one noun."""
    return any(word[i:] in GENERIC_TITLE and dictionary_tag(word[:i]).startswith("v") for i in range(1, len(word) - 1))


def _alone_a_title(word: str, placed: bool) -> bool:
    """A word that may be a title's phrase on its own. After a place (关于幸福小区收费问题) a common word says which
    problem; alone, a common word or a kind of place (关于收费问题, 关于居民区问题) says only which kind. A pronoun, an
    adverb or a common verb never says one (关于这俩问题, 关于是否问题, 关于开始问题)."""
    tag = dictionary_tag(word)
    return (word not in GENERIC_TITLE and not _vague(word) and not tag.startswith(_NO_THING_TAGS)
            and not (tag == "v" and dictionary_frequency(word) >= COMMON_WORD)
            and (placed or (dictionary_frequency(word) < COMMON_WORD and not _kind_of_place(word))))


def _kind_of_place(word: str) -> bool:
    """居民区 or 住宅区: a noun and a place's suffix, known to the dictionary as one word (not 修路: 修 is no noun)."""
    suffix = next((suffix for suffix in SUFFIXES if word.endswith(suffix) and len(word) > len(suffix)), "")
    return (bool(suffix) and is_kind_of_place(word) and is_place_name(word)
            and dictionary_tag(word[:-len(suffix)]).startswith("n"))


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


@lru_cache(maxsize=8192)  # asked of each sentence, and again of a letter's others when it has a subject line
def clause(sentence: str) -> str | None:
    """The sentence (masked) as a point of a draft: without its list number or salutation; None for a greeting,
    a header, a fragment that is not a clause, or a line that only leaves a number."""
    # A draft quotes the words without the emoji: one ending a sentence (…容易摔倒😢) hid it from every check of its end.
    text = _LIST_NUMBER.sub("", grouping.unaddressed(plain_text.without_pictures(sentence).strip())).strip()
    # 小区有个问题：电梯坏了三天 is a point from 电梯; its length counted whole, as it was written.
    written, text = len(text), _after_announcing(text)
    bare = text.rstrip("。！？!?；;")
    if (written < MIN_SENTENCE_CHARS or not text or _GREETING_ONLY.match(text) or _DANGLING.search(bare)
            or _POINTING.search(bare)):
        return None
    if text.endswith(("：", ":")) or not _CJK_OR_WORD.search(text[-2:] if text[-1] in "。！？!?；;" else text[-1]):
        return None
    if _MASKED_NUMBER.search(text) and _CONTACT_ONLY.fullmatch(_MASKED_NUMBER.sub("", text)):
        return None
    return None if _only_where(bare) else text


def stopped(point: str) -> str:
    """A point as a sentence of the draft: ended with 。 unless it ends with its own stop (能修吗？ stays)."""
    return point if _STOPPED.search(point) else _NO_STOP.sub("", point) + "。"


def announces(text: str) -> bool:
    """Whether a clause only announces that there is something to tell (我们小区那边有点问题想反映一下): around the
    announcement nothing but who and where; 想反映一下幸福小区的积水问题 names the problem (积水), and is one."""
    found = _ANNOUNCING.search(text)
    if not found or not found.group():
        return False
    rest = list(tagged_words(f"{text[:found.start()]}，{text[found.end():]}"))
    places = place_names(rest)
    return all(word in _WHO or tag.startswith(("d", "y", "u", "e", "x", "w")) or _where(word, tag, places)
               for word, tag in rest if word.strip())


def _after_announcing(text: str) -> str:
    """The text from its first clause that is neither a greeting nor an announcement ('' when none is)."""
    while True:
        text = grouping.unaddressed(text).lstrip()
        found = _CLAUSE.match(text)
        if not found.group() or not announces(found.group().rstrip("，,：:。！!？?；; \n\t\u3000")):
            return text
        text = text[found.end():]


def told(text: str) -> str:
    """A message from its first clause with content, as its receipt card, the queue and the radar sum it up: the
    greetings and announcements it opens with left out (the whole text when it says nothing more)."""
    return _after_announcing(text.strip()) or text.strip()


def _only_where(text: str) -> bool:
    """就在幸福小区东门, 在柳河镇桃园村: 在 and a place, perhaps after 就, with nothing said of it; or a place
    alone, 东湖路菜市场旁边, 幸福里小区 3 栋 (the chat's question answered, or all a citizen wrote)."""
    placed = _SPACE.sub("", _BUILDING.sub("", text))
    if placed != _SPACE.sub("", text) and placed and (is_real_place(placed) or _only_where(placed)):
        return True
    words = list(tagged_words(text))
    at = next((i for i, (word, _) in enumerate(words) if word == "在"), None)
    if (at is not None and at < len(words) - 1 and all(tag == "d" for _, tag in words[:at])
            and all(tag.startswith(_PLACE_TAGS) for _, tag in words[at + 1:])):
        return True
    places = place_names(words)
    said = [(word, tag) for word, tag in words if tag not in ("x", "w")]
    return bool(said) and all(_where(word, tag, places) for word, tag in said)


def _where(word: str, tag: str, places) -> bool:
    """A word that says where, not what: part of a place named, a kind of place (菜市场, 小区), or 门口, 旁边."""
    return (tag.startswith(_WHERE_TAGS) or word in KINDS_OF_PLACE or is_place_name(word) or _kind_of_place(word)
            or any(word in place for place in places))


def proposes(sentence: str) -> bool:
    return bool(_PROPOSAL.search(sentence)) and not (_NOT_PROPOSING.search(sentence)
                                                      and not re.search(r"建议|希望|恳请|请求|呼吁", sentence))


def _terms(message) -> dict[str, list[str]]:
    return message.terms if message.terms is not None else grouping.message_terms(message.text)


def citizen_count(draft: Draft) -> int:
    return _citizens(draft.messages)


def _citizens(messages) -> int:
    return len({m.citizen_id if m.citizen_id is not None else f"m{m.id}" for m in messages})


@lru_cache(maxsize=8192)  # a draft written again compares the same sentences: each one's pairs made once
def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _centrality(member: dict, members: list[dict]) -> float:
    pairs = _pairs(member["key"])
    return sum(len(pairs & _pairs(other["key"])) / len(pairs | _pairs(other["key"])) for other in members[:20])


def _points(items: dict[str, dict], key_words: dict[str, int], limit: int, citizen_of: dict[int, object]) -> list[dict]:
    """Near-identical sentences as one point (best-formed wording, all sources), the points most said first."""
    def carried(text):
        return sum(weight for word, weight in key_words.items() if word in text)

    useful = [item for item in items.values() if carried(item["key"])]
    useful.sort(key=lambda item: (carried(item["key"]) * len(item["message_ids"]) / math.sqrt(len(item["key"])),
                                  item["key"]), reverse=True)
    clusters: list[dict] = []
    for item in useful[:MAX_CANDIDATES]:
        pairs = _pairs(item["key"])
        for cluster in clusters:
            shared = len(pairs & cluster["pairs"])
            if shared >= SAME_POINT * (len(pairs) + len(cluster["pairs"]) - shared):
                cluster["members"].append(item)
                break
        else:
            clusters.append({"pairs": pairs, "members": [item]})
    points = []
    for cluster in clusters:
        members = cluster["members"]
        ids = list(dict.fromkeys(i for member in members for i in member["message_ids"]))
        # Best formed: the wording most messages used, then the one closest to all the others, a whole sentence.
        best = members[0] if len(members) == 1 else max(members, key=lambda m: (
            len(m["message_ids"]), _centrality(m, members), m["text"][-1] in "。！？!?", m["key"]))
        points.append({"text": stopped(best["text"]), "message_ids": ids, "count": len(ids),
                       "citizens": len({citizen_of[i] for i in ids}),
                       "score": carried(best["key"]) * len(ids) / math.sqrt(len(best["key"]))})
    points.sort(key=lambda p: (p["score"], p["count"]), reverse=True)
    # Of the points kept, those said as statements come before questions (请问…吗？): a question asks the government
    # something, a statement says what is wrong; a question many citizens asked is still kept.
    kept = sorted(points[:limit], key=lambda p: bool(_QUESTION.search(p["text"])))
    return [{key: value for key, value in point.items() if key != "score"} for point in kept]


def _places(messages) -> Counter:
    """Real places the messages name, a short form counted with the full name it is part of (滨江苑 → 金桂园滨江苑)."""
    return Counter(place for places in _places_each(messages) for place in places)


def _places_each(messages) -> list[list[str]]:
    """The real places each message names, whole: a short form becomes the full name it is part of."""
    # In the order they are said, so that a tie goes to the first named in every process.
    said = [list(dict.fromkeys(place for place in _terms(message)["places"] if is_real_place(place)))
            for message in messages]
    named: Counter = Counter(place for places in said for place in places)
    wholes: list[str] = []
    whole_of = {}
    for place in sorted(named, key=lambda name: (-len(name), -named[name])):
        whole_of[place] = next((longer for longer in wholes if same_place(place, longer)), place)
        if whole_of[place] == place:
            wholes.append(place)
    # A message naming 桃园村 and 桃园 names 桃园村 once: 基本情况 never counts more messages than there are.
    return [list(dict.fromkeys(whole_of[place] for place in places)) for places in said]


def _said(message, told: frozenset[str]) -> str:
    """The message as a title quotes it: masked, persons' names too (a title is shown wherever the draft is listed;
    `told`: those a person's word told in any of the group's letters), spaces gone, line breaks kept (a phrase
    never spans two lines)."""
    masked = masking.for_draft(message.text, names_shown=False, told=told)
    return _INLINE_SPACE.sub("", _LINE_BREAK.sub("\n", masked.strip()))


def _names(sample, texts: list[str]) -> list[str]:
    """The proper names the group's messages may say (their candidates, learned or not: 潇楚佳苑小区 said by two
    letters is not taught to the tokenizer, but keeps their title whole), said by two of them (or by the one),
    the most said first, then the longest: 地花园 is said wherever 金地花园 is, and is part of it."""
    least = min(2, len(texts))
    said = Counter()
    for name in {name for message in sample for name in _terms(message).get("names") or ()}:
        name = name[1:] if _cut_level(name, texts) else name  # 县易市镇 of 我县易市镇 is 易市镇
        said[name] = sum(name in text for text in texts)
    return sorted((name for name, n in said.items() if n >= least), key=lambda name: (-said[name], -len(name), name))


def _widened(text: str, start: int, end: int, names: list[str], place: bool) -> tuple[int, int]:
    """The span text[start:end] grown so that it neither starts nor ends inside a word of the tokenizer's cut, then
    inside one of the names (the first of them that crosses each end: the most said). A name's end stands where
    the name says, whatever the tokenizer cut there (F1区金|地|花园 says 金地花园). A place starts and ends as
    place_names found it whatever word the tokenizer made of its ends and what is around (桃园村|村道, 东湖路|口,
    K1|区珠|山镇): only a name grows it."""
    left = max(0, start - WHOLE_REACH)
    at, spans = left, []
    for word, _ in tagged_words(text[left:min(len(text), end + WHOLE_REACH)]):
        spans.append((at, at + len(word)))
        at += len(word)
    start, end = (start if place else min((s for s, e in spans if s < start < e), default=start),
                  end if place else max((e for s, e in spans if s < end < e), default=end))
    grown_start, grown_end = start, end
    for edge in (start, end):
        for name in names:
            at = text.find(name, max(0, edge - len(name) + 1))
            if 0 <= at < edge < at + len(name):
                grown_start, grown_end = min(grown_start, at), max(grown_end, at + len(name))
                break
    return grown_start, grown_end


def _whole(part: str, texts: list[str], names: list[str], place: bool = False) -> str:
    """The part as the messages say it whole: 苑小区 of 潇楚佳苑小区 becomes 潇楚佳苑小区, 国际幼儿园 becomes
    领航国际幼儿园; the form most of them say (then the shortest)."""
    forms: Counter = Counter()
    for text in texts:
        at = text.find(part)
        if at >= 0:
            start, end = _widened(text, at, at + len(part), names, place)
            forms[text[start:end]] += 1
    return max(forms, key=lambda form: (forms[form], -len(form), form)) if forms else part


def _phrase(messages, places: Counter, texts: list[str], names: list[str], place: str) -> str | None:
    """The distinctive phrase the group's messages share, said by at least half of them: key words written
    together (工地夜间施工噪音, 电梯长期停运) or one distinctive word, never a place or a generic word alone;
    the longest among those, grown to the whole name when it starts or ends inside one (潇楚佳苑小区对面工地,
    not 小区对面工地 of the same letters). None when they share none: then they are not one problem. `texts`:
    the first messages as said (_said), `names`: the names they say (_names), `place`: the title's place or ''."""
    sample = messages[:TITLE_MESSAGES]
    # A message alone is one problem; two or more must share the phrase.
    least = min(2, len(sample))
    needed = max(least, math.ceil(PHRASE_SHARE * len(sample)))
    support: Counter = Counter()
    for message in sample:
        # in order: nouns first break ties; a word the cut glued a level to is read without it (区|银泰财富广场)
        support.update(list(dict.fromkeys(word[1:] if len(word) > 2 and _cut_level(word, texts) else word
                                          for word in _terms(message)["words"])))

    def said(phrase):
        return sum(phrase in text for text in texts)

    def is_key(word):
        # Part of the title's place, or of a place another message names when the word is a name or a place's kind
        # (榔梨 of 榔梨街道, 幼儿园 of 配套幼儿园); a common noun is no place for a cut that glued a place's suffix to
        # it (卫生室|村 of 村卫生室村卫生室).
        # A word the texts no longer say was masked in them (a person's name: 校长王友明 is 校长王某某): never a title's.
        return (said(word) and not is_district_name(word) and not is_real_place(word)
                and not (place and same_place(word, place))
                and not _cited(word, texts) and not _cut_level(word, texts)
                and not ((dictionary_tag(word) in _NAME_TAGS or word.endswith(SUFFIXES))
                         and any(same_place(word, named) for named in places)))

    if len(sample) == 1:  # one message: its first key word that is no place (nouns come first)
        return next((_whole(word, texts, names) for word, _ in support.most_common(PHRASE_WORDS)
                     if _alone_a_title(word, bool(place)) and is_key(word)
                     and not any(word in named for named in _terms(sample[0])["places"])
                     and not dictionary_tag(word).startswith(_WHERE_TAGS)), None)
    key = [word for word, n in support.most_common(PHRASE_WORDS) if is_key(word)]
    # Counted in the texts, not the cut words: 东门路灯 is cut 东门路|灯 but says 路灯.
    found = {(word,): said(word) for word in key if _alone_a_title(word, bool(place))}
    found = {words: n for words, n in found.items() if n >= needed}
    frontier = [(word,) for word in key]
    for _ in range(MAX_PHRASE_WORDS - 1):
        longer = {}
        for words in frontier:
            for word in key:
                if word in words or len("".join(words)) + len(word) > MAX_PHRASE_CHARS:
                    continue
                count = said("".join(words + (word,)))
                if count >= least:
                    longer[words + (word,)] = count
        frontier = list(longer)
        found.update((words, n) for words, n in longer.items()
                     if n >= needed and not _vague(words[-1]) and any(word not in GENERIC_TITLE for word in words))
    # The longest said by enough of them, then the most said; it must name a thing (电梯, 噪音).
    for words in sorted(found, key=lambda w: (len(w), found[w], len("".join(w)), "".join(w)), reverse=True):
        phrase = "".join(words)
        tagged = tagged_words(phrase)
        if tagged[0][1].startswith(_NOT_A_START) and tagged[0][1] != "vn":
            continue  # 修好路灯 asks for something; the problem is 路灯
        if any(_verb_and_generic(word) for word, _ in tagged):
            continue  # 收费符合国家政策 runs on into how the letter asks
        if tagged[-1][1].startswith(_WHERE_TAGS):
            continue  # 菜市场旁边 and 小区门口 say where, not what is wrong (its key words are no place already)
        if not any((flag.startswith("n") or flag == "vn") and word not in GENERIC_TITLE and len(word) >= 2
                   and not is_real_place(word) for word, flag in tagged):
            continue
        whole = _whole(phrase, texts, names)
        if whole == phrase or said(whole) >= needed:
            return whole
    return None  # every phrase they share cuts a name they do not say whole often enough


@dataclass(frozen=True)
class Text:
    """What composing writes of a group's messages: its title, sections and handling unit; `one_problem` when they
    share a distinctive phrase."""

    title: str
    sections: dict
    handling_unit: str | None
    one_problem: bool


def compose(draft: Draft, local_tz: tzinfo, choices: Sequence[unit_choices.Choice] = ()) -> bool:
    """Write the draft from its messages; True when they share a distinctive phrase (one problem). `choices`:
    the units staff chose for problems before (unit_choices.load), preferred for a problem of the same kind."""
    messages = draft.messages
    text = text_of(messages, draft.topic, draft.handling_unit, local_tz, choices)
    draft.title, draft.handling_unit, draft.sections = text.title, text.handling_unit, text.sections
    draft.composed_messages, draft.pending_messages = len(messages), 0
    return text.one_problem


def text_of(messages, topic: str, handling_unit: str | None, local_tz: tzinfo,
            choices: Sequence[unit_choices.Choice] = ()) -> Text:
    """The text compose writes of these messages (a group's topic and unit as they stand), nothing stored."""
    counts: Counter = Counter()
    problems: dict[str, dict] = {}
    proposals: dict[str, dict] = {}
    citizen_of = {m.id: m.citizen_id if m.citizen_id is not None else f"m{m.id}" for m in messages}
    for message in messages:
        counts.update(_terms(message)["words"])
        # Deputies never see phone or ID-card numbers that citizens typed into their messages.
        text = masking.mask(message.text)
        heading = grouping.subject_line(text)
        parts = sentences(text)
        if heading and any(clause(sentence) for sentence in parts if sentence != heading):
            # The subject line is a header, not a point, when the body says more; a chat's report with the place
            # answered on the next line (下水道堵了…\n幸福小区东门) says it only there.
            parts = [sentence for sentence in parts if sentence != heading]
        for point in filter(None, map(clause, parts)):
            target = proposals if proposes(point) else problems
            item = target.setdefault(_SPACE.sub("", point), {"text": point, "key": _SPACE.sub("", point),
                                                             "message_ids": []})
            if message.id not in item["message_ids"]:
                item["message_ids"].append(message.id)
    each = _places_each(messages)
    phrase, subject, places = _subject(messages, Counter(place for said in each for place in said), topic)
    key_words = {word: n for word, n in counts.most_common(KEY_WORDS) if not is_district_name(word)}
    units = Counter(m.handling_unit for m in messages if m.handling_unit)
    chosen = unit_choices.preferred(choices, unit_choices.problem_words(messages)) if choices else None
    if chosen:
        handling_unit = chosen
    elif units:  # the unit most of its messages' problems point to (the first-named on a tie)
        handling_unit = max(units, key=lambda unit: (units[unit], -next(
            i for i, m in enumerate(messages) if m.handling_unit == unit)))
    points = {"problems": _points(problems, key_words, MAX_PROBLEMS, citizen_of),
              "proposals": _points(proposals, key_words, MAX_PROPOSALS, citizen_of)}
    # 基本情况 counts only the messages that say something of the problem: one with no point at all (a place alone,
    # a greeting) would be read as one more citizen on it. A point ranked below the sections' limit still counts:
    # the deputy weighs how many raised the problem, and every message stays listed under the draft.
    shown = {i for said in (problems, proposals) for item in said.values() for i in item["message_ids"]}
    kept = [m.id in shown for m in messages] if shown else [True] * len(messages)
    if not all(kept):
        messages = [m for m, keep in zip(messages, kept) if keep]
        # The title's place as _subject named it whole (滨江苑 → 金桂园滨江苑), counted over these messages.
        places = Counter(place if place in places else next((name for name in places if place in name), place)
                         for said, keep in zip(each, kept) if keep for place in said)
        each = [said for said, keep in zip(each, kept) if keep]
    sections = {
        "situation": _situation(messages, subject.removesuffix("问题"), places, all(len(said) < 2 for said in each),
                                local_tz),
        **points,
        "handling_unit": handling_unit,
    }
    return Text(f"关于{subject.removesuffix('问题')}问题的建议", sections, handling_unit, phrase is not None)


def _subject(messages, places: Counter, topic: str) -> tuple[str | None, str, Counter]:
    """The distinctive phrase the messages share (None: not one problem); what a title says: the place most of
    them name, whole, and that phrase (or the topic when they share none); and the places, the title's named as
    the messages say it whole."""
    sample = messages[:TITLE_MESSAGES]
    told = names_told(message.text for message in sample)
    texts = [_said(message, told) for message in sample]
    names = _names(sample, texts)
    place = ""
    # The most named first (a tie: the longer, then the first named); one said only inside a longer word that is
    # no name gives way to the next.
    for named in sorted(places, key=lambda name: (places[name], len(name)), reverse=True):
        if places[named] * 2 < len(messages):
            break  # named by too few of the messages to stand for the group
        if _cut_level(named, texts):
            # 区银泰财富广场 of B2区银泰财富广场: the place is the rest; 县易镇 of 我县易镇 names none
            if not is_real_place(named[1:]):
                continue
            places = Counter({named[1:] if name == named else name: n for name, n in places.items()})
            named = named[1:]
        whole = _whole(named, texts, names, place=True)
        if whole == named or whole in names or is_real_place(whole):
            place = whole
            if whole != named:
                places = Counter({whole if name == named else name: n for name, n in places.items()})
            break
    phrase = _phrase(messages, places, texts, names, place)
    if phrase and place and place in phrase:
        place = ""
    return phrase, f"{place}{phrase}" if phrase else f"{place}{topic}方面", places


def title_of(messages, topic: str) -> str:
    """The title compose writes of these messages, alone (the cost of a title, not of a draft)."""
    return f"关于{problem_of(messages, topic)}的建议"


def problem_of(messages, topic: str) -> str:
    """What a title says of these messages' problem (金桂园滨江苑电梯长期停运问题), as a draft of them would."""
    subject = _subject(messages, _places(messages), topic)[1]
    return f"{subject.removesuffix('问题')}问题"


def _situation(messages, subject: str, places: Counter, apart: bool, local_tz: tzinfo) -> str:
    """`apart`: no message names two places, so each place's count is its own letters and they add up."""
    dates = sorted(m.created_at.astimezone(local_tz).date() for m in messages)
    first, last = days.official(dates[0]), days.official(dates[-1])
    when = first if first == last else f"{first}至{last}"
    channels = "和".join(dict.fromkeys(CHANNEL_NAMES.get(m.channel, "“码上说”") for m in messages))
    text = f"{when}，共有{_citizens(messages)}位群众通过{channels}反映{subject}问题，共{len(messages)}条意见"
    # A letter naming two places would be counted twice: 共2条意见 over 幸福小区（2条）、东门路（1条） reads as a
    # sum gone wrong, so then the places are named without counts.
    if places:
        text += "，涉及" + "、".join(f"{name}（{n}条）" if apart else name for name, n in places.most_common(5))
    return text + "。"
