"""The RQ implementation of intake's background port (intake.services.background.Background)."""

from __future__ import annotations

from collections.abc import Callable

import redis

from workers import monitor, queues


class RqBackground:
    def __init__(self, connection: Callable[[], redis.Redis], worker_ttl: int):
        self._connection = connection  # resolved per call: the runtime opens Redis lazily
        self._worker_ttl = worker_ttl

    def message_stored(self, message_id: int) -> bool:
        return queues.enqueue_after_commit(self._connection(), message_id)

    def wechat_photos_stored(self) -> bool:
        return queues.enqueue_wechat_photos(self._connection())

    def batch_deputy(self, deputy_id: int) -> bool:
        return queues.enqueue_batch(self._connection(), deputy_id)

    def deliver_notices(self, citizen_id: int) -> bool:
        return queues.enqueue_notices(self._connection(), citizen_id)

    def deliver_due_notices(self) -> bool:
        return queues.enqueue_due_notices(self._connection())

    def export(self, export_id: int) -> bool:
        return queues.enqueue_export(self._connection(), export_id)

    def export_again(self, export_id: int) -> bool:
        return queues.enqueue_export(self._connection(), export_id, again=True)

    def report(self, year: int) -> bool:
        return queues.enqueue_report(self._connection(), year)

    def queue_stats(self) -> dict:
        return queues.stats(self._connection(), self._worker_ttl)

    def snapshot(self) -> dict:
        return monitor.snapshot(self._connection(), self._worker_ttl)

    def retry_failed(self, job_id: str) -> bool:
        return monitor.retry(self._connection(), job_id)
