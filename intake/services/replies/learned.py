"""The level of a reply to a citizen's message, from a logistic regression over the check's own signals.

Word matching tells a reply that speaks of the asks from one that does not, but seven sets of replies judged by
reading (bench/replies_reference.json) showed its hand-set thresholds do not tell 充分 from 部分 on unseen
replies any better than weighing its signals together. The weights are learned by
`python -m bench.replies_train` from those judged replies (their texts stay in ../shared/data; only the
numbers are kept, in level_model.json) and used here with plain arithmetic. Boilerplate, a copy or a reply of
a few words stays 不充分 by rule; the point-by-point list is the rules' own and is what people read. Where the
model's level differs from the rules', why() names the signals that weighed most towards it.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from intake.services.replies import asks, wording as W

MODEL = Path(__file__).with_name("level_model.json")

_FUTURE = re.compile(r"将|尽快|近期|下一步|继续|加强|加大|力争|争取|督促")
_ONGOING = re.compile(r"正在|仍在|尚未|暂未|还未|还没有|目前")
_REFUSE = re.compile(r"不符合|不予|不能|不属于|无法|不存在|没有违规|未发现")
_ADVISE = re.compile(r"建议您|请您|可向|可到|可拨打|可致电|咨询")
_LOOKED = re.compile(r"经查|经调查|经核实|经了解|现场|实地|核查|查明|调查核实")
_PLANNED = re.compile(r"预计|计划|将于|力争|争取[^。]{0,10}\d")


def features(asked: str, reply: str, body, rules_level: str, answers: tuple, concrete: tuple[str, ...],
             overlap: float) -> dict[str, float]:
    """The signals of one reply: the rules' level, asks answered or promised, kinds of facts, work done, plain
    answers, promises, lengths. body: the reply as scoring.read_substance read it; answers and concrete: the
    rules' reading of it; overlap: the share of the asks' key-word weight the reply holds."""
    from intake.services.replies.scoring import CONCRETE_LABELS  # scoring imports this module: read on call

    sentences = body.sentences
    text = "".join(sentences)
    firm = [asks.firm(s) for s in sentences]
    promising = [not f and bool(W.PROMISE.search(s) or W.PENDING.search(s)) for s, f in zip(sentences, firm)]
    count = len(sentences) or 1
    total, answered = len(answers), sum(a.answered for a in answers)
    substance = asks.cjk(text)
    counted = {
        "rule_full": rules_level == "充分", "rule_part": rules_level == "部分", "rule_none": rules_level == "不充分",
        "points": total, "answered": answered, "share": answered / total if total else 0,
        "promised": sum(a.promised for a in answers),
        "unanswered_questions": sum(1 for a in answers if not a.answered and asks.QUESTION.search(a.point)),
        "questions": len(asks.QUESTION.findall(asked)),
        "facts": len([k for k in concrete if k != "completion"]),
        **{"has_" + k: k in concrete for k in CONCRETE_LABELS},
        "done": min(len(W.DONE.findall(text)), 5), "direct": min(len(W.DIRECT.findall(text)), 5),
        "vague": min(len(W.VAGUE.findall(text)), 5), "pending": bool(W.PENDING.search(text)),
        "handed_off": body.handed_off, "forwarded": body.forwarded, "redirected": body.redirected,
        "log_substance": math.log1p(substance), "log_reply": math.log1p(len(reply)),
        "log_asked": math.log1p(len(asked)), "sentences": min(len(sentences), 30), "overlap": overlap,
        "length_ratio": math.log1p(substance) - math.log1p(len(asked)),
        "dates": min(len(W.DATE.findall(text)), 10), "amounts": min(len(W.AMOUNT.findall(text)), 10),
        "actions": min(len(W.ACTION.findall(text)), 20), "redirects": len(W.REDIRECT.findall(reply)),
        "handoffs": len(W.HANDOFF.findall(text)), "future": min(len(_FUTURE.findall(text)), 10),
        "ongoing": min(len(_ONGOING.findall(text)), 10), "done_words": min(text.count("已"), 15),
        "items_asked": min(len(asks.ITEM.findall(asks.clean(asked))), 10),
        "items_replied": min(len(asks.ITEM.findall(text)), 10),
        "question_marks": min(asked.count("？") + asked.count("?"), 10),
        "refusals": min(len(_REFUSE.findall(text)), 5), "advice": min(len(_ADVISE.findall(text)), 5),
        "firm_sentences": min(sum(firm), 20), "firm_share": sum(firm) / count,
        "promising_sentences": min(sum(promising), 10), "promising_share": sum(promising) / count,
        "ends_promising": bool(sentences) and promising[-1], "ends_firm": bool(sentences) and firm[-1],
        "looked_into": min(len(_LOOKED.findall(text)), 5), "planned": bool(_PLANNED.search(text)),
        "asked_questions": sum(1 for a in answers if asks.QUESTION.search(a.point)),
    }
    return {name: float(value) for name, value in counted.items()}


# What a signal says of a reply when it is above the judged replies' mean ("+") or below ("-"): in favour of a
# better level, or against. The model's level is explained by the signals weighing most towards it, said only
# where they argue the way the model went (a signal can weigh oddly once others are counted: that is not said).
FOR = {
    ("share", "+"): "所提的问题大多有对应的回答", ("facts", "+"): "具体内容种类多", ("has_date", "+"): "写了日期",
    ("has_amount", "+"): "写了数量或金额", ("has_action", "+"): "写了具体措施", ("has_policy", "+"): "引了政策依据",
    ("has_procedure", "+"): "写了办理流程或材料", ("has_completion", "+"): "写了完成时间",
    ("done", "+"): "写明了已经做了什么", ("done_words", "+"): "写明了已经做了什么",
    ("direct", "+"): "有可以、不能之类的明确答复", ("refusals", "+"): "有明确的否定答复",
    ("log_substance", "+"): "答复内容充实", ("length_ratio", "+"): "答复篇幅与来信相称",
    ("overlap", "+"): "答复涉及来信的大部分要点", ("actions", "+"): "措施写得多", ("firm_sentences", "+"): "落到实处的句子多",
    ("firm_share", "+"): "多数句子落到实处（做了什么、日期、依据）", ("ends_firm", "+"): "结尾落到实处",
    ("looked_into", "+"): "写了调查核实的经过", ("planned", "+"): "写了计划或预计时间", ("items_replied", "+"): "分条逐一作答",
    ("promised", "-"): "没有只给承诺的问题", ("promising_share", "-"): "很少只给承诺", ("vague", "-"): "少有研究、争取之类的表态",
}
AGAINST = {
    ("share", "-"): "不少问题没有对应的回答", ("promised", "+"): "有的问题只有承诺",
    ("unanswered_questions", "+"): "有问句没有对应的回答", ("facts", "-"): "具体内容少", ("has_date", "-"): "没写日期",
    ("has_action", "-"): "没写具体措施", ("done", "-"): "几乎没写已经做了什么", ("done_words", "-"): "几乎没写已经做了什么",
    ("direct", "-"): "没有可以、不能之类的明确答复", ("vague", "+"): "研究、争取之类的表态多", ("pending", "+"): "事情还在办",
    ("ongoing", "+"): "“正在”“尚未”之类的话多", ("future", "+"): "“将”“加强”之类的话多",
    ("handed_off", "+"): "让提问的人自己去找别的部门", ("handoffs", "+"): "让提问的人自己去找别的部门",
    ("redirects", "+"): "有让提问的人另找部门或打电话的话", ("advice", "+"): "有让提问的人去咨询或打电话的话",
    ("log_substance", "-"): "答复内容单薄", ("length_ratio", "-"): "答复比来信短得多", ("overlap", "-"): "答复很少涉及来信的要点",
    ("actions", "-"): "措施写得少", ("firm_sentences", "-"): "落到实处的句子少", ("firm_share", "-"): "落到实处的句子占比小",
    ("promising_sentences", "+"): "只有承诺的句子多", ("promising_share", "+"): "只有承诺的句子占比大",
    ("ends_promising", "+"): "结尾只是承诺", ("looked_into", "-"): "没写调查核实的经过",
}
WHY_SAID = 2  # a reason line stays one glance long


@lru_cache(maxsize=1)
def _model() -> dict:
    return json.loads(MODEL.read_text(encoding="utf-8"))


def _standardised(signals: dict[str, float], model: dict) -> list[float]:
    return [(signals[name] - mean) / scale
            for name, mean, scale in zip(model["features"], model["mean"], model["scale"])]


def level(signals: dict[str, float], model: dict | None = None) -> str:
    """The level the model gives these signals (standardised, then the class of highest score)."""
    model = model or _model()
    x = _standardised(signals, model)
    scores = [intercept + sum(w * v for w, v in zip(weights, x))
              for weights, intercept in zip(model["coef"], model["intercept"])]
    return model["classes"][max(range(len(scores)), key=scores.__getitem__)]


def why(signals: dict[str, float], chosen: str, other: str, better: bool, model: dict | None = None) -> list[str]:
    """What most made the model choose one level over another (better: the chosen one is the better level), in
    plain Chinese, WHY_SAID at most: the signals whose weight towards `chosen` rather than `other`, times how far
    they are from the mean, is largest, and that FOR (better) or AGAINST says something of."""
    model = model or _model()
    x = _standardised(signals, model)
    weights = dict(zip(model["classes"], model["coef"]))
    phrases = FOR if better else AGAINST
    pushes = sorted(((a - b) * v, name, v)
                    for name, a, b, v in zip(model["features"], weights[chosen], weights[other], x))
    said: list[str] = []
    for push, name, value in reversed(pushes):
        if push <= 0 or len(said) == WHY_SAID:
            break
        phrase = phrases.get((name, "+" if value > 0 else "-"))
        if phrase and phrase not in said:
            said.append(phrase)
    return said
