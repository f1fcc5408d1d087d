"""The official first- and second-level topics, each with the unit that would handle it (a data file)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[str, ...]
    units: dict[tuple[str, str], str]

    def subtopics(self, topic: str) -> list[str]:
        return [sub for (top, sub) in self.units if top == topic]

    def unit_for(self, topic: str, subtopic: str = "其他") -> str:
        """The default handling unit; a topic's 其他 row stands for the topic as a whole."""
        return self.units.get((topic, subtopic)) or self.units.get((topic, "其他")) or "代表工委"


def parse(text: str) -> Taxonomy:
    topics: list[str] = []
    units: dict[tuple[str, str], str] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        topic, sub, unit = (row.get(k, "").strip() for k in ("一级分类", "二级分类", "承办单位"))
        if not (topic and sub and unit):
            raise ValueError(f"分类表第{line}行不完整：需要 一级分类、二级分类、承办单位。")
        if topic not in topics:
            topics.append(topic)
        units[(topic, sub)] = unit
    if not topics:
        raise ValueError("分类表是空的。")
    return Taxonomy(tuple(topics), units)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Taxonomy:
    """The district's own file when configured (TAXONOMY_FILE), else the one we ship."""
    if path:
        return parse(Path(path).read_text(encoding="utf-8-sig"))
    return parse(resources.files("intake.classifier").joinpath("taxonomy.csv").read_text(encoding="utf-8"))
