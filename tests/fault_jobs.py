"""A job for the fault tests: it says it has started, then holds the worker, so a kill lands inside a job."""

from __future__ import annotations

import time

from rq import get_current_job

STARTED_KEY = "mashang-test:held-job-started"


def hold(seconds: float) -> None:
    get_current_job().connection.set(STARTED_KEY, "1")
    time.sleep(seconds)
