"""`mashang worker` runs WORKER_COUNT workers, which outlive a Redis restart and, told to stop, let the job in
hand finish."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import redis
from rq import Worker as RqWorker
from rq.job import Job, JobStatus

from tests.test_health import _free_port
from workers import queues
from workers.embedded_redis import EmbeddedRedis


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _start_worker(tmp_path, database_url: str, redis_url: str, count: int):
    """`mashang worker` with WORKER_COUNT=count in a process of its own, its output in tmp_path/worker.log."""
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url, SECRET_KEY="test-secret-key",
               MASHANG_INSTANCE=str(tmp_path / "instance"), WORKER_COUNT=str(count))
    log = open(tmp_path / "worker.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "intake", "worker"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    return worker, log


@pytest.mark.parametrize("count", [1, 2])
def test_sigterm_lets_the_running_job_finish(tmp_path, sqlite_url, redis_conn, redis_url, count):
    worker, log = _start_worker(tmp_path, sqlite_url, redis_url, count)
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

    assert Job.fetch("slow-job", connection=redis_conn).get_status() == JobStatus.FINISHED
    assert RqWorker.count(connection=redis_conn) == 0


def test_a_pool_of_workers_heals_after_redis_restarts_empty(tmp_path, sqlite_url):
    """WORKER_COUNT=2 on a Redis of its own: killed and started again with nothing in it (its files lost), both
    workers register again (the operations page counts them) and take jobs at once."""
    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    worker, log = _start_worker(tmp_path, sqlite_url, server.url, 2)
    connection = redis.Redis.from_url(server.url)

    def registered() -> int:
        try:
            return RqWorker.count(connection=connection)
        except redis.RedisError:
            return -1

    try:
        _wait_for(lambda: registered() == 2, 60, "two workers to register")
        server.kill()
        shutil.rmtree(server.data_dir)
        time.sleep(3)  # long enough for both to notice and wait
        server.start()
        _wait_for(lambda: registered() == 2, 60, "both workers to register again")
        assert worker.poll() is None
        jobs = [queues.queue(connection, queues.INTAKE).enqueue("time.sleep", 2) for _ in range(2)]
        _wait_for(lambda: all(job.get_status(refresh=True) == JobStatus.STARTED for job in jobs), 30,
                  "both workers to take a job at once")
        _wait_for(lambda: all(job.get_status(refresh=True) == JobStatus.FINISHED for job in jobs), 30,
                  "the jobs to finish")
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
        connection.close()
        server.stop()
        print((tmp_path / "worker.log").read_text()[-6000:])  # shown when the test fails
    assert code == 0, (tmp_path / "worker.log").read_text()[-2000:]


def _catches_sigterm(pid: int) -> bool:
    try:
        caught = next(line for line in open(f"/proc/{pid}/status") if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(int(caught.split()[1], 16) >> (signal.SIGTERM - 1) & 1)


def _children(pid: int) -> set[int]:
    try:
        return {int(n) for n in open(f"/proc/{pid}/task/{pid}/children").read().split()}
    except OSError:
        return set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's children from /proc")
def test_a_stop_while_the_pool_is_still_forking_ends_every_worker(tmp_path, sqlite_url):
    """SIGTERM as soon as the first of eight workers is forked: the pool ends, and none it forked outlives it."""
    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    worker, log = _start_worker(tmp_path, sqlite_url, server.url, 8)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:  # the pool's handler is set just before it forks
            seen = _children(worker.pid) if _catches_sigterm(worker.pid) else set()
        worker.send_signal(signal.SIGTERM)
        try:
            code = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            code = None
        seen |= _children(worker.pid)
    finally:
        for pid in seen:  # what a pool that hangs left running
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
        server.stop()
    assert seen, "no worker was forked"
    assert code == 0, (tmp_path / "worker.log").read_text()[-2000:]
