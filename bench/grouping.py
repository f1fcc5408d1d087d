"""The grouping job itself: `batch_deputy` through the database, in batches, over a growing history.

    .venv/bin/python -m bench.grouping [--shared ../shared/data] [--history 10000] [--batches 1 10 100]
                                       [--steady] [--total 100000] [--deputies 100] [--postgres URL] [--dump FILE]

Messages are the shared labelled ones, repeated with variations (a word dropped, a word from another
message added, or forwarded unchanged); their topic is their label and their words are cut as tagging does,
once (kept in ~/.cache/mashang-bench by the texts' and the cut's versions: setup then takes seconds). Each
batch's messages are written as tagging leaves them (timed apart: the baseline below); then
`batch_deputy` runs in its own transaction, commit included, as the worker runs it: that is the time measured
(reading the index, placing, writing the index, composing the drafts that changed). The tokenizer's dictionary
is loaded first and kept out of the cyclic collector's passes (gc.freeze), and the collector's full pass made as
seldom, as a worker does before its first job (workers/context.settle_collector).

1. One deputy's history grows to --history messages, in batches of each size of --batches (a fresh database
   for each): the cost per message in each tenth of the history. Target: last tenth <= 1.3x the first. Past the
   shared file's messages every message repeats an earlier one and joins its group, so the history's first half
   mostly starts groups and its second joins them; --steady also runs each with the repeats spread evenly over
   the history (`steady`), so that every tenth starts and joins groups in the same shares.
2. --total messages over --deputies deputies, ten at a time: total grouping time, peak memory, and the
   ratio of the grouping work to a baseline of the same run without grouping: each batch's messages
   written (one insert of all of them) and committed in a transaction of their own, the work any job that
   stores a batch pays. Targets: 1,000,000 in <= 60 s of grouping work, peak <= 1 GB, ratio <= 12.
SQLite in a temporary folder unless --postgres names an empty scratch database (its tables are recreated).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from bot.tokenizer import warm_up
from intake.db import make_engine, make_session_factory
from intake.models import Base, Deputy, Draft, Message, MessageStatus, Station
from intake.services.drafts import drafting, grouping
from workers.context import settle_collector

TZ = ZoneInfo("Asia/Shanghai")
MIN_CITIZENS = 3


# What the cut depends on besides the text: a change to any of these cuts again.
CUT_SOURCES = ("bot/tokenizer.py", "bot/userdict.txt", "bot/stopwords.txt", "bot/places.py",
               "intake/services/drafts/grouping.py")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mashang-bench"


def _cut_key(data: bytes) -> str:
    digest = hashlib.sha256(data)
    root = Path(__file__).resolve().parents[1]
    for name in CUT_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:32]


def cut(shared: Path) -> list[tuple[dict, str]]:
    """The shared messages' terms and labels, cut once per version of the texts and of the cut itself (the
    cut is tagging's work, not grouping's: kept in a local cache, never in the repository)."""
    data = (shared / "labelled-dev.csv").read_bytes()
    cached = CACHE / f"terms-{_cut_key(data)}.json"
    if cached.exists():
        cut_rows = [(terms, label) for terms, label in json.loads(cached.read_text(encoding="utf-8"))]
        print(f"{len(cut_rows)} shared messages' words read from {cached}")
        return cut_rows
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    start = time.perf_counter()
    cut_rows = [(grouping.terms_of(r["text"]), r["label"]) for r in rows]
    print(f"cut {len(rows)} shared messages into words in {time.perf_counter() - start:.1f} s (done at tagging)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    partial.write_text(json.dumps(cut_rows, ensure_ascii=False), encoding="utf-8")
    partial.replace(cached)
    return cut_rows


def variations(base: list[tuple[dict, str]], count: int, seed: int = 7):
    rng = random.Random(seed)
    for index in range(count):
        terms, label = base[index % len(base)]
        words = list(terms["words"])
        kind = rng.random()
        if kind < 0.4 and len(words) > 3:
            del words[rng.randrange(len(words))]  # a small edit
        elif kind < 0.7:
            words.append(rng.choice(base[rng.randrange(len(base))][0]["words"] or ["其他"]))
        yield {"places": terms["places"], "words": words}, label


def steady(messages: list, first_round: int) -> list:
    """The same messages, each repeat of an earlier one (the second round over the shared file) spread evenly among
    the first round and after its original: every tenth then starts and joins groups in the same shares, and a
    repeat late in the history joins a group made long before."""
    firsts, repeats = messages[:first_round], messages[first_round:]
    ordered, emitted = [], 0
    for position, message in enumerate(firsts):
        ordered.append(message)
        while emitted < len(repeats) and (emitted + 1) * len(firsts) <= (position + 1) * len(repeats):
            ordered.append(repeats[emitted])
            emitted += 1
    return ordered + repeats[emitted:]


def fresh_database(url: str | None, folder: Path, name: str, deputies: int):
    engine = make_engine(url or f"sqlite:///{folder / name}.db")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        station = Station(name="联络站")
        session.add(station)
        session.flush()
        session.execute(insert(Deputy), [{"name": f"代表{i}", "level": "区", "station_id": station.id}
                                         for i in range(deputies)])
    with sessions() as session:
        ids = list(session.scalars(select(Deputy.id).order_by(Deputy.id)))
    return engine, sessions, ids


class Feeder:
    """Writes messages as tagging leaves them (timed: the baseline), then times one `batch_deputy` run over them."""

    def __init__(self, sessions) -> None:
        self.sessions, self.receipts = sessions, 0
        self.changed: list[int] = []  # the drafts the last batch changed
        self.baseline_wall = self.baseline_cpu = 0.0

    def batch(self, deputy_id: int, messages: list[tuple[dict, str]]) -> tuple[float, float]:
        """Wall-clock and this process's CPU seconds of the grouping (the CPU figure is the one a busy machine
        disturbs less); the writing's are added to `baseline_wall` and `baseline_cpu`."""
        rows = []
        for terms, topic in messages:
            self.receipts += 1
            rows.append({"deputy_id": deputy_id, "channel": "web", "text": "，".join(terms["words"]) or "无",
                         "receipt": f"B{self.receipts:09d}", "status": MessageStatus.TAGGED, "topic": topic,
                         "terms": terms})
        start, cpu = time.perf_counter(), time.process_time()
        with self.sessions() as session, session.begin():
            session.execute(insert(Message), rows)
        self.baseline_wall += time.perf_counter() - start
        self.baseline_cpu += time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        with self.sessions() as session, session.begin():
            self.changed = drafting.batch_deputy(session, deputy_id, TZ, MIN_CITIZENS)
        return time.perf_counter() - start, time.process_time() - cpu


