"""Replies copied from another suggestion's reply: character shingles of what is left once the boilerplate
every unit writes (greetings, 已收悉, thanks, dates) is gone, compared through an index of the rarer ones.

A reply is a copy when most of its own shingles appear in one earlier reply while the two questions differ:
two citizens who wrote the same complaint may well get the same answer. Shingles that many replies share
are template phrases, not copying, and stay out of the index so a large table is checked in one pass.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from intake.services.replies.scoring import substance

SHINGLE = 6
MIN_SHINGLES = 20  # shorter substance is judged as boilerplate, not as a copy
COPIED_SHARE = 0.6  # of a reply's shingles found in the earlier reply
SAME_QUESTION = 0.5  # questions this alike (Jaccard of shingles) are one matter: the same answer is no copy
COMMON_SHARE, COMMON_MIN = 0.01, 5  # a shingle in more replies than this is a template phrase
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class Item:
    key: str  # how a person finds the other reply: a suggestion number, a line of a file
    reply: str
    question: str


def shingles(text: str) -> set[int]:
    plain = _KEEP.sub("", text)
    return {hash(plain[i:i + SHINGLE]) for i in range(max(0, len(plain) - SHINGLE + 1))}


class Copies:
    """Every item's source, if it copies an earlier one (earlier = before it in the list)."""

    def __init__(self, items: list[Item]):
        self.items = items
        self.replies = [shingles("".join(substance(item.reply).sentences)) for item in items]
        counts = Counter(s for shingle_set in self.replies for s in shingle_set)
        limit = max(COMMON_MIN, int(COMMON_SHARE * len(items)))
        self.common = {s for s, n in counts.items() if n > limit}
        self.postings: dict[int, list[int]] = defaultdict(list)
        for index, shingle_set in enumerate(self.replies):
            for s in shingle_set - self.common:
                self.postings[s].append(index)
        self._questions: dict[int, set[int]] = {}

    def _question(self, index: int) -> set[int]:
        if index not in self._questions:
            self._questions[index] = shingles(self.items[index].question)
        return self._questions[index]

    def source(self, index: int) -> str:
        """The key of the earlier item this one copies, or ""."""
        own = self.replies[index] - self.common
        if len(own) < MIN_SHINGLES:
            return ""
        shared: Counter[int] = Counter()
        for s in own:
            for other in self.postings[s]:
                if other < index:
                    shared[other] += 1
        for other, count in shared.most_common(5):
            if count / len(own) < COPIED_SHARE:
                break
            mine, theirs = self._question(index), self._question(other)
            alike = len(mine & theirs) / len(mine | theirs) if mine | theirs else 1.0
            if alike < SAME_QUESTION:
                return self.items[other].key
        return ""
