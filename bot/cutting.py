"""jieba's cut and its part-of-speech cut, computed as jieba computes them, with the work both share done once.

Both cuts take the dictionary's most probable path through each run of characters, and differ only in what
they do with the runs of single characters the dictionary does not know: the plain cut hands them to jieba's
four-state word model, the part-of-speech cut to its 256-state tagging model. So the path of a block of text
is kept (a bounded memo, emptied whenever the dictionary changes) and serves the topic model's cut and the
grouping terms' tagged cut of one message alike; each cut's result is kept per block too, since the topic
models cut a message in several ways (its opening, its whole). The Viterbi searches are jieba's, written
to follow only the transitions the models have and to keep back-pointers instead of copying paths, which
changes no result (ties are broken as jieba breaks them), only the time: the tagging model's search was
most of a message's tagging time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from math import log

import numpy as np
from jieba import finalseg, posseg, re_han_default, re_skip_default

MIN_FLOAT = -3.14e100
# Called on every character: ndarray.max and .min would go through a Python wrapper each time.
_maximum, _minimum = np.maximum.reduce, np.minimum.reduce
# Blocks of text (between punctuation) whose results are kept: far more than one message has.
MEMO_BLOCKS = 4096


class _WordModel:
    """jieba's four-state model (finalseg) that cuts an unknown run of characters into words."""

    def __init__(self) -> None:
        self.start, self.trans, self.emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
        # Each state's predecessors, largest first: of two equal scores jieba keeps the larger state.
        self.previous = {y: sorted(finalseg.PrevStatus[y], reverse=True) for y in "BMES"}

    def states(self, text: str) -> list[str]:
        emit, trans = self.emit, self.trans
        scores = {y: self.start[y] + emit[y].get(text[0], MIN_FLOAT) for y in "BMES"}
        pointers = []
        for char in text[1:]:
            new, back = {}, {}
            for y in "BMES":
                em = emit[y].get(char, MIN_FLOAT)
                best = None
                for x in self.previous[y]:
                    score = scores[x] + trans[x].get(y, MIN_FLOAT) + em
                    if best is None or score > best:
                        best, back[y] = score, x
                new[y] = best
            scores = new
            pointers.append(back)
        state = "S" if scores["S"] >= scores["E"] else "E"
        path = [state]
        for back in reversed(pointers):
            state = back[state]
            path.append(state)
        return path[::-1]

    def cut(self, run: str) -> list[str]:
        """finalseg.cut: Chinese characters by the model, other characters in their own pieces."""
        words = []
        for block in finalseg.re_han.split(run):
            if finalseg.re_han.match(block):
                for word in _words(block, self.states(block)):
                    if word in finalseg.Force_Split_Words:
                        words.extend(word)
                    else:
                        words.append(word)
            else:
                words.extend(piece for piece in finalseg.re_skip.split(block) if piece)
        return words


def _words(text: str, states) -> list[str]:
    """Words from B(egin) M(iddle) E(nd) S(ingle) states, as jieba reads them (a trailing B… is a word)."""
    words, begin, following = [], 0, 0
    for i, position in enumerate(states):
        if position == "B":
            begin = i
        elif position == "E":
            words.append(text[begin:i + 1])
            following = i + 1
        elif position == "S":
            words.append(text[i])
            following = i + 1
    if following < len(text):
        words.append(text[following:])
    return words