def growing_history(base, url, folder: Path, history: int, size: int, even: bool = False) -> list[tuple]:
    """For each tenth of one deputy's history in batches of `size`: wall-clock and CPU seconds per message, the
    share of messages that started a group (the others joined one, whose draft is written again), and, in
    batches of one, the CPU seconds of a message starting a group and of one joining a group (None if few).
    `even`: the repeats spread over the history (`steady`) rather than all in its second half."""
    engine, sessions, (deputy_id,) = fresh_database(url, folder, f"history-{size}-{even}", 1)
    messages = list(variations(base, history, seed=size))
    feeder, messages = Feeder(sessions), steady(messages, len(base)) if even else messages
    tenth, per_tenth, spent, cpu, groups, newest = history // 10, [], 0.0, 0.0, 0, 0
    by_kind: dict[bool, list[float]] = {True: [], False: []}  # batches' CPU seconds, by whether they made a group
    for start in range(0, history, size):
        wall, used = feeder.batch(deputy_id, messages[start:start + size])
        spent, cpu = spent + wall, cpu + used
        by_kind[max(feeder.changed, default=0) > newest].append(used)
        newest = max([newest, *feeder.changed])
        if (start + size) % tenth == 0:
            with sessions() as session:  # not timed
                made, groups = groups, session.scalar(select(func.count()).select_from(Draft))
            kinds = [sum(batches) / len(batches) if size == 1 and len(batches) >= 50 else None
                     for batches in (by_kind[True], by_kind[False])]
            per_tenth.append((spent / tenth, cpu / tenth, (groups - made) / tenth, *kinds))
            spent, cpu, by_kind = 0.0, 0.0, {True: [], False: []}
    engine.dispose()
    return per_tenth


def dump(sessions, path: Path) -> None:
    """Every draft's id, status, title, sections, topic, unit and messages, one JSON line each: a change that
    should not change the drafts is checked by comparing two runs' files (with PYTHONHASHSEED=0). A group of one
    message, left unwritten by the job, is written here as the pages that show it title it."""
    with sessions() as session, path.open("w", encoding="utf-8") as out:
        for draft in session.scalars(select(Draft).order_by(Draft.id)):
            title, sections, unit = drafting.text_of(session, draft, TZ)
            out.write(json.dumps({"id": draft.id, "status": draft.status, "title": title,
                                  "sections": sections, "topic": draft.topic, "unit": unit,
                                  "messages": sorted(link.message_id for link in draft.links)},
                                 ensure_ascii=False, sort_keys=True) + "\n")


