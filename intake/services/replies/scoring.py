"""The check of one reply against what was asked: each point answered (with the reply's sentence) or 未回应,
concrete facts, boilerplate, on time, and one advisory level 充分 / 部分 / 不充分 with plain-Chinese reasons.

A point (a suggestion's line, or an ask of a citizen's letter: intake.services.replies.asks) is answered by a
sentence of the reply's substance (greetings, 已收悉, forwarding, thanks and the signature taken out) that holds
enough of the point's key words: places and rare words weigh double, words every letter uses weigh nothing.
Only the asked text is cut into words; they are looked for as substrings of the reply's sentences, so the
unit's own word breaks do not matter, each with the other words said for the same thing (液化气 for 燃气,
照明 for 路灯: bot/equivalents.txt, wording.SAID_AS_WORKING). An answer that only promises (争取尽快, 正在申请,
with no date, no work done and no plain answer) is listed as such and keeps the reply from 充分.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.tokenizer import added_name, compound_ending, cut, dictionary_frequency, equivalent_words, stop_words
from intake.services.replies import asks, learned, wording as W

LEVELS = ("充分", "部分", "不充分")
MIN_SUBSTANCE_CHARS = 14  # less than this left once boilerplate is gone: nothing was answered
MAX_ASKED_CHARS = 1000  # a letter's first thousand characters say what it is about
# A sentence answers a point when it holds this much of the point's key-word weight: one place or rare word.
ANSWER_WEIGHT = 2
# A reply that answers no point still speaks of the matter when the whole of it holds this much.
ON_TOPIC_WEIGHT = 3
# jieba's dictionary counts: a word seen fewer times is specific to the matter; more often, everyday language.
RARE_WORD, COMMON_WORD = 1000, 10000
# 充分 needs every point answered, none of them by a promise alone (asks.promised), and a score of FULL_SCORE:
# kinds of concrete facts, plain answers and work done (2 at most each), less VAGUE_WEIGHT for each sentence
# promising without a date (2 at most).
FULL_SCORE, VAGUE_WEIGHT = 2, 1
# A suggestion's points are the deputy's own lines, every one to be answered. A citizen's asks are read out of
# a letter, and a long letter yields a few that are not really asks: with TOLERATED_ASKS or more, one may go
# unanswered.
TOLERATED_ASKS = 4
# With SHARED_MIN_POINTS points or more, a key word in more than half of them (1 / SHARED_SHARE) names the
# matter, not one point: it weighs SHARED_WEIGHT of its weight when a sentence is matched to a point, and the
# sentence must hold one of the point's own words too.
SHARED_SHARE, SHARED_WEIGHT, SHARED_MIN_POINTS = 2, 0.5, 3

_CITIZENS = re.compile(r"（\d+位群众反映）$")
_WORDLIKE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]{2,}")
_NUMBER = re.compile(r"^[\d.]+$(?<=....)")  # long bare numbers (years, phone numbers) say nothing of the matter
_QUOTED = re.compile(r"“[^”]{6,}”|\"[^\"]{6,}\"")

CONCRETE_LABELS = {"date": "日期", "amount": "数量或金额", "action": "具体措施", "office": "责任单位", "policy": "政策依据",
                   "procedure": "办理流程或材料", "completion": "完成时间"}


@dataclass(frozen=True)
class Answer:
    point: str
    sentence: str  # "" when no sentence of the reply answers the point: 未回应
    promised: bool = False  # the answer only promises or reports work under way, with no date (asks.promised)

    @property
    def answered(self) -> bool:
        return bool(self.sentence)


@dataclass(frozen=True)
class Check:
    level: str
    answers: tuple[Answer, ...]
    concrete: tuple[str, ...]  # keys of CONCRETE_LABELS found in the reply's substance
    boilerplate: str  # "" | "acknowledgement" (收悉/转办 only) | "redirect" (only sends the asker elsewhere) | "copied"
    copied_from: str = ""
    on_time: bool | None = None
    reasons: tuple[str, ...] = field(default=())  # what holds the level down, or what is missing
    merits: tuple[str, ...] = field(default=())  # what the reply does well: never listed as a reason against it

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.answers)


def _strip_boilerplate(sentence: str) -> str:
    while sentence:
        stripped = W.BOILERPLATE.sub("", sentence, count=1).strip()
        if stripped == sentence:
            break
        sentence = stripped
    return W.SIGNATURE.sub("", sentence).strip()


@dataclass(frozen=True)
class Substance:
    sentences: tuple[str, ...]  # what is left to answer with
    forwarded: bool  # a forwarding or acknowledgement was said
    redirected: bool  # the asker was sent elsewhere (call, go to, sue)
    handed_off: bool = False  # part of the matter was handed to another office for the asker to take up


def read_substance(reply: str) -> Substance:
    """The reply's sentences that may answer something, and whether it forwarded or redirected."""
    kept, forwarded, redirected, handed_off = [], False, False, False
    for raw in W.SENTENCE_END.split(asks.clean(reply)):
        raw = raw.strip()
        sentence = _strip_boilerplate(raw)
        handed_off = handed_off or bool(W.HANDOFF.search(sentence))
        if sentence != raw and W.RECEIVED.search(raw):
            forwarded = True
        if not sentence:
            continue
        match = W.FORWARDING.search(sentence)
        if match and asks.cjk(sentence) - asks.cjk(match.group()) < 25:
            forwarded = True
            continue
        match = W.REDIRECT.search(sentence)
        if match and asks.cjk(sentence) < 60:
            redirected = True
            continue
        # "已修复。" is short, and says the work was done.
        if asks.cjk(sentence) >= 4 or W.DONE.search(sentence) or W.FINISHED_DONE.search(sentence):
            kept.append(sentence)
    return Substance(tuple(kept), forwarded, redirected, handed_off)


