"""The level of a reply to a citizen's message, from a logistic regression over the check's own signals.

Word matching tells a reply that speaks of the asks from one that does not, but six sets of replies judged by
reading (bench/replies_reference.json) showed its hand-set thresholds do not tell 充分 from 部分 on unseen
replies any better than weighing its signals together. The weights are learned by
`python -m bench.replies_train` from those judged replies (their texts stay in ../shared/data; only the
numbers are kept, in level_model.json) and used here with plain arithmetic. Boilerplate, a copy or a reply of
a few words stays 不充分 by rule; the point-by-point list is the rules' own and is what people read.
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


@lru_cache(maxsize=1)
def _model() -> dict:
    return json.loads(MODEL.read_text(encoding="utf-8"))


def level(signals: dict[str, float], model: dict | None = None) -> str:
    """The level the model gives these signals (standardised, then the class of highest score)."""
    model = model or _model()
    x = [(signals[name] - mean) / scale for name, mean, scale in zip(model["features"], model["mean"], model["scale"])]
    scores = [intercept + sum(w * v for w, v in zip(weights, x))
              for weights, intercept in zip(model["coef"], model["intercept"])]
    return model["classes"][max(range(len(scores)), key=scores.__getitem__)]
