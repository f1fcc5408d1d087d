"""Sustained intake while the workers keep up: throughput, p99, the queue depth over time, and how many
submissions per second reach a draft group (tagged, grouped and composed).

    .venv/bin/python -m bench.intake_load [--seconds 60] [--rate 150] [--connections 32] [--workers 1]
                                          [--per-citizen 2] [--deputies 20] [--shared ../shared/data]

gunicorn (2 sync workers), `mashang worker`, `mashang scheduler`, SQLite and the embedded Redis, driven by
wrk at a steady rate (each connection pauses between requests) with citizens spread over the deputies,
each holding the conversation of a real visit and alternating a description and "不留" (which confirms and
queues it). Citizens behave like citizens: there are enough of them that each sends only `--per-citizen`
submissions in the whole run, as a person writing once every few minutes would, and no wording reaches one
deputy from more than two of them, so the spam rules (more than 5 from one citizen in 10 minutes, one text
from 3 senders) hold none for being a load test. Each deputy's first submissions are the demo district's
dozen problems in three wordings each, every wording from up to two citizens: up to six on one problem,
so groups reach the draft threshold and drafts are composed; the rest are real citizens' letters (the
shared data's messages-with-replies.csv, no two alike), most of them a problem of their own. The queue
depth and the drafted count are sampled every second; "kept up" means that at the end of the load the
queue was below half its peak (or below one second of intake) and that it drained within 15 s after.
"""

from __future__ import annotations

import argparse
import csv
import math
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

from bench.chat_load import citizens_script, free_port, gunicorn, prepare_service, run_wrk, wait_for
from workers import queues

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
# A letter is cut where a citizen typing into the chat would stop; the chat allows 2,000 characters.
LETTER_CHARS = 600
# A draft batch runs at least this often during the bench, so drafting follows the load closely.
BATCH_INTERVAL = 5
# Citizens of a wrk thread take turns this many at a time: a description each, then "不留" each, so a
# submission is confirmed a few seconds after it is described, not at the end of the run.
TURN_BLOCK = 64


DEMO_MESSAGES = Path(__file__).resolve().parent.parent / "intake" / "demo" / "messages.csv"
SENDERS_PER_WORDING = 2  # a third sender of one text to one deputy within 10 minutes is a campaign


def demo_messages() -> tuple[str, ...]:
    with open(DEMO_MESSAGES, encoding="utf-8") as handle:
        return tuple(row["内容"] for row in csv.DictReader(handle))


