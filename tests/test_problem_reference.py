"""The problem-level reference that bench.problems measures drafts against: its shape, and its ids against ../shared."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import SHARED_DATA, skip_unless

REFERENCE = Path(__file__).resolve().parent.parent / "bench" / "problems_reference.json"
FILES = ("messages-with-replies.csv", "labelled-dev.csv")


def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_reference_has_enough_problems_and_pairs_in_both_files():
    data = reference()
    assert data["about"].strip()
    problems = [p for p in data["problems"] if len(set(p["ids"])) >= 3 and p["name"].strip()]
    assert len(problems) >= 40
    for name in FILES:
        assert sum(p["file"] == name for p in problems) >= 15, name
    held_out = sum(bool(p.get("held_out")) for p in problems)
    assert len(problems) // 4 <= held_out <= len(problems) // 2
    assert len(data["different"]) >= 100
    assert {p["file"] for p in data["problems"]} | {d["file"] for d in data["different"]} <= set(FILES)


def test_a_message_belongs_to_one_problem_and_no_pair_is_inside_one():
    owner: dict[tuple[str, int], str] = {}
    data = reference()
    for problem in data["problems"]:
        for message in problem["ids"]:
            key = (problem["file"], message)
            assert key not in owner, f"{key} is in {owner.get(key)} and {problem['name']}"
            owner[key] = problem["name"]
    seen = set()
    for pair in data["different"]:
        a, b = owner.get((pair["file"], pair["a"])), owner.get((pair["file"], pair["b"]))
        assert pair["a"] != pair["b"] and not (a and a == b), pair
        key = (pair["file"], min(pair["a"], pair["b"]), max(pair["a"], pair["b"]))
        assert key not in seen, pair
        seen.add(key)


def test_every_id_is_a_message_of_its_file():
    skip_unless(all((SHARED_DATA / name).exists() for name in FILES), "../shared/data is not here")
    ids = {}
    for name in FILES:
        with open(SHARED_DATA / name, encoding="utf-8") as fh:
            ids[name] = {int(row["id"]) for row in csv.DictReader(fh)}
    data = reference()
    missing = [(p["file"], i) for p in data["problems"] for i in p["ids"] if i not in ids[p["file"]]]
    missing += [(d["file"], i) for d in data["different"] for i in (d["a"], d["b"]) if i not in ids[d["file"]]]
    assert missing == []
