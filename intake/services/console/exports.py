"""The filtered queue written to .xlsx in the background, with progress staff can watch.

An export that fails records why and can be started again; one that runs past its timeout (its worker
died) is marked failed by the sweep; finished files hold personal data and are deleted after a few days.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta, tzinfo
from string import ascii_uppercase

from openpyxl import Workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from intake.labels import CHANNELS
from intake.models import Deputy, ExportJob, Message, StaffUser, utcnow
from intake.services import plain_text
from intake.services.console import audit, triage
from intake.services.privacy import masking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500
TIMEOUT_SECONDS = 1800  # the worker's limit for one export job
TIMED_OUT = "export_timeout"  # the error recorded for an export whose worker never finished it
UNFINISHED = ("queued", "running")
log = logging.getLogger(__name__)
HEADER = ["编号", "回执号", "时间", "代表", "联络站", "分类", "承办单位", "状态", "渠道", "内容", "联系电话"]
WIDTHS = [8, 18, 17, 10, 24, 12, 16, 10, 8, 60, 16]  # in characters; a CJK character takes about two


def create(session: Session, staff: StaffUser, filters: triage.Filters) -> ExportJob:
    job = ExportJob(staff_id=staff.id, filters=filters.as_dict())
    session.add(job)
    session.flush()
    audit.record(session, f"staff:{staff.username}", "export", f"export:{job.id}", {}, {"filters": job.filters})
    return job


def retry(session: Session, staff: StaffUser, job: ExportJob) -> bool:
    """Start a failed export again from its first row; False when it has not failed."""
    if job.status != "failed":
        return False
    # The timeout counts from the retry: the sweep must not fail it again at once.
    job.status, job.error, job.done, job.total, job.created_at = "queued", None, 0, 0, utcnow()
    audit.record(session, f"staff:{staff.username}", "export_retry", f"export:{job.id}")
    return True


def run(sessions, export_id: int, local_tz: tzinfo, labels: dict, max_rows: int) -> None:
    """Write the file, the newest `max_rows` messages at most; a failure is recorded on the export (and raised for
    the worker's failed registry)."""
    try:
        _write(sessions, export_id, local_tz, labels, max_rows)
    except Exception as exc:
        log.exception("export %s failed", export_id)
        with sessions() as session, session.begin():
            session.execute(update(ExportJob).where(ExportJob.id == export_id).values(
                status="failed", error=f"{type(exc).__name__}: {exc}"[:500], finished_at=utcnow()))
        raise


def fail_timed_out(session: Session, now: datetime) -> int:
    """Unfinished exports older than their timeout: their worker died; staff can start them again."""
    return session.execute(update(ExportJob).where(
        ExportJob.status.in_(UNFINISHED), ExportJob.created_at <= now - timedelta(seconds=TIMEOUT_SECONDS),
    ).values(status="failed", error=TIMED_OUT, finished_at=now)).rowcount


def delete_old_files(session: Session, now: datetime, keep_days: int) -> int:
    """Finished exports older than `keep_days`, files and all: they hold personal data."""
    old = session.scalars(select(ExportJob).where(ExportJob.created_at <= now - timedelta(days=keep_days))).all()
    for job in old:
        session.delete(job)
    return len(old)


def _write(sessions, export_id: int, local_tz: tzinfo, labels: dict, max_rows: int) -> None:
    """Write the file in chunks, committing progress after each; a finished export is left alone."""
    with sessions() as session:
        job = session.get(ExportJob, export_id)
        if job is None or job.status == "done":
            return
        staff = session.get(StaffUser, job.staff_id)
        # Newest first, so a capped export holds the latest; one account cannot carry off the whole district at once.
        ids = triage.all_ids(session, staff, triage.Filters.parse(job.filters), local_tz, max_rows)
        job.status, job.total, job.done = "running", len(ids), 0
        session.commit()

        book = Workbook(write_only=True)
        sheet = book.create_sheet("留言")
        for column, width in zip(ascii_uppercase, WIDTHS):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"  # the header stays in view while scrolling
        sheet.append([plain_text.text_cell(sheet, name) for name in HEADER])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows = session.scalars(
                select(Message).options(joinedload(Message.deputy).joinedload(Deputy.station))
                .where(Message.id.in_(chunk)).order_by(Message.id.desc())
            ).all()
            # Where each stands now, as the queue says it: a message's own status stays 已入草稿 whatever became
            # of its draft.
            where = triage.whereabouts(session, chunk)
            for m in rows:
                texts = [
                    m.receipt, m.created_at.astimezone(local_tz).strftime("%Y-%m-%d %H:%M"), m.deputy.name,
                    m.deputy.station.name, m.topic or "", m.handling_unit or "",
                    where.get(m.id) or labels.get(m.status, m.status),
                    CHANNELS.get(m.channel, m.channel), masking.mask(m.text), masking.contact_for_export(m) or "",
                ]
                sheet.append([m.id] + [plain_text.text_cell(sheet, text) for text in texts])
            job.done = min(len(ids), start + CHUNK)
            session.commit()
        out = io.BytesIO()
        book.save(out)
        job.data, job.status, job.finished_at = out.getvalue(), "done", utcnow()
        session.commit()
