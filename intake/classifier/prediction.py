"""What a model says about one message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    topic: str
    confidence: float
    model_version: str
    ranked: tuple[tuple[str, float], ...]  # best first, with confidence

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        return list(self.ranked[:k])


def from_scores(scores: dict[str, float], version: str) -> Prediction:
    ranked = tuple(sorted(scores.items(), key=lambda item: (-item[1], item[0])))
    return Prediction(ranked[0][0], float(ranked[0][1]), version, ranked)
