"""The district's radar: are its top items one problem each, and does a batch update it in seconds?

    .venv/bin/python -m bench.radar [--shared ../shared/data] [--district 100000] [--added 1000]
                                    [--added-batch 100] [--deputies 100] [--stations 10] [--postgres URL]
                                    [--skip-top] [--part all|tune|held] [--show 8] [--rebuild]

1. messages-with-replies.csv spread over 20 deputies in 5 stations (by a fixed hash of each message's id), each
   letter (subject and detail) stored as tagging leaves it, at the time it was written, from its writer (the
   file's `user`: one citizen writing again counts once); no model tags them (one topic for all: the topic is
   one signal among others). Every deputy's batch, then the radar's placement of it; the top 20 items printed
   with their citizens, deputies, stations and the first words of three of their letters, to be read. The
   file spans eight years: heat's half-life is set to a year here, so that the ranking is by citizens and
   reach more than by the last fortnight (the product's default is RADAR_HALF_LIFE_DAYS=14). --part tune or held
   keeps one half of the letters (by another fixed hash of the id): the radar's rules are tuned on `tune`, and
   `held`, never looked at while tuning, tells how well they carry over. --rebuild then rebuilds the radar as
   `mashang radar rebuild` does (every letter again, oldest first) and prints how many of the top items hold the
   same letters, and its top 20.
2. --district messages (the shared labelled ones repeated with variations, bench.grouping's cut and its
   cache) over --deputies deputies in --stations stations, grouped by each deputy's batches of 100 (untimed;
   on SQLite the built database is kept in the bench's cache, keyed by the messages, the cut and the grouping
   and model code, and copied on the next run, as the output says); then (a) the whole radar rebuilt (timed);
   then --added messages more in deputies' batches of --added-batch, grouped by batch_deputy (untimed), and
   (b) their radar_deputy jobs, run one after another as a worker runs them, commit included (timed): the
   target is <= 5 s for the 1,000, printed beside (a).
SQLite in a temporary folder unless --postgres names an empty scratch database (its tables are recreated).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import random
import shutil
import tempfile
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, insert, select, update

from bench.grouping import CACHE, TZ, Feeder, _cut_key, cut, fresh_database, variations
from intake.config import Settings
from intake.db import make_engine, make_session_factory
from intake.models import Citizen, Deputy, Message, MessageStatus, Station
from intake.runtime import Runtime
from intake.services.drafts import drafting, grouping
from intake.services.radar import district, ranking
from workers import context, jobs

FILE = "messages-with-replies.csv"
TOP = 20
BENCH_HALF_LIFE = 365.0
MIN_CITIZENS = 3
BATCH = 100  # messages in each deputy's batch while the district is built
# What a cached district's database depends on besides the cut (bench.grouping's CUT_SOURCES).
DISTRICT_SOURCES = ("intake/services/drafts", "intake/models", "bench/grouping.py")
PARTS = ("all", "tune", "held")


def _when(text: str) -> datetime:
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=timezone(timedelta(hours=8)))
        except ValueError:
            continue
    raise ValueError(f"unknown time {text!r}")


def letters(shared: Path) -> list[dict]:
    """The file's letters with their masked terms, cut once per version of the file and of the cut (cached)."""
    data = (shared / FILE).read_bytes()
    cached = CACHE / f"radar-{_cut_key(data)}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    found = []
    for row in rows:
        text = f"{row['subject']}\n{row['detail']}"
        found.append({"id": row["id"], "user": row["user"], "time": _when(row["time"]).isoformat(), "text": text,
                      "terms": grouping.message_terms(text)})
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    partial.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    partial.replace(cached)
    return found


def _stations(sessions, ids: list[int], count: int) -> None:
    """The deputies spread over `count` stations, in turn."""
    with sessions() as session, session.begin():
        stations = [Station(name=f"第{number + 1}联络站") for number in range(count)]
        session.add_all(stations)
        session.flush()
        for index, deputy_id in enumerate(ids):
            session.execute(update(Deputy).where(Deputy.id == deputy_id).values(
                station_id=stations[index % count].id, name=f"代表{index + 1:03d}"))


def in_part(letter_id: str, part: str) -> bool:
    """Which half a letter is in: a hash other than the deputies', so that each half reaches every deputy."""
    return part == "all" or zlib.crc32(f"part:{letter_id}".encode()) % 2 == PARTS.index(part) - 1


