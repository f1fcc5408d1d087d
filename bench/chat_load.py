"""A full chat turn over HTTP under load, beside a baseline endpoint measured in the same run.

    .venv/bin/python -m bench.chat_load [--connections 32] [--seconds 15]

Both run under gunicorn (2 sync workers, as in the Procfile) on SQLite (WAL) and Redis, driven by wrk from Debian's
packages. The chat turn is POST /api/chat/<slug> with the cookie and CSRF token of a real visit,
alternating a description and "不留" so the conversation keeps moving (store, update, confirm, enqueue).
The baseline only inserts one row and enqueues one RQ job. Target: ratio >= 0.6, chat p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from workers.embedded_redis import EmbeddedRedis

LUA = """
counter = 0
bodies = {'{"text": "东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多"}', '{"text": "不留"}'}
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, nil, bodies[(counter % 2) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
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


def gunicorn(target: str, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf", "--workers", "2",
         "--threads", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target], env=env)


def run_wrk(url: str, headers: dict, connections: int, seconds: int, script: Path) -> tuple[float, float]:
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  ({non2xx.group(1)} non-2xx responses)")
    return rps, float(p99.group(1)) * scale


def prepare_service(prefix: str) -> tuple[Path, EmbeddedRedis, dict, str]:
    """A migrated SQLite instance with one deputy, a private Redis, and the environment to run on them."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    redis_server = EmbeddedRedis(work / "redis", port=free_port()).start()
    env = dict(os.environ, MASHANG_INSTANCE=str(work / "instance"), REDIS_URL=redis_server.url,
               DATABASE_URL=f"sqlite:///{work / 'instance' / 'mashang.db'}", SECRET_KEY="bench",
               # One wrk cookie stands for every connection: lift the per-citizen limits for the measurement.
               CHAT_PER_MINUTE="100000000", CHAT_PER_ADDRESS_PER_MINUTE="100000000")
    mashang = [sys.executable, "-m", "intake"]
    subprocess.run(mashang + ["db", "upgrade"], env=env, check=True, capture_output=True)
    roster = work / "roster.csv"
    roster.write_text("姓名,层级,联络站,手机\n王秀兰,区,青石街道人大代表联络站,13900000001\n", encoding="utf-8")
    subprocess.run(mashang + ["deputies", "import", str(roster)], env=env, check=True, capture_output=True)
    listed = subprocess.run(mashang + ["deputies", "list"], env=env, check=True, capture_output=True, text=True)
    return work, redis_server, env, re.search(r"/c/(\S+)", listed.stdout).group(1)


def citizen_headers(base: str, slug: str) -> dict:
    """The cookie and CSRF token of a real visit to the chat page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/c/{slug}").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return {"Content-Type": "application/json", "X-CSRFToken": token,
            "Cookie": "; ".join(f"{c.name}={c.value}" for c in jar)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    work, redis_server, env, slug = prepare_service("mashang-bench-")
    env["BASELINE_DATABASE_URL"] = f"sqlite:///{work / 'baseline.db'}"
    script = work / "chat.lua"
    script.write_text(LUA)

    processes = []
    try:
        chat_port, base_port = free_port(), free_port()
        processes.append(gunicorn("intake.wsgi:app", chat_port, env))
        processes.append(gunicorn("bench.baseline_app:app", base_port, env))
        wait_for(f"http://127.0.0.1:{chat_port}/healthz")
        wait_for(f"http://127.0.0.1:{base_port}/")

        headers = citizen_headers(f"http://127.0.0.1:{chat_port}", slug)

        print(f"{args.connections} connections, {args.seconds} s each, gunicorn 2 sync workers, SQLite + Redis")
        base_rps, base_p99 = run_wrk(f"http://127.0.0.1:{base_port}/baseline", {"Content-Type": "application/json"},
                                     args.connections, args.seconds, script)
        print(f"baseline (insert one row + enqueue one job): {base_rps:8.0f} req/s   p99 {base_p99:6.1f} ms")
        chat_rps, chat_p99 = run_wrk(f"http://127.0.0.1:{chat_port}/api/chat/{slug}", headers,
                                     args.connections, args.seconds, script)
        print(f"chat turn (POST /api/chat/<slug>):          {chat_rps:8.0f} req/s   p99 {chat_p99:6.1f} ms")
        print(f"ratio chat/baseline: {chat_rps / base_rps:.2f} (target >= 0.6); chat p99 target < 100 ms: "
              f"{'met' if chat_p99 < 100 else 'NOT met'}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        redis_server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
