"""Personal data of long-closed items is removed by the scheduled job, and only theirs."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select, update

from intake.models import (Attachment, AuditEntry, Conversation, Delivery, Draft, DraftMessage, DraftStatus, Message,
                           MessageStatus, StaffRole, utcnow)
from intake.services.reminders import outbox
from bot import texts
from tests.conftest import csrf_token
from tests.helpers import add_staff, deputies, import_roster, report, send, sign_in_staff, slug_of, write_roster
from workers import queues

TEXT = "幸福小区东门的路灯坏了一个多月，晚上很黑。物业电话 139 1234 5678 打不通，我身份证 110101199003071234。"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(out, "PNG")
    return out.getvalue()


def _report_with_photo(app, slug: str):
    client = app.test_client()
    send(client, slug, TEXT)
    token = csrf_token(client, f"/c/{slug}")
    photo = client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(_png()), "p.png")},
                        headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    assert photo.status_code == 200, photo.get_data(as_text=True)
    body = report(client, slug, "我同意", phone="13800138000")
    return client, body["receipt"]


def _state(runtime):
    with runtime.sessions() as session:
        rows = session.execute(select(Message.id, Message.receipt, Message.text, Message.contact_phone, Message.citizen_id,
                                      Message.personal_data_removed_at).order_by(Message.id)).all()
        photos = session.execute(select(Attachment.message_id).order_by(Attachment.id)).all()
        audits = session.scalars(select(AuditEntry.id).where(AuditEntry.action == "retention")).all()
    return rows, photos, audits


def test_retention_removes_personal_data_of_long_closed_items_once(app, runtime, run_jobs, redis_conn, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    old_closed_client, old_closed = _report_with_photo(app, slug)
    _, old_open = _report_with_photo(app, slug)
    recent_client, recent_closed = _report_with_photo(app, slug)
    long_ago = utcnow() - timedelta(days=800)
    with runtime.sessions() as session, session.begin():
        session.execute(update(Message).where(Message.receipt.in_([old_closed, old_open]))
                        .values(created_at=long_ago))
        session.execute(update(Message).where(Message.receipt.in_([old_closed, recent_closed]))
                        .values(status=MessageStatus.REJECTED))

    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()

    rows, photos, audits = _state(runtime)
    by_receipt = {row.receipt: row for row in rows}
    cleaned = by_receipt[old_closed]
    assert cleaned.contact_phone is None and cleaned.citizen_id is None
    assert cleaned.personal_data_removed_at is not None
    assert "1234 5678" not in cleaned.text and "110101199003071234" not in cleaned.text
    assert "幸福小区东门的路灯坏了" in cleaned.text  # what the item was about stays
    for kept in (old_open, recent_closed):
        assert by_receipt[kept].contact_phone == "13800138000" and by_receipt[kept].citizen_id is not None
        assert "139 1234 5678" in by_receipt[kept].text
    assert (cleaned.id,) not in photos and len(photos) == 2
    assert len(audits) == 1
    # The receipt no longer leads back to the person who sent it; a recent one still does.
    answer = send(old_closed_client, slug, f"查询 {old_closed}").get_json()
    assert answer["replies"][-1] == texts.QUERY_NOT_FOUND.format(receipt=old_closed)
    answer = send(recent_client, slug, f"查询 {recent_closed}").get_json()
    assert "没有找到" not in answer["replies"][-1] and recent_closed in answer["replies"][-1]

    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()
    assert _state(runtime) == (rows, photos, audits)
    add_staff(app, "office", StaffRole.OFFICE, None)
    operations = sign_in_staff(app, "office").get("/staff/operations").get_data(as_text=True)
    assert "个人信息清理" in operations and "上次运行" in operations.split("个人信息清理", 1)[1]
    # Its daily time in the district's clock, as the time of its last run beside it: at night there.
    assert "个人信息清理（每天 03:17）" in operations, operations


def test_a_submitted_suggestion_keeps_its_citizens_while_a_discarded_draft_loses_them(app, runtime, run_jobs,
                                                                                      redis_conn, tmp_path):
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    slug = slug_of(deputy)
    submitted_client, submitted = _report_with_photo(app, slug)
    _, discarded = _report_with_photo(app, slug)
    long_ago = utcnow() - timedelta(days=800)
    with runtime.sessions() as session, session.begin():
        session.execute(update(Message).where(Message.receipt.in_([submitted, discarded]))
                        .values(created_at=long_ago, status=MessageStatus.DRAFTED))
        for receipt, status in ((submitted, DraftStatus.APPROVED), (discarded, DraftStatus.DISCARDED)):
            message = session.scalars(select(Message).where(Message.receipt == receipt)).one()
            draft = Draft(deputy_id=deputy["id"], topic="城乡建设", title="路灯", status=status,
                          created_at=long_ago, updated_at=long_ago)
            session.add(draft)
            session.flush()
            session.add(DraftMessage(draft_id=draft.id, message_id=message.id, added_at=long_ago))

    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()

    rows, photos, _ = _state(runtime)
    by_receipt = {row.receipt: row for row in rows}
    kept, cleaned = by_receipt[submitted], by_receipt[discarded]
    assert kept.citizen_id is not None and kept.contact_phone == "13800138000" and kept.personal_data_removed_at is None
    assert cleaned.citizen_id is None and cleaned.contact_phone is None and cleaned.personal_data_removed_at is not None
    assert [photo.message_id for photo in photos] == [kept.id]
    # The citizen can still ask after the suggestion their message went into, and will be told its answer.
    answer = send(submitted_client, slug, f"查询 {submitted}").get_json()
    assert "没有找到" not in answer["replies"][-1] and submitted in answer["replies"][-1]


def test_a_conversation_left_at_the_number_offer_after_a_progress_answer_is_removed(app, runtime, run_jobs,
                                                                                     redis_conn, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    client = app.test_client()
    receipt = report(client, slug, TEXT)["receipt"]
    assert "发送手机号" in send(client, slug, f"查询 {receipt}").get_json()["replies"][-1]  # the offer, then silence
    long_ago = utcnow() - timedelta(days=800)
    with runtime.sessions() as session, session.begin():
        session.execute(update(Message).values(created_at=long_ago, status=MessageStatus.REJECTED))
        session.execute(update(Conversation).values(updated_at=long_ago))

    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()

    with runtime.sessions() as session:
        assert session.scalars(select(Conversation)).all() == []
        assert session.scalar(select(Message.personal_data_removed_at)) is not None


def test_reminders_to_staff_sent_or_given_up_on_before_the_cutoff_are_deleted(app, runtime, run_jobs, redis_conn):
    long_ago, lately = utcnow() - timedelta(days=800), utcnow() - timedelta(days=3)
    with runtime.sessions() as session, session.begin():
        for key, at, state in (("old-sent", long_ago, "sent"), ("old-failed", long_ago, "failed"),
                               ("old-pending", long_ago, "pending"), ("new-failed", lately, "failed")):
            outbox.enqueue(session, channel="email", recipient=f"{key}@unit.example", subject=f"建议办理提醒 {key}",
                           body="第 1 号建议", dedupe_key=key, now=at)
            session.execute(update(Delivery).where(Delivery.dedupe_key == key).values(state=state))

    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()

    with runtime.sessions() as session:
        assert set(session.scalars(select(Delivery.dedupe_key))) == {"old-pending", "new-failed"}
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "retention"))
        assert audit.after["staff_reminders"] == 2
    add_staff(app, "office", StaffRole.OFFICE, None)
    unsent = sign_in_staff(app, "office").get("/staff/operations").get_data(as_text=True).split("未送达的提醒消息")[1]
    assert "new-failed@unit.example" in unsent and "old-failed@unit.example" not in unsent