class _TaggingModel:
    """jieba.posseg's model: states are (position in word, part of speech), each character allows a few."""

    def __init__(self) -> None:
        # States as numbers in the order of jieba's tuples, so that comparing numbers breaks ties as jieba does.
        self.names = sorted(posseg.trans_P)
        number = {state: i for i, state in enumerate(self.names)}
        self.trans = np.full((len(self.names), len(self.names)), -np.inf)
        for state, row in posseg.trans_P.items():
            for following, probability in row.items():
                self.trans[number[state], number[following]] = probability
        self.start = np.array([posseg.start_P[state] for state in self.names])
        self.emit = [posseg.emit_P[state] for state in self.names]
        # Every set of states is held largest first: of equal scores jieba keeps the larger state, which is then
        # simply the first maximum.
        self.everything = np.arange(len(self.names))[::-1].copy()
        # The states each character allows, with their emission log probabilities.
        self.allowed = {}
        # A run's first character scores its states from the start probabilities: kept with its allowed states,
        # and so is the best state of a run that is this one character (a third of the runs in real messages).
        self.first, self.alone = {}, {}
        for char, states in posseg.char_state_tab_P.items():
            allowed = np.array(sorted((number[state] for state in states), reverse=True))
            self.allowed[char] = (allowed, self._emitted(allowed, char))
            self.first[char] = self.start[allowed] + self.allowed[char][1]
            self.alone[char] = (self.names[allowed[self.first[char].argmax()]],)

    def _emitted(self, states, char: str):
        return np.array([self.emit[y].get(char, MIN_FLOAT) for y in states.tolist()])

    def states(self, text: str) -> Sequence[tuple[str, str]]:
        """posseg's Viterbi search, a character's allowed states at a time. A state that does not lead to one
        of them scores -inf in jieba as here, and a state no last state leads to is left out, as jieba does.
        Back-pointers are positions in the previous character's states, so the path is read back by indexing."""
        allowed, trans = self.allowed, self.trans
        if text[0] in allowed:
            if len(text) == 1:
                return self.alone[text[0]]
            states, scores = allowed[text[0]][0], self.first[text[0]]
        else:
            states = self.everything
            scores = self.start[states] + self._emitted(states, text[0])
        steps = []
        for char in text[1:]:
            candidates, emitted = allowed.get(char) or (self.everything, self._emitted(self.everything, char))
            # (score + transition) + emission, added in jieba's order, in place.
            scored = trans[states[:, None], candidates]
            scored += scores[:, None]
            scored += emitted
            best = _maximum(scored, 0)
            if _minimum(best) == -np.inf:
                reached = best > -np.inf
                if not reached.any():
                    # No allowed state follows the last ones: jieba then takes every state that can follow.
                    candidates = np.flatnonzero((trans[states] > -np.inf).any(axis=0))[::-1]
                    emitted = self._emitted(candidates, char)
                    scored = scores[:, None] + trans[states[:, None], candidates] + emitted
                    best = _maximum(scored, 0)
                    reached = best > -np.inf
                candidates, best, scored = candidates[reached], best[reached], scored[:, reached]
            steps.append((states, scored.argmax(axis=0)))
            states, scores = candidates, best
        position = scores.argmax()
        names = self.names
        path = [names[states[position]]]
        for previous, came_from in reversed(steps):
            position = came_from[position]
            path.append(names[previous[position]])
        path.reverse()
        return path

    def cut(self, run: str) -> list[tuple[str, str]]:
        """posseg's cut of an unknown run (__cut_detail): Chinese characters by the model, numbers m, Latin eng."""
        pairs = []
        for block in posseg.re_han_detail.split(run):
            if posseg.re_han_detail.match(block):
                states = self.states(block)
                # As posseg reads the states: a word ending at E takes that state's tag, a trailing B… piece
                # the tag of its first character.
                begin = following = 0
                for i, (position, flag) in enumerate(states):
                    if position == "B":
                        begin = i
                    elif position == "E":
                        pairs.append((block[begin:i + 1], flag))
                        following = i + 1
                    elif position == "S":
                        pairs.append((block[i], flag))
                        following = i + 1
                if following < len(block):
                    pairs.append((block[following:], states[following][1]))
            else:
                for piece in posseg.re_skip_detail.split(block):
                    if piece:
                        flag = "m" if posseg.re_num.match(piece) else "eng" if posseg.re_eng.match(piece) else "x"
                        pairs.append((piece, flag))
        return pairs