# A page checks the same earlier replies for copies at every view: each is read once per process.
substance = lru_cache(maxsize=4096)(read_substance)


def question_points(text: str, subject: str = "") -> list[str]:
    """The points of a citizen's message: its asks (intake.services.replies.asks)."""
    return asks.asks(text, subject, _key_words, _asks_for)


def _asks_for(point: str) -> tuple[str, ...]:
    """The kinds of fact a question asks for (when, how much, what papers, which office): a reply giving that
    kind of fact answers it though it shares no word with it."""
    return tuple(kind for kind, pattern in W.ASKS_FOR.items() if pattern.search(point))


def suggestion_points(problems: str, proposals: str) -> list[str]:
    """A suggestion's 存在问题 and 具体建议, one point a line, without the count of citizens behind it."""
    lines = [line.strip() for line in f"{problems or ''}\n{proposals or ''}".splitlines()]
    return [_CITIZENS.sub("", line).strip() for line in lines if asks.cjk(line) >= 2]


def _weight(word: str) -> int:
    """Places and rare words weigh 2, everyday words 1; common words, numbers and letter forms 0."""
    if len(word) < 2 or word in stop_words() or word in W.GENERIC or not _WORDLIKE.search(word) or _NUMBER.match(word):
        return 0
    if added_name(word) or (len(word) >= 3 and W.PLACE_SUFFIX.search(word)):
        return 2
    frequency = dictionary_frequency(word)
    return 0 if frequency >= COMMON_WORD else 2 if frequency < RARE_WORD else 1


@lru_cache(maxsize=4096)
def _key_words(text: str) -> dict[str, int]:
    """The words of the asked text that tell it apart, with their weights."""
    return {word: weight for word in cut(asks.clean(_QUOTED.sub("", text))) if (weight := _weight(word.strip()))}


def _shared(points: list[str]) -> frozenset[str]:
    """The key words most of the points hold (the matter's place or subject, not one point's)."""
    if len(points) < SHARED_MIN_POINTS:
        return frozenset()
    counts = Counter(word for point in points for word in _key_words(point))
    return frozenset(word for word, n in counts.items() if n * SHARED_SHARE > len(points))


@lru_cache(maxsize=1)
def _lines_of_words() -> dict[str, frozenset[str]]:
    """Each word of bot/equivalents.txt and wording.SAID_AS_WORKING, with the others of its lines."""
    lines: dict[str, set[str]] = {}
    for word, first in equivalent_words().items():
        lines.setdefault(first, {first}).add(word)
    said = [*lines.values(), *map(set, W.SAID_AS_WORKING)]
    return {word: frozenset(other for line in said if word in line for other in line if other != word)
            for line in said for word in line}


