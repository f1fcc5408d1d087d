"""The yearly report written in the background, with progress the office can watch.

A large year takes seconds (bench/report.py: the numbers over 100,000 messages, then four charts), too long
for a web worker to wait. One row per year holds the last report asked for; asking again while it is being
written changes nothing, asking once it is done or failed writes it again from fresh numbers. A report whose
worker died is marked failed by the sweep after its timeout.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from intake.config import LifecycleRules
from intake.models import ReportJob, StaffUser, utcnow
from intake.services import upserts
from intake.services.console import audit
from intake.services.lifecycle.handling import today
from intake.services.report.files import report_document, report_workbook
from intake.services.report.numbers import report_numbers

TIMEOUT_SECONDS = 600  # the worker's limit for one report
TIMED_OUT = "report_timeout"  # the error recorded for a report whose worker never finished it
UNFINISHED = ("queued", "running")
STEPS = 3  # the numbers, the .docx with its charts, the .xlsx
log = logging.getLogger(__name__)


def start(session: Session, staff: StaffUser, year: int) -> bool:
    """Ask for the year's report; False when it is already being written (nothing to queue)."""
    # The year's first request inserts its row, doing nothing on a conflict: a second one at the same moment
    # waits for the first one's transaction (the unique key), then finds its row queued instead of failing.
    created = upserts.insert_if_absent(session, ReportJob.__table__, dict(
        year=year, staff_id=staff.id, status="queued", done=0, total=STEPS, created_at=utcnow()))
    job = session.get(ReportJob, year, with_for_update=True, populate_existing=True)
    if not created and job.status in UNFINISHED:
        return False
    job.staff_id, job.status, job.done, job.total, job.error = staff.id, "queued", 0, STEPS, None
    job.created_at, job.finished_at = utcnow(), None
    session.flush()
    audit.record(session, f"staff:{staff.username}", "report", f"report:{year}")
    return True


def run(sessions, year: int, rules: LifecycleRules) -> None:
    """Write the files; a failure is recorded on the row (and raised for the worker's failed registry)."""
    try:
        _write(sessions, year, rules)
    except Exception as exc:
        log.exception("report %s failed", year)
        with sessions() as session, session.begin():
            session.execute(update(ReportJob).where(ReportJob.year == year).values(
                status="failed", error=f"{type(exc).__name__}: {exc}"[:500], finished_at=utcnow()))
        raise


def _write(sessions, year: int, rules: LifecycleRules) -> None:
    """Each step commits its progress; a report already written (or never asked for) is left alone."""
    with sessions() as session:
        job = session.get(ReportJob, year)
        if job is None or job.status not in UNFINISHED:
            return
        job.status, job.done = "running", 0
        session.commit()
        numbers = report_numbers(session, year, rules=rules)
        job.done = 1
        session.commit()
        job.docx, job.done = report_document(numbers, today(rules)), 2
        session.commit()
        job.xlsx, job.done, job.status, job.finished_at = report_workbook(numbers), 3, "done", utcnow()
        session.commit()


def fail_timed_out(session: Session, now: datetime) -> int:
    """Unfinished reports older than their timeout: their worker died; the office can ask again."""
    return session.execute(update(ReportJob).where(
        ReportJob.status.in_(UNFINISHED), ReportJob.created_at <= now - timedelta(seconds=TIMEOUT_SECONDS),
    ).values(status="failed", error=TIMED_OUT, finished_at=now)).rowcount
