"""The one Chinese tokenizer: jieba's dictionary with our civic words, their part-of-speech tags, stop words.

Tagging, grouping, place detection and the chat engine all cut text here, so a word such as 污水管网 is one
word everywhere. jieba builds its prefix dictionary on first use (~1 s): once per process, never at import.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

_LOCK = threading.RLock()  # the tagger is built while the tokenizer may be loading
# Proper names added while running (learned from the district's messages or from its gazetteer): they stay
# whole when cut, but keep the dictionary frequency of an unknown word, so every process orders words alike.
_ADDED: set[str] = set()
# A place's last character when it says what kind of place it is (A市, 双江口镇).
_ADMINISTRATIVE_CHARS = frozenset("省市县区镇乡村")
# What jieba cuts as one block (its re_han_default): no word runs across a character outside it.
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]*")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    text = resources.files("bot").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


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


def warm_up() -> None:
    """Load the dictionary now, e.g. in a worker's parent process so that every forked job shares it."""
    _tagger().lcut("预热")


def cut(text: str) -> list[str]:
    """jieba's words of the text (stop words and punctuation still in), none glued across a place's end."""
    return _unglued(text or "", _tokenizer().lcut, lambda word: word)


def tagged_words(text: str) -> list[tuple[str, str]]:
    """The same words with their part-of-speech flags (ns: a place name, n…: a noun)."""
    return _unglued(text or "", lambda part: [(w.word, w.flag) for w in _tagger().lcut(part)], lambda pair: pair[0])


def _glued(previous: str, word: str, frequencies: dict, tags: dict) -> bool:
    """jieba's guess at an unknown word took the last character of the place before it (A市|经开区 cut
    A|市经|开区, 双江口镇|罗巷 cut 双江口|镇罗巷): a guessed word that starts with an administrative character
    right after a code (A, A7) or a place name the dictionary knows."""
    if len(word) < 2 or word[0] not in _ADMINISTRATIVE_CHARS or frequencies.get(word) or word in _ADDED:
        return False
    return previous[-1:].isascii() and previous[-1:].isalnum() or tags.get(previous) == "ns"


def _unglued(text: str, cut_part, word_of) -> list:
    """The words of the text, its block cut again after the administrative character wherever _glued finds one
    (jieba cuts each block of characters apart, so the words after the block stay as they are)."""
    words = cut_part(text)
    frequencies, tags = _tokenizer().FREQ, _tagger().word_tag_tab
    index, offset = 1, len(word_of(words[0])) if words else 0
    while index < len(words):
        word = word_of(words[index])
        if _glued(word_of(words[index - 1]), word, frequencies, tags):
            block_end, end, stop = _BLOCK.match(text, offset).end(), index, offset
            while end < len(words) and stop < block_end:
                stop += len(word_of(words[end]))
                end += 1
            words[index:end] = cut_part(word[0]) + cut_part(text[offset + 1:stop])
            word = word[0]
        offset += len(word)
        index += 1
    return words


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
