"""The reply check measured against replies read by a person, and timed on 10,000 rows through the CLI.

    .venv/bin/python -m bench.replies [--shared ../shared/data] [--rows 10000] [--skip-timing]

The reference (`bench/replies_reference.json`, ids and judgements only; see its "about" texts) holds replies
of messages-with-replies.csv judged 充分 / 部分 / 不充分 by reading: "items" (165) and "fresh" (66), tuned on from
the start; "held_out_3" (75) and "held_out_4" (96), each judged before the check was run on it and scored once as a
held-out set, then tuned on with the rest when the check learned to read a letter ask by ask: the tuning set
(402); "held_out_5" (100, another seed), judged before that change was written or run on it: the held-out set.
Each reply is checked as `mashang replies check` checks a row: the message's subject and detail are the question.
Printed: the level's accuracy on each part of the tuning set and on the held-out set (goal >= 0.80 there), the
confusion of levels in each, and whether every pure acknowledgement (留言已收悉, 已转…处理 and nothing else) is
judged 不充分.

Timing: the shared file's rows repeated to --rows rows (each copy's subject marked, so none is the same
letter twice) are written to a CSV and checked by `python -m intake replies check … --out F.xlsx --quiet`
in a child process; printed, wall-clock and processor time (the machine is shared: the processor time says
what the work costs), with a fair baseline of the same run: reading that CSV and cutting every question and
reply into words once with our tokenizer, the least any word-based check must do.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "replies_reference.json"
FILE = "messages-with-replies.csv"
ACCURACY_TARGET, SECONDS_TARGET = 0.80, 60.0
# (name, key in the reference, label): the tuning set's four parts, then the held-out set.
SETS = (("items", "items", "tuning set, part 1 (165, tuned on from the start)"),
        ("fresh", "fresh", "tuning set, part 2 (66, tuned on from the start)"),
        ("held_out_3", "held_out_3", "tuning set, part 3 (75, held out until the per-ask check)"),
        ("held_out_4", "held_out_4", "tuning set, part 4 (96, held out until the per-ask check)"),
        ("held_out_5", "held_out_5", "held-out set (100, judged before the per-ask check was written or run on it)"))
TUNING, HELD_OUT = ("items", "fresh", "held_out_3", "held_out_4"), "held_out_5"


def load_rows(shared: Path) -> list[dict]:
    with (shared / FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def judge(rows: list[dict]) -> dict:
    """Per set (see SETS): right, total, the confusion of levels and the pure acknowledgements missed."""
    from intake.services.replies import scoring

    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    by_id = {row["id"]: row for row in rows}
    result = {}
    for name, key, _ in SETS:
        right, confusion, acknowledgements, missed = 0, Counter(), 0, []
        for item in reference[key]:
            row = by_id[str(item["id"])]
            check = scoring.check(scoring.question_points(row["detail"], row["subject"]), row["reply"],
                                  asked=f"{row['subject']}。{row['detail']}", guessed=True)
            right += check.level == item["level"]
            confusion[(item["level"], check.level)] += 1
            if item["acknowledgement"]:
                acknowledgements += 1
                if check.level != "不充分":
                    missed.append(item["id"])
        result[name] = {"right": right, "total": len(reference[key]), "confusion": confusion,
                        "acknowledgements": acknowledgements, "missed": missed}
    return result


def write_table(rows: list[dict], count: int, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "subject", "detail", "reply"])
        for n in range(count):
            row = rows[n % len(rows)]
            copy = n // len(rows)
            writer.writerow([f"{row['id']}-{copy}", f"{row['subject']}（{copy}）" if copy else row["subject"],
                             row["detail"], row["reply"]])


def baseline(path: Path) -> tuple[float, float]:
    """Wall-clock and processor seconds of the baseline, in this process."""
    from bot.tokenizer import cut, warm_up

    warm_up()
    started, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            cut(row["subject"] + row["detail"])
            cut(row["reply"])
    return time.perf_counter() - started, time.process_time() - cpu


def time_cli(path: Path, out: Path) -> tuple[float, float, str]:
    """Wall-clock seconds, processor seconds (the command and its worker processes) and its summary line."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "intake", "replies", "check", str(path), "--question-col", "detail",
                           "--subject-col", "subject", "--reply-col", "reply", "--out", str(out), "--quiet"],
                          capture_output=True, text=True, env=env, check=True)
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, done.stdout.strip().splitlines()[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args(argv)
    rows = load_rows(args.shared)

    result = judge(rows)
    ok = True
    for name, _, label in SETS:
        part = result[name]
        print(f"{label}: accuracy {part['right']}/{part['total']} = {part['right'] / part['total']:.3f}")
        print("  confusion (reference -> check): " + ", ".join(
            f"{expected}->{got} {n}" for (expected, got), n in sorted(part["confusion"].items())))
        missed = part["missed"]
        print(f"  pure acknowledgements judged 不充分: {part['acknowledgements'] - len(missed)}/"
              f"{part['acknowledgements']}" + (f" (missed: {missed})" if missed else ""))
        ok = ok and not missed
    tuning = [result[name] for name in TUNING]
    right, total = sum(p["right"] for p in tuning), sum(p["total"] for p in tuning)
    print(f"tuning set ({total}): accuracy {right}/{total} = {right / total:.3f}")
    held = result[HELD_OUT]
    print(f"held-out accuracy: {held['right'] / held['total']:.3f} (goal >= {ACCURACY_TARGET:.2f})")
    if held["right"] / held["total"] < ACCURACY_TARGET:
        print(f"held-out accuracy below the goal of {ACCURACY_TARGET:.2f}")
        ok = False

    if not args.skip_timing:
        with tempfile.TemporaryDirectory() as folder:
            table, out = Path(folder) / "replies.csv", Path(folder) / "checked.xlsx"
            write_table(rows, args.rows, table)
            load_before = os.getloadavg()[0]
            seconds, cpu, summary = time_cli(table, out)
            load_after = os.getloadavg()[0]
            base, base_cpu = baseline(table)
        print(f"CLI, {args.rows} rows to .xlsx: {seconds:.1f} s wall-clock, {cpu:.1f} s of processor time (goal <= "
              f"{SECONDS_TARGET:.0f} s; load average {load_before:.1f} before, {load_after:.1f} after, on "
              f"{os.cpu_count()} cores) — {summary}")
        print(f"baseline, reading and cutting every question and reply once: {base:.1f} s, {base_cpu:.1f} s of "
              f"processor time; ratio {seconds / base:.2f} (processor {cpu / base_cpu:.2f})")
        ok = ok and seconds <= SECONDS_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
