"""The sweep's look-up of drafts behind their messages on 100,000 drafts, without and with ix_drafts_behind.

    .venv/bin/python -m bench.drafts_behind [--drafts 100000] [--behind 500] [--postgres postgresql://postgres@127.0.0.1:5432/mashang_bench]

Every sweep (DRAFT_BATCH_INTERVAL) runs drafting.DEPUTIES_BEHIND over all drafts. The same data is read at
migration 0070 (no index for it) and then at head; the script prints each plan, the median time of the
query and the ratio. SQLite always, PostgreSQL when --postgres is given (its schema is emptied first).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from bench.staff_queue import ensure_database
from intake import migrate
from intake.db import make_engine
from intake.models import Deputy, Draft, DraftStatus, Station, utcnow
from intake.services.drafts import drafting

# Most drafts of a district are settled; a sweep finds only those messages joined in the last minute behind.
STATUSES = [DraftStatus.COLLECTING] * 5 + [DraftStatus.OPEN] * 2 + [DraftStatus.APPROVED, DraftStatus.DISCARDED,
                                                                     DraftStatus.MERGED]


def fill(engine, count: int, behind: int, deputies: int = 200) -> None:
    rng = random.Random(26)
    lagging = set(rng.sample(range(count), behind))
    now = utcnow()
    with engine.begin() as conn:
        station = conn.execute(insert(Station).values(name="第1联络站").returning(Station.id)).scalar_one()
        deputy_ids = [conn.execute(insert(Deputy).values(name=f"代表{i}", level="区", station_id=station, active=True,
                                                         created_at=now).returning(Deputy.id)).scalar_one()
                      for i in range(deputies)]
        for offset in range(0, count, 5000):
            conn.execute(insert(Draft), [
                {"deputy_id": rng.choice(deputy_ids), "topic": "城乡建设", "title": f"关于第{i}个问题的建议",
                 "sections": {}, "status": rng.choice(STATUSES), "created_at": now, "updated_at": now,
                 "composed_messages": 30, "pending_messages": rng.randint(1, 5) if i in lagging else 0}
                for i in range(offset, min(count, offset + 5000))])


def analyze(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def plan(engine) -> str:
    sql = str(drafting.DEPUTIES_BEHIND.compile(engine, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.execute(text(explain + sql)).all()
    return "\n".join("    " + str(row[-1]) for row in rows)


def timed(engine, repeat: int) -> tuple[float, int]:
    times = []
    with Session(engine) as session:
        for _ in range(repeat):
            started = time.perf_counter()
            found = drafting.deputies_behind(session)
            times.append((time.perf_counter() - started) * 1000)
            session.rollback()
    return statistics.median(times), len(found)


def run(label: str, url: str, count: int, behind: int, repeat: int) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine, "0070")
    fill(engine, count, behind)
    analyze(engine)
    print(f"\n{label}: {count} drafts, {behind} behind")
    before, deputies = timed(engine, repeat)
    print(f"  without the index: median {before:8.2f} ms ({deputies} deputies)\n{plan(engine)}")
    migrate.upgrade(engine)
    analyze(engine)
    after, same = timed(engine, repeat)
    assert same == deputies
    print(f"  with ix_drafts_behind: median {after:8.2f} ms\n{plan(engine)}")
    print(f"  ratio without/with: {before / after:.1f}x")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--behind", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    run("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='mashang-behind-')}/bench.db", args.drafts, args.behind,
        args.repeat)
    if args.postgres:
        ensure_database(args.postgres)
        run("PostgreSQL", args.postgres, args.drafts, args.behind, args.repeat)


if __name__ == "__main__":
    main()
