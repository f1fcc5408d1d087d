"""`mashang worker` and `mashang scheduler` wait out a Redis outage, and still stop when told to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.test_health import _free_port
from workers.embedded_redis import EmbeddedRedis

ROOT = Path(__file__).resolve().parent.parent


def test_worker_and_scheduler_wait_for_redis_and_stop_on_sigterm_during_the_outage(tmp_path, sqlite_url):
    redis_server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
    env.update(MASHANG_INSTANCE=str(tmp_path / "instance"), DATABASE_URL=sqlite_url, REDIS_URL=redis_server.url,
               SECRET_KEY="test-secret-key")
    log = open(tmp_path / "processes.log", "wb")
    processes = {name: subprocess.Popen([sys.executable, "-m", "intake", name], env=env, cwd=ROOT, stdout=log,
                                        stderr=subprocess.STDOUT) for name in ("worker", "scheduler")}
    try:
        deadline = time.monotonic() + 60
        while b"Listening on" not in (tmp_path / "processes.log").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.3)
        redis_server.kill()
        time.sleep(4)
        assert {name: p.poll() for name, p in processes.items()} == {"worker": None, "scheduler": None}
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        assert {name: p.wait(timeout=15) for name, p in processes.items()} == {"worker": 0, "scheduler": 0}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        log.close()
        redis_server.stop()
