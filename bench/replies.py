"""The reply check measured against replies read by a person, and timed on 10,000 rows through the CLI.

    .venv/bin/python -m bench.replies [--shared ../shared/data] [--rows 10000] [--skip-timing]

The reference (`bench/replies_reference.json`, ids and judgements only; see its "about" texts) holds replies
of messages-with-replies.csv judged 充分 / 部分 / 不充分 by reading, in seven sets. The level of a reply to a
citizen's message comes from a logistic regression (intake.services.replies.learned) trained by
`python -m bench.replies_train` on all of them but the held-out third of "set_7" (80 replies drawn with
random.Random(70), judged before the check was run on them or changed): the held-out set. set_6's held-out
third (50), the held-out set until set_7, is trained on now and printed apart as a training figure. Each reply is
checked as `mashang replies check` checks a row: the message's subject and detail are the question.
Printed, per set: the accuracy of the level (on the training sets a training figure, not a measure), the
rules' own level beside it (`rules_only`), the confusion of levels, and whether every pure acknowledgement
(留言已收悉, 已转…处理 and nothing else) is judged 不充分; then the held-out accuracy (goal >= 0.80).
Then the judges' own agreement ("agreement" in the reference: 80 training replies read a second time by the same
written rule, without the first reading): how often the two readings give the same level, overall and on the
replies the first reading called 充分 or 部分, and their confusion, the ceiling any check can reach on these
labels; beside it the check's level on the same 80 against each reading (training replies: a training figure).

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
# (name, key in the reference, which items, label): the training sets, then the held-out set.
SETS = (("items", "items", None, "training, part 1 (165, judged 2026-12-03)"),
        ("fresh", "fresh", None, "training, part 2 (66)"),
        ("held_out_3", "held_out_3", None, "training, part 3 (75)"),
        ("held_out_4", "held_out_4", None, "training, part 4 (96)"),
        ("held_out_5", "held_out_5", None, "training, part 5 (100)"),
        ("set_6", "set_6", False, "training, part 6 (set_6 but its held-out third: 100, judged 2026-12-04)"),
        ("set_6_third", "set_6", True, "training, part 7 (set_6's third, the held-out set until set_7: 50)"),
        ("set_7", "set_7", False, "training, part 8 (set_7 but its held-out third: 160, judged 2026-12-04)"),
        ("held_out", "set_7", True, "held-out set (set_7's held-out third: 80, judged before the check was changed)"))
TRAINING_KEYS = ("items", "fresh", "held_out_3", "held_out_4", "held_out_5", "set_6", "set_7")
TRAINING, HELD_OUT = ("items", "fresh", "held_out_3", "held_out_4", "held_out_5", "set_6", "set_6_third",
                      "set_7"), "held_out"


def load_rows(shared: Path) -> list[dict]:
    with (shared / FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def judge(rows: list[dict]) -> dict:
    """Per set (see SETS): right (the level shipped) and rules_right (the rules' own level), total, the
    confusion of levels and the pure acknowledgements missed."""
    from intake.services.replies import scoring

    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    by_id = {row["id"]: row for row in rows}
    result = {}
    for name, key, held_out, _ in SETS:
        items = [item for item in reference[key] if held_out is None or item["held_out"] == held_out]
        right, rules_right, confusion, acknowledgements, missed = 0, 0, Counter(), 0, []
        for item in items:
            row = by_id[str(item["id"])]
            points, asked = scoring.question_points(row["detail"], row["subject"]), f"{row['subject']}。{row['detail']}"
            check = scoring.check(points, row["reply"], asked=asked, guessed=True)
            rules = scoring.check(points, row["reply"], asked=asked, guessed=True, rules_only=True)
            right += check.level == item["level"]
            rules_right += rules.level == item["level"]
            confusion[(item["level"], check.level)] += 1
            if item["acknowledgement"]:
                acknowledgements += 1
                if check.level != "不充分":
                    missed.append(item["id"])
        result[name] = {"right": right, "rules_right": rules_right, "total": len(items), "confusion": confusion,
                        "acknowledgements": acknowledgements, "missed": missed}
    return result


def agreement(rows: list[dict]) -> dict:
    """The second reading against the first (the stored level of the same id), and the check against both."""
    from intake.services.replies import scoring

    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    first = {item["id"]: item["level"] for key in TRAINING_KEYS for item in reference[key]}
    by_id = {row["id"]: row for row in rows}
    pairs, checked = [], []
    for item in reference["agreement"]:
        row = by_id[str(item["id"])]
        points = scoring.question_points(row["detail"], row["subject"])
        check = scoring.check(points, row["reply"], asked=f"{row['subject']}。{row['detail']}", guessed=True)
        pairs.append((first[item["id"]], item["level"]))
        checked.append(check.level)
    answered = [(a, b) for a, b in pairs if a != "不充分"]
    return {"total": len(pairs), "same": sum(a == b for a, b in pairs), "confusion": Counter(pairs),
            "answered": len(answered), "answered_same": sum(a == b for a, b in answered),
            "check_first": sum(c == a for c, (a, _) in zip(checked, pairs)),
            "check_second": sum(c == b for c, (_, b) in zip(checked, pairs))}


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
    for name, _, _, label in SETS:
        part = result[name]
        print(f"{label}: accuracy {part['right']}/{part['total']} = {part['right'] / part['total']:.3f} "
              f"(rules alone {part['rules_right'] / part['total']:.3f})")
        print("  confusion (reference -> check): " + ", ".join(
            f"{expected}->{got} {n}" for (expected, got), n in sorted(part["confusion"].items())))
        missed = part["missed"]
        print(f"  pure acknowledgements judged 不充分: {part['acknowledgements'] - len(missed)}/"
              f"{part['acknowledgements']}" + (f" (missed: {missed})" if missed else ""))
        ok = ok and not missed
    training = [result[name] for name in TRAINING]
    right, total = sum(p["right"] for p in training), sum(p["total"] for p in training)
    print(f"training set ({total}, a training figure): accuracy {right}/{total} = {right / total:.3f} "
          f"(rules alone {sum(p['rules_right'] for p in training) / total:.3f})")
    held = result[HELD_OUT]
    print(f"held-out accuracy: {held['right'] / held['total']:.3f} (goal >= {ACCURACY_TARGET:.2f}; "
          f"rules alone {held['rules_right'] / held['total']:.3f})")
    if held["right"] / held["total"] < ACCURACY_TARGET:
        print(f"held-out accuracy below the goal of {ACCURACY_TARGET:.2f}")
        ok = False

    second = agreement(rows)
    total = second["total"]
    print(f"the judges' own agreement, {total} training replies read twice by the same rule: "
          f"{second['same']}/{total} = {second['same'] / total:.3f} the same level; on the {second['answered']} the "
          f"first reading called 充分 or 部分: {second['answered_same'] / second['answered']:.3f}")
    print("  confusion (first reading -> second): " + ", ".join(
        f"{a}->{b} {n}" for (a, b), n in sorted(second["confusion"].items())))
    print(f"  the check on the same {total} (a training figure): {second['check_first'] / total:.3f} against the "
          f"first reading, {second['check_second'] / total:.3f} against the second")

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
