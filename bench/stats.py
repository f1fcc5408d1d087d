"""The figures on suggestions with 10,000 suggestions over 5 years, 200 deputies and 40 units: server time.

    .venv/bin/python -m bench.stats [--suggestions 10000] [--postgres postgresql://postgres@127.0.0.1:5432/mashang_bench]

Times, on SQLite always and on PostgreSQL when --postgres (or TEST_DATABASE_URL) is given (that database is
wiped first): figures() for one year and for all years, the three breakdowns, overview() (what the page shows), `mashang suggestions stats
--json` through the real command, and /staff/stats through the real app when the page exists. Each is set
against a baseline measured in the same run on the same tables: a plain SELECT COUNT(*) of the year's
suggestions, and one COUNT over the four tables the figures read. Target: every figure under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, text

from bench.staff_queue import empty_app, ensure_database
from intake.models import (Assignment, Deputy, HandlingUnit, Rating, Reply, StaffRole, StaffUser, Station, Suggestion,
                           SuggestionCosigner, SuggestionEvent, UnitContact)
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import figures
from intake.services.lifecycle.states import S

YEARS = (2022, 2023, 2024, 2025, 2026)
TOPICS = ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "卫生计生", "商贸旅游"]
LEVELS = ["satisfied"] * 8 + ["basic", "unsatisfied"]


def fill(engine, count: int) -> None:
    rng = random.Random(18)
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        stations = [conn.execute(insert(Station).values(name=f"第{i}联络站").returning(Station.id)).scalar_one()
                    for i in range(1, 13)]
        conn.execute(insert(Deputy), [{"name": f"代表{i}", "level": "区", "station_id": stations[i % 12], "active": True,
                                       "created_at": now, "session_version": 1} for i in range(200)])
        conn.execute(insert(HandlingUnit), [{"name": f"区第{i}局", "short_name": f"{i}局", "active": True}
                                            for i in range(40)])
        deputies = [row[0] for row in conn.execute(text("SELECT id FROM deputies ORDER BY id"))]
        units = [row[0] for row in conn.execute(text("SELECT id FROM handling_units ORDER BY id"))]
        conn.execute(insert(StaffUser).values(username="office", password_hash=hash_password("office-password"),
                                              role=StaffRole.OFFICE, active=True, session_version=1))
        per_year = count // len(YEARS)
        suggestions, cosigners, assignments, replies, contacts, ratings, events = [], [], [], [], [], [], []
        for index in range(count):
            year = YEARS[min(index // per_year, len(YEARS) - 1)]
            seq = index - YEARS.index(year) * per_year + 1
            sid = index + 1
            assigned = datetime(year, 3, 1, tzinfo=timezone.utc) + timedelta(days=rng.randrange(200))
            answered = rng.random() < (0.97 if year < 2026 else 0.6)
            category = rng.choice("AAAAABBBCD") if answered else None
            level = rng.choice(LEVELS) if answered and rng.random() < 0.9 else None
            status = (S.HANDLING if level == "unsatisfied" else S.CLOSED if level else S.ANSWERED if answered
                      else rng.choice([S.ASSIGNED, S.HANDLING, S.REPLY_SUBMITTED]))
            suggestions.append({
                "id": sid, "number": f"{year}-{seq:04d}", "year": year, "seq": seq, "kind": "recess",
                "topic": rng.choice(TOPICS), "title": f"关于第{seq}件事的建议", "situation": "", "problems": "",
                "proposals": "", "lead_deputy_id": rng.choice(deputies), "status": status,
                "deadline": (assigned + timedelta(days=90)).date(), "key_supervision": rng.random() < 0.05,
                "supervisor": "", "round": 2 if level == "unsatisfied" else 1, "suggested_unit": "",
                "created_at": assigned, "updated_at": assigned,
            })
            for deputy in rng.sample(deputies, rng.randrange(3)):
                cosigners.append({"suggestion_id": sid, "deputy_id": deputy})
            chosen = rng.sample(units, 1 + rng.randrange(3))
            for position, unit in enumerate(chosen):
                assignments.append({"suggestion_id": sid, "unit_id": unit, "role": "lead" if position == 0 else "co",
                                    "round": 1, "assigned_at": assigned, "active": True})
            for _ in range(rng.randrange(4)):
                contacts.append({"suggestion_id": sid, "unit_id": chosen[0], "stage": rng.choice(["before", "during",
                                 "after"]), "way": rng.choice(["face", "face", "phone", "written"]),
                                 "on": (assigned + timedelta(days=10)).date(), "who": "", "note": "",
                                 "created_at": assigned})
            if answered:
                replied = assigned + timedelta(days=rng.randrange(30, 90))
                replies.append({"suggestion_id": sid, "round": 1, "unit_id": chosen[0], "text": "答复", "category": category,
                                "state": "accepted", "reason": "", "submitted_at": replied, "decided_at": replied,
                                "done_reported_at": replied if category == "B" and rng.random() < 0.5 else None})
            if level:
                ratings.append({"suggestion_id": sid, "round": 1, "deputy_id": suggestions[-1]["lead_deputy_id"],
                                "level": level, "comment": "", "at": assigned + timedelta(days=100)})
            for kind in ("register", "assign", "reply", "accept", "rate")[:2 + 2 * answered + bool(level)]:
                events.append({"suggestion_id": sid, "at": assigned, "actor": "staff:1", "kind": kind, "note": "",
                               "data": {}, "from_status": None, "to_status": status})
        for model, rows in ((Suggestion, suggestions), (SuggestionCosigner, cosigners), (Assignment, assignments),
                            (Reply, replies), (UnitContact, contacts), (Rating, ratings), (SuggestionEvent, events)):
            for start in range(0, len(rows), 5000):
                conn.execute(insert(model), rows[start:start + 5000])
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('suggestions_id_seq', (SELECT max(id) FROM suggestions))"))


def timed(action, repeat: int = 7) -> tuple[float, float]:
    action()  # the first call warms caches as any long-running server has
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def signed_in(app):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/staff/login", data={"username": "office", "password": "office-password", "csrf_token": token})
    return client


def run(label: str, database_url: str, count: int, redis_url: str) -> bool:
    app = empty_app(database_url, redis_url, "mashang-stats-")
    runtime = app.extensions["mashang"]
    started = time.perf_counter()
    fill(runtime.engine, count)
    if runtime.engine.dialect.name == "postgresql":
        # As autovacuum leaves a database that has been running a while: statistics and the visibility map.
        with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    print(f"\n{label}: {count} suggestions over {len(YEARS)} years, 200 deputies, 40 units, loaded in "
          f"{time.perf_counter() - started:.1f} s")
    year = YEARS[-2]
    rules = runtime.settings.lifecycle

    def in_session(work):
        def call():
            with runtime.sessions() as session:
                return work(session)
        return call

    count_year = in_session(lambda s: s.execute(text("SELECT count(*) FROM suggestions WHERE year = :y"),
                                                {"y": year}).scalar())
    count_tables = in_session(lambda s: s.execute(text(
        "SELECT (SELECT count(*) FROM suggestions WHERE year = :y) + (SELECT count(*) FROM replies)"
        " + (SELECT count(*) FROM unit_contacts) + (SELECT count(*) FROM ratings)"), {"y": year}).scalar())
    baseline, _ = timed(count_year)
    baseline_tables, _ = timed(count_tables)
    print(f"  baseline COUNT(*) of a year's suggestions   median {baseline:7.2f} ms")
    print(f"  baseline COUNT(*) over the four tables       median {baseline_tables:7.2f} ms")
    cli = app.test_cli_runner()

    def stats_json(*args):
        def call():
            result = cli.invoke(args=["suggestions", "stats", "--json", *args])
            assert result.exit_code == 0, result.output
            return json.loads(result.output)
        return call

    cases = [
        (f"figures({year})", in_session(lambda s: figures.figures(s, year, rules=rules))),
        ("figures(all years)", in_session(lambda s: figures.figures(s, None, rules=rules))),
        *[(f"breakdown({year}, {by})", in_session(lambda s, by=by: figures.breakdown(s, year, by, rules=rules)))
          for by in figures.BREAKDOWNS],
        (f"overview({year}): figures + 3 breakdowns", in_session(lambda s: figures.overview(s, year, rules=rules))),
        (f"stats --json --year {year}", stats_json("--year", str(year))),
        ("stats --json (all years)", stats_json()),
    ]
    if any(rule.rule == "/staff/stats" for rule in app.url_map.iter_rules()):
        client = signed_in(app)

        def page():
            response = client.get("/staff/stats", query_string={"year": year})
            assert response.status_code == 200, response.status_code
        cases.append((f"GET /staff/stats?year={year}", page))
    else:
        print("  (no /staff/stats page in this build: the page is not timed)")
    ok = True
    for name, action in cases:
        median, worst = timed(action)
        ok &= worst < 300
        print(f"  {name:<36} median {median:7.1f} ms   worst {worst:7.1f} ms   "
              f"×{median / baseline:6.1f} COUNT   ×{median / baseline_tables:5.1f} four COUNTs   "
              f"{'ok' if worst < 300 else 'OVER 300 ms'}")
    answer = stats_json("--year", str(year))()
    print(f"  {year}: total {answer['total']}, answered {answer['answered']}, A/B/C/D {answer['by_category']}, "
          f"办复率 {answer['reply_rate']}, 面商率 {answer['face_to_face_rate']}, 满意率 {answer['satisfaction_rate']}, "
          f"办结率 {answer['completion_rate']}")
    runtime.close()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suggestions", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    ok = run("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='mashang-sqlite-')}/bench.db", args.suggestions,
             args.redis)
    if args.postgres:
        url = args.postgres.replace("postgresql+psycopg://", "postgresql://")
        ensure_database(url)
        ok &= run("PostgreSQL", url, args.suggestions, args.redis)
    print("\nevery figure under 300 ms" if ok else "\nsome figures over 300 ms")


if __name__ == "__main__":
    main()