@lru_cache(maxsize=65536)
def _said_also(word: str) -> tuple[str, ...]:
    """The other words for what the word names: 煤气 for 液化气, 照明 for 路灯, and in a compound beginning or
    ending in one of them, 燃气管道 for 煤气管道, 东门照明 for 东门路灯."""
    lines = _lines_of_words()
    if word in lines:
        return tuple(lines[word])
    ending = compound_ending(word, lines)
    if ending:
        return tuple(word[:-len(ending)] + other for other in lines[ending])
    start = next((start for start in (word[:3], word[:2]) if len(word) > len(start) and start in lines), "")
    return tuple(other + word[len(start):] for other in lines[start]) if start else ()


def _found(word: str, sentence: str) -> float:
    """1 when the sentence has the word or another word for the same thing (_said_also); 0.5 when it has the
    word's first or last two characters (汽配城 for 星沙汽配城); 0 otherwise."""
    if word in sentence:
        return 1.0
    # No generator is made for the many words with no other: this is the check's innermost step.
    others = _said_also(word)
    if others and any(other in sentence for other in others):
        return 1.0
    return 0.5 if len(word) >= 3 and (word[:2] in sentence or word[-2:] in sentence) else 0.0


def _repaired_only(plain: str) -> bool:
    """The sentence reports only a repair (已更换线路并恢复照明), saying nothing of new work: it answers the points
    on what was out of order, not one asking for something new (加装两盏路灯)."""
    return bool(not W.NEW_WORK.search(plain) and W.REPAIRED_DONE.search(plain))


def _answering(points: list[str], sentences: tuple[str, ...], plains: list[str]) -> list[str]:
    """The sentence answering each point ("" for none): the one holding most of the point's key words, if enough;
    else one giving the kind of fact the point asks for. plains: the sentences without their quotations (a unit
    quoting the letter answers nothing by that)."""
    found, shared = [], _shared(points)
    own_words = [set(_key_words(point)) - shared for point in points]
    repairs = [_repaired_only(plain) for plain in plains]
    for at, point in enumerate(points):
        words = {word: weight * SHARED_WEIGHT if word in shared else weight
                 for word, weight in _key_words(point).items()}
        own = own_words[at]
        best, best_weight = "", 0
        asks_new = W.NEW_WORK.search(point)
        for sentence, plain, repair in zip(sentences, plains, repairs):
            if asks_new and repair:
                continue
            weight = sum(w * _found(word, plain) for word, w in words.items())
            # A sentence on the matter in general (its place, its subject) answers no point in particular.
            if weight > best_weight and any(_found(word, plain) for word in own):
                best, best_weight = sentence, weight
        others = set().union(*own_words[:at], *own_words[at + 1:]) - own
        found.append(best if best_weight >= ANSWER_WEIGHT else _kind_sentence(point, sentences, plains)
                     or _done_sentence(point, sentences, plains, own, others, set(words) & shared))
    return found


def _done_sentence(point: str, sentences: tuple[str, ...], plains: list[str], own: set[str], others: set[str],
                   matter: set[str]) -> str:
    """The first sentence saying that the work the point asks for was done (已修复, 已更换 for 尽快修复路灯; 已完成
    when it names what the point is about), unless it names only another point's matter. matter: the point's
    words most points share; a point naming nothing else but the work (希望尽快修好路灯) is about them, so a
    sentence naming them is on its matter though it names another point's too (幸福小区门口及东门路灯…已更换)."""
    asked = [said for wanted, said in W.REMEDIES_DONE if wanted.search(point)]
    if not asked:
        return ""
    about_matter = all(any(wanted.search(word) for wanted, _ in W.REMEDIES_DONE) for word in own)
    for sentence, plain in zip(sentences, plains):
        names_own = any(_found(word, plain) for word in own) or (
            about_matter and any(_found(word, plain) for word in matter))
        if not names_own and any(_found(word, plain) for word in others):
            continue
        if any(said.search(plain) for said in asked) or (names_own and W.FINISHED_DONE.search(plain)):
            return sentence
    return ""


_FACT = {"date": (W.DATE, W.COMPLETION), "amount": (W.AMOUNT,), "procedure": (W.PROCEDURE, W.POLICY),
         "office": (W.OFFICE,)}


def _kind_sentence(point: str, sentences: tuple[str, ...], plains: list[str]) -> str:
    """The first sentence giving the kind of fact the point asks for (a date for 什么时候…)."""
    for kind in _asks_for(point):
        for sentence, plain in zip(sentences, plains):
            if any(pattern.search(plain) for pattern in _FACT[kind]):
                return sentence
    return ""


