"""The one Chinese tokenizer: jieba's dictionary with our civic words, their part-of-speech tags, stop words.

Tagging, grouping, place detection and the chat engine all cut text here, so a word such as 污水管网 is one
word everywhere. jieba builds its prefix dictionary on first use (~1 s): once per process, never at import.
The cuts are jieba's, computed by `bot.cutting`, which shares their common work between the topic model's cut
and the grouping terms' tagged cut of a message.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from importlib import resources

_LOCK = threading.RLock()  # the tagger is built while the tokenizer may be loading
# Proper names added while running (learned from the district's messages or from its gazetteer): they stay
# whole when cut, but keep the dictionary frequency of an unknown word, so every process orders words alike.
_ADDED: set[str] = set()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    text = resources.files("bot").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def equivalent_words() -> dict[str, str]:
    """Each word of bot/equivalents.txt and the first word of its line: citizens say 液化气 or 煤气 of one gas."""
    text = resources.files("bot").joinpath("equivalents.txt").read_text(encoding="utf-8")
    lines = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {word: words[0] for words in lines for word in words[1:]}


def compound_ending(word: str, known) -> str:
    """The compound's last three or two characters when they are one of the known words (代课老师 ends in 老师: the
    last word of a Chinese compound says what the thing is); "" when neither is."""
    return next((end for end in (word[-3:], word[-2:]) if len(word) > len(end) and end in known), "")


@lru_cache(maxsize=1)
def civic_words() -> frozenset[str]:
    """Our own words (bot/userdict.txt): kept whole wherever a citizen writes them."""
    text = resources.files("bot").joinpath("userdict.txt").read_text(encoding="utf-8")
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def _tokenizer():
    with _LOCK:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        with resources.as_file(resources.files("bot").joinpath("userdict.txt")) as path:
            tokenizer.load_userdict(str(path))
        return tokenizer


@lru_cache(maxsize=1)
def _tagger():
    with _LOCK:
        import jieba.posseg

        # Built on the same tokenizer: the user words keep their tags (污水管网 n) and their cut.
        return jieba.posseg.POSTokenizer(_tokenizer())


@lru_cache(maxsize=1)
def _cutter():
    with _LOCK:
        from bot.cutting import Cutter

        return Cutter(_tokenizer(), _tagger())


def warm_up() -> None:
    """Load the dictionary now, e.g. in a worker's parent process so that every forked job shares it."""
    _cutter().tagged("预热")


def cut(text: str) -> list[str]:
    """jieba's words of the text, as they come (stop words and punctuation still in)."""
    return _cutter().cut(text or "")


def dictionary_cut(text: str) -> list[str]:
    """The dictionary's most probable words alone, no word model gluing unknown characters: 东|六线|下穿|长|永|高速
    wherever it is said (the tagged cut makes 县东|六线 of A7县东六线 and 沙东|六线 of 星沙东六线)."""
    return list(_tokenizer().cut(text or "", HMM=False))


def tagged_words(text: str) -> list[tuple[str, str]]:
    """The same words with their part-of-speech flags (ns: a place name, n…: a noun)."""
    return _cutter().tagged(text or "")


def forget_cuts() -> None:
    """Drop the cuts kept of recent text: the next message is cut from scratch (benches time it so)."""
    global _GENERATION
    _cutter().forget()
    _GENERATION += 1


_GENERATION = 0


def cuts_generation() -> int:
    """How many times the kept cuts were dropped (names learned or forgotten): what a caller kept of a cut made
    before is stale once this changes."""
    return _GENERATION


def add_names(names) -> list[str]:
    """Keep these proper names whole from now on, tagged as places; returns those that were new."""
    tokenizer = _tokenizer()
    added = []
    with _LOCK:
        for name in names:
            if name in _ADDED or tokenizer.FREQ.get(name):
                continue
            tokenizer.add_word(name, tokenizer.suggest_freq(name, False) + 1, "ns")
            _ADDED.add(name)
            added.append(name)
        if added:
            forget_cuts()
    return added


def use_names(names) -> list[str]:
    """Exactly these proper names from now on (the database's known ones): names another database taught this
    process are dropped again, so the same messages are cut alike in every process. Returns the new ones."""
    wanted = set(names)
    with _LOCK:
        stale = _ADDED - wanted
        if stale:
            tokenizer, tags = _tokenizer(), _tagger().word_tag_tab
            for name in stale:
                # Undo add_word by hand: jieba's del_word would also forbid the word to its HMM for good.
                tokenizer.total -= tokenizer.FREQ.get(name, 0)
                tokenizer.FREQ[name] = 0
                tokenizer.user_word_tag_tab.pop(name, None)
                tags.pop(name, None)
            _ADDED.difference_update(stale)
            forget_cuts()
    return add_names(sorted(wanted))


def added_name(word: str) -> bool:
    return word in _ADDED


def dictionary_tag(word: str) -> str:
    """The part of speech jieba's dictionary (with ours) gives the word, '' for one it does not know."""
    return "" if word in _ADDED else _tagger().word_tag_tab.get(word, "")


def dictionary_frequency(word: str) -> int:
    """How often jieba's dictionary (with ours) saw the word: 0 for one it does not know, such as most place
    names, which is what makes a word rare among citizens' messages too."""
    return 0 if word in _ADDED else _tokenizer().FREQ.get(word, 0)
