"""A deputy's pages with 1,000 messages and 100 drafts: weight of each page and server time to the first byte.

    .venv/bin/python -m bench.deputy_pages [--messages 1000] [--drafts 100] [--collecting 200] [--colleagues 1000]
                                           [--postgres URL]

Requests go through the real app (Flask test client: the time is the server's, from request to the
first byte of the answer, after one request that compiles the templates). The weight is the page plus the stylesheet it loads (there are no scripts or
fonts on the deputy's pages; photos come after). One draft holds 50 messages, as a busy problem would;
the others share the rest. Targets: every page < 200 KB and < 150 ms.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench.staff_queue import empty_app, ensure_database
from bot.tokenizer import warm_up
from intake.models import Deputy, Draft, DraftMessage, DraftStatus, Message, Station, utcnow
from intake.services.drafts import grouping
from intake.services.console.accounts import hash_password
from intake.services.drafts.composing import compose

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "messages-with-replies.csv"
TOPICS = ["城乡建设", "环境保护", "交通运输", "教育文体", "卫生计生"]
KB, WEIGHT_TARGET, TIME_TARGET = 1024, 200, 150


def texts() -> list[str]:
    if SHARED.exists():
        with open(SHARED, encoding="utf-8") as fh:
            return [f"{r['subject']}。{r['detail']}" for r in csv.DictReader(fh)]  # whole, as citizens wrote them
    return [f"幸福小区{i}号楼门口的路灯坏了，污水也冒出来了，希望尽快处理。电话1390000{i:04d}" for i in range(500)]


def _messages(session, rng, corpus, deputy_id: int, count: int, first: int) -> list[int]:
    start = utcnow() - timedelta(days=200)
    rows = []
    for i in range(first, first + count):
        body = rng.choice(corpus)
        rows.append({"deputy_id": deputy_id, "channel": rng.choice(["web", "wechat"]), "text": body,
                     "receipt": f"MS-B-{i:07d}", "status": "drafted", "topic": rng.choice(TOPICS),
                     "terms": grouping.message_terms(body), "share_phone": False, "spam_score": 0.0,
                     "needs_attention": False, "topic_confirmed": False,
                     "created_at": start + timedelta(minutes=i * 17)})
    session.execute(insert(Message), rows)
    return list(session.scalars(select(Message.id).where(Message.deputy_id == deputy_id,
                                                         Message.receipt >= f"MS-B-{first:07d}")
                                .order_by(Message.id)))[:count]


def _group(session, tz, deputy_id: int, number: int, members: list[int], status: str) -> None:
    draft = Draft(deputy_id=deputy_id, topic=TOPICS[number % len(TOPICS)], title="", handling_unit="区住建局",
                  status=status)
    if status == DraftStatus.OPEN and number % 10 == 9:
        draft.status, draft.submitted_at = DraftStatus.APPROVED, utcnow()
    session.add(draft)
    session.flush()
    draft.links.extend(DraftMessage(message_id=m) for m in members)
    session.flush()
    session.expire(draft, ["links"])
    compose(draft, tz)


def fill(app, count: int, drafts: int, collecting: int, colleagues: int) -> None:
    """The deputy's drafts and collecting groups (two messages each), and collecting groups of two
    messages at ten colleagues of the station, whom the home page compares with."""
    rng = random.Random(7)
    corpus = texts()
    tz = app.extensions["mashang"].local_tz
    with app.extensions["mashang"].sessions() as session, session.begin():
        station = Station(name="青石街道人大代表联络站")
        deputy = Deputy(name="王秀兰", level="区", station=station, phone="13900000001",
                        password_hash=hash_password("bench-password"))
        others = [Deputy(name=f"代表{i}", level="区", station=station) for i in range(30)]
        session.add_all([station, deputy] + others)
        session.flush()
        ids = _messages(session, rng, corpus, deputy.id, count, 0)
        # One draft of 50 messages, the rest spread over the others.
        shares = [ids[:50]] + [ids[50 + k::drafts - 1] for k in range(drafts - 1)]
        for number, members in enumerate(shares):
            _group(session, tz, deputy.id, number, members, DraftStatus.OPEN)
        ids = _messages(session, rng, corpus, deputy.id, collecting, count)
        for number in range(0, len(ids), 2):
            _group(session, tz, deputy.id, number, ids[number:number + 2], DraftStatus.COLLECTING)
        first = count + collecting
        for k, colleague in enumerate(others[:10]):
            ids = _messages(session, rng, corpus, colleague.id, colleagues // 10, first + k * (colleagues // 10))
            for number in range(0, len(ids), 2):
                _group(session, tz, colleague.id, number, ids[number:number + 2], DraftStatus.COLLECTING)


def measure(client, path: str, repeat: int = 7) -> tuple[float, float, int]:
    client.get(path)  # the first request of a web worker compiles the page's templates; not counted
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.data)
    return statistics.median(times), max(times), size


def run(label: str, database_url: str, count: int, drafts: int, redis_url: str, collecting: int = 200,
        colleagues: int = 1000) -> bool:
    app = empty_app(database_url, redis_url, "mashang-deputy-")
    started = time.perf_counter()
    fill(app, count, drafts, collecting, colleagues)
    print(f"\n{label}: {count} messages in {drafts} drafts, {collecting} in collecting groups, {colleagues} at ten"
          f" colleagues of the station, loaded in {time.perf_counter() - started:.1f} s")
    warm_up()
    gc.collect()
    gc.freeze()  # as the web workers do once jieba is loaded (intake/gunicorn_conf.py)
    client = app.test_client()
    css = len(client.get("/static/site.css").data)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/deputy/login").get_data(as_text=True)).group(1)
    client.post("/deputy/login", data={"phone": "13900000001", "password": "bench-password", "csrf_token": token})
    with app.extensions["mashang"].sessions() as session:
        big = session.scalar(select(Draft.id).order_by(Draft.id))
        small = session.scalar(select(Draft.id).where(Draft.status == DraftStatus.OPEN).order_by(Draft.id.desc()))
        approved = session.scalar(select(Draft.id).where(Draft.status == DraftStatus.APPROVED))
        group = session.scalar(select(Draft.id).where(Draft.status == DraftStatus.COLLECTING).order_by(Draft.id))
    pages = [
        ("sign-in", "/deputy/login"),
        ("home (drafts, 10 groups)", "/deputy/"),
        ("collecting groups, page 1", "/deputy/groups"),
        ("a collecting group", f"/deputy/groups/{group}"),
        ("draft with 50 messages", f"/deputy/drafts/{big}"),
        ("draft with 10 messages", f"/deputy/drafts/{small}"),
        ("submitted suggestion", f"/deputy/drafts/{approved}"),
        ("messages, first page", "/deputy/messages"),
        ("messages, page 20", "/deputy/messages?page=20"),
        ("messages, search 小区", "/deputy/messages?q=小区"),
        ("messages, topic 环境保护", "/deputy/messages?topic=环境保护"),
    ]
    ok = True
    print(f"  {'page':<28} {'weight':>9} {'median':>9} {'worst':>9}")
    for name, path in pages:
        median, worst, size = measure(client, path)
        weight = (size + css) / KB
        fine = weight < WEIGHT_TARGET and worst < TIME_TARGET
        ok &= fine
        print(f"  {name:<28} {weight:7.1f} KB {median:6.1f} ms {worst:6.1f} ms   {'ok' if fine else 'OVER TARGET'}")
    app.extensions["mashang"].close()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--drafts", type=int, default=100)
    parser.add_argument("--collecting", type=int, default=200, help="the deputy's messages in collecting groups")
    parser.add_argument("--colleagues", type=int, default=1000, help="messages at ten colleagues of the station")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    ok = run("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='mashang-sqlite-')}/bench.db", args.messages,
             args.drafts, args.redis, args.collecting, args.colleagues)
    if args.postgres:
        ensure_database(args.postgres)
        ok &= run("PostgreSQL", args.postgres, args.messages, args.drafts, args.redis, args.collecting,
                  args.colleagues)
    print(f"\nevery page under {WEIGHT_TARGET} KB and {TIME_TARGET} ms" if ok else "\nsome pages over target")


if __name__ == "__main__":
    main()
