"""Replies copied from another suggestion's reply: character shingles of what is left once the boilerplate
every unit writes (greetings, 已收悉, thanks, dates) is gone, compared through an index.

A reply is a copy when most of its own shingles appear in one earlier reply while the two questions differ:
two citizens who wrote the same complaint may well get the same answer. Shingles that many replies share
are template phrases, not copying, and do not count. Each reply looks up a fixed sample of its shingles in an
index of all replies' shingles, so a large table is checked in one pass.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from intake.services.replies.scoring import Substance, substance

SHINGLE = 6
MIN_SHINGLES = 20  # shorter substance is judged as boilerplate, not as a copy
COPIED_SHARE = 0.6  # of a reply's shingles found in the earlier reply
SAME_QUESTION = 0.5  # questions this alike (Jaccard of shingles) are one matter: the same answer is no copy
COMMON_SHARE, COMMON_MIN = 0.01, 5  # a shingle in more replies than this is a template phrase
# Shingles of a reply looked up in the index: a reply holding 60 % of another's misses all 24 with odds 0.4**24.
SAMPLE = 24
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class Item:
    key: str  # how a person finds the other reply: a suggestion number, a line of a file
    reply: str
    question: str


def shingles(text: str) -> set[int]:
    plain = _KEEP.sub("", text)
    # Slices made and hashed in C: this runs over every reply of a table.
    count = max(0, len(plain) - SHINGLE + 1)
    return set(map(hash, map(plain.__getitem__, map(slice, range(count), range(SHINGLE, count + SHINGLE)))))


class Copies:
    """Every item's source, if it copies an earlier one (earlier = before it in the list). substances: each
    item's reply already read by scoring.substance, when the caller has it (a reply is read once)."""

    def __init__(self, items: list[Item], substances: list[Substance] | None = None):
        self.items = items
        bodies = substances if substances is not None else [substance(item.reply) for item in items]
        replies = [shingles("".join(body.sentences)) for body in bodies]
        # Each shingle's items, in order; a shingle in many replies is a template phrase, not copying.
        self.postings: dict[int, list[int]] = defaultdict(list)
        for index, shingle_set in enumerate(replies):
            for s in shingle_set:
                self.postings[s].append(index)
        limit = max(COMMON_MIN, int(COMMON_SHARE * len(items)))
        common = {s for s, found in self.postings.items() if len(found) > limit}
        self.own = [shingle_set - common for shingle_set in replies] if common else replies
        self._questions: dict[int, set[int]] = {}

    def _question(self, index: int) -> set[int]:
        if index not in self._questions:
            self._questions[index] = shingles(self.items[index].question)
        return self._questions[index]

    def source(self, index: int) -> str:
        """The key of the earlier item this one copies, or ""."""
        own = self.own[index]
        if len(own) < MIN_SHINGLES:
            return ""
        # Only a sample of the reply's shingles (the smallest hashes) is looked up: a reply that holds most of
        # them holds some of the sample, and the few it finds are then compared whole.
        candidates = set()
        for s in sorted(own)[:SAMPLE]:
            for other in self.postings[s]:
                if other >= index:
                    break
                candidates.add(other)
        shared = Counter({other: len(own & self.own[other]) for other in sorted(candidates)})
        for other, count in shared.most_common(5):
            if count / len(own) < COPIED_SHARE:
                break
            mine, theirs = self._question(index), self._question(other)
            alike = len(mine & theirs) / len(mine | theirs) if mine | theirs else 1.0
            if alike < SAME_QUESTION:
                return self.items[other].key
        return ""
