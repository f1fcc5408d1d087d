"""A full chat turn over HTTP under load, beside a baseline endpoint measured in the same run.

    .venv/bin/python -m bench.chat_load [--connections 32] [--seconds 10] [--rounds 5] [--citizens 256]
                                        [--postgres postgresql://postgres@127.0.0.1:5432/mashang_bench]

Both run under gunicorn (2 sync workers, as in the Procfile) on SQLite (WAL) — or PostgreSQL with
--postgres (the database is created when missing and emptied first) — and Redis, driven by wrk from
Debian's packages. The chat turn is POST /api/chat/<slug> from many citizens, each with the cookie and
CSRF token of a real visit to the chat page, each alternating a description and "不留" so every
conversation keeps moving (store, update, confirm, enqueue). The baseline pays what every turn pays at
least: the same SQLite write turn, a Core insert of a message row, one RQ job (bench/baseline_app.py).
Goals: median ratio >= 0.8 over 5 rounds, chat p99 < 100 ms at 32 connections.

The bench fails (exit status 1) when any request was not answered 2xx, or when the submissions stored
do not match the turns that confirmed one (a reply with a receipt): none may be missing, and at most one
per connection more may be stored (a turn wrk cut off at the end of a round, stored without its reply read).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

from workers.embedded_redis import EmbeddedRedis

DESCRIPTION = "东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多"

BASELINE_LUA = """
bodies = {'{"text": "%s"}', '{"text": "不留"}'}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, nil, bodies[(counter %% 2) + 1])
end
""" % DESCRIPTION

def counting_lua(field: str) -> str:
    """wrk's Lua that numbers its threads and counts the answers carrying an MS- receipt in `field`; `done`
    prints their sum. Text for %-formatting, as the scripts it starts."""
    return COUNTING_LUA.replace("{field}", field)


COUNTING_LUA = """
local thread_count = 0
local threads = {}
function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end
confirmed = 0
function response(status, headers, body)
  if status == 200 and string.find(body, '"{field}":%%s*"MS%%-') then confirmed = confirmed + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("confirmed") end
  io.write(string.format("confirmed turns: %%d\\n", total))
