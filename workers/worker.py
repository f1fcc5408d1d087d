"""The worker process's RQ worker: each job runs under the request id that enqueued it, timed and logged."""

from __future__ import annotations

import logging
import time

from rq import SimpleWorker

from intake.ops import metrics, request_ids
from workers import context

log = logging.getLogger("mashang.job")


class Worker(SimpleWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In a worker pool this runs in a forked child: its database connections must be its own.
        context.current().engine.dispose(close=False)

    def perform_job(self, job, queue, execution) -> bool:
        token = request_ids.bind(job.meta.get("request_id"))
        started = time.perf_counter()
        try:
            ok = super().perform_job(job, queue, execution)
            duration = time.perf_counter() - started
            name = job.func_name.rsplit(".", 1)[-1]
            metrics.JOB_DURATION.labels(name).observe(duration)
            if not ok:
                metrics.JOB_FAILURES.labels(name).inc()
            log.info("job", extra={"job": name, "job_id": job.id, "queue": queue.name,
                                   "status": "finished" if ok else "failed", "duration_ms": round(duration * 1000, 1)})
            return ok
        finally:
            request_ids.unbind(token)