def _answer_window(sentence: str, sentences: tuple[str, ...], answering: list[str]) -> str:
    """The sentence answering a point and the one after it, unless that one answers another point: units
    often name the matter in one sentence and say what was done in the next."""
    at = sentences.index(sentence)
    after = sentences[at + 1] if at + 1 < len(sentences) else ""
    return sentence + ("" if after in answering else after)


def _on_topic(asked: str, text: str) -> bool:
    """Whether the reply as a whole speaks of what was asked (the letter's first MAX_ASKED_CHARS), though no one
    sentence answers a point."""
    words = _key_words(asked[:MAX_ASKED_CHARS])
    return sum(w * _found(word, text) for word, w in words.items()) >= ON_TOPIC_WEIGHT


def _concrete(text: str, category: str | None, promised: date | None) -> tuple[str, ...]:
    found = []
    for key, pattern in (("date", W.DATE), ("amount", W.AMOUNT), ("action", W.ACTION), ("office", W.OFFICE),
                         ("policy", W.POLICY), ("procedure", W.PROCEDURE)):
        if pattern.search(text):
            found.append(key)
    if (category == "B" and promised is not None) or W.COMPLETION.search(text):
        found.append("completion")
    return tuple(found)


def check(points: list[str], reply: str, *, asked: str = "", guessed: bool = False, category: str | None = None,
          promised: date | None = None, deadline: date | None = None, replied_on: date | None = None,
          copied_from: str = "", body: Substance | None = None, rules_only: bool = False) -> Check:
    """The advisory check of one reply. category/promised: the lifecycle's A–D and a B reply's promised date;
    deadline/replied_on: whether it came in time (None when either is unknown); copied_from: the other reply
    this one repeats (found by intake.services.replies.copies); asked: the whole question (title and text),
    to tell a reply on the matter that answers no point in particular from one on something else; guessed:
    the points were read out of a citizen's message (question_points), not written as points: the level then
    comes from the model learned on judged replies (intake.services.replies.learned), unless rules_only;
    body: the reply already read by read_substance, when the caller has it."""
    body = body or substance(reply)
    text = "".join(body.sentences)
    plains = [_QUOTED.sub("", sentence) for sentence in body.sentences]
    # Nothing left to answer with (an acknowledgement): no point needs cutting into words.
    found = _answering(points, body.sentences, plains) if plains else [""] * len(points)
    answers = tuple(Answer(point, sentence, bool(sentence) and asks.promised(
        _answer_window(sentence, body.sentences, found))) for point, sentence in zip(points, found))
    concrete = _concrete(text, category, promised)
    on_time = None if deadline is None or replied_on is None else replied_on <= deadline
    answered = sum(a.answered for a in answers)
    reasons: list[str] = []
    merits: list[str] = []
    boilerplate, too_short = "", asks.cjk(text) < MIN_SUBSTANCE_CHARS
    if too_short and body.redirected and not body.forwarded:
        boilerplate = "redirect"
        reasons.append("只让提问的人另找部门或自行办理，没有回答所提的问题")
    elif too_short and (body.forwarded or not asks.clean(reply)):
        boilerplate = "acknowledgement"
        reasons.append("只有“已收悉”“已转有关部门”之类的话，没有回答所提的问题")
    elif too_short:
        reasons.append("答复只有寥寥数语，看不出做了什么、怎么做的")
    elif copied_from:
        boilerplate = "copied"
        reasons.append(f"与另一件的答复（{copied_from}）几乎相同，像是照搬")
    if boilerplate or too_short:
        level = "不充分"
    else:
        level = _level(answers, answered, concrete, text, body.sentences, category, asked or "\n".join(points), reasons,
                       merits, guessed, body.handed_off)
        if guessed and not rules_only:
            level = _learned_level(level, signals(asked or "\n".join(points), reply, body, level, answers, concrete),
                                   reasons, merits)
    if on_time is False:
        reasons.append(f"超过办理期限（期限 {deadline.isoformat()}，答复于 {replied_on.isoformat()}）")
        if level == "充分":
            level = "部分"
    elif on_time:
        merits.append("在办理期限内答复")
    return Check(level, answers, concrete, boilerplate, copied_from, on_time, tuple(reasons), tuple(merits))


