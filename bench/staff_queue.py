"""The staff queue with 100,000 messages: first page, filtered search and a station's view, server time.

    .venv/bin/python -m bench.staff_queue [--messages 100000] [--postgres postgresql://postgres@127.0.0.1:5432/mashang_bench]

Requests go through the real app (Flask test client, so the time is the server's); SQLite always,
PostgreSQL when --postgres is given (the database is created when missing and emptied first).
Target: every request < 300 ms.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from sqlalchemy import insert, text

from intake import create_app, migrate
from intake.config import Settings
from bot.tokenizer import warm_up
from intake.models import Deputy, Message, StaffRole, StaffUser, Station, utcnow
from intake.services.console.accounts import hash_password

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "messages-with-replies.csv"
TOPICS = ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "卫生计生", "商贸旅游"]


def texts() -> list[str]:
    if SHARED.exists():
        with open(SHARED, encoding="utf-8") as fh:
            return [f"{r['subject']}。{r['detail']}" for r in csv.DictReader(fh)]  # whole, as citizens wrote them
    return [f"幸福小区{i}号楼门口的路灯坏了，污水也冒出来了，希望尽快处理。" for i in range(500)]


def fill(engine, count: int) -> None:
    rng = random.Random(7)
    corpus = texts()
    with engine.begin() as conn:
        stations = [conn.execute(insert(Station).values(name=f"第{i}联络站").returning(Station.id)).scalar_one()
                    for i in range(1, 13)]
        deputy_ids = [
            conn.execute(insert(Deputy).values(name=f"代表{i}", level="区", station_id=stations[i % 12], active=True,
                                               created_at=utcnow()).returning(Deputy.id)).scalar_one()
            for i in range(200)
        ]
        conn.execute(insert(StaffUser), [
            {"username": "office", "password_hash": hash_password("office-password"), "role": StaffRole.OFFICE,
             "station_id": None, "active": True},
            {"username": "station", "password_hash": hash_password("station-password"), "role": StaffRole.STATION,
             "station_id": stations[0], "active": True},
        ])
        start = utcnow() - timedelta(days=365)
        for offset in range(0, count, 5000):
            rows = []
            for i in range(offset, min(count, offset + 5000)):
                rows.append({
                    "deputy_id": rng.choice(deputy_ids), "citizen_id": None, "channel": rng.choice(["web", "wechat"]),
                    "text": rng.choice(corpus), "receipt": f"MS-B-{i:07d}", "status": rng.choice(["tagged", "drafted"]),
                    "topic": rng.choice(TOPICS), "topic_confidence": rng.random(), "needs_attention": rng.random() < 0.1,
                    "topic_confirmed": False, "spam_score": 0.0, "share_phone": False,
                    "created_at": start + timedelta(seconds=i * 315),
                })
            conn.execute(insert(Message), rows)


def timed(client, path: str, params: dict, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, query_string=params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), max(times)


def sign_in(app, username: str, password: str):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True)).group(1)
    client.post("/staff/login", data={"username": username, "password": password, "csrf_token": token})
    return client


def empty_app(database_url: str, redis_url: str, prefix: str):
    """The app on a freshly migrated, empty database (a PostgreSQL one is wiped first)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    settings = Settings.from_env({"MASHANG_INSTANCE": str(work), "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                                  "SECRET_KEY": "bench"})
    app = create_app(settings)
    engine = app.extensions["mashang"].engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    return app


def run(label: str, database_url: str, count: int, redis_url: str) -> bool:
    app = empty_app(database_url, redis_url, "mashang-queue-")
    engine = app.extensions["mashang"].engine
    started = time.perf_counter()
    fill(engine, count)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print(f"\n{label}: {count} messages loaded in {time.perf_counter() - started:.1f} s")
    office, station = sign_in(app, "office", "office-password"), sign_in(app, "station", "station-password")
    warm_up()  # as the web workers do at start (intake/gunicorn_conf.py)
    cases = [
        ("first page (office)", office, {}),
        ("first page (station staff)", station, {}),
        ("search 污水 (office)", office, {"q": "污水"}),
        ("search 小区 物业 + topic (office)", office, {"q": "小区 物业", "topic": "城乡建设"}),
        ("needs attention + date range", office, {"attention": "any", "date_from": "2026-03-01", "date_to": "2026-06-30"}),
        ("page 50 via keyset (office)", office, {"before": str(count - 50 * 50)}),
    ]
    ok = True
    for name, client, params in cases:
        median, worst = timed(client, "/staff/", params)
        ok &= worst < 300
        print(f"  {name:<36} median {median:7.1f} ms   worst {worst:7.1f} ms   {'ok' if worst < 300 else 'OVER 300 ms'}")
    app.extensions["mashang"].close()
    return ok


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    ok = run("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='mashang-sqlite-')}/bench.db", args.messages, args.redis)
    if args.postgres:
        ensure_database(args.postgres)
        ok &= run("PostgreSQL", args.postgres, args.messages, args.redis)
    print("\nall requests under 300 ms" if ok else "\nsome requests over 300 ms")


if __name__ == "__main__":
    main()
