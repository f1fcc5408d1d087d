"""Words of a citizen message for the topic models: the project's tokenizer, stop words removed.

Accepts raw text and text that is already space-separated tokens (as in the shared training data),
and turns both into the same form, so a model trained on one works on the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def prepare(text: str) -> Prepared:
    text = (text or "").strip()
    pretokenised = is_pretokenised(text)
    parts = _OPENING_END.split(text, maxsplit=1)
    head = _kept(parts[0], pretokenised)
    words = head + (_kept(parts[1], pretokenised) if len(parts) > 1 else [])
    opening = head if len(parts) > 1 and 0 < len(head) <= OPENING_MAX_TOKENS else words[:OPENING_FALLBACK_TOKENS]
    return Prepared(" ".join(words), " ".join(opening))
