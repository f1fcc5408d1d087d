"""Grouping 10,000 and 100,000 messages over 200 deputies: time, peak memory, and how time grows.

    .venv/bin/python -m bench.grouping [--shared ../shared/data] [--sizes 10000 100000] [--deputies 200] [--runs 3]

The messages are the shared labelled ones, repeated with variations (a word dropped, a word from another
message added, or forwarded unchanged) and spread over the deputies; their topic is their label. Their
words are cut once beforehand, as tagging does for every message, so the figures are those of grouping
itself: where each message goes, through the inverted indexes of its deputy's groups, one deputy at a
time as the batch job works, with the cyclic garbage collector paused for each deputy as the job pauses it.
Each size runs three times, each in a fresh process, and the median run is reported. Targets: 100,000 in
<= 60 s, peak <= 1 GB, and the 100k/10k time ratio <= 12 (no comparison of a message with a deputy's whole
history).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot import tokenizer
from intake.services.drafts import grouping
def cut(shared: Path, cache: Path) -> None:
    with open(shared / "labelled-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    start = time.perf_counter()
    cut_rows = [(grouping.terms_of(r["text"]), r["label"]) for r in rows]
    print(f"cut {len(rows)} shared messages into words in {time.perf_counter() - start:.1f} s (done at tagging)")
    cache.write_bytes(pickle.dumps(cut_rows))


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


def group_one_deputy(messages: list[tuple[dict, str]]) -> int:
    grouper = grouping.Grouper()
    for terms, topic in messages:
        item = grouping.entry(terms)
        group = grouper.place(item, topic) or grouper.new_group(None, topic)
        grouper.add(group, item)
    return len(grouper.groups)


def run(cache: Path, size: int, deputies: int) -> dict:
    base = pickle.loads(cache.read_bytes())
    tokenizer.warm_up()  # grouping orders words by jieba's dictionary, loaded once per worker
    by_deputy: list[list] = [[] for _ in range(deputies)]
    for index, message in enumerate(variations(base, size)):
        by_deputy[random.Random(index).randrange(deputies)].append(message)
    # The job holds one deputy's messages, not all 100,000: moved out of the collector's sight, the loaded
    # input costs no collection time, as it costs the job none.
    gc.collect()
    gc.freeze()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    groups = 0
    start = time.perf_counter()
    # As the batch job does: one deputy at a time, all of that deputy's messages into its groups.
    for messages in by_deputy:
        with grouping.collector_paused():
            groups += group_one_deputy(messages)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"size": size, "seconds": seconds, "peak_mb": peak / 1024, "grouping_mb": (peak - before) / 1024,
            "groups": groups}


def _run_alone(cache: Path, size: int, deputies: int) -> dict:
    """One size in a fresh process, so that its peak memory is its own and no run warms the next."""
    out = subprocess.run([sys.executable, "-m", "bench.grouping", "--one", str(size), "--cache", str(cache),
                          "--deputies", str(deputies)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--deputies", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per size; the median is reported")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in its own process
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.cache, args.one, args.deputies)))
        return

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "words.pickle"
        cut(args.shared, cache)
        results = []
        for size in args.sizes:
            runs = [_run_alone(cache, size, args.deputies) for _ in range(args.runs)]
            # The median run: a 10,000 run takes a quarter of a second, where one hiccup of the machine shows.
            result = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
            result["peak_mb"] = max(r["peak_mb"] for r in runs)
            results.append(result)
            times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            print(f"{size:>8} messages, {args.deputies} deputies: {result['seconds']:6.2f} s, the median of {times} "
                  f"({size / result['seconds']:,.0f} messages/s), peak memory {result['peak_mb']:.0f} MB "
                  f"({result['grouping_mb']:.0f} MB above the loaded messages and dictionary), {result['groups']} groups "
                  f"({100 * result['groups'] / size:.1f} per 100 messages)")
    if len(results) >= 2:
        first, last = results[0], results[-1]
        ratio = last["seconds"] / first["seconds"]
        print(f"time ratio {last['size']}/{first['size']}: {ratio:.1f} (size ratio {last['size'] / first['size']:.0f}; "
              f"target <= 12); {last['size']} in {last['seconds']:.1f} s (target <= 60 s), "
              f"peak {last['peak_mb']:.0f} MB (target <= 1024 MB)")


if __name__ == "__main__":
    main()
