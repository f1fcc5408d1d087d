"""Classification throughput (one process) beside plain jieba.lcut on the same raw texts, and model load time.

    .venv/bin/python -m bench.classify [--shared ../shared/data] [--sample 500]

Two kinds of figure: the model alone (batched, and one message per call), and the worker's real
per-message work — what `tagging.tag_message` computes for each message the `classify_message` job takes:
the model's prediction plus the grouping terms (jieba's part-of-speech cut), one message per call. The learned
model is trained with the taxonomy's topics, as `train_and_register` does, so the day-one model answers for
the topics the labelled file lacks. Every call starts without the cuts the tokenizer keeps of recent text:
no kind of work reuses another's cut of the same message, only its own.
Targets: at least 0.5 of plain tokenisation speed, model load < 2 s.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from intake.classifier import day_one, learned, taxonomy
from bot.tokenizer import forget_cuts, warm_up
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
    topics = taxonomy.load().topics
    model = learned.train([], [r["label"] for r in rows], version="bench",
                          prepared=[prepare(r["text"]) for r in rows], topics=topics)
    data = model.to_bytes(b"bench")
    start = time.perf_counter()
    loaded = learned.LearnedModel.from_bytes(data, b"bench")
    load_seconds = time.perf_counter() - start
    print(f"{'learned model load':>42}: {load_seconds:8.2f} s ({len(data) / 1e6:.1f} MB stored; target < 2 s)")
    start = time.perf_counter()
    rules = day_one.DayOneModel(topics)
    print(f"{'day-one model build':>42}: {time.perf_counter() - start:8.2f} s")
    grouping.message_terms(raw[0])  # the part-of-speech tagger loads its model on first use

    # Each batch (or message) goes through every kind of work in turn, beside plain jieba.lcut on the same
    # texts, so a busy moment on a shared machine weighs on all of them alike.
    print(f"the model alone, all {len(raw)} messages in batches of {BATCH}:")
    batched = interleaved([raw[i:i + BATCH] for i in range(0, len(raw), BATCH)], {
        "plain jieba.lcut": lambda batch: [jieba.lcut(text) for text in batch],
        "learned model, batched": loaded.predict_many,
        "day-one model, batched": rules.predict_many,
    }, BATCH)
    # The worker's work per message, as tagging.tag_message does it: one prediction, then the terms kept
    # for grouping. The database statements around them (the message row, spam counts) are not in it.
    # On the first messages only, to keep the run short.
    sample = raw[:args.sample]
    print(f"one message per call, as the worker calls them, first {len(sample)} messages:")
    single = interleaved(sample, {
        "plain jieba.lcut": jieba.lcut,
        "learned model alone": loaded.predict,
        "worker: learned model + terms": lambda text: (loaded.predict(text), grouping.message_terms(text)),
        "worker: day-one model + terms": lambda text: (rules.predict(text), grouping.message_terms(text)),
        "grouping terms alone (POS cut)": grouping.message_terms,
    }, 1)
    for title, rates in (("batched", batched), ("one message per call", single)):
        plain = rates.pop("plain jieba.lcut")
        print(f"ratio to plain jieba.lcut, {title}: "
              + ", ".join(f"{name} {value / plain:.2f}" for name, value in rates.items()) + " (target >= 0.5)")


def interleaved(items: list, work: dict, per_item: int) -> dict[str, float]:
    """Messages per second of each kind of work, each item run through all of them in turn.

    The order turns by one at each item: whichever kind comes first on an item pays for the words no kind has
    met yet, so each kind takes every place equally often."""
    spent = dict.fromkeys(work, 0.0)
    kinds = list(work.items())
    for number, item in enumerate(items):
        turn = number % len(kinds)
        for name, call in kinds[turn:] + kinds[:turn]:
            forget_cuts()
            start = time.perf_counter()
            call(item)
            spent[name] += time.perf_counter() - start
    count = sum(len(item) for item in items) if per_item > 1 else len(items)
    return {name: rate(name, count, seconds) for name, seconds in spent.items()}

if __name__ == "__main__":
    main()
