"""`mashang worker` runs WORKER_COUNT workers and, told to stop, lets the job in hand finish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from rq import Worker as RqWorker
from rq.job import Job, JobStatus

from workers import queues


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("count", [1, 2])
def test_sigterm_lets_the_running_job_finish(tmp_path, sqlite_url, redis_conn, redis_url, count):
    env = dict(os.environ, DATABASE_URL=sqlite_url, REDIS_URL=redis_url, SECRET_KEY="test-secret-key",
               MASHANG_INSTANCE=str(tmp_path / "instance"), WORKER_COUNT=str(count))
    log = open(tmp_path / "worker.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "intake", "worker"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: RqWorker.count(connection=redis_conn) == count, 60, f"{count} workers to register")
        job = queues.queue(redis_conn, queues.INTAKE).enqueue("time.sleep", 3, job_id="slow-job")
        _wait_for(lambda: job.get_status(refresh=True) == JobStatus.STARTED, 20, "the job to start")
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
    assert code == 0, (tmp_path / "worker.log").read_text()[-2000:]
    assert Job.fetch("slow-job", connection=redis_conn).get_status() == JobStatus.FINISHED
    assert RqWorker.count(connection=redis_conn) == 0