class Cutter:
    """Cuts with one jieba tokenizer and the part-of-speech tagger built on it."""

    def __init__(self, tokenizer, tagger) -> None:
        self.tokenizer, self.tagger = tokenizer, tagger
        self.word_model, self.tagging_model = _WordModel(), _TaggingModel()
        self._path = lru_cache(maxsize=MEMO_BLOCKS)(self._best_path)
        self._plain = lru_cache(maxsize=MEMO_BLOCKS)(self._plain_block)
        self._tagged = lru_cache(maxsize=MEMO_BLOCKS)(self._tagged_block)

    def forget(self) -> None:
        """Drop what was kept: the dictionary (or a word's tag) changed."""
        for memo in (self._path, self._plain, self._tagged):
            memo.cache_clear()

    def cut(self, text: str) -> list[str]:
        """jieba's Tokenizer.lcut(text) (accurate mode, with its word model)."""
        words = []
        for block in re_han_default.split(text):
            if not block:
                continue
            if re_han_default.match(block):
                words.extend(self._plain(block))
            else:
                for piece in re_skip_default.split(block):
                    if re_skip_default.match(piece):
                        words.append(piece)
                    else:
                        words.extend(piece)
        return words

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """jieba.posseg's POSTokenizer.lcut(text), as (word, flag) pairs."""
        self.tagger.makesure_userdict_loaded()
        pairs = []
        for block in posseg.re_han_internal.split(text):
            if posseg.re_han_internal.match(block):
                pairs.extend(self._tagged(block))
                continue
            for piece in posseg.re_skip_internal.split(block):
                if posseg.re_skip_internal.match(piece):
                    pairs.append((piece, "x"))
                    continue
                for char in piece:
                    # posseg asks whether the whole piece, not the character, looks Latin.
                    flag = "m" if posseg.re_num.match(char) else "eng" if posseg.re_eng.match(piece) else "x"
                    pairs.append((char, flag))
        return pairs

    def _best_path(self, block: str) -> tuple[tuple[str, bool], ...]:
        """The dictionary's most probable cut of a block (jieba's get_DAG and calc in one pass), as pieces:
        its words of two or more characters, and the runs of single characters between them (True)."""
        freq = self.tokenizer.FREQ
        log_total = log(self.tokenizer.total)
        size = len(block)
        score = [0.0] * (size + 1)
        end = list(range(size + 1))
        for start in range(size - 1, -1, -1):
            best = None
            i, fragment = start, block[start]
            while i < size:
                count = freq.get(fragment)
                if count is None:
                    break
                if count:
                    value = log(count) - log_total + score[i + 1]
                    if best is None or value >= best:  # of equal scores jieba keeps the longer word
                        best, end[start] = value, i
                i += 1
                fragment = block[start:i + 1]
            if best is None:
                best, end[start] = log(freq.get(block[start]) or 1) - log_total + score[start + 1], start
            score[start] = best
        pieces, run, x = [], "", 0
        while x < size:
            y = end[x] + 1
            if y - x == 1:
                run += block[x]
            else:
                if run:
                    pieces.append((run, True))
                    run = ""
                pieces.append((block[x:y], False))
            x = y
        if run:
            pieces.append((run, True))
        return tuple(pieces)

    def _plain_block(self, block: str) -> tuple[str, ...]:
        words = []
        for piece, is_run in self._path(block):
            if not is_run or len(piece) == 1:
                words.append(piece)
            elif not self.tokenizer.FREQ.get(piece):
                words.extend(self.word_model.cut(piece))
            else:
                words.extend(piece)
        return tuple(words)

    def _tagged_block(self, block: str) -> tuple[tuple[str, str], ...]:
        tags = self.tagger.word_tag_tab
        pairs = []
        for piece, is_run in self._path(block):
            if not is_run or len(piece) == 1:
                pairs.append((piece, tags.get(piece, "x")))
            elif not self.tokenizer.FREQ.get(piece):
                pairs.extend(self.tagging_model.cut(piece))
            else:
                pairs.extend((char, tags.get(char, "x")) for char in piece)
        return tuple(pairs)