def top_items(shared: Path, url: str | None, folder: Path, part: str = "all", show: int = 8,
              rebuilt: bool = False) -> None:
    rows = [row for row in letters(shared) if in_part(row["id"], part)]
    engine, sessions, ids = fresh_database(url, folder, "replies", 20)
    _stations(sessions, ids, 5)
    with sessions() as session, session.begin():
        users = sorted({row["user"] for row in rows})
        session.execute(insert(Citizen), [{"channel": "web", "channel_user_hash": user} for user in users])
        citizen = dict(session.execute(select(Citizen.channel_user_hash, Citizen.id)).all())
        ordered = sorted(rows, key=lambda row: (row["time"], int(row["id"])))
        session.execute(insert(Message), [
            {"deputy_id": ids[zlib.crc32(row["id"].encode()) % 20], "channel": "web", "text": row["text"],
             "receipt": f"W{number:08d}", "status": MessageStatus.TAGGED, "topic": "其他", "terms": row["terms"],
             "citizen_id": citizen[row["user"]], "created_at": datetime.fromisoformat(row["time"]),
             "external_id": row["id"]} for number, row in enumerate(ordered)])
    start, cpu = time.perf_counter(), time.process_time()
    for deputy_id in ids:
        with sessions() as session, session.begin():
            drafting.batch_deputy(session, deputy_id, TZ, MIN_CITIZENS)
    grouped = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for deputy_id in ids:
        with sessions() as session, session.begin():
            district.place_deputy(session, deputy_id)
    placed = time.perf_counter() - start, time.process_time() - cpu
    last = max(datetime.fromisoformat(row["time"]) for row in rows) + timedelta(days=1)
    with sessions() as session:
        items = ranking.rank(session, last, 3650, BENCH_HALF_LIFE, TZ, limit=TOP, details=True)
        problems = district.problem_count(session)
        external = dict(session.execute(select(Message.id, Message.external_id)).all())
        texts = dict(session.execute(select(Message.id, Message.text)).all())
    print(f"{FILE} ({part}): {len(rows)} letters over 20 deputies in 5 stations; deputies' grouping {grouped[0]:.1f} s "
          f"({grouped[1]:.1f} s CPU), radar placement {placed[0]:.1f} s ({placed[1]:.1f} s CPU); {problems} district "
          f"problems; top {TOP} by heat (half-life {BENCH_HALF_LIFE:g} days, all {len(rows)} letters in the period):")
    _print_items(items, external, texts, show)
    if rebuilt:
        start = time.perf_counter()
        with sessions() as session, session.begin():
            district.rebuild(session)
        spent = time.perf_counter() - start
        with sessions() as session:
            again = ranking.rank(session, last, 3650, BENCH_HALF_LIFE, TZ, limit=TOP, details=True)
            problems = district.problem_count(session)
        same = {frozenset(item.message_ids) for item in items} & {frozenset(item.message_ids) for item in again}
        print(f"after a rebuild ({spent:.1f} s, {problems} district problems): {len(same)} of the top {TOP} items "
              f"hold the same letters as placement's; its top {TOP}:")
        _print_items(again, external, texts, show)
    engine.dispose()


def _print_items(items: list, external: dict, texts: dict, show: int) -> None:
    for number, item in enumerate(items, 1):
        print(f"{number:2d}. {item.title} — heat {item.heat:g}, {item.citizens} citizens, {item.messages} letters, "
              f"{len(item.deputies)} deputies, {len(item.stations)} stations, {item.first}..{item.last}")
        for message_id in item.message_ids[:show]:
            print(f"      [{external[message_id]}] {texts[message_id][:60].replace(chr(10), ' / ')}")
        if len(item.message_ids) > show:
            print(f"      … and {len(item.message_ids) - show} more")


def _district_key(shared: Path, total: int, deputies: int, stations: int) -> str:
    """What a built district depends on: the shared messages and their cut, the code that groups and stores them,
    and its size."""
    digest = hashlib.sha256(_cut_key((shared / "labelled-dev.csv").read_bytes()).encode())
    root = Path(__file__).resolve().parents[1]
    for folder in DISTRICT_SOURCES:
        for path in sorted((root / folder).rglob("*.py")) if (root / folder).is_dir() else [root / folder]:
            digest.update(path.read_bytes())
    digest.update(f"{total}/{deputies}/{stations}".encode())
    return digest.hexdigest()[:16]


