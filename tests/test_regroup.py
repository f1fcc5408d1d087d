"""A message staff re-tag leaves the group its wrong topic put it in and is grouped again; a message in a
group still collecting says so; staff can put a message into an existing draft."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import Draft, DraftMessage, DraftStatus, Message, StaffRole
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_staff, slug_of, write_roster

LIGHTS = ["幸福小区门口的路灯坏了一个月了，晚上很黑", "幸福小区东门路灯不亮，老人晚上出门容易摔倒"]
TRAFFIC = "青石中学门口放学时堵车严重，孩子过马路很危险"


def _act(staff, **form):
    return staff.post("/staff/messages/actions", data={"csrf_token": csrf_token(staff, "/staff/"), **form})


def _where(app, message_id: int):
    with app.extensions["mashang"].sessions() as session:
        row = session.execute(select(Draft.id, Draft.status, Draft.topic, Draft.title).join(DraftMessage)
                              .where(DraftMessage.message_id == message_id)).one_or_none()
        return row


def test_retag_regroups_and_collecting_is_said_and_staff_add_to_a_draft(tmp_path, database_url, redis_url,
                                                                        redis_conn, run_jobs):
    app = build_app(make_settings(tmp_path, database_url, redis_url, DRAFT_MIN_CITIZENS="2"))
    try:
        import_roster(app, write_roster(tmp_path))
        slug = slug_of(deputies(app)[0])
        for text in LIGHTS + [TRAFFIC]:
            report(app.test_client(), slug, text)
        run_jobs()
        add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
        staff = sign_in_staff(app, "qingshi")
        with app.extensions["mashang"].sessions() as session:
            traffic = session.scalar(select(Message).where(Message.text == TRAFFIC))
            traffic_id, old_topic = traffic.id, traffic.topic
            light_id = session.scalar(select(Message.id).where(Message.text == LIGHTS[0]))
        lights_draft = _where(app, light_id)
        assert lights_draft.status == DraftStatus.OPEN
        collecting = _where(app, traffic_id)
        assert collecting.status == DraftStatus.COLLECTING
        assert "收集中，尚未成稿" in staff.get(f"/staff/messages/{traffic_id}").get_data(as_text=True)
        light_page = staff.get(f"/staff/messages/{light_id}").get_data(as_text=True)
        # named as the deputy sees it, not by a row id
        assert f"已入草稿《{lights_draft.title}》" in re.sub(r"<[^>]+>", "", light_page)
        assert "收集中，尚未成稿" in staff.get("/staff/").get_data(as_text=True)

        new_topic = "城乡建设" if old_topic != "城乡建设" else "教育文体"
        _act(staff, action="retag", new_topic=new_topic, ids=[str(traffic_id)])
        run_jobs()
        regrouped = _where(app, traffic_id)
        assert regrouped is not None and regrouped.topic == new_topic  # grouped again, by its new topic

        _act(staff, action="to_draft", draft=str(lights_draft.id), ids=[str(traffic_id)])
        assert _where(app, traffic_id).id == lights_draft.id
        with app.extensions["mashang"].sessions() as session:
            draft = session.get(Draft, lights_draft.id)
            assert len(draft.links) == 3 and "3位群众" in str(draft.sections)
    finally:
        app.extensions["mashang"].close()
