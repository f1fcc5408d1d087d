"""Sustained intake for 60 s while the workers keep up: throughput, p99, and the queue depth over time.

    .venv/bin/python -m bench.intake_load [--seconds 60] [--rate 150] [--connections 32] [--workers 1]
                                          [--citizens 256] [--deputies 20]

gunicorn (2 sync workers), `mashang worker`, `mashang scheduler`, SQLite and the embedded Redis, driven by
wrk at a steady rate (each connection pauses between requests) with many citizens spread over the
deputies, each holding the conversation of a real visit and alternating one of the demo district's
messages and "不留" (which confirms and queues it). The queue depth is sampled every second; "kept up"
means that at the end of the load the queue was below half its peak (or below one second of intake) and
that it drained within 15 s after.
"""

from __future__ import annotations

import argparse
import csv
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

DEMO_MESSAGES = Path(__file__).resolve().parent.parent / "intake" / "demo" / "messages.csv"


def demo_messages() -> tuple[str, ...]:
    """The demo district's messages: varied, real-sounding descriptions (no citizen repeats one)."""
    with open(DEMO_MESSAGES, encoding="utf-8") as handle:
        return tuple(row["内容"] for row in csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--citizens", type=int, default=256)
    parser.add_argument("--deputies", type=int, default=20)
    parser.add_argument("--rate", type=int, default=150, help="chat turns per second to aim for")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    work, redis_server, env, slugs = prepare_service("mashang-load-", deputies=args.deputies)
    env["DRAFT_BATCH_INTERVAL"] = "5"
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
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            depths.append(sum(queues.queue(connection, n).count for n in queues.ALL))
            time.sleep(1)

    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        script.write_text(citizens_script(f"http://127.0.0.1:{port}", slugs, args.citizens, demo_messages(),
                                          delay_ms=round(args.connections * 1000 / args.rate)))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rps, p99 = run_wrk(f"http://127.0.0.1:{port}/", {}, args.connections, args.seconds, script)
        during = list(depths)
        drained_at = None
        for second in range(60):
            if sum(queues.queue(connection, n).count for n in queues.ALL) == 0:
                drained_at = second
                break
            time.sleep(1)
        stop.set()
        with engine.connect() as conn:
            counts = dict(conn.execute(text("SELECT status, count(*) FROM messages GROUP BY status")).all())
        confirmed = sum(n for status, n in counts.items() if status != "collecting")
        waiting = counts.get("received", 0)
        print(f"{args.connections} connections for {args.seconds} s aiming at {args.rate} turns/s, {args.citizens} "
              f"citizens of {args.deputies} deputies, gunicorn 2 sync workers, {args.workers} RQ worker(s), "
              f"SQLite + embedded Redis")
        print(f"chat turns: {rps:.0f} req/s, p99 {p99:.0f} ms")
        print(f"confirmed submissions: {confirmed} ({confirmed / args.seconds:.0f}/s); still waiting for a worker "
              f"at the end: {waiting}; by status: {counts}")
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
