"""A citizen's message cut into its asks, and whether the reply's answer to one is an answer or a promise.

An ask is a numbered point of the letter, or a sentence that asks (a question, 能否, 是否, 何时, 为什么…) or
requests (希望, 要求, 建议, 恳请…). Three kinds of sentence look like asks and are not: a plea made only of
plea words (恳请领导过问，早日解决), a question asked for effect (难道…, 何去何从, 这不是违规吗) and a question
asking for a verdict (合法吗, 可靠吗), which is the letter's complaint again and is answered with it. An ask
that repeats an earlier one in other words (most of its key words) is one ask, not two. A letter with no ask
is one ask: its subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from intake.services.drafts.composing import proposes
from intake.services.replies import wording as W

MAX_ASKS = 8
MIN_ASK_CHARS = 6
# An ask carries at least this much key-word weight of its own, plea words aside (one place or rare word).
MIN_ASK_WEIGHT = 2
# An ask whose key-word weight is mostly (this share) held by an earlier ask repeats it.
REPEAT_SHARE = 0.6

ITEM = re.compile(r"(?:^|(?<=[。；;！!？?：:\s]))(?:[（(]?\d{1,2}[)）.、．]|[（(][一二三四五六七八九十]{1,2}[)）]"
                  r"|[一二三四五六七八九十]{1,2}[、．]|第[一二三四五六七八九十]{1,2}[，、,.．]|[①②③④⑤⑥⑦⑧⑨⑩]"
                  r"|问题[一二三四五六七八九十\d]{1,2}[、，,：:])")
QUESTION = re.compile(r"[？?]|是否|能否|可否|能不能|可不可以|为什么|为何|怎么|如何|何时|多久|吗[。！!]?$")
_YES_NO = re.compile(r"[吗么][？?。！!]*$")
# What makes a yes-or-no question one a unit can answer: it is about doing or having, not a verdict.
_ACTIONABLE = re.compile(r"是否|能否|可否|能不能|可不可以|可以|能|需要|要不要|有没有|有无|是不是|会不会|何时|什么时候|多少|哪"
                         r"|怎么|如何|为什么|为何")
_FOR_EFFECT = re.compile(r"何去何从|主持公道|怎么敢|还怎么|在哪里[？?]|到底是谁|是谁的问题|谁来|不是[^。？?]{0,20}吗|百忙")
# Words of a plea: an ask made only of them names nothing of its own to answer.
PLEA = frozenset("""
恳请 恳求 请求 希望 要求 过问 重视 关注 早日 尽早 尽快 早点 彻底 查处 严查 明查 查明 调查核实 妥善处理 妥善 处理 解决 落实
做主 感激 感谢 不胜 不胜感激 期盼 盼复 回复 答复 满意 公平 公正 合法权益 维权 帮助 帮忙 指导 制止 整治 予以 给予 安排 考虑
民心 民意 疾苦 呼声 实事 严肃 追究 严惩 领导 书记 县长 市长 政府 部门 职能部门 政府部门 有关部门 相关部门 上级 各级 此事
再次 介入 处置 责成 慎重考虑 急切 解难 难题 采纳
""".split())
# What makes an answer an answer: work done, a plain yes or no, a date to be done by, a rule, a procedure,
# a date or a figure.
_FIRM = (W.DONE, W.DIRECT, W.COMPLETION, W.POLICY, W.PROCEDURE, W.DATE, W.AMOUNT)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOISE = re.compile(r"_x000D_|\s+")


def clean(text: str) -> str:
    return _NOISE.sub(" ", text or "").strip()


def cjk(text: str) -> int:
    return len(_CJK.findall(text))


def _items(text: str) -> list[str]:
    """The letter's numbered points, when it has at least two."""
    starts = [m.start() for m in ITEM.finditer(text)]
    if len(starts) < 2:
        return []
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    points = [p for p in pieces if cjk(p) >= MIN_ASK_CHARS]
    return points if len(points) >= 2 else []


def _asking(sentence: str) -> bool:
    if cjk(sentence) < MIN_ASK_CHARS or W.RHETORICAL.search(sentence) or _FOR_EFFECT.search(sentence):
        return False
    if _YES_NO.search(sentence) and not _ACTIONABLE.search(sentence):
        return False
    return proposes(sentence) or bool(QUESTION.search(sentence))


def _own_weight(words: dict[str, int]) -> int:
    return sum(weight for word, weight in words.items() if word not in PLEA)


def asks(text: str, subject: str, key_words: Callable[[str], dict[str, int]],
         kinds: Callable[[str], tuple[str, ...]]) -> list[str]:
    """The asks of a message (numbered points, else asking sentences, else the subject), each said once.
    key_words(text): its words that tell it apart, with their weights; kinds(text): the kinds of fact a question
    asks for (when, how much, which papers, which office), which make it an ask whatever its words."""
    text = clean(text)
    found = _items(text)
    if not found:
        found = [s.strip() for s in W.SENTENCE_END.split(text) if _asking(s.strip())]
        found = [s for s in found if kinds(s) or _own_weight(key_words(s)) >= MIN_ASK_WEIGHT]
    kept, held, held_kinds = [], [], set()
    for ask in found:
        words, asked_for = key_words(ask), set(kinds(ask))
        weight = sum(words.values())
        repeated = sum(w for word, w in words.items() if any(word in other for other in held))
        # The same words asking for a new kind of fact (the place again, now asking when) are a new ask.
        if weight and repeated >= REPEAT_SHARE * weight and asked_for <= held_kinds:
            continue
        kept.append(ask)
        held.append(words)
        held_kinds |= asked_for
    return kept[:MAX_ASKS] or [clean(subject) or text]


def firm(text: str) -> bool:
    """Whether the text answers: work done, a plain yes or no, a date, a figure, a rule or a procedure."""
    return any(pattern.search(text) for pattern in _FIRM)


def promised(answer: str) -> bool:
    """Whether an answer (the reply's sentence on an ask and the one after it) only promises or reports work
    under way (争取, 尽快, 正在申请, 待…后), with nothing firm."""
    return not firm(answer) and bool(W.PROMISE.search(answer) or W.PENDING.search(answer))
