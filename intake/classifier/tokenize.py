"""Words of a citizen message: jieba with our civic dictionary, stop words removed.

Accepts raw text and text that is already space-separated tokens (as in the shared training data),
and turns both into the same form, so a model trained on one works on the other.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

_LOCK = threading.Lock()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[\u4e00-\u9fff\d]")
_LATIN_ONLY = re.compile(r"^[A-Za-z]+$")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    text = resources.files("intake.classifier").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def _jieba():
    # jieba builds its prefix dictionary on first use (~1 s); do it once per process, never at import.
    with _LOCK:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        with resources.as_file(resources.files("intake.classifier").joinpath("userdict.txt")) as path:
            tokenizer.load_userdict(str(path))
        return tokenizer


def warm_up() -> None:
    """Load the dictionary now, e.g. in a worker's parent process so that every forked job shares it."""
    _jieba()


def is_pretokenised(text: str) -> bool:
    cjk = len(_CJK.findall(text))
    spaces = text.count(" ") + text.count("\u3000")
    return cjk > 0 and spaces * 3 >= cjk


def tokens(text: str) -> list[str]:
    text = text or ""
    parts = text.split() if is_pretokenised(text) else _jieba().lcut(text)
    stops = stop_words()
    kept = []
    for part in parts:
        part = part.strip()
        # Latin-only words are dropped, as in the shared data ("A市" → "市"); digits and CJK carry meaning.
        if part and part not in stops and _WORD.search(part) and not _LATIN_ONLY.match(part):
            kept.append(part)
    return kept


def prepare(text: str) -> str:
    """The message as one space-separated string of kept tokens: the input every model sees."""
    return " ".join(tokens(text))