def signals(asked: str, reply: str, body: Substance, rules_level: str, answers: tuple[Answer, ...],
            concrete: tuple[str, ...]) -> dict[str, float]:
    """What the learned level weighs (intake.services.replies.learned.features), from the rules' reading."""
    # The asks' key words, already cut: cutting the whole letter again would cost as much as the check.
    words = {word: weight for answer in answers for word, weight in _key_words(answer.point).items()}
    text = "".join(body.sentences)
    overlap = sum(w * _found(word, text) for word, w in words.items()) / (sum(words.values()) or 1)
    return learned.features(asked, reply, body, rules_level, answers, concrete, overlap)


def _learned_level(rules_level: str, found: dict[str, float], reasons: list[str], merits: list[str]) -> str:
    """The model's level; where it differs from the rules' reading, the reasons say so and why (what weighed
    most towards it), so that a reason of the rules against the level shown is read as a caveat, not a verdict."""
    level = learned.level(found)
    if level == rules_level:
        return level
    worse = LEVELS.index(level) > LEVELS.index(rules_level)
    said = "：" + "，".join(why) if (why := learned.why(found, level, rules_level, not worse)) else ""
    if worse:
        reasons.append(f"与人工判读过的同类答复相比，整体更像“{level}”{said}")
    else:
        merits.append(f"与人工判读过的同类答复相比，整体已像“{level}”{said}")
    return level


def _level(answers, answered: int, concrete: tuple[str, ...], text: str, sentences: tuple[str, ...],
           category: str | None, asked: str, reasons: list[str], merits: list[str], guessed: bool,
           handed_off: bool) -> str:
    total = len(answers)
    missing = [i for i, a in enumerate(answers, start=1) if not a.answered]
    promised = [i for i, a in enumerate(answers, start=1) if a.promised]
    # Asks guessed from a long letter include a few that are not really asks: one of TOLERATED_ASKS or more may
    # go unanswered. A suggestion's points are the deputy's own lines, every one to be answered.
    tolerated = 1 if guessed and total >= TOLERATED_ASKS else 0
    if total and not answered:
        if not _on_topic(asked, text):
            reasons.append("没有一句话回应所提的问题" if total == 1 else f"{total} 点都未回应")
            return "不充分"
        reasons.append("讲的是所提的事，但没有一句话逐点回应")
        # A letter's one ask, answered in other words than the letter's: the reply as a whole is its answer.
        if guessed and total == 1:
            tolerated = 1
            if any(asks.promised(sentence) for sentence in sentences):
                promised = [1]
    elif missing and total > 1:
        reasons.append(f"回应了 {total} 点中的 {answered} 点，第 {'、'.join(map(str, missing))} 点未回应")
    elif total:
        merits.append("所提的问题都有回应" if total > 1 else "回应了所提的问题")
    if promised:
        reasons.append("只有承诺或还在办，没有写明何时办成" if total == 1
                       else f"第 {'、'.join(map(str, promised))} 点只有承诺或还在办，没有写明何时办成")
    facts = [k for k in concrete if k != "completion"]
    if facts:
        merits.append("有具体内容：" + "、".join(CONCRETE_LABELS[k] for k in facts))
    else:
        reasons.append("没有日期、数量、具体措施或责任单位")
    done, direct = len(W.DONE.findall(text)), len(W.DIRECT.findall(text))
    vague = sum(1 for sentence in sentences if W.VAGUE.search(sentence) and not W.DATE.search(sentence)
                and not W.COMPLETION.search(sentence))
    if done:
        merits.append("写明了已经做了什么")
    if vague and not promised:
        reasons.append("有研究、考虑、争取之类的表态，没有时间表")
    missing_completion = category == "B" and "completion" not in concrete
    if missing_completion:
        reasons.append("B 类答复没有写明完成时间")
    if vague and not facts and not direct and not done:
        reasons.append("只有研究、考虑之类的表态，没有回答")
        return "不充分"
    pending = "completion" not in concrete and W.PENDING.search(text)
    if pending and not promised:
        reasons.append("事情还在等审批、协商或没有查实，没有写明何时办成")
    if handed_off:
        reasons.append("有的问题让提问的人自己去找别的部门")
    score = len(facts) + min(direct, 2) + min(done, 2) + ("completion" in concrete) - VAGUE_WEIGHT * min(vague, 2)
    if (len(missing) <= tolerated and not promised and score >= FULL_SCORE and not missing_completion and not pending
            and not handed_off):
        return "充分"
    return "部分"