def many_deputies(base, url, folder: Path, total: int, deputies: int, size: int = 10,
                  dump_to: Path | None = None) -> dict:
    engine, sessions, ids = fresh_database(url, folder, "all", deputies)
    feeder, spent, cpu, rng = Feeder(sessions), 0.0, 0.0, random.Random(3)
    pending: dict[int, list] = {deputy_id: [] for deputy_id in ids}
    for message in variations(base, total, seed=11):
        deputy_id = ids[rng.randrange(deputies)]
        pending[deputy_id].append(message)
        if len(pending[deputy_id]) == size:
            wall, used = feeder.batch(deputy_id, pending[deputy_id])
            spent, cpu, pending[deputy_id] = spent + wall, cpu + used, []
    for deputy_id, rest in pending.items():
        if rest:
            wall, used = feeder.batch(deputy_id, rest)
            spent, cpu = spent + wall, cpu + used
    with sessions() as session:
        groups = session.scalar(select(func.count()).select_from(Draft))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the dump's own memory is no batch's
    if dump_to is not None:
        dump(sessions, dump_to)
    engine.dispose()
    return {"seconds": spent, "cpu": cpu, "groups": groups,
            "baseline": feeder.baseline_wall, "baseline_cpu": feeder.baseline_cpu, "peak_mb": peak_mb}


def _ratio(spent: float, baseline: float) -> str:
    return f"{spent / baseline:.1f}" if baseline > 0 else "n/a"  # a run too short for the clock to see the baseline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--history", type=int, default=10_000, help="one deputy's messages, at the end (0: skip)")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 10, 100], help="messages per batch")
    parser.add_argument("--total", type=int, default=1_000_000, help="messages over all deputies (0: skip)")
    parser.add_argument("--deputies", type=int, default=1_000)
    parser.add_argument("--steady", action="store_true",
                        help="also run each history with the repeats spread evenly over it (same share starting "
                             "groups in every tenth)")
    parser.add_argument("--dump", type=Path, help="write every draft of part two to this file, one JSON line each")
    parser.add_argument("--postgres", help="an empty scratch PostgreSQL database (its tables are recreated)")
    args = parser.parse_args()
    if 0 < args.history < 10:
        parser.error("--history: 0 (skip) or at least 10, for its cost is shown by tenths")
    base = cut(args.shared)
    if args.steady and args.history > 2 * len(base):
        parser.error(f"--steady: at most {2 * len(base)} messages of history (one repeat of each shared message)")
    # As a worker does before its first job (workers/context.warm_up): the dictionary's load is no batch's
    # cost, its objects, which live as long as the worker, are kept out of the collector's full passes, and
    # those passes run as seldom as in the worker.
    warm_up()
    settle_collector()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as folder:
        runs = [(size, False) for size in args.batches] + [(size, True) for size in args.batches if args.steady]
        for size, even in runs if args.history else ():
            per_tenth = growing_history(base, args.postgres, Path(folder), args.history, size, even)
            history = f"{args.history} messages{', repeats spread evenly,' if even else ''}"
            for name, column in (("wall-clock", 0), ("CPU", 1)):
                figures = [row[column] for row in per_tenth]
                print(f"{backend}, one deputy, {history} in batches of {size}, {name} ms per message "
                      f"by tenth: {' '.join(f'{1000 * s:.2f}' for s in figures)}; last/first "
                      f"{figures[-1] / figures[0]:.2f} (target <= 1.3); all {sum(figures) * args.history / 10:.1f} s",
                      flush=True)
            # Past the shared file's messages, every message is a variation of an earlier one and joins its group.
            print(f"  messages starting a group, by tenth: {' '.join(f'{100 * row[2]:.0f}%' for row in per_tenth)}",
                  flush=True)
            for name, column in (("starting a group", 3), ("joining a group", 4)):
                if any(row[column] is not None for row in per_tenth):
                    print(f"  CPU ms of a message {name}, by tenth (- when under 50): " + " ".join(
                        "-" if row[column] is None else f"{1000 * row[column]:.2f}" for row in per_tenth), flush=True)
        if args.total:
            result = many_deputies(base, args.postgres, Path(folder), args.total, args.deputies,
                                   dump_to=args.dump)
            print(f"{backend}, {args.total} messages over {args.deputies} deputies in batches of 10: "
                  f"{result['seconds']:.1f} s of grouping work, {result['cpu']:.1f} s CPU "
                  f"({args.total / result['seconds']:,.0f} messages/s; "
                  f"target 1,000,000 in <= 60 s), {result['groups']} groups "
                  f"({100 * result['groups'] / args.total:.1f} per 100 messages), "
                  f"peak memory {result['peak_mb']:.0f} MB (target <= 1024 MB); baseline (the same batches "
                  f"written and committed, no grouping) {result['baseline']:.1f} s, {result['baseline_cpu']:.1f} s "
                  f"CPU: ratio {_ratio(result['seconds'], result['baseline'])} wall-clock, "
                  f"{_ratio(result['cpu'], result['baseline_cpu'])} CPU (target <= 12)")


if __name__ == "__main__":
    main()
