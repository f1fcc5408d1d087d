"""Grouping is in each message's 操作记录: the system put it in its draft, written by the batch job in one insert."""

from __future__ import annotations

from sqlalchemy import event, select

from intake.models import AuditEntry, DraftMessage, StaffRole
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_staff, slug_of, write_roster


def test_the_batch_records_each_message_joining_its_draft_in_one_insert(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in ("幸福小区门口的路灯坏了一个月了", "幸福小区东门的路灯也不亮", "青石中学门口放学时堵车严重"):
        report(app.test_client(), slug, text)
    inserts = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            inserts.append(executemany)

    event.listen(runtime.engine, "before_cursor_execute", count)
    try:
        run_jobs()
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count)
    with runtime.sessions() as session:
        linked = dict(session.execute(select(DraftMessage.message_id, DraftMessage.draft_id)).all())
        grouped = {int(e.target.split(":")[1]): e for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "grouped"))}
    assert len(linked) == 3 and set(grouped) == set(linked)
    assert all(grouped[m].actor == "system" and grouped[m].after == {"draft": d} for m, d in linked.items())
    assert len(inserts) == 1  # the batch's entries in one statement, not one per message

    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    page = sign_in_staff(app, "qingshi").get(f"/staff/messages/{min(linked)}").get_data(as_text=True)
    history = page.split("<h2>操作记录</h2>", 1)[1]
    assert "暂无" not in history and "归入草稿" in history and "系统" in history