end
"""

# Each wrk thread takes its own half of the citizens, a block of them at a time: each citizen of the block
# sends a description (the citizen's next one), then each sends "不留", then the next block; a block is far
# larger than a thread's connections, so no citizen has two turns in flight.
# Every thread counts the replies that carry a receipt; `done` prints their sum for the bench to check.
CITIZENS_LUA = counting_lua("receipt") + """counter = 0
request = function()
  local share = math.floor(#citizens / %(threads)d)
  local block = math.min(%(block)d, share)
  local within = counter %% (2 * block)
  local slot = math.floor(counter / (2 * block)) * block + within %% block
  local index = tid * share + slot %% share
  local c = citizens[index + 1]
  local body = decline
  if within < block then
    local round = math.floor(slot / share)
    body = (c[4] and c[4][round + 1]) or descriptions[(round + index) %% #descriptions + 1]
  end
  counter = counter + 1
  return wrk.format("POST", c[3], {["Cookie"] = c[1], ["X-CSRFToken"] = c[2],
                                   ["Content-Type"] = "application/json"}, body)
end
"""
# wrk waits this long before each request of a connection: a steady load instead of all it can send.
DELAY_LUA = """
function delay()
  return %(ms)d
end
"""
WRK_THREADS = 2
RATIO_GOAL = 0.8
P99_GOAL_MS = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def gunicorn(target: str, port: int, env: dict, log=None) -> subprocess.Popen:
    """The web tier as the Procfile runs it (2 sync workers); output to `log` when given."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf", "--workers", "2",
         "--threads", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target], env=env,
        stdout=log, stderr=subprocess.STDOUT if log else None)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process and its children (gunicorn's workers) used so far, from /proc.
    Per request it says what a side costs even on a shared machine, where wall-clock figures do not."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Run:
    requests: int
    rps: float
    p99_ms: float
    not_2xx: int  # answered with another status, or not answered (socket errors, timeouts)
    confirmed: int | None  # replies with a receipt, when the script counts them


def run_wrk(url: str, headers: dict, connections: int, seconds: int, script: Path) -> Run:
    # A slow answer on a busy machine counts with its latency; only one over 10 s counts as not answered.
    args = ["wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency",
            "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    not_2xx = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    confirmed = re.search(r"confirmed turns: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return Run(requests, rps, float(p99.group(1)) * scale, not_2xx, int(confirmed.group(1)) if confirmed else None)


def stored_submissions(url: str) -> int:
    """Citizens' submissions past "collecting" (the baseline's rows left out)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM messages WHERE channel <> 'baseline' "
                                    "AND status NOT IN ('collecting', 'withdrawn')"))
    finally:
        engine.dispose()


def check_submissions(stored: int, confirmed: int, cut_off: int) -> str | None:
    """What is wrong with the stored submissions against the confirmed turns, or None; `cut_off`: how many
    turns wrk may have stopped waiting for (one per connection and round)."""
    if stored < confirmed:
        return f"{confirmed - stored} confirmed turns have no stored submission ({stored} stored, {confirmed} confirmed)"
    if stored > confirmed + cut_off:
        return f"{stored - confirmed} more submissions stored than turns confirmed ({stored} stored, {confirmed} confirmed)"
    return None


def empty_postgres(url: str) -> None:
    """Create the bench database when missing and drop everything in it."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def prepare_service(prefix: str, postgres: str | None = None,
                    deputies: int = 1) -> tuple[Path, EmbeddedRedis, dict, list[str]]:
    """A migrated database (SQLite, or the given PostgreSQL emptied) with `deputies` deputies, a private
    Redis, and the environment to run on them; returns the deputies' citizen-link slugs too."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    # A unix socket, as the embedded default (no REDIS_URL) runs it.
    redis_server = EmbeddedRedis(work / "redis", socket=work / "redis.sock").start()
    if postgres:
        empty_postgres(postgres)
    env = dict(os.environ, MASHANG_INSTANCE=str(work / "instance"), REDIS_URL=redis_server.url,
               DATABASE_URL=postgres or f"sqlite:///{work / 'instance' / 'mashang.db'}", SECRET_KEY="bench",
               # Every request comes from 127.0.0.1 and each citizen talks far faster than a person:
               # lift the intake limits for the measurement.
               CHAT_PER_MINUTE="100000000", CHAT_PER_ADDRESS_PER_MINUTE="100000000")
    mashang = [sys.executable, "-m", "intake"]
    subprocess.run(mashang + ["db", "upgrade"], env=env, check=True, capture_output=True)
    roster = work / "roster.csv"
    rows = [f"代表{n:03d},区,第{n % 8 + 1}联络站,139{n:08d}" for n in range(1, deputies + 1)]
    roster.write_text("姓名,层级,联络站,手机\n" + "\n".join(rows) + "\n", encoding="utf-8")
    subprocess.run(mashang + ["deputies", "import", str(roster)], env=env, check=True, capture_output=True)
    listed = subprocess.run(mashang + ["deputies", "list"], env=env, check=True, capture_output=True, text=True)
    return work, redis_server, env, re.findall(r"/c/(\S+)", listed.stdout)


def visit(base: str, slug: str) -> tuple[str, str]:
    """The cookie and CSRF token of one citizen's real visit: the chat page, then a first "帮助"."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/c/{slug}").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    opener.open(urllib.request.Request(f"{base}/api/chat/{slug}", data='{"text": "帮助"}'.encode(),
                                       headers={"Content-Type": "application/json", "X-CSRFToken": token}))
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def _lua_json(text: str) -> str:
    return "[[" + json.dumps({"text": text}, ensure_ascii=False) + "]]"