def _build(sessions, ids: list[int], messages, total: int, stations: int) -> float:
    """The district through its deputies' batches (drafting.batch_deputy, as the batch job runs it), 100 a batch,
    each deputy in turn; returns the seconds it took."""
    _stations(sessions, ids, stations)
    feeder, start = Feeder(sessions), time.perf_counter()
    for number in range(total // BATCH):
        feeder.batch(ids[number % len(ids)], list(itertools.islice(messages, BATCH)))
    return time.perf_counter() - start


def district_database(shared: Path, url: str | None, folder: Path, total: int, deputies: int, stations: int,
                      messages) -> tuple[str, str]:
    """A database holding the district of `total` messages grouped by the deputies' batches, and how it was
    got. SQLite: built once and kept in the bench's cache (keyed by the messages, the cut and the grouping and
    model code), then copied, as building 100,000 takes minutes; PostgreSQL: built each time."""
    if url:
        engine, sessions, ids = fresh_database(url, folder, "district", deputies)
        built = _build(sessions, ids, messages, total, stations)
        engine.dispose()
        return url, f"built by the deputies' batches in {built:.0f} s"
    size = f"radar-district-{total}-{deputies}-{stations}"
    name = f"{size}-{_district_key(shared, total, deputies, stations)}"
    cached = CACHE / f"{name}.db"
    if cached.exists():
        how = f"copied from the cache {cached}, built earlier by the deputies' batches"
        for _ in itertools.islice(messages, total):
            pass  # the added messages are the ones that follow the district's, as when it is built
    else:
        for stale in CACHE.glob(f"{size}-*.db"):
            stale.unlink()  # built by older code: a hundred megabytes each
        engine, sessions, ids = fresh_database(None, CACHE, f"{name}.part", deputies)
        built = _build(sessions, ids, messages, total, stations)
        engine.dispose()
        (CACHE / f"{name}.part.db").replace(cached)
        how = f"built by the deputies' batches in {built:.0f} s and kept in the cache {cached} for the next run"
    shutil.copy(cached, folder / "district.db")
    return f"sqlite:///{folder / 'district.db'}", how


def incremental(shared: Path, url: str | None, folder: Path, total: int, added: int, deputies: int,
                stations: int, size: int) -> None:
    messages = variations(cut(shared), total + added, seed=13)
    url, how = district_database(shared, url, folder, total, deputies, stations, messages)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        ids = list(session.scalars(select(Deputy.id).order_by(Deputy.id)))
        drafted = session.scalar(select(func.count()).select_from(Message).where(
            Message.status == MessageStatus.DRAFTED))
    print(f"district of {total} messages ({drafted} drafted) over {deputies} deputies in {stations} stations, "
          f"{how} (untimed setup)", flush=True)
    start, cpu = time.perf_counter(), time.process_time()
    with sessions() as session, session.begin():
        placed = district.rebuild(session)
    rebuild = time.perf_counter() - start, time.process_time() - cpu
    with sessions() as session:
        before = district.problem_count(session)
    print(f"(a) full rebuild of the radar: {placed} messages in {rebuild[0]:.1f} s ({rebuild[1]:.1f} s CPU, "
          f"{1000 * rebuild[0] / placed:.2f} ms a message), {before} district problems", flush=True)
    feeder, chosen = Feeder(sessions), random.Random(5).sample(ids, max(1, added // size))
    feeder.receipts = total
    for deputy_id in chosen:
        feeder.batch(deputy_id, list(itertools.islice(messages, size)))
    runtime = Runtime(Settings.from_env({"MASHANG_INSTANCE": str(folder), "DATABASE_URL": url,
                                         "SECRET_KEY": "bench", "REDIS_URL": "redis://127.0.0.1:6379/0"}))
    context.use(runtime)  # the jobs read the bench's database (they never touch Redis)
    spent = cpu_spent = 0.0
    moved = 0
    try:
        for deputy_id in chosen:
            start, cpu = time.perf_counter(), time.process_time()
            moved += jobs.radar_deputy(deputy_id)
            spent, cpu_spent = spent + time.perf_counter() - start, cpu_spent + time.process_time() - cpu
    finally:
        context.use(None)
        runtime.close()
    with sessions() as session:
        after = district.problem_count(session)
    print(f"(b) {added} messages added in {len(chosen)} deputies' batches of {size} (grouped untimed), then their "
          f"radar_deputy jobs, commit included: {moved} messages onto the radar in {spent:.2f} s "
          f"({cpu_spent:.2f} s CPU, {1000 * spent / max(moved, 1):.2f} ms a message; target <= 5 s); "
          f"(b)/(a) = {spent / rebuild[0]:.4f} of the time for {moved / placed:.4f} of the messages; "
          f"{after - before} new district problems")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--district", type=int, default=100_000, help="messages already in the district (0: skip)")
    parser.add_argument("--added", type=int, default=1_000)
    parser.add_argument("--added-batch", type=int, default=100, help="messages in each added deputy's batch")
    parser.add_argument("--deputies", type=int, default=100)
    parser.add_argument("--stations", type=int, default=10)
    parser.add_argument("--postgres", help="an empty scratch PostgreSQL database (its tables are recreated)")
    parser.add_argument("--skip-top", action="store_true", help=f"skip the top {TOP} of {FILE}")
    parser.add_argument("--show", type=int, default=8, help="letters printed for each of the top items")
    parser.add_argument("--part", choices=PARTS, default="all", help=f"all of {FILE}, or the half tuned on or held out")
    parser.add_argument("--rebuild", action="store_true",
                        help=f"then rebuild the radar as `mashang radar rebuild` does and print its top {TOP} too")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} at start, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_top:
            top_items(args.shared, args.postgres, Path(folder), args.part, args.show, args.rebuild)
        if args.district:
            incremental(args.shared, args.postgres, Path(folder), args.district, args.added, args.deputies,
                        args.stations, args.added_batch)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
