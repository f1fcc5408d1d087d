"""The model a new district starts with: our keyword lexicon and example sentences, no training data."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

from intake.classifier.prediction import Prediction, from_scores
from intake.classifier.tokenize import tokens

VERSION = "day-one-1"
EXAMPLE_WEIGHT = 0.5
PART_WEIGHT = 0.8
SMOOTHING = 0.1


def _rows(name: str) -> list[tuple[str, str]]:
    text = resources.files("intake.classifier").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            topic, value = line.split("\t", 1)
            rows.append((topic.strip(), value.strip()))
    return rows


class DayOneModel:
    version = VERSION

    def __init__(self, topics: tuple[str, ...]):
        self.topics = topics
        keywords = {topic: set(words.split()) for topic, words in _rows("lexicon.tsv")}
        examples: dict[str, set[str]] = {}
        for topic, sentence in _rows("examples.tsv"):
            # A single character (月, 好) or a number in an example sentence says nothing about its topic.
            examples.setdefault(topic, set()).update(w for w in tokens(sentence) if len(w) > 1 and not w.isdigit())
        # A word listed under many topics says little about any one of them.
        weights: dict[str, dict[str, float]] = {topic: {} for topic in topics}
        for source, factor in ((examples, EXAMPLE_WEIGHT), (keywords, 1.0)):
            spread = Counter(word for words in source.values() for word in words)
            for topic, words in source.items():
                if topic in weights:
                    for word in words:
                        weights[topic][word] = max(weights[topic].get(word, 0.0), factor / spread[word])
        # word -> [(topic index, weight)], so each token is looked up once for all topics.
        self.table: dict[str, list[tuple[int, float]]] = {}
        for index, topic in enumerate(topics):
            for word, weight in weights[topic].items():
                self.table.setdefault(word, []).append((index, weight))
        self.longest = max(map(len, self.table), default=0)

    def _matches(self, word: str) -> list[tuple[int, float]]:
        if word in self.table:
            return self.table[word]
        # jieba often keeps a compound whole (污水沟, 公交站牌): credit the known words inside it.
        best: dict[int, float] = {}
        for i in range(len(word)):
            for j in range(i + 2, min(len(word), i + self.longest) + 1):
                for index, weight in self.table.get(word[i:j], ()):
                    best[index] = max(best.get(index, 0.0), PART_WEIGHT * weight)
        return list(best.items())

    def scores(self, text: str) -> dict[str, float]:
        raw = [0.0] * len(self.topics)
        for word in tokens(text):
            for index, weight in self._matches(word):
                raw[index] += weight
        total = sum(raw) + SMOOTHING * len(raw)
        return {topic: (value + SMOOTHING) / total for topic, value in zip(self.topics, raw)}

    def predict(self, text: str) -> Prediction:
        return from_scores(self.scores(text), self.version)

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        return [self.predict(text) for text in texts]


@lru_cache(maxsize=4)
def model(topics: tuple[str, ...]) -> DayOneModel:
    return DayOneModel(topics)
