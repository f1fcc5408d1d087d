"""Classification throughput (one process) beside plain jieba.lcut on the same raw texts, and model load time.

    .venv/bin/python -m bench.classify [--shared ../shared/data] [--sample 500]

Two kinds of figure: the model alone (batched, and one message per call), and the worker's real
per-message work — what `tagging.tag_message` computes for each message the `classify_message` job takes:
the model's prediction plus the grouping terms (jieba's part-of-speech cut), one message per call.
Targets: at least 0.5 of plain tokenisation speed, model load < 2 s.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from intake.classifier import day_one, learned, taxonomy
from bot.tokenizer import warm_up
from intake.classifier.tokenize import prepare
from intake.services.drafts import grouping

BATCH = 256


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label:>42}: {per_second:8.0f} messages/s")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--sample", type=int, default=500, help="messages for the worker's per-message figures")
    args = parser.parse_args()
    with open(args.shared / "messages-with-replies.csv", encoding="utf-8") as fh:
        raw = [f"{r['subject']}。{r['detail']}" for r in csv.DictReader(fh)]
    with open(args.shared / "labelled-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    print(f"{len(raw)} raw messages, average {sum(map(len, raw)) / len(raw):.0f} characters")

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    warm_up()
    start = time.perf_counter()
    for text in raw:
        jieba.lcut(text)
    baseline = rate("plain jieba.lcut (baseline)", len(raw), time.perf_counter() - start)

    model = learned.train([], [r["label"] for r in rows], version="bench",
                          prepared=[prepare(r["text"]) for r in rows])
    data = model.to_bytes(b"bench")
    start = time.perf_counter()
    loaded = learned.LearnedModel.from_bytes(data, b"bench")
    load_seconds = time.perf_counter() - start
    print(f"{'learned model load':>42}: {load_seconds:8.2f} s ({len(data) / 1e6:.1f} MB stored; target < 2 s)")

    start = time.perf_counter()
    for i in range(0, len(raw), BATCH):
        loaded.predict_many(raw[i:i + BATCH])
    batched = rate(f"learned model, batches of {BATCH}", len(raw), time.perf_counter() - start)
    start = time.perf_counter()
    for text in raw[:500]:
        loaded.predict(text)
    single = rate("learned model, one message at a time", 500, time.perf_counter() - start)

    start = time.perf_counter()
    rules = day_one.DayOneModel(taxonomy.load().topics)
    print(f"{'day-one model build':>42}: {time.perf_counter() - start:8.2f} s")
    start = time.perf_counter()
    rules.predict_many(raw)
    first_day = rate("day-one model", len(raw), time.perf_counter() - start)

    print(f"ratio to plain jieba.lcut, model alone: learned batched {batched / baseline:.2f}, learned single "
          f"{single / baseline:.2f}, day-one {first_day / baseline:.2f} (target >= 0.5)")

    # The worker's work per message, as tagging.tag_message does it: one prediction, then the terms kept
    # for grouping. The database statements around them (the message row, spam counts) are not in it.
    # On the first messages only, each figure beside plain jieba.lcut on the same texts, to keep the run short.
    sample = raw[:args.sample]
    grouping.message_terms(sample[0])  # the part-of-speech tagger loads its model on first use
    start = time.perf_counter()
    for text in sample:
        jieba.lcut(text)
    plain = rate(f"plain jieba.lcut, first {len(sample)}", len(sample), time.perf_counter() - start)
    worker = {}
    for name, model in (("learned", loaded), ("day-one", rules)):
        start = time.perf_counter()
        for text in sample:
            model.predict(text)
            grouping.message_terms(text)
        worker[name] = rate(f"worker per message, {name} model", len(sample), time.perf_counter() - start)
    start = time.perf_counter()
    for text in sample:
        grouping.message_terms(text)
    terms = rate("grouping terms alone (part-of-speech cut)", len(sample), time.perf_counter() - start)
    print(f"ratio to plain jieba.lcut, worker per message: learned {worker['learned'] / plain:.2f}, "
          f"day-one {worker['day-one'] / plain:.2f}; grouping terms alone {terms / plain:.2f} (target >= 0.5)")

if __name__ == "__main__":
    main()
