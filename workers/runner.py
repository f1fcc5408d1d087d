"""The `mashang worker` and `mashang scheduler` loops: they outlive Redis. When it goes away they wait and
reconnect, whether it comes back empty or restored; only a stop signal ends them. With WORKER_COUNT above 1
the worker process forks that many of the same healing loops and brings back any that dies."""

from __future__ import annotations

import logging
import os
import signal
import time
from typing import Callable

import redis
from rq import Queue
from rq.cron import CronScheduler

from workers.lifetime import end_with_parent
from workers.worker import Worker

log = logging.getLogger(__name__)

RECONNECT_CAP = 5.0
PUBSUB_WAKE = 1.0
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


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


class _Unregistered(Exception):
    """Redis answers again but no longer knows this worker: it came back empty."""


class _Worker(Worker):
    stop: _Stop
    # RQ doubles its wait for a lost Redis up to a minute: messages would sit that long after a short outage.
    max_connection_wait_time = RECONNECT_CAP

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout, pipeline)
        # RQ's own retry loop rides out an outage and carries on unregistered when Redis returns empty, so the
        # operations page would count no worker: ending work() here makes run_worker register a fresh one.
        if (pipeline is None and self.birth_date is not None
                and not self.connection.sismember(self.redis_workers_keys, self.key)):
            raise _Unregistered(self.name)

    def subscribe(self):
        # As RQ's, but the listener wakes every second: redis-py 8.2 waits for it in stop(), which the healing
        # loop calls after an outage, and RQ's 60 s wake held the worker's return for up to a minute.
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(sleep_time=PUBSUB_WAKE, daemon=True,
                                                       exception_handler=self._pubsub_exception_handler)

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        if self.stop.requested:  # the stop came while this worker registered, before RQ's handlers were set
            self._stop_requested = True

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
        # RQ's loop ends on a Redis error it does not retry itself, or on finding itself unregistered: start a
        # fresh worker once Redis answers.
        log.warning("worker %s stopped unexpectedly; reconnecting", worker.name)
        time.sleep(1.0)


def _child(connection: redis.Redis, queues: list[Queue], worker_ttl: int) -> int:
    """Fork one pool member running the healing loop; its own process group, so a Ctrl-C in the terminal
    reaches only the parent, which passes one SIGTERM on (a second signal would cut the job in hand short)."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        for number in STOP_SIGNALS:  # not the parent's handler, which signals siblings
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held back by the pool while it forked
        os.setpgid(0, 0)
        end_with_parent(parent)
        run_worker(connection, queues, worker_ttl=worker_ttl)
    except BaseException:  # noqa: BLE001  (a forked child must never return into the parent's code)
        log.exception("pool worker failed")
        code = 1
    finally:
        os._exit(code)


def run_pool(connection: redis.Redis, queues: list[Queue], *, count: int, worker_ttl: int) -> None:
    """`count` workers, each reconnecting by itself as run_worker does; one that exits without being asked to
    is started again. SIGTERM or Ctrl-C: each finishes the job in hand, then the pool returns."""
    stop = _Stop()
    children: set[int] = set()

    def handler(_signum, _frame):
        stop.requested = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def start() -> None:
        # A stop is held back until the new worker's pid is in `children`, so the handler reaches it too;
        # none is forked once a stop came.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            if not stop.requested:
                children.add(_child(connection, queues, worker_ttl))
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    for _ in range(count):
        start()
    while children:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if not pid:
            time.sleep(0.5)
            continue
        children.discard(pid)
        if not stop.requested:
            log.warning("pool worker %d exited (status %d); starting another", pid, status)
            time.sleep(1.0)
            start()


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
