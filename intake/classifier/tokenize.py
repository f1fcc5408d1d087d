"""Words of a citizen message for the topic models: the project's tokenizer, stop words removed.

Accepts raw text and text that is already space-separated tokens (as in the shared training data),
and turns both into the same form, so a model trained on one works on the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot import tokenizer

_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[\u4e00-\u9fff\d]")
_LATIN_ONLY = re.compile(r"^[A-Za-z]+$")
# Where a message's opening ends: a line break, a run of spaces (how the shared data separates a message's
# subject from its detail) or the end of the first sentence.
_OPENING_END = re.compile(r"\s{2,}|[\n\u3000。！？!?]")
OPENING_MAX_TOKENS = 30  # a longer "opening" is no title: take the first words instead
OPENING_FALLBACK_TOKENS = 12


def is_pretokenised(text: str) -> bool:
    cjk = len(_CJK.findall(text))
    spaces = text.count(" ") + text.count("\u3000")
    return cjk > 0 and spaces * 3 >= cjk


def tokens(text: str) -> list[str]:
    text = text or ""
    return _kept(text, is_pretokenised(text))


def _kept(text: str, pretokenised: bool) -> list[str]:
    parts = text.split() if pretokenised else tokenizer.cut(text)
    return [word for word in map(_keep, parts) if word]


@lru_cache(maxsize=200_000)
def _keep(part: str) -> str:
    """The word as the models see it, '' for one they drop. Words recur: each is judged once per process."""
    part = part.strip()
    # Latin-only words are dropped, as in the shared data ("A市" → "市"); digits and CJK carry meaning.
    if part and part not in tokenizer.stop_words() and _WORD.search(part) and not _LATIN_ONLY.match(part):
        return part
    return ""


@dataclass(frozen=True)
class Prepared:
    """What every model sees of a message: its kept tokens, and those of its opening on their own."""

    words: str  # space-separated
    opening: str  # the subject line or first sentence; it names the topic more often than the rest does
    # `tokens(text)` of the message, when these are its words (None when they may differ): the day-one model
    # then reads them instead of cutting the message a second time.
    tokens: tuple[str, ...] | None = field(default=None, compare=False, repr=False)


def prepare(text: str) -> Prepared:
    given = text or ""
    text = given.strip()
    pretokenised = is_pretokenised(text)
    parts = _OPENING_END.split(text, maxsplit=1)
    head = _kept(parts[0], pretokenised)
    words = head + (_kept(parts[1], pretokenised) if len(parts) > 1 else [])
    opening = head if len(parts) > 1 and 0 < len(head) <= OPENING_MAX_TOKENS else words[:OPENING_FALLBACK_TOKENS]
    # The opening ends between jieba's blocks (a space or a sentence's end), so cutting the raw text whole
    # gives the same words; a pretokenised text is split at spaces only, and stripping may make a text look
    # pretokenised or not.
    same = not pretokenised and len(text) == len(given)
    return Prepared(" ".join(words), " ".join(opening), tuple(words) if same else None)
