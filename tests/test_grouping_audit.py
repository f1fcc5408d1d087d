"""Grouping is in each message's 操作记录: the system put it in its draft, written by the batch job in one insert."""

from __future__ import annotations

from sqlalchemy import event, select

from workers import context
from intake.models import AuditEntry, Draft, DraftMessage, DraftStatus, Message, StaffRole
from tests.conftest import build_app, make_settings
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
            select(AuditEntry).where(AuditEntry.action.in_(("grouped", "grouped_collecting"))))}
    assert len(linked) == 3 and set(grouped) == set(linked)
    assert all(grouped[m].actor == "system" and d in grouped[m].after.values() for m, d in linked.items())
    assert len(inserts) == 1  # the batch's entries in one statement, not one per message

    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    page = sign_in_staff(app, "qingshi").get(f"/staff/messages/{min(linked)}").get_data(as_text=True)
    history = page.split("<h2>操作记录</h2>", 1)[1]
    assert "暂无" not in history and "归入" in history and "系统" in history


LIGHTS = ("青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。",
          "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。")
DITCH = "柳河镇桃园村的排污沟堵了，污水漫到路上，臭气熏天。建议环保部门尽快清理排污沟。"


def test_the_log_says_whether_a_message_joined_a_draft_or_a_problem_still_collecting(
        tmp_path, database_url, redis_url, run_jobs):
    """A clerk reads 归入草稿 #7《关于…的建议》 for a draft, 归入收集中的问题 #8 for a group not yet a draft."""
    app = build_app(make_settings(tmp_path, database_url, redis_url, DRAFT_MIN_CITIZENS="2"))
    try:
        import_roster(app, write_roster(tmp_path))
        slug = slug_of(deputies(app)[0])
        for text in (*LIGHTS, DITCH):
            report(app.test_client(), slug, text)
        run_jobs()
        runtime = app.extensions["mashang"]
        with runtime.sessions() as session:
            drafts = {d.id: d for d in session.scalars(select(Draft))}
            linked = dict(session.execute(select(DraftMessage.message_id, DraftMessage.draft_id)).all())
            receipts = dict(session.execute(select(Message.id, Message.receipt)).all())
        collecting = {m for m, d in linked.items() if drafts[d].status == DraftStatus.COLLECTING}
        assert len(collecting) == 1 and len(linked) == 3  # the two about the lamps made a draft, the ditch waits
        add_staff(app, "boss", StaffRole.ADMIN, None)
        page = sign_in_staff(app, "boss").get("/staff/audit").get_data(as_text=True)
        rows = {receipts[m]: row for row in page.split("<tr")[1:] for m in linked if receipts[m] in row}
        for message, draft in linked.items():
            row = rows[receipts[message]]
            if message in collecting:
                assert "归入收集中的问题" in row and f"收集中的问题：{draft} 号" in row
            else:
                assert "归入草稿" in row and f"草稿：{draft} 号《{drafts[draft].title}》" in row
    finally:
        app.extensions["mashang"].close()
        context.use(None)