def descriptions_of(citizens: int, deputies: int, per_citizen: int, letters: tuple[str, ...]):
    """Citizen i's descriptions, in order (citizen i writes to deputy i mod `deputies`)."""
    demo, per_deputy = demo_messages(), math.ceil(citizens / deputies)
    unused = iter(letters)
    plan = []
    for i in range(citizens):
        # The j-th submission to a deputy: the demo wordings twice over, then a letter no one else sends.
        numbers = (round_ * per_deputy + i // deputies for round_ in range(per_citizen))
        plan.append(tuple(demo[j % len(demo)] if j < SENDERS_PER_WORDING * len(demo) else next(unused)
                          for j in numbers))
    return plan


def letters(shared: Path) -> tuple[str, ...]:
    """Real citizens' letters, each text once: the same text from three senders is a campaign the spam
    rules hold, which is not what this bench measures."""
    with open(shared / "messages-with-replies.csv", encoding="utf-8") as handle:
        texts = (f"{row['subject']}。{row['detail']}".strip()[:LETTER_CHARS] for row in csv.DictReader(handle))
        return tuple(dict.fromkeys(texts))


def counts_by_status(engine, table: str = "messages") -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text(f"SELECT status, count(*) FROM {table} GROUP BY status")).all())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--per-citizen", type=int, default=2, help="submissions each citizen sends in the run")
    parser.add_argument("--deputies", type=int, default=20)
    parser.add_argument("--rate", type=int, default=150, help="chat turns per second to aim for")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    if not (args.shared / "messages-with-replies.csv").exists():
        sys.exit(f"the shared data is needed: {args.shared / 'messages-with-replies.csv'}")
    # Two turns a submission; enough citizens that none sends more than --per-citizen.
    citizens = math.ceil(args.rate * args.seconds / 2 / args.per_citizen)
    try:
        plan = descriptions_of(citizens, args.deputies, args.per_citizen, letters(args.shared))
    except StopIteration:
        sys.exit("more submissions than the shared letters: lower --rate or --seconds")

    work, redis_server, env, slugs = prepare_service("mashang-load-", deputies=args.deputies)
    env["DRAFT_BATCH_INTERVAL"] = str(BATCH_INTERVAL)
    mashang = [sys.executable, "-m", "intake"]
    script = work / "chat.lua"
    port = free_port()
    log = open(work / "processes.log", "wb")
    processes = [gunicorn("intake.wsgi:app", port, env, log)]
    processes += [subprocess.Popen(mashang + ["worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
                  for _ in range(args.workers)]
    processes.append(subprocess.Popen(mashang + ["scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT))
    connection = redis.Redis.from_url(redis_server.url)
    engine = create_engine(env["DATABASE_URL"])
    depths: list[int] = []
    drafted: list[tuple[float, int]] = []  # (seconds since the load started, messages in a draft group)
    stop = threading.Event()
    started = 0.0

    def sample() -> None:
        while not stop.is_set():
            depths.append(sum(queues.queue(connection, n).count for n in queues.ALL))
            drafted.append((time.monotonic() - started, counts_by_status(engine).get("drafted", 0)))
            time.sleep(1)

    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        script.write_text(citizens_script(f"http://127.0.0.1:{port}", slugs, citizens, plan[0],
                                          delay_ms=round(args.connections * 1000 / args.rate), block=TURN_BLOCK,
                                          own=plan.__getitem__))
        started = time.monotonic()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        load = run_wrk(f"http://127.0.0.1:{port}/", {}, args.connections, args.seconds, script)
        during, drafted_in_load = list(depths), (drafted[-1][1] if drafted else 0)
        drained_at = None
        for second in range(60):
            if sum(queues.queue(connection, n).count for n in queues.ALL) == 0:
                drained_at = second
                break
            time.sleep(1)
        # Drafting follows by a batch interval: wait until nothing tagged or received is left undrafted.
        for _ in range(120):
            counts = counts_by_status(engine)
            if not counts.get("received") and not counts.get("tagged"):
                break
            time.sleep(1)
        stop.set()
        sampler.join()
        counts, drafts = counts_by_status(engine), counts_by_status(engine, "drafts")
        last_drafted = next((at for at, n in drafted if n == counts.get("drafted", 0)), time.monotonic() - started)
        last_drafted = max(last_drafted, 1.0)
        confirmed = sum(n for status, n in counts.items() if status != "collecting")
        print(f"{args.connections} connections for {args.seconds} s aiming at {args.rate} turns/s, {citizens} "
              f"citizens of {args.deputies} deputies (at most {args.per_citizen} submissions each), gunicorn 2 sync "
              f"workers, {args.workers} RQ worker(s), SQLite + embedded Redis")
        print(f"chat turns: {load.rps:.0f} req/s, p99 {load.p99_ms:.0f} ms, {load.not_2xx} not answered 2xx")
        print(f"confirmed submissions: {confirmed} ({confirmed / args.seconds:.0f}/s; {load.confirmed} replies with a "
              f"receipt), held for staff: {counts.get('held', 0)}; by status: {counts}")
        print(f"drafted (in a draft group): {drafted_in_load} during the load ({drafted_in_load / args.seconds:.0f}/s), "
              f"{counts.get('drafted', 0)} in all, the last {last_drafted:.0f} s after the load began: "
              f"{counts.get('drafted', 0) / last_drafted:.0f} submissions/s drafted")
        print(f"draft groups by status: {drafts} (open: composed from {env.get('DRAFT_MIN_CITIZENS', 3)} or more "
              f"citizens)")
        print(f"queue depth during the load: max {max(during, default=0)}, mean {sum(during) / max(1, len(during)):.0f}, "
              f"last {during[-1] if during else 0}")
        # Bounded: by the end of the load the queue was not still at its peak (or held under a second's intake).
        last, peak = (during[-1], max(during)) if during else (0, 0)
        bounded = last <= max(peak / 2, args.rate)
        kept_up = bounded and drained_at is not None and drained_at <= 15
        print(f"queues drained {drained_at} s after the load" if drained_at is not None else "queues did not drain",
              "— workers kept up" if kept_up else "— workers fell behind")
    finally:
        stop.set()
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        redis_server.stop()
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
