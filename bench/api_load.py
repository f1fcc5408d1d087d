"""Open311 submissions over HTTP under load, beside the citizen's chat turn measured in the same run.

    .venv/bin/python -m bench.api_load [--connections 32] [--seconds 10] [--rounds 3] [--citizens 256]
                                       [--postgres postgresql://postgres@127.0.0.1:5432/mashang_bench]

One gunicorn (2 sync workers, as in the Procfile) serves both, on SQLite (WAL) — or PostgreSQL with
--postgres — and Redis, driven by wrk. The API side is POST /open311/v2/requests.json, form-encoded, with a
key, the deputy's slug and a fresh attribute[external_id] each time (so each request is checked for a
retry and stored: key lookup, rate limit, idempotency row, message, receipt, one RQ job). The chat side is
bench.chat_load's turn (a description, then "不留", from many citizens). Rounds alternate the two.
Target: API/chat ratio >= 0.8 per request. Printed too: submissions stored per second on each side, since
a POST stores a whole submission (and queues its job) while a chat turn does half of one; and the web
workers' CPU time per request on each side, which the other processes on a shared machine hardly change.

The bench fails (exit status 1) when any request was not answered 2xx, or when the messages stored through
the API do not match the requests answered 200 (at most one per connection more: a request wrk cut off).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
from urllib.parse import quote

from sqlalchemy import create_engine, text

from bench.chat_load import (check_submissions, citizens_script, counting_lua, cpu_seconds, free_port, gunicorn,
                             prepare_service, run_wrk, wait_for)

DESCRIPTION = "东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多，希望尽快清理"

API_LUA = counting_lua("service_request_id") + """counter = 0
request = function()
  counter = counter + 1
  local body = "%(body)s&attribute%%5Bexternal_id%%5D=r%(round)d-t" .. tid .. "-" .. counter
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def stored_by_api(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM messages WHERE channel = 'api'"))
    finally:
        engine.dispose()


def api_key(env: dict) -> str:
    created = subprocess.run([sys.executable, "-m", "intake", "apikeys", "create", "--name", "bench", "--scope",
                              "submit"], env=env, check=True, capture_output=True, text=True)
    return created.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--citizens", type=int, default=256)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    work, redis_server, env, (slug,) = prepare_service("mashang-api-bench-", args.postgres)
    env["API_PER_MINUTE"] = "100000000"  # one key from one machine, far faster than any district's system
    key = api_key(env)
    body = "&".join(f"{quote(name)}={quote(value)}" for name, value in (
        ("api_key", key), ("service_code", "环境保护"), ("description", DESCRIPTION),
        ("address_string", "东湖路菜市场"), ("attribute[deputy]", slug)))
    chat_script = work / "chat.lua"
    processes = []
    try:
        port = free_port()
        server = gunicorn("intake.wsgi:app", port, env)
        processes.append(server)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        chat_script.write_text(citizens_script(f"http://127.0.0.1:{port}", [slug], args.citizens))

        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s each, gunicorn 2 sync "
              f"workers, {database} + Redis")
        results, problems, accepted = [], [], 0
        for number in range(1, args.rounds + 1):
            cpu = cpu_seconds(server.pid)
            chat = run_wrk(f"http://127.0.0.1:{port}/api/chat/{slug}", {}, args.connections, args.seconds,
                           chat_script)
            chat_cpu = 1000 * (cpu_seconds(server.pid) - cpu) / chat.requests
            api_script = work / f"api-{number}.lua"
            api_script.write_text(API_LUA % {"body": body, "round": number})
            cpu = cpu_seconds(server.pid)
            api = run_wrk(f"http://127.0.0.1:{port}/open311/v2/requests.json", {}, args.connections, args.seconds,
                          api_script)
            api_cpu = 1000 * (cpu_seconds(server.pid) - cpu) / api.requests
            accepted += api.confirmed
            stored = stored_by_api(env["DATABASE_URL"])
            # A chat turn is half a submission (a description, then "不留" confirms it); a POST is a whole one.
            chat_stored, api_stored = chat.confirmed / args.seconds, api.confirmed / args.seconds
            results.append((chat.rps, chat.p99_ms, api.rps, api.p99_ms, chat_stored, api_stored, chat_cpu, api_cpu))
            print(f"round {number}: chat turn {chat.rps:6.0f} req/s (p99 {chat.p99_ms:5.1f} ms)   Open311 POST "
                  f"{api.rps:6.0f} req/s (p99 {api.p99_ms:5.1f} ms)   ratio {api.rps / chat.rps:.2f}   "
                  f"submissions/s chat {chat_stored:5.1f} API {api_stored:5.1f}   answered {accepted}, stored {stored}   "
                  f"web CPU per request: chat turn {chat_cpu:.2f} ms, Open311 {api_cpu:.2f} ms")
            if chat.not_2xx or api.not_2xx:
                problems.append(f"round {number}: {chat.not_2xx} chat and {api.not_2xx} API requests not answered 2xx")
            mismatch = check_submissions(stored, accepted, args.connections * number)
            if mismatch:
                problems.append(f"round {number}: {mismatch}")
        chat_rps, chat_p99, api_rps, api_p99, _, _, chat_cpu, api_cpu = (statistics.median(column)
                                                                          for column in zip(*results))
        print(f"median chat turn (POST /api/chat/<slug>):          {chat_rps:6.0f} req/s   p99 {chat_p99:6.1f} ms")
        print(f"median Open311 (POST /open311/v2/requests.json):   {api_rps:6.0f} req/s   p99 {api_p99:6.1f} ms")
        ratio = statistics.median(row[2] / row[0] for row in results)
        per_submission = statistics.median(row[5] / row[4] for row in results if row[4])
        print(f"median ratio Open311/chat per request: {ratio:.2f} (target >= 0.8): "
              f"{'met' if ratio >= 0.8 else 'NOT met'}")
        print(f"median ratio Open311/chat per stored submission: {per_submission:.2f}")
        # What a request costs the web workers does not swing with the other processes on the machine as
        # throughput does (Redis and a PostgreSQL server not counted).
        print(f"median CPU per request in the web workers: chat turn {chat_cpu:.2f} ms, Open311 {api_cpu:.2f} ms "
              f"(ratio chat/Open311 {chat_cpu / api_cpu:.2f})")
        if problems:
            print("FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
            raise SystemExit(1)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        redis_server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
