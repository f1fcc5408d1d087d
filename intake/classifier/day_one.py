"""The model a new district starts with: our keyword lexicon and example sentences, no training data."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from importlib import resources

from intake.classifier.prediction import Prediction, from_scores
from intake.classifier.tokenize import tokens

VERSION = "day-one-1"
EXAMPLE_WEIGHT = 0.5
PART_WEIGHT = 0.8
SMOOTHING = 0.1
# Where something is ("就在幸福小区东门") is no evidence of what it is about: these words still rank topics but
# never make the model sure of one.
ADDRESS_WORDS = frozenset({"小区", "社区", "街道", "村", "村里", "镇", "乡", "路", "街", "巷", "组", "门口", "小区门口",
                           "楼栋", "东门", "西门", "南门", "北门"})
# Confidence is a logistic function of the top topic's share of the evidence, fitted on the even ids of the
# shared labelled-dev.csv (whether the top topic was right); a share of 0.31 is an even chance.
CALIBRATION_SLOPE, CALIBRATION_INTERCEPT = 7.18, -2.21
# Below this much evidence for its topic (half a keyword) the model is proportionally less sure; with none, not
# at all: "你好，想问一下" is about nothing yet.
EVIDENCE_FLOOR = 0.5


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
        # A word's matches depend on the word alone, and words recur across messages: each is looked up once.
        self._matches = lru_cache(maxsize=100_000)(self._matches)

    def _matches(self, word: str) -> list[tuple[int, float, bool]]:
        """(topic index, weight, whether it is evidence of the topic rather than an address word)."""
        if word in self.table:
            return [(index, weight, word not in ADDRESS_WORDS) for index, weight in self.table[word]]
        # jieba often keeps a compound whole (污水沟, 公交站牌, 幸福小区): credit the known words inside it.
        best: dict[int, tuple[float, bool]] = {}
        for i in range(len(word)):
            for j in range(i + 2, min(len(word), i + self.longest) + 1):
                part = word[i:j]
                for index, weight in self.table.get(part, ()):
                    if PART_WEIGHT * weight > best.get(index, (0.0, False))[0]:
                        best[index] = (PART_WEIGHT * weight, part not in ADDRESS_WORDS)
        return [(index, weight, evidence) for index, (weight, evidence) in best.items()]

    def _raw(self, words) -> tuple[list[float], list[float]]:
        """Each topic's weight from all matched words, and from the words that are evidence."""
        raw, evidence = [0.0] * len(self.topics), [0.0] * len(self.topics)
        for word in words:
            for index, weight, counts in self._matches(word):
                raw[index] += weight
                if counts:
                    evidence[index] += weight
        return raw, evidence

    @staticmethod
    def _shares(raw: list[float]) -> list[float]:
        total = sum(raw) + SMOOTHING * len(raw)
        return [(value + SMOOTHING) / total for value in raw]

    def predict(self, text: str) -> Prediction:
        return self.predict_words(tokens(text))

    def predict_words(self, words) -> Prediction:
        """The prediction for a message whose `tokens` are already known."""
        raw, evidence = self._raw(words)
        ranked = from_scores(dict(zip(self.topics, self._shares(raw))), self.version)
        share = self._shares(evidence)[self.topics.index(ranked.topic)]
        confidence = 1.0 / (1.0 + math.exp(-(CALIBRATION_SLOPE * share + CALIBRATION_INTERCEPT)))
        confidence *= min(1.0, evidence[self.topics.index(ranked.topic)] / EVIDENCE_FLOOR)
        # The ranking keeps its proportions, scaled so that the first topic shows the calibrated confidence.
        scale = confidence / ranked.confidence
        return Prediction(ranked.topic, confidence, self.version,
                          tuple((topic, value * scale) for topic, value in ranked.ranked))

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        return [self.predict(text) for text in texts]


@lru_cache(maxsize=4)
def model(topics: tuple[str, ...]) -> DayOneModel:
    return DayOneModel(topics)