def citizens_script(base: str, slugs: list[str], count: int, descriptions: tuple[str, ...] = (DESCRIPTION,),
                    delay_ms: int = 0, block: int | None = None,
                    own: Callable[[int], tuple[str, ...]] | None = None) -> str:
    """A wrk script in which `count` citizens, each from their own visit to one of the deputies' pages
    (spread evenly: citizen i writes to deputy i mod the number of deputies), take turns in blocks of
    `block` (all of a thread's citizens when None); with `delay_ms`, each connection pauses that long
    between requests. `own(i)` gives citizen i's descriptions in order (then `descriptions`, shared)."""
    # Visited a few at a time: thousands of citizens one after the other would take minutes.
    with ThreadPoolExecutor(8) as pool:
        visits = list(pool.map(lambda i: (slugs[i % len(slugs)], *visit(base, slugs[i % len(slugs)])), range(count)))
    texts = [", {" + ", ".join(map(_lua_json, own(i))) + "}" if own else "" for i in range(count)]
    rows = ",\n".join(f'  {{"{cookie}", "{token}", "/api/chat/{slug}"{texts[i]}}}'
                       for i, (slug, cookie, token) in enumerate(visits))
    script = (f"citizens = {{\n{rows}\n}}\n"
              f"descriptions = {{{', '.join(_lua_json(d) for d in descriptions)}}}\n"
              f"decline = {_lua_json('不留')}\n" + CITIZENS_LUA % {"threads": WRK_THREADS, "block": block or count})
    return script + (DELAY_LUA % {"ms": delay_ms} if delay_ms else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--citizens", type=int, default=256)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    work, redis_server, env, (slug,) = prepare_service("mashang-bench-", args.postgres)
    # The baseline's table sits beside ours in the same database.
    env["BASELINE_DATABASE_URL"] = args.postgres or env["DATABASE_URL"]
    baseline_script, chat_script = work / "baseline.lua", work / "chat.lua"
    baseline_script.write_text(BASELINE_LUA)

    processes = []
    try:
        chat_port, base_port = free_port(), free_port()
        chat_server = gunicorn("intake.wsgi:app", chat_port, env)
        base_server = gunicorn("bench.baseline_app:app", base_port, env)
        processes += [chat_server, base_server]
        wait_for(f"http://127.0.0.1:{chat_port}/healthz")
        wait_for(f"http://127.0.0.1:{base_port}/")

        chat_script.write_text(citizens_script(f"http://127.0.0.1:{chat_port}", [slug], args.citizens))

        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s each, gunicorn 2 sync "
              f"workers, {database} + Redis, {args.citizens} citizens")
        # Rounds alternate the two so that a noisy moment on a shared machine does not land on one side only.
        results, cpu_per_request, problems, confirmed = [], [], [], 0
        for number in range(1, args.rounds + 1):
            cpu = cpu_seconds(base_server.pid)
            base = run_wrk(f"http://127.0.0.1:{base_port}/baseline", {"Content-Type": "application/json"},
                           args.connections, args.seconds, baseline_script)
            base_cpu = 1000 * (cpu_seconds(base_server.pid) - cpu) / base.requests
            cpu = cpu_seconds(chat_server.pid)
            chat = run_wrk(f"http://127.0.0.1:{chat_port}/api/chat/{slug}", {}, args.connections, args.seconds,
                           chat_script)
            chat_cpu = 1000 * (cpu_seconds(chat_server.pid) - cpu) / chat.requests
            confirmed += chat.confirmed
            stored = stored_submissions(env["DATABASE_URL"])
            results.append((base.rps, base.p99_ms, chat.rps, chat.p99_ms))
            cpu_per_request.append((base_cpu, chat_cpu))
            print(f"round {number}: baseline {base.rps:6.0f} req/s (p99 {base.p99_ms:5.1f} ms)   chat turn "
                  f"{chat.rps:6.0f} req/s (p99 {chat.p99_ms:5.1f} ms)   ratio {chat.rps / base.rps:.2f}   "
                  f"confirmed {confirmed}, stored {stored}   web CPU per request: baseline {base_cpu:.2f} ms, "
                  f"chat turn {chat_cpu:.2f} ms")
            if base.not_2xx or chat.not_2xx:
                problems.append(f"round {number}: {base.not_2xx} baseline and {chat.not_2xx} chat requests "
                                f"not answered 2xx")
            mismatch = check_submissions(stored, confirmed, args.connections * number)
            if mismatch:
                problems.append(f"round {number}: {mismatch}")
        base_rps, base_p99, chat_rps, chat_p99 = (statistics.median(column) for column in zip(*results))
        print(f"median baseline (write turn + Core insert + enqueue): {base_rps:6.0f} req/s   p99 {base_p99:6.1f} ms")
        print(f"median chat turn (POST /api/chat/<slug>):             {chat_rps:6.0f} req/s   p99 {chat_p99:6.1f} ms")
        base_cpu, chat_cpu = (statistics.median(column) for column in zip(*cpu_per_request))
        print(f"median CPU per request in the web workers: baseline {base_cpu:.2f} ms, chat turn {chat_cpu:.2f} ms "
              f"(ratio {base_cpu / chat_cpu:.2f}; Redis and the database server not counted)")
        ratio = statistics.median(chat / base for base, _, chat, _ in results)
        full = args.rounds >= 5 and args.connections == 32
        judged = "" if full else " (the goals are for 5 rounds at 32 connections)"
        print(f"median ratio chat/baseline: {ratio:.2f}, goal >= {RATIO_GOAL}: "
              f"{'met' if ratio >= RATIO_GOAL else 'NOT met'}; chat p99 {chat_p99:.0f} ms, goal < {P99_GOAL_MS} ms: "
              f"{'met' if chat_p99 < P99_GOAL_MS else 'NOT met'}{judged}")
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
