"""The problem-level reference that bench.problems measures drafts against: its shape, and its ids against ../shared."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bench import problems
from intake.models import DraftStatus
from tests.conftest import SHARED_DATA, build_app, make_settings, skip_unless
from workers import context, queues

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
    first = [p for p in problems if "added" not in p]  # the set the tuners split, before any fresh one
    held_out = sum(bool(p.get("held_out")) for p in first)
    assert len(first) // 4 <= held_out <= len(first) // 2
    assert len(data["different"]) >= 100
    assert {p["file"] for p in data["problems"]} | {d["file"] for d in data["different"]} <= set(FILES)


@pytest.mark.parametrize("mark", ["2026-12-06", "2026-12-06b"])
def test_a_fresh_held_out_set_was_added_after_the_tuners_saw_the_first(mark):
    """Each set the tuners have looked at is spent, so a later set ("2026-12-06b" after "2026-12-06") measures
    what was never seen."""
    data = reference()
    fresh = [p for p in data["problems"] if p.get("added") == mark]
    assert len(fresh) >= 20 and all(p["held_out"] and len(set(p["ids"])) >= 3 for p in fresh)
    assert {p["file"] for p in fresh} == set(FILES)
    assert sum(d.get("added") == mark for d in data["different"]) >= 60


def _scored_run(tuned_on: list[str]) -> tuple[dict, "problems.Run"]:
    reference = {"problems": [
        {"name": "调好的问题", "file": "f.csv", "ids": [1, 2]},
        {"name": "早先留出的问题", "file": "f.csv", "ids": [3, 4], "held_out": True},
        {"name": "新留出的问题", "file": "f.csv", "ids": [5, 6], "held_out": True, "added": "2026-12-06"}],
        "different": [{"file": "f.csv", "a": 1, "b": 3}, {"file": "f.csv", "a": 2, "b": 5, "added": "2026-12-06"}],
        "tuned_on": tuned_on}
    groups = {g: {"status": DraftStatus.COLLECTING, "title": f"组{g}", "size": 1} for g in (10, 11, 12)}
    run = problems.Run(group_of={1: 10, 2: 10, 3: 11, 4: 11, 5: 10, 6: 12}, groups=groups)
    return problems.score(reference, "f.csv", run), run


def test_the_bench_prints_a_fresh_set_apart_and_only_as_figures_until_it_is_tuned_on(capsys):
    result, run = _scored_run(tuned_on=[])
    problems.report("f.csv", run, result)
    out = capsys.readouterr().out
    assert "tuned mean 1.00" in out and "held out mean 1.00" in out
    assert ("fresh set (added 2026-12-06, never tuned on): 1 problems mean 0.50, lowest 0.50, 0/1 at >= 0.60; "
            "different problems in one group: 1/1 pairs = 100.0 %") in out
    assert "新留出的问题" not in out and "joined: 2 and 5" not in out
    assert "(1 of a set never tuned on not shown)" in out

    problems.report("f.csv", run, result, show_unseen=True)
    out = capsys.readouterr().out
    assert "- 新留出的问题 [added 2026-12-06]: 0.50 of 2" in out and "joined: 2 and 5" in out

    result, run = _scored_run(tuned_on=["2026-12-06"])
    problems.report("f.csv", run, result)
    out = capsys.readouterr().out
    assert "fresh set (added 2026-12-06, tuned on since)" in out
    assert "- 新留出的问题 [added 2026-12-06]: 0.50 of 2" in out and "joined: 2 and 5" in out


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


@pytest.fixture
def runtime(tmp_path, database_url, redis_conn, redis_url):
    """The default threshold: a group of one letter is no draft by itself, so the job leaves it unwritten."""
    app = build_app(make_settings(tmp_path, database_url, redis_url, DRAFT_MIN_CITIZENS="3"))
    yield app.extensions["mashang"]
    app.extensions["mashang"].close()
    context.use(None)


def test_the_bench_prints_a_group_of_one_letter_by_the_title_the_deputy_sees(runtime):
    """The job leaves a group of one message unwritten; the bench names it as the deputy's pages do, not 「」."""
    table = "编号,意见\n7,柳河镇桃园村的排污沟堵了，污水漫到路上，臭气熏天。建议环保部门尽快清理排污沟。\n".encode()
    run = problems.Run()
    problems.store_and_tag(runtime, table, run)
    run.failed_jobs += problems.burst(runtime.redis, queues.DRAFTS)
    assert run.failed_jobs == []
    problems.read_back(runtime, run)
    group = run.group_of[7]
    assert run.groups[group]["status"] == DraftStatus.COLLECTING
    assert run.groups[group]["title"] == "关于柳河镇排污沟问题的建议"
    assert "「关于柳河镇排污沟问题的建议」" in problems._describe_group(run, group, 1)
