"""Writing a draft suggestion from its messages in the official form; nothing in it is invented.

The title names the group's key place and key phrase (关于<地点><问题>的建议); 存在问题 and 具体建议 are
citizens' own sentences, ranked by how many of the group's frequent words they carry, identical ones said
once with every message behind them; 基本情况 only counts (citizens, messages, days, places).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import tzinfo

from intake.models import Draft
from intake.services.drafts import grouping
from intake.services.privacy import masking
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_PROPOSAL = re.compile(r"建议|希望|要求|应该|应当|恳请|请求|呼吁")
_SPACE = re.compile(r"\s+")
MAX_PROBLEMS, MAX_PROPOSALS = 8, 6
KEY_WORDS = 30  # the group's most frequent words, by which sentences are ranked
MIN_SENTENCE_CHARS = 6
CHANNEL_NAMES = {"web": "“码上说”", "wechat": "“码上说”", "offline": "代表接待日"}


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def _terms(message) -> dict[str, list[str]]:
    return message.terms if message.terms is not None else grouping.message_terms(message.text)


def citizen_count(draft: Draft) -> int:
    return len({m.citizen_id if m.citizen_id is not None else f"m{m.id}" for m in draft.messages})


def _key_phrase(counts: Counter, places: Counter) -> str | None:
    """The most frequent word that is not part of a place name (ties: the earlier, nouns come first)."""
    order = {word: index for index, word in enumerate(counts)}
    words = [w for w in counts if not any(w in place for place in places)]
    if not words:
        return None
    return max(words, key=lambda w: (counts[w], -order[w]))


def _ranked(items: dict[str, dict], key_words: dict[str, int], limit: int) -> list[dict]:
    def score(item):
        carried = sum(weight for word, weight in key_words.items() if word in item["text"])
        return carried * len(item["message_ids"]) / math.sqrt(len(item["text"]))

    useful = [item for item in items.values()
              if len(item["text"]) >= MIN_SENTENCE_CHARS and any(word in item["text"] for word in key_words)]
    ranked = sorted(useful, key=score, reverse=True)[:limit]
    return [{**item, "count": len(item["message_ids"])} for item in ranked]


def compose(draft: Draft, local_tz: tzinfo) -> None:
    messages = draft.messages
    counts: Counter = Counter()
    places: Counter = Counter()
    problems: dict[str, dict] = {}
    proposals: dict[str, dict] = {}
    for message in messages:
        terms = _terms(message)
        counts.update(terms["words"])
        places.update(terms["places"])
        # Deputies never see phone or ID-card numbers that citizens typed into their messages.
        for sentence in sentences(masking.mask(message.text)):
            target = proposals if _PROPOSAL.search(sentence) else problems
            item = target.setdefault(_SPACE.sub("", sentence), {"text": sentence, "message_ids": []})
            if message.id not in item["message_ids"]:
                item["message_ids"].append(message.id)
    place = max(places, key=lambda name: (places[name], len(name))) if places else ""
    if places and places[place] * 2 < len(messages):
        place = ""  # named by too few of the messages to stand for the group (and jieba's place tags err)
    phrase = _key_phrase(counts, places)
    subject = f"{place}{phrase}" if phrase else f"{place}{draft.topic}方面"
    draft.title = f"关于{subject}问题的建议"
    key_words = dict(counts.most_common(KEY_WORDS))
    draft.sections = {
        "situation": _situation(draft, subject, places, local_tz),
        "problems": _ranked(problems, key_words, MAX_PROBLEMS),
        "proposals": _ranked(proposals, key_words, MAX_PROPOSALS),
        "handling_unit": draft.handling_unit,
    }


def _situation(draft: Draft, subject: str, places: Counter, local_tz: tzinfo) -> str:
    messages = draft.messages
    days = sorted(m.created_at.astimezone(local_tz).date() for m in messages)
    when = f"{days[0]:%Y年%m月%d日}" if days[0] == days[-1] else f"{days[0]:%Y年%m月%d日}至{days[-1]:%Y年%m月%d日}"
    channels = "和".join(dict.fromkeys(CHANNEL_NAMES.get(m.channel, "“码上说”") for m in messages))
    text = f"{when}，共有{citizen_count(draft)}位群众通过{channels}反映{subject}问题，共{len(messages)}条意见"
    if places:
        text += "，涉及" + "、".join(f"{name}（{n}条）" for name, n in places.most_common(5))
    return text + "。"
