"""The `mashang worker` and `mashang scheduler` loops: they outlive Redis. When it goes away they wait and
reconnect, whether it comes back empty or restored; only a stop signal ends them."""

from __future__ import annotations

import logging
import signal
import time
from typing import Callable

import redis
from rq import Queue
from rq.cron import CronScheduler

from workers.worker import Worker

log = logging.getLogger(__name__)

RECONNECT_CAP = 5.0


class _Stop:
    requested = False


def _stop_on_signals(stop: _Stop) -> None:
    """While no RQ loop is running, SIGTERM and Ctrl-C just end the wait."""
    def handler(_signum, _frame):
        stop.requested = True

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _wait_for_redis(connection: redis.Redis, stop: _Stop) -> bool:
    """True once Redis answers; False when a stop was requested first."""
    delay = 0.5
    while not stop.requested:
        try:
            connection.ping()
            return True
        except (redis.RedisError, OSError) as exc:
            log.warning("Redis unreachable (%s); trying again in %.1f s", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, RECONNECT_CAP)
    return False


class _Worker(Worker):
    stop: _Stop

    def request_stop(self, signum, frame):
        # Noted here: an idle RQ worker ends work() the same way for a stop as for a lost Redis, and a busy
        # one writes the request to Redis, which fails during an outage.
        self.stop.requested = True
        super().request_stop(signum, frame)


def _forget(worker: _Worker) -> None:
    """After an outage: stop the old worker's pubsub thread and drop its registration, best effort."""
    thread = getattr(worker, "pubsub_thread", None)
    if thread is not None:
        thread.stop()
    try:
        worker.register_death()
    except (redis.RedisError, OSError):
        pass


def run_worker(connection: redis.Redis, queues: list[Queue], *, worker_ttl: int, burst: bool = False) -> None:
    stop = _Stop()
    previous: _Worker | None = None
    _stop_on_signals(stop)
    while True:
        if not _wait_for_redis(connection, stop):
            return
        if previous is not None:
            _forget(previous)
        worker = previous = _Worker(queues, connection=connection, worker_ttl=worker_ttl)
        worker.stop = stop
        try:
            worker.work(burst=burst, with_scheduler=True)
        except (redis.RedisError, OSError) as exc:
            log.warning("worker %s lost Redis (%s)", worker.name, exc)
        _stop_on_signals(stop)  # RQ's handlers would raise into the wait below
        if burst or stop.requested:
            return
        # RQ's loop ends on a Redis error it does not retry itself: start a fresh worker once Redis answers.
        log.warning("worker %s stopped unexpectedly; reconnecting", worker.name)
        time.sleep(1.0)


class Scheduler(CronScheduler):
    def register_death(self, pipeline=None) -> None:
        # Stopped during an outage: its registration expires by itself, and the stop must not turn into
        # a Redis error that looks like a lost connection.
        try:
            super().register_death(pipeline)
        except (redis.RedisError, OSError) as exc:
            log.warning("scheduler %s stopping without Redis (%s)", self.name, exc)


def run_scheduler(connection: redis.Redis, build: Callable[[], Scheduler]) -> None:
    stop = _Stop()
    _stop_on_signals(stop)
    while True:
        if not _wait_for_redis(connection, stop):
            return
        try:
            build().start()  # returns only when asked to stop
            return
        except (redis.RedisError, OSError) as exc:
            log.warning("scheduler lost Redis (%s); reconnecting", exc)
        _stop_on_signals(stop)  # RQ's handlers would raise into the wait below
        if stop.requested:
            return
        time.sleep(1.0)
