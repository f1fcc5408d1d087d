"""The staff console: triage actions, spam holding, roster preview, exports, operations, the audit log."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from intake.models import (AuditEntry, Deputy, Draft, DraftMessage, ExportJob, Message, MessageStatus, StaffRole,
                           StaffUser, Station, utcnow)
from intake.services.console import exports
from intake.services.drafts import drafting, review
from tests.conftest import csrf_token
from tests.helpers import (add_staff, deputies, import_roster, report, send, set_password, sign_in_deputy, sign_in_staff,
                           saved_as, slug_of, write_roster)
from workers import jobs, queues


def _setup(app, client, tmp_path, texts_by_deputy: dict[int, list[str]]):
    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    for index, texts in texts_by_deputy.items():
        for text in texts:
            report(app.test_client(), slug_of(listed[index]), text)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "admin", StaffRole.ADMIN, None)
    return listed


def _ids(app, **where):
    with app.extensions["mashang"].sessions() as session:
        query = select(Message.id).order_by(Message.id)
        for key, value in where.items():
            query = query.where(getattr(Message, key) == value)
        return list(session.scalars(query))


def _act(staff_client, **form):
    token = csrf_token(staff_client, "/staff/")
    return staff_client.post("/staff/messages/actions", data={"csrf_token": token, **form})


def test_bulk_retag_flag_reassign_note_and_audit(app, client, runtime, run_jobs, tmp_path):
    listed = _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "幸福小区东门的路灯也不亮",
                                                 "青石中学门口放学时堵车严重"], 1: ["东湖路污水沟臭味很大"]})
    run_jobs()
    staff = sign_in_staff(app, "qingshi")
    ids = _ids(app)
    assert _act(staff, action="retag", new_topic="城乡建设", ids=[str(i) for i in ids[:3]]).status_code == 302
    with runtime.sessions() as session:
        assert {session.get(Message, i).topic for i in ids[:3]} == {"城乡建设"}
        assert all(session.get(Message, i).topic_confirmed for i in ids[:3])
    # A reason or note pasted with an invisible control character (PostgreSQL stores no NUL) is kept without it.
    assert _act(staff, action="spam", reason="广\x00告", ids=[str(ids[3])]).status_code == 302
    _act(staff, action="reassign", to_deputy=str(listed[1]["id"]), ids=[str(ids[2])])
    assert _act(staff, action="note", note="已电话\x00联系物业", ids=[str(ids[0])]).status_code == 302
    with runtime.sessions() as session:
        spam = session.get(Message, ids[3])
        assert spam.status == MessageStatus.REJECTED and spam.flag == "spam" and spam.flag_reason == "广告"
        assert session.scalar(select(DraftMessage).where(DraftMessage.message_id == ids[3])) is None
        assert session.get(Message, ids[2]).deputy_id == listed[1]["id"]
        actions = [a for (a,) in session.execute(select(AuditEntry.action).where(AuditEntry.actor != "system")
                                                 .order_by(AuditEntry.id))]
    assert actions == ["retag"] * 3 + ["flag_spam", "reassign", "note"]
    page = staff.get(f"/staff/messages/{ids[0]}").get_data(as_text=True)
    assert "已电话联系物业" in page and "retag" in page


def test_reassigned_citizen_is_told_on_their_next_turn(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    citizen = app.test_client()
    receipt = report(citizen, slug_of(listed[0]), "幸福小区门口的路灯坏了一个月了")["receipt"]
    add_staff(app, "office", StaffRole.OFFICE, None)
    _act(sign_in_staff(app, "office"), action="reassign", to_deputy=str(listed[1]["id"]), ids=[str(_ids(app)[0])])
    first = send(citizen, slug_of(listed[0]), "你好").get_json()["replies"]
    assert receipt in first[0] and "李建国" in first[0]
    again = send(citizen, slug_of(listed[0]), "重新开始").get_json()["replies"]
    assert not any(receipt in r for r in again)


def test_consent_to_show_the_phone_is_given_to_one_deputy_and_comes_back_with_the_message(app, client, runtime,
                                                                                          run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    report(app.test_client(), slug_of(listed[0]), "幸福小区门口的路灯坏了一个月了，晚上很黑", phone="13987654321")
    run_jobs()

    def messages_page(phone: str) -> str:
        set_password(app, phone, "deputy-password-1")
        deputy = app.test_client()
        assert sign_in_deputy(deputy, phone, "deputy-password-1").status_code == 302
        return deputy.get("/deputy/messages").get_data(as_text=True)

    assert "13987654321" in messages_page("13900000001")  # 王秀兰, to whom the citizen agreed to show it
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    _act(office, action="reassign", to_deputy=str(listed[1]["id"]), ids=[str(_ids(app)[0])])
    shown = messages_page("13900000002")  # 李建国, to whom the citizen never agreed
    assert "路灯坏了" in shown and "13987654321" not in shown and "群众未同意公开" in shown
    # Staff still have the number to call the citizen back.
    assert "13987654321" in office.get(f"/staff/messages/{_ids(app)[0]}").get_data(as_text=True)
    # Moved back to the deputy the citizen wrote to, the message shows the number again, as the citizen agreed.
    _act(office, action="reassign", to_deputy=str(listed[0]["id"]), ids=[str(_ids(app)[0])])
    assert "13987654321" in messages_page("13900000001")


def test_a_message_moved_away_before_consent_was_kept_per_deputy_shows_the_phone_again_when_moved_back(
        app, client, runtime, run_jobs, tmp_path):
    """Moves made before the upgrade cleared the consent; the audit log kept the deputy it was given to."""
    from intake import migrate

    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    report(app.test_client(), slug_of(listed[0]), "幸福小区门口的路灯坏了一个月了，晚上很黑", phone="13987654321")
    run_jobs()
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    _act(office, action="reassign", to_deputy=str(listed[1]["id"]), ids=[str(_ids(app)[0])])
    migrate.downgrade(runtime.engine, "0077")  # the database as that move left it
    migrate.upgrade(runtime.engine)
    _act(office, action="reassign", to_deputy=str(listed[0]["id"]), ids=[str(_ids(app)[0])])
    set_password(app, "13900000001", "deputy-password-1")
    deputy = app.test_client()
    assert sign_in_deputy(deputy, "13900000001", "deputy-password-1").status_code == 302
    assert "13987654321" in deputy.get("/deputy/messages").get_data(as_text=True)


def test_station_staff_cannot_act_on_another_stations_messages(app, client, runtime, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"], 2: ["柳河镇桃园村村道坑坑洼洼"]})
    staff = sign_in_staff(app, "qingshi")
    other = _ids(app)[1]
    assert _act(staff, action="spam", ids=[str(other)]).status_code == 404
    assert staff.get(f"/staff/messages/{other}").status_code == 404
    with runtime.sessions() as session:
        assert session.get(Message, other).flag is None


def test_spam_and_abuse_are_held_and_never_drafted(app, client, runtime, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["加微信领补贴 http://spam.example.com 快来 www.spam.cn 幸福小区",
                                       "你们这些狗官，幸福小区路灯坏了一个月也不管，去死吧"]})
    run_jobs()
    with runtime.sessions() as session:
        held = session.scalars(select(Message).where(Message.status == MessageStatus.HELD)).all()
        assert len(held) == 2 and all(m.needs_attention for m in held)
        assert session.scalar(select(func.count()).select_from(Draft)) == 0
    staff = sign_in_staff(app, "office")
    page = staff.get("/staff/?attention=spam").get_data(as_text=True)
    assert "含 2 个链接" not in page and "spam.example.com" in page
    _act(staff, action="release", ids=[str(held[1].id)])
    run_jobs()
    with runtime.sessions() as session:
        assert session.get(Message, held[1].id).status == MessageStatus.DRAFTED
        assert session.get(Message, held[0].id).status == MessageStatus.HELD


def test_a_message_not_yet_tagged_says_so_once_on_the_phone_card(app, client, tmp_path):
    # No worker has run: its status is 待分类, and the card once said 未分类 too, as if it were two facts.
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个多月，晚上漆黑一片。"]})
    page = sign_in_staff(app, "office").get("/staff/").get_data(as_text=True)
    card = re.sub(r"<[^>]*>", " ", page.split('<td class="brief">', 1)[1].split("</td>", 1)[0])
    assert "待分类" in card and "未分类" not in card, card


def test_search_is_by_chinese_words_and_filters_combine(app, client, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "青石中学门口放学时堵车严重"],
                                   1: ["东湖路污水沟臭味很大，幸福小区也能闻到"]})
    run_jobs()
    staff = sign_in_staff(app, "office")
    found = staff.get("/staff/", query_string={"q": "幸福小区 路灯"}).get_data(as_text=True)
    assert "路灯坏了" in found and "污水沟" not in found and "堵车" not in found
    assert "黄底的留言需关注" not in found or 'class="attention"' in found
    both = staff.get("/staff/", query_string={"q": "幸福小区"}).get_data(as_text=True)
    assert "路灯坏了" in both and "污水沟" in both
    one = staff.get("/staff/", query_string={"q": "幸福小区", "deputy": deputies(app)[1]["id"]}).get_data(as_text=True)
    assert "污水沟" in one and "路灯坏了" not in one


def test_export_runs_in_the_background_and_holds_exactly_the_filtered_rows(app, client, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了，电话 139 1234 5678", "青石中学门口放学时堵车严重"],
                                   2: ["柳河镇桃园村村道坑坑洼洼"]})
    run_jobs()
    staff = sign_in_staff(app, "qingshi")
    token = csrf_token(staff, "/staff/")
    started = staff.post("/staff/exports", data={"csrf_token": token, "q": "幸福小区"})
    assert started.status_code == 302
    status_page = started.headers["Location"]
    waiting = staff.get(status_page).get_data(as_text=True)
    # Before the rows are counted the page said 正在导出……0 / ? 条: a raw question mark for a number.
    assert "正在导出，请稍候……（页面会自动刷新）" in waiting and "?" not in waiting.split("<main")[1], waiting
    run_jobs()
    done = staff.get(status_page).get_data(as_text=True)
    assert "下载导出结果（Excel 表格）" in done and "导出完成，共 1 条留言，可以下载了。" in done
    download = staff.get(status_page + ".xlsx")
    day = f"{utcnow().astimezone(app.extensions['mashang'].local_tz):%Y-%m-%d}"
    assert saved_as(download) == (f"messages-{day}.xlsx", f"留言-{day}.xlsx")  # named by the day, not a row id
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "回执号") and len(rows) == 2
    assert "路灯坏了" in rows[1][9] and "139****5678" in rows[1][9] and "1234" not in rows[1][9]
    other = sign_in_staff(app, "office")
    assert other.get(status_page).status_code == 404


ZHAO_LIU = "姓名,层级,联络站,手机\n赵六,区,柳河镇人大代表联络站,13900000009\n".encode()


def _preview(staff, token: str, roster: bytes) -> str:
    """The roster page after uploading this file: its preview, or its errors."""
    return staff.post("/staff/roster", data={"csrf_token": token, "file": (io.BytesIO(roster), "r.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)


def _signed(preview: str) -> str:
    return preview.split('name="token" value="')[1].split('"')[0]


def test_roster_upload_previews_errors_and_saves_only_on_confirmation(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    token = csrf_token(staff, "/staff/roster")
    page = _preview(staff, token, ZHAO_LIU.replace("赵六,区".encode(), "赵六,乡".encode()))
    assert "第 2 行" in page and "层级“乡”无效" in page and "确认导入" not in page
    preview = _preview(staff, token, ZHAO_LIU)
    assert "确认导入" in preview and len(deputies(app)) == 3
    signed = _signed(preview)
    assert staff.post("/staff/roster", data={"csrf_token": token, "token": signed + "x"}).status_code == 400
    assert staff.post("/staff/roster", data={"csrf_token": token, "token": signed}).status_code == 302
    assert [d["name"] for d in deputies(app)][-1] == "赵六"


def test_a_roster_with_a_stray_cell_a_million_lines_down_is_refused_in_chinese(app, tmp_path):
    """One cell typed by mistake on line 1,000,000 made every empty line above it be read (seconds of a web worker
    for a 5 KB upload): a table longer than any of ours is refused, saying how to mend it."""
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    book = Workbook()
    book.active.append(["姓名", "层级", "联络站", "手机"])
    book.active.append(["赵六", "区", "柳河镇人大代表联络站", "13900000009"])
    book.active.cell(row=1_000_000, column=1, value="x")
    upload = io.BytesIO()
    book.save(upload)
    page = staff.post("/staff/roster", data={"csrf_token": csrf_token(staff, "/staff/roster"),
                                             "file": (io.BytesIO(upload.getvalue()), "r.xlsx")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "没有读取" in page and "误填的单元格" in page and "确认导入" not in page
    assert "赵六" not in [d["name"] for d in deputies(app)]


def _units_xlsx(lines: dict[int, str]) -> bytes:
    """A list of units with the column name on line 1 and each unit on the line given."""
    book = Workbook()
    book.active.cell(row=1, column=1, value="单位名称")
    for line, name in lines.items():
        book.active.cell(row=line, column=1, value=name)
    upload = io.BytesIO()
    book.save(upload)
    return upload.getvalue()


def test_empty_lines_of_a_table_are_skipped_and_do_not_count_toward_its_limit(app):
    """A clerk's list with blank lines between its parts (12,000 of them, as after deleting a block) is read whole;
    10,001 lines with something in them are refused, saying so in Chinese."""
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")

    def sent(data: bytes):
        return staff.post("/staff/units/import", data={"csrf_token": csrf_token(staff, "/staff/units"),
                                                       "file": (io.BytesIO(data), "单位.xlsx")},
                          content_type="multipart/form-data")

    assert sent(_units_xlsx({2: "区教育局", 12_003: "区水务局"})).status_code == 302
    page = staff.get("/staff/units").get_data(as_text=True)
    assert "导入完成：新增 2 个单位" in page and "区水务局" in page
    refused = sent(_units_xlsx({line: f"单位{line}" for line in range(2, 10_003)})).get_data(as_text=True)
    assert "有内容的行超过 10000 行" in refused and "单位10002" not in refused


def test_operations_page_shows_failed_jobs_and_retries_them(app, client, redis_conn, tmp_path):
    from workers import queues

    add_staff(app, "office", StaffRole.OFFICE, None)
    queues.queue(redis_conn, queues.INTAKE).enqueue("builtins.int", "not-a-number", job_id="broken-1")
    from rq import SimpleWorker

    SimpleWorker([queues.queue(redis_conn, queues.INTAKE)], connection=redis_conn).work(burst=True)
    staff = sign_in_staff(app, "office")
    page = staff.get("/staff/operations").get_data(as_text=True)
    assert "broken-1" in page and "重试" in page
    token = csrf_token(staff, "/staff/operations")
    assert staff.post("/staff/operations/failed/broken-1/retry", data={"csrf_token": token}).status_code == 302
    assert queues.queue(redis_conn, queues.INTAKE).count == 1



def test_operations_page_says_which_model_tags_messages_and_since_when(app, client, run_jobs, tmp_path):
    from intake.models import ClassifierModel

    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月，晚上很黑。"]})
    run_jobs()
    staff = sign_in_staff(app, "office")
    said = re.sub(r"<[^>]+>", "", staff.get("/staff/operations").get_data(as_text=True))
    assert "给留言自动分类的是系统自带的初始规则" in said and re.search(r"从 \d\d-\d\d \d\d:\d\d 起给新留言分类", said), said
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add(ClassifierModel(version="m20261201-090000", source="labelled.csv", examples=5490, metrics={},
                                    artifact=b"-", active=True))
    said = re.sub(r"<[^>]+>", "", staff.get("/staff/operations").get_data(as_text=True))
    assert re.search(r"给留言自动分类的是 \d{4}年\d{1,2}月\d{1,2}日训练的模型（用 5490 条留言训练）", said), said
    assert "启用以来还没有给留言分类" in said

WRITING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _audit_rows(app) -> list[tuple]:
    with app.extensions["mashang"].sessions() as session:
        return [tuple(row) for row in session.execute(
            select(AuditEntry.id, AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.before,
                   AuditEntry.after).order_by(AuditEntry.id))]


def test_no_route_can_change_the_audit_log(app, client, tmp_path):
    from intake.services.console import audit

    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"]})
    with app.extensions["mashang"].sessions() as session, session.begin():
        for number in range(3):
            audit.record(session, "staff:office", "message.retag", f"message:{number + 1}", {"topic": "城乡建设"},
                         {"topic": "环境保护"})
    before = _audit_rows(app)
    rules = list(app.url_map.iter_rules())
    audit_routes = [rule for rule in rules if "audit" in rule.rule]
    assert "/staff/audit" in {rule.rule for rule in audit_routes}
    staff = sign_in_staff(app, "admin")
    token = csrf_token(staff, "/staff/")
    # Every audit route reads only, whatever method an administrator with a valid token tries.
    for rule in audit_routes:
        assert rule.methods & WRITING_METHODS == set(), rule.rule
        for method in WRITING_METHODS:
            assert staff.open(rule.rule, method=method, data={"csrf_token": token}).status_code == 405, rule.rule
    # Every route that takes a writing method, called by an administrator with a valid token and ids that
    # exist: entries may be added, none changed or removed.
    for rule in rules:
        path = re.sub(r"<int:[^>]+>", "1", re.sub(r"<(?:string:|path:)?[a-z_]+>", "x", rule.rule))
        for method in sorted(rule.methods & WRITING_METHODS):
            if staff.get("/staff/").status_code != 200:  # a route signed the administrator out
                staff = sign_in_staff(app, "admin")
                token = csrf_token(staff, "/staff/")
            response = staff.open(path, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})
            assert response.status_code < 500, (method, path)
    after = _audit_rows(app)
    assert after[:len(before)] == before


def test_a_correction_made_in_the_console_trains_the_next_model(app, client, runtime, run_jobs, tmp_path):
    from intake.classifier import registry

    text = "小区门口那家店的招牌晚上一直闪，对着我家窗户，根本睡不着。"
    _setup(app, client, tmp_path, {0: [text]})
    run_jobs()
    (message_id,) = _ids(app)
    _act(sign_in_staff(app, "qingshi"), action="retag", new_topic="环境保护", ids=[str(message_id)])
    assert app.test_cli_runner().invoke(args=["classifier", "train", "--from-db"]).exit_code == 0
    with runtime.sessions() as session:
        assert registry.active(session, runtime.taxonomy, runtime.settings.model_signing_key).predict(text + "真烦人").topic == "环境保护"


def test_duplicates_release_and_forced_drafts_are_audited(app, client, runtime, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "幸福小区门口的路灯坏了一个多月了",
                                       "青石中学门口放学时堵车严重"]})
    run_jobs()
    first, second, third = _ids(app)
    staff = sign_in_staff(app, "qingshi")
    _act(staff, action="duplicate", ids=[str(second)])  # no original given: refused, nothing recorded
    # A number no message has is said to be one, not taken for nothing typed.
    unknown = _act(staff, action="duplicate", duplicate_of="99999", reason="重复", ids=[str(second)])
    said = unknown.get_data(as_text=True)
    assert "没有编号为 99999 的留言" in said and "请填写重复的是哪一条" not in said, said[-2000:]
    _act(staff, action="duplicate", duplicate_of=str(first), reason="同一人重复提交", ids=[str(second)])
    _act(staff, action="release", ids=[str(second)])
    _act(staff, action="force_draft", ids=[str(first), str(third)])
    with runtime.sessions() as session:
        actions = [a for (a,) in session.execute(select(AuditEntry.action).where(AuditEntry.actor != "system")
                                                 .order_by(AuditEntry.id))]
        draft_of_first = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == first))
        draft_of_third = session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == third))
    assert actions == ["flag_duplicate", "release", "force_draft"]
    assert draft_of_first == draft_of_third


def test_a_duplicates_original_typed_as_its_receipt_is_found_and_words_are_said_not_understood(
        app, client, runtime, run_jobs, tmp_path):
    """The queue shows each message's number and receipt: the receipt typed (or 上一条) into 原留言编号 was answered
    请填写… as if the box were empty. The receipt finds its message; text naming neither is said not understood,
    and an unknown receipt is named, the text kept in the box each time."""
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "幸福小区门口的路灯坏了一个多月了"]})
    run_jobs()
    first, second = _ids(app)
    with runtime.sessions() as session:
        receipt = session.get(Message, first).receipt
    staff = sign_in_staff(app, "qingshi")
    for typed, said in (("上一条", "看不懂“上一条”"), ("MS-20000101-0007", "没有找到回执号为 MS-20000101-0007 的留言")):
        refused = _act(staff, action="duplicate", duplicate_of=typed, reason="重复", ids=[str(second)],
                       return_to=f"/staff/messages/{second}")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and said in page and "请填写重复的是哪一条" not in page, page[-2000:]
        assert f'value="{typed}"' in page
        assert _ids(app, flag="duplicate") == []
    # A number longer than any message's (Python refuses to read one of thousands of digits: once a 500).
    refused = _act(staff, action="duplicate", duplicate_of="9" * 5000, reason="重复", ids=[str(second)])
    assert refused.status_code == 422 and "看不懂" in refused.get_data(as_text=True)
    # As a citizen reads it out: lower case, spaces for dashes.
    marked = _act(staff, action="duplicate", duplicate_of=receipt.lower().replace("-", " "), reason="重复",
                  ids=[str(second)])
    assert marked.status_code == 302
    with runtime.sessions() as session:
        assert session.get(Message, second).duplicate_of_id == first
    assert "（重复第 " in staff.get(f"/staff/messages/{second}").get_data(as_text=True)


def test_office_staff_add_and_rename_stations(app, tmp_path):
    from intake.models import Station

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    token = csrf_token(staff, "/staff/stations")
    # A name pasted with an invisible control character (PostgreSQL stores no NUL) is kept without it.
    added = staff.post("/staff/stations", data={"csrf_token": token, "name": "东湖社区\x00人大代表联络站",
                                                "phone": "0731-1234567"})
    assert added.status_code == 302
    with app.extensions["mashang"].sessions() as session:
        station = session.scalar(select(Station).where(Station.name == "东湖社区人大代表联络站"))
    staff.post(f"/staff/stations/{station.id}", data={"csrf_token": token, "name": "东湖街道人大代表联络站",
                                                       "phone": "0731-7654321"})
    duplicate = staff.post(f"/staff/stations/{station.id}", data={"csrf_token": token, "name": "柳河镇人大代表联络站"},
                           follow_redirects=True)
    assert "已有同名的联络站" in duplicate.get_data(as_text=True)
    page = staff.get("/staff/stations").get_data(as_text=True)
    assert "东湖街道人大代表联络站" in page and "0731-7654321" in page
    with app.extensions["mashang"].sessions() as session:
        actions = [a for (a,) in session.execute(select(AuditEntry.action).where(AuditEntry.actor != "system")
                                                 .order_by(AuditEntry.id))]
    assert actions == ["station_create", "station_update"]


def test_a_station_too_long_to_keep_is_refused_with_its_length_never_cut(app, tmp_path):
    """A name pasted twice over was told 请填写联络站名称 (as if left empty); a phone number with its extensions
    or the reception hours beyond their columns were cut without a word."""
    from intake.models import Station

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    token = csrf_token(staff, "/staff/stations")
    long_name = "东湖街道人大代表联络站" * 10
    refused = staff.post("/staff/stations", data={"csrf_token": token, "name": long_name}, follow_redirects=True)
    assert "联络站名称最多 100 字，现在是 110 字，没有保存。" in refused.get_data(as_text=True)
    phones = "0731-12345678（值班）、0731-87654321（主任）、13912345678"
    refused = staff.post("/staff/stations", data={"csrf_token": token, "name": "东湖街道人大代表联络站",
                                                  "phone": phones}, follow_redirects=True)
    assert f"联系电话最多 40 个字符，现在是 {len(phones)} 个，没有保存。" in refused.get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        station = session.scalar(select(Station).where(Station.name == "青石街道人大代表联络站"))
    hours = "工作日上午 9:00–12:00、下午 14:00–17:30，" * 5
    refused = staff.post(f"/staff/stations/{station.id}", data={"csrf_token": token, "name": station.name,
                                                                 "opening_hours": hours}, follow_redirects=True)
    assert f"接待时间最多 100 字，现在是 {len(hours)} 字，没有保存。" in refused.get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Station)) == 2
        assert session.get(Station, station.id).opening_hours is None


def test_a_citizen_whose_deputys_code_was_stopped_is_told_the_stations_address_and_phone(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    wang, li, zhang = deputies(app)
    with app.extensions["mashang"].sessions() as session:
        station = session.get(Deputy, wang["id"]).station
        station_id, name = station.id, station.name
    office = sign_in_staff(app, "office")
    token = csrf_token(office, "/staff/stations")
    # Only its name, the page sent the citizen to 街道办事处 to find the station: without an address, once sent there.
    office.post(f"/staff/stations/{station_id}/deactivate", data={"csrf_token": token, "confirm": "yes"})
    gone = client.get(f"/c/{slug_of(wang)}").get_data(as_text=True)
    assert name in gone and "街道办事处" in gone
    saved = office.post(f"/staff/stations/{station_id}", data={
        "csrf_token": token, "name": name, "address": "青石街道幸福路 18 号社区服务中心二楼"}, follow_redirects=True)
    assert 'value="青石街道幸福路 18 号社区服务中心二楼"' in saved.get_data(as_text=True)
    gone = re.sub(r"<[^>]+>", "", client.get(f"/c/{slug_of(li)}").get_data(as_text=True))
    assert name in gone and "地址：青石街道幸福路 18 号社区服务中心二楼" in gone and "街道办事处" not in gone
    office.post(f"/staff/stations/{station_id}", data={"csrf_token": token, "name": name, "phone": "0731-84123456",
                                                       "address": "青石街道幸福路 18 号社区服务中心二楼"})
    gone = re.sub(r"<[^>]+>", "", client.get(f"/c/{slug_of(wang)}").get_data(as_text=True))
    assert "电话：0731-84123456" in gone and "地址：青石街道幸福路 18 号" in gone
    too_long = "幸福路" * 70
    refused = office.post(f"/staff/stations/{station_id}", data={"csrf_token": token, "name": name,
                                                                 "address": too_long}, follow_redirects=True)
    assert f"地址最多 200 字，现在是 {len(too_long)} 字，没有保存。" in refused.get_data(as_text=True)


def test_a_whole_station_is_deactivated_only_after_confirmation(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    wang, li, zhang = deputies(app)
    with app.extensions["mashang"].sessions() as session:
        station_id = session.get(Deputy, wang["id"]).station_id
    office = sign_in_staff(app, "office")
    token = csrf_token(office, "/staff/stations")
    unconfirmed = office.post(f"/staff/stations/{station_id}/deactivate", data={"csrf_token": token},
                              follow_redirects=True).get_data(as_text=True)
    assert "请先勾选" in unconfirmed
    assert client.get(f"/c/{slug_of(wang)}").status_code == 200
    # What 停用 does to the station's deputies, in plain words before the tick (确认停用…的全部代表 left it to guess).
    page = office.get("/staff/stations").get_data(as_text=True)
    assert "停用联络站：它的在任代表都改为离任，不能再登录，二维码停用" in page
    assert "确认停用青石街道人大代表联络站：它的代表都改为离任，二维码停用" in page and "的全部代表" not in page
    # A station with neither phone nor address is flagged: its stopped codes would show citizens only its name.
    with app.extensions["mashang"].sessions() as session, session.begin():
        station = session.get(Station, station_id)
        station.phone = station.address = None

    def row(html):  # the station's row up to its 停用 tick
        return html.split("确认停用青石街道人大代表联络站")[0].rsplit("<tr>", 1)[1]

    warned = "还没有填写电话和地址：停用后群众扫码只能看到站名，请先填写再停用。"
    assert warned in row(office.get("/staff/stations").get_data(as_text=True))
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.get(Station, station_id).phone = "0731-84123456"
    assert "还没有填写电话和地址" not in row(office.get("/staff/stations").get_data(as_text=True))
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.get(Station, station_id).phone = None

    done = office.post(f"/staff/stations/{station_id}/deactivate", data={"csrf_token": token, "confirm": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已停用青石街道人大代表联络站：2 位代表改为离任" in done
    # Stopped, it has nothing left to stop: no warning about what stopping would show.
    assert "还没有填写电话和地址" not in row(office.get("/staff/stations").get_data(as_text=True))
    for deputy in (wang, li):
        gone = client.get(f"/c/{slug_of(deputy)}")
        assert gone.status_code == 410 and "青石街道人大代表联络站" in gone.get_data(as_text=True)
    assert client.get(f"/c/{slug_of(zhang)}").status_code == 200
    with app.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "station_deactivate")) == 1


def test_a_staff_account_is_deactivated_only_after_confirmation(app, tmp_path):
    # A mis-tap on 停用 beside a colleague's name locked them out at once.
    add_staff(app, "admin", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    admin, clerk = sign_in_staff(app, "admin"), sign_in_staff(app, "clerk")
    with app.extensions["mashang"].sessions() as session:
        clerk_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "clerk"))
    token = csrf_token(admin, "/staff/accounts")
    unconfirmed = admin.post(f"/staff/accounts/{clerk_id}/deactivate", data={"csrf_token": token},
                             follow_redirects=True).get_data(as_text=True)
    assert clerk.get("/staff/").status_code == 200  # still signed in and working
    assert "请先勾选“确认停用账号「clerk」”。" in unconfirmed and "账号已停用" not in unconfirmed
    # the tick it names, the user name set apart from the words around it
    assert 'name="confirm" value="yes" required> 确认停用账号「clerk」</label>' in unconfirmed
    # A new account belongs to no station or unit unless one is chosen: the choice says so, not 不限 (read as "all").
    assert '<option value="">无（不属于联络站）</option>' in unconfirmed and "不限" not in unconfirmed
    assert '<option value="">无（不属于承办单位）</option>' in unconfirmed

    done = admin.post(f"/staff/accounts/{clerk_id}/deactivate", data={"csrf_token": token, "confirm": "yes"},
                      follow_redirects=True).get_data(as_text=True)
    assert "账号已停用。" in done
    assert clerk.get("/staff/").status_code == 302


def _export(staff_client, **filters) -> str:
    token = csrf_token(staff_client, "/staff/")
    started = staff_client.post("/staff/exports", data={"csrf_token": token, **filters})
    assert started.status_code == 302
    return started.headers["Location"]


def _rows(staff_client, status_page: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(staff_client.get(status_page + ".xlsx").data)).active.iter_rows(values_only=True))


def test_an_export_says_where_a_message_stands_as_the_queue_does(app, client, runtime, run_jobs, tmp_path):
    # Its own status stays 已入草稿 whatever became of its draft: the export once said so of a discarded draft's.
    listed = _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"]})
    run_jobs()
    with runtime.sessions() as session, session.begin():
        message = session.scalar(select(Message))
        draft = drafting.draft_from(session, [message], runtime.local_tz)
        review.discard(session, review.DraftRequest(listed[0]["id"], draft.id, draft.version), "已另行反映")
    staff = sign_in_staff(app, "office")
    assert "草稿已放弃" in staff.get("/staff/?q=幸福小区").get_data(as_text=True)
    status_page = _export(staff, q="幸福小区")
    run_jobs()
    assert _rows(staff, status_page)[1][7] == "草稿已放弃"


def test_export_filtered_by_station_and_deputy_holds_that_deputys_rows(app, client, runtime, run_jobs, tmp_path):
    listed = _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"], 1: ["东湖路污水沟臭味很大"],
                                            2: ["柳河镇桃园村村道坑坑洼洼"]})
    run_jobs()
    with runtime.sessions() as session:
        station_id = session.get(Deputy, listed[1]["id"]).station_id
    staff = sign_in_staff(app, "office")
    status_page = _export(staff, station=str(station_id), deputy=str(listed[1]["id"]))
    run_jobs()
    assert "下载导出结果（Excel 表格）" in staff.get(status_page).get_data(as_text=True)
    rows = _rows(staff, status_page)
    assert len(rows) == 2 and "污水沟" in rows[1][9] and rows[1][3] == listed[1]["name"]


def test_an_export_killed_mid_run_shows_failed_after_the_sweep_and_retry_writes_it(
        app, runtime, redis_conn, redis_url, database_url, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    sheet = tmp_path / "many.csv"
    sheet.write_text("编号,意见\n" + "".join(f"N{i},第{i}号楼门口的路灯坏了\n" for i in range(4000)), "utf-8")
    imported = app.test_cli_runner().invoke(args=["messages", "import", str(sheet), "--deputy",
                                                  str(deputies(app)[0]["id"]), "--text-col", "意见", "--id-col", "编号"])
    assert imported.exit_code == 0, imported.output
    redis_conn.flushdb()  # the import's tagging jobs: not what this worker should spend its time on
    staff = sign_in_staff(app, "office")
    status_page = _export(staff)
    export_id = int(status_page.rsplit("/", 1)[1])

    env = dict(os.environ, MASHANG_INSTANCE=str(tmp_path / "worker"), DATABASE_URL=database_url, REDIS_URL=redis_url,
               SECRET_KEY="test-secret-key")
    worker = subprocess.Popen([sys.executable, "-m", "intake", "worker", queues.DRAFTS], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while True:  # killed once the first rows are written, before the file is
            with runtime.sessions() as session:
                job = session.get(ExportJob, export_id)
                if job.done > 0:
                    break
            assert time.monotonic() < deadline and worker.poll() is None, "the export never started"
            time.sleep(0.005)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    with runtime.sessions() as session:
        job = session.get(ExportJob, export_id)
        assert (job.status, job.data) == ("running", None) and 0 < job.done < job.total == 4000
    assert "正在导出" in staff.get(status_page).get_data(as_text=True)

    jobs.sweep()  # within its timeout: still running as far as anyone can tell
    assert "正在导出" in staff.get(status_page).get_data(as_text=True)
    with runtime.sessions() as session, session.begin():  # half an hour later
        session.get(ExportJob, export_id).created_at -= timedelta(seconds=exports.TIMEOUT_SECONDS + 1)
    jobs.sweep()
    page = staff.get(status_page).get_data(as_text=True)
    assert "导出失败" in page and "超过时限仍未完成" in page and "重新导出" in page and "正在导出" not in page
    assert staff.get(status_page + ".xlsx").status_code == 404

    retried = staff.post(status_page + "/retry", data={"csrf_token": csrf_token(staff, status_page)})
    assert retried.status_code == 302 and "正在导出" in staff.get(status_page).get_data(as_text=True)
    run_jobs()
    assert "下载导出结果（Excel 表格）" in staff.get(status_page).get_data(as_text=True)
    assert len(_rows(staff, status_page)) == 4001


def test_export_files_are_deleted_after_export_keep_days(app, client, runtime, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了，电话 139 1234 5678"]})
    run_jobs()
    staff = sign_in_staff(app, "office")
    old_page, new_page = _export(staff), _export(staff)
    run_jobs()
    with runtime.sessions() as session, session.begin():
        old = session.get(ExportJob, int(old_page.rsplit("/", 1)[1]))
        old.created_at -= timedelta(days=runtime.settings.export_keep_days, minutes=1)
    removed = jobs.remove_expired_personal_data()
    assert removed["exports"] == 1
    assert staff.get(old_page).status_code == 404 and staff.get(old_page + ".xlsx").status_code == 404
    assert len(_rows(staff, new_page)) == 2
    assert jobs.remove_expired_personal_data()["exports"] == 0


def test_notices_to_citizens_go_to_the_recording_channel_when_configured(tmp_path, database_url, redis_conn,
                                                                         redis_url, run_jobs):
    from intake.services.reception import outbound
    from tests.conftest import build_app, make_settings

    app = build_app(make_settings(tmp_path, database_url, redis_url, OUTBOUND="record"))
    try:
        import_roster(app, write_roster(tmp_path))
        listed = deputies(app)
        citizen = app.test_client()
        receipt = report(citizen, slug_of(listed[0]), "幸福小区门口的路灯坏了一个月了")["receipt"]
        add_staff(app, "office", StaffRole.OFFICE, None)
        _act(sign_in_staff(app, "office"), action="reassign", to_deputy=str(listed[1]["id"]), ids=[str(_ids(app)[0])])
        run_jobs()
        recorded = outbound.recorded(redis_conn)
        assert [(r["channel"], receipt in r["text"], listed[1]["name"] in r["text"]) for r in recorded] == [
            ("web", True, True)]
        replies = send(citizen, slug_of(listed[0]), "你好").get_json()["replies"]
        assert not any(receipt in reply for reply in replies)  # recorded counts as told
    finally:
        app.extensions["mashang"].close()


def test_station_staff_see_only_failed_jobs_about_their_own_deputies(app, client, redis_conn, tmp_path):
    from rq import SimpleWorker

    listed = _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"], 2: ["柳河镇东头的桥栏杆断了"]})
    own_message, other_message = _ids(app)
    other_deputy = listed[2]["id"]
    failing = {f"classify-{own_message}": "own-message-error", f"classify-{other_message}": "other-message-error",
               f"batch-{other_deputy}": "other-deputy-error", "notices-1": "citizen-notice-error"}
    queues.queue(redis_conn, queues.INTAKE).empty()  # the real tagging jobs of these messages: not this test's
    for job_id, marker in failing.items():
        queues.queue(redis_conn, queues.INTAKE).enqueue("builtins.int", marker, job_id=job_id)
    SimpleWorker([queues.queue(redis_conn, queues.INTAKE)], connection=redis_conn).work(burst=True)

    station = sign_in_staff(app, "qingshi").get("/staff/operations").get_data(as_text=True)
    assert "own-message-error" in station
    assert not any(marker in station for marker in ("other-message-error", "other-deputy-error", "citizen-notice-error"))
    office = sign_in_staff(app, "office").get("/staff/operations").get_data(as_text=True)
    assert all(marker in office for marker in failing.values())
    # Each said in words first, its id and function below for whoever looks into it.
    assert f"给第 {own_message} 条留言分类" in office and f"整理代表（编号 {other_deputy}）的留言" in office


def test_the_operations_page_names_running_workers_and_their_work_in_chinese(app, client, redis_conn, redis_url,
                                                                           tmp_path):
    # RQ's names are hex and its job ids English (batch-3): the page showed them as they were.
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    queues.queue(redis_conn, queues.DRAFTS).enqueue("time.sleep", 4, job_id="batch-3")
    work = ("import sys, redis; from rq import SimpleWorker; from workers import queues; "
            "c = redis.Redis.from_url(sys.argv[1]); SimpleWorker([queues.queue(c, queues.DRAFTS)], connection=c).work(burst=True)")
    worker = subprocess.Popen([sys.executable, "-c", work, redis_url], env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        row = ""
        for _ in range(100):
            page = staff.get("/staff/operations").get_data(as_text=True)
            found = re.search(r'<td data-label="程序"[^>]*>.*?</tr>', page, re.S)
            row = found.group(0) if found else ""
            if "整理代表" in row:
                break
            time.sleep(0.1)
        assert "整理程序 1" in row and "正在处理" in row and "整理代表（编号 3）的留言" in row, row
        assert re.search(r"[0-9a-f]{32}", re.sub(r'title="[^"]*"', "", row)) is None, row
    finally:
        worker.wait(timeout=30)


def test_a_phone_in_use_names_its_deputy_only_to_staff_who_may_see_that_deputy(app, client, tmp_path):
    _setup(app, client, tmp_path, {})
    with app.extensions["mashang"].sessions() as session:
        qingshi = session.scalar(select(Deputy.station_id).where(Deputy.name == "王秀兰"))

    def add(staff_client, phone: str) -> str:
        token = csrf_token(staff_client, "/staff/deputies")
        form = {"csrf_token": token, "name": "新代表", "level": "区", "station": str(qingshi), "phone": phone}
        return staff_client.post("/staff/deputies", data=form, follow_redirects=True).get_data(as_text=True)

    station = sign_in_staff(app, "qingshi")
    other_station = add(station, "13900000004")  # 张桂芳 of 柳河镇
    assert "该手机号已被其他代表使用" in other_station and "张桂芳" not in other_station
    assert "手机号已被代表 李建国 使用" in add(station, "13900000002")  # a deputy of their own station
    assert "手机号已被代表 张桂芳 使用" in add(sign_in_staff(app, "office"), "13900000004")
    assert [d["name"] for d in deputies(app)] == ["王秀兰", "李建国", "张桂芳"]


def test_an_export_holds_at_most_export_max_rows_newest_first_and_says_so(
        tmp_path, database_url, redis_url, redis_conn, run_jobs):
    from tests.conftest import build_app, make_settings

    app = build_app(make_settings(tmp_path / "capped", database_url, redis_url, EXPORT_MAX_ROWS="2"))
    _setup(app, app.test_client(), tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "青石中学门口放学时堵车严重"],
                                              1: ["东湖路污水沟臭味很大"]})
    run_jobs()
    newest_two = _ids(app)[-2:]
    for who in ("qingshi", "office"):
        staff = sign_in_staff(app, who)
        status_page = _export(staff)
        run_jobs()
        assert "一次最多导出 2 条" in staff.get(status_page).get_data(as_text=True), who
        assert [row[0] for row in _rows(staff, status_page)[1:]] == newest_two[::-1], who
    app.extensions["mashang"].close()


def test_a_roster_preview_confirmed_after_30_minutes_imports_nothing_and_asks_for_the_file_again(
        app, tmp_path, monkeypatch):
    import time as clock

    from itsdangerous import timed

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    token = csrf_token(staff, "/staff/roster")
    signed = _signed(_preview(staff, token, ZHAO_LIU))
    shown = clock.time()
    monkeypatch.setattr(timed.time, "time", lambda: shown + 31 * 60)
    late = staff.post("/staff/roster", data={"csrf_token": token, "token": signed}, follow_redirects=True)
    assert "预览已超过 30 分钟，没有导入。请重新上传名册" in late.get_data(as_text=True)
    assert len(deputies(app)) == 3


def test_reasons_stored_unspaced_by_older_versions_show_their_counts_spaced(app, client, runtime, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"]})
    message_id = _ids(app)[0]
    with runtime.sessions() as session, session.begin():
        held = session.get(Message, message_id)
        held.status, held.flag_reason = MessageStatus.HELD, "含3个链接；10分钟内发送了6条"
    page = sign_in_staff(app, "office").get(f"/staff/messages/{message_id}").get_data(as_text=True)
    assert "系统提示：含 3 个链接；10 分钟内发送了 6 条" in page


def test_a_message_still_being_written_or_taken_back_is_no_message_to_staff(app, client, run_jobs, tmp_path):
    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了"]})
    slug = slug_of(deputies(app)[0])
    send(app.test_client(), slug, "青石中学门口放学时堵车严重，每天都堵半小时")  # abandoned at the phone question
    dropped = app.test_client()
    send(dropped, slug, "桃园村村道坑坑洼洼，下雨全是泥")
    send(dropped, slug, "重新开始")
    run_jobs()
    unsent = _ids(app, status=MessageStatus.COLLECTING) + _ids(app, status=MessageStatus.WITHDRAWN)
    assert len(unsent) == 2
    with app.extensions["mashang"].sessions() as session:
        receipts = list(session.scalars(select(Message.receipt).where(Message.id.in_(unsent))))
    staff = sign_in_staff(app, "office")
    queue = staff.get("/staff/").get_data(as_text=True)
    assert "路灯坏了" in queue and "共 1 条" in queue, queue
    assert "堵车" not in queue and "坑坑洼洼" not in queue and not any(r in queue for r in receipts)
    assert ">填写中<" not in queue and ">已撤回<" not in queue  # nor offered as a filter
    for receipt in receipts:  # a clerk pasting the number finds nothing
        assert "堵车" not in staff.get("/staff/", query_string={"q": receipt}).get_data(as_text=True)
    for message_id in unsent:
        assert staff.get(f"/staff/messages/{message_id}").status_code == 404
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    rows = list(load_workbook(io.BytesIO(staff.get(started.headers["Location"] + ".xlsx").data)).active
                .iter_rows(values_only=True))
    assert len(rows) == 2 and "路灯坏了" in rows[1][9]


def test_a_note_or_reason_over_its_limit_is_refused_with_the_limit_and_kept_on_the_form(app, client, runtime,
                                                                                      run_jobs, tmp_path):
    """A 2,300-character note was kept as its first 2,000 and a 260-character reason as its first 200, without
    a word: now the form says the limit, refuses with both figures, and shows again what was typed."""
    from intake.models import StaffNote

    _setup(app, client, tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "青石中学门口放学时堵车严重"]})
    run_jobs()
    staff = sign_in_staff(app, "qingshi")
    first, second = _ids(app)
    page = f"/staff/messages/{first}"
    assert "最多 2000 字" in staff.get(page).get_data(as_text=True)
    note = "已电话联系物业，物业答复本周内更换。" * 130  # 2,340 characters
    refused = _act(staff, action="note", note=note, ids=[str(first)], return_to=page)
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"备注最多 2000 字，现在是 {len(note)} 字，没有保存" in shown
    assert f'value="{note}"' in shown and '<option value="note" selected>' in shown
    reason = "同一号码一天内反复发送相同的推销内容，" * 14  # 266 characters
    refused = _act(staff, action="spam", reason=reason, ids=[str(second)])  # from the queue
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "原因（群众看不到，最多 200 字）" in shown
    assert f"原因最多 200 字，现在是 {len(reason)} 字，没有保存" in shown
    assert f'value="{reason}"' in shown and f'value="{second}" aria-label="选择' in shown
    assert re.search(rf'value="{second}" aria-label="选择 [^"]+" checked', shown)
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StaffNote)) == 0
        assert session.get(Message, second).flag is None
    # At the limit, kept whole.
    assert _act(staff, action="note", note=note[:2000], ids=[str(first)], return_to=page).status_code == 302
    with runtime.sessions() as session:
        assert session.scalar(select(StaffNote.text)) == note[:2000]


def test_a_station_made_by_a_typo_is_merged_into_the_right_one_and_an_empty_one_deleted(app, runtime, tmp_path):
    """A roster with 联络占 for 联络站 made a second station; nothing could remove it: now it is merged (its
    deputies and accounts move) or, when nobody belongs to it, deleted, each after a tick and audited."""
    from intake.models import Station

    typo = "青石街道人大代表联络占"
    import_roster(app, write_roster(tmp_path, ROSTER_WITH_TYPO))
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "typo-clerk", StaffRole.STATION, typo)
    with runtime.sessions() as session:
        ids = {s.name: s.id for s in session.scalars(select(Station))}
    right, wrong = ids["青石街道人大代表联络站"], ids[typo]
    staff = sign_in_staff(app, "office")
    page = staff.get("/staff/stations").get_data(as_text=True)
    assert f"/staff/stations/{wrong}/merge" in page and "并入" in page
    # The actions' column is headed by what its rows offer: no station is empty, so none offers 删除.
    assert '<th id="station-actions">停用或并入</th>' in page and "/delete" not in page
    token = csrf_token(staff, "/staff/stations")

    # Not ticked, or into itself: nothing changes.
    staff.post(f"/staff/stations/{wrong}/merge", data={"csrf_token": token, "into": str(right)})
    into_itself = staff.post(f"/staff/stations/{wrong}/merge", data={"csrf_token": token, "into": str(wrong),
                                                                     "confirm": "yes"}, follow_redirects=True)
    assert "请选择要并入的另一个联络站" in into_itself.get_data(as_text=True)
    # With people in it, it cannot be deleted: merging is how.
    refused = staff.post(f"/staff/stations/{wrong}/delete", data={"csrf_token": token, "confirm": "yes"},
                         follow_redirects=True).get_data(as_text=True)
    assert "还有 1 位代表" in refused and "不能删除" in refused
    with runtime.sessions() as session:
        assert session.get(Station, wrong) is not None

    merged = staff.post(f"/staff/stations/{wrong}/merge", data={"csrf_token": token, "into": str(right),
                                                                "confirm": "yes"}, follow_redirects=True)
    assert f"已把{typo}并入青石街道人大代表联络站" in merged.get_data(as_text=True)
    with runtime.sessions() as session:
        assert session.get(Station, wrong) is None
        assert {d.name: d.station_id for d in session.scalars(select(Deputy))}["赵丽"] == right
        assert session.scalar(select(StaffUser.station_id).where(StaffUser.username == "typo-clerk")) == right
        merges = session.scalars(select(AuditEntry).where(AuditEntry.action == "station_merge")).all()
    assert {e.target for e in merges} == {f"station:{wrong}", f"station:{right}"}
    assert all(e.actor == "staff:office" for e in merges)

    # An empty station (added by mistake) is deleted.
    staff.post("/staff/stations", data={"csrf_token": token, "name": "多余的联络站"})
    assert '<th id="station-actions">停用、并入或删除</th>' in staff.get("/staff/stations").get_data(as_text=True)
    with runtime.sessions() as session:
        extra = session.scalar(select(Station.id).where(Station.name == "多余的联络站"))
    deleted = staff.post(f"/staff/stations/{extra}/delete", data={"csrf_token": token, "confirm": "yes"},
                         follow_redirects=True)
    assert "已删除多余的联络站" in deleted.get_data(as_text=True)
    with runtime.sessions() as session:
        assert session.get(Station, extra) is None
        assert session.scalar(select(AuditEntry.target).where(AuditEntry.action == "station_delete")) == \
            f"station:{extra}"


ROSTER_WITH_TYPO = """姓名,层级,联络站,手机
王秀兰,区,青石街道人大代表联络站,13900000001
赵丽,区,青石街道人大代表联络占,13900000003
"""


def test_a_citizen_at_a_stopped_code_is_told_how_to_reach_the_station(app, client, tmp_path):
    """With no phone stored the page once said only 请联系柳河镇人大代表联络站: it says where to find the station;
    with a phone and hours stored, it gives them, the number a tap to call."""
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    with app.extensions["mashang"].sessions() as session, session.begin():
        deputy = session.get(Deputy, wang["id"])
        deputy.active = False
        station_id = deputy.station_id
    shown = client.get(f"/c/{slug_of(wang)}").get_data(as_text=True)
    assert "青石街道人大代表联络站" in shown and "街道办事处或乡镇政府" in shown
    with app.extensions["mashang"].sessions() as session, session.begin():
        stored = session.get(Station, station_id)
        stored.phone, stored.opening_hours = "0731-88886666", "工作日 9:00-17:00"
    shown = client.get(f"/c/{slug_of(wang)}").get_data(as_text=True)
    assert 'href="tel:073188886666"' in shown and "工作日 9:00-17:00" in shown and "街道办事处或乡镇政府" not in shown


def test_a_phone_link_dials_the_digits_however_the_number_is_written(app, client, tmp_path):
    """0731-8888 6666 gave href="tel:07318888 6666" (only hyphens were taken out): a phone dials none of a number's
    spaces, hyphens or brackets, on the chat page as on the page of a stopped code."""
    import_roster(app, write_roster(tmp_path))
    wang, li = deputies(app)[:2]
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.get(Station, session.get(Deputy, wang["id"]).station_id).phone = "（0731）8888 6666"
        session.get(Deputy, li["id"]).active = False
    for slug in (slug_of(wang), slug_of(li)):
        shown = client.get(f"/c/{slug}").get_data(as_text=True)
        assert re.findall(r'href="tel:([^"]*)"', shown) == ["073188886666"], slug


def draft_gone_on(app, runtime, run_jobs, tmp_path) -> tuple[int, int, str]:
    """Three messages forced into one draft; the deputy moves the third out into a draft of its own and discards
    that, and approves the first draft, which the office registers and assigns. Returns the first and the third
    message's ids and the suggestion's number; staff "office" may sign in."""
    from intake.models import HandlingUnit
    from intake.services.drafts import review
    from intake.services.lifecycle import handling

    _setup(app, app.test_client(), tmp_path, {0: ["幸福小区门口的路灯坏了一个月了", "幸福小区门口的路灯坏了一个多月了",
                                                  "青石中学门口放学时堵车严重"]})
    run_jobs()
    first, _, third = _ids(app)
    _act(sign_in_staff(app, "office"), action="force_draft", ids=[str(m) for m in _ids(app)])
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft).join(DraftMessage).where(DraftMessage.message_id == first))
        alone = review.move_out(session, review.DraftRequest(draft.deputy_id, draft.id, draft.version), third,
                                runtime.local_tz)
        review.discard(session, review.DraftRequest(draft.deputy_id, alone.id, alone.version), "与交通无关")
        review.approve(session, review.DraftRequest(draft.deputy_id, draft.id, draft.version))
        suggestion = handling.register_from_draft(session, draft.id, actor="staff:office", rules=rules)
        unit = HandlingUnit(name="区住房和城乡建设局")
        session.add(unit)
        session.flush()
        handling.assign(session, [suggestion.id], lead_unit_id=unit.id, co_unit_ids=[], actor="staff:office",
                        rules=rules)
        return first, third, suggestion.number


def test_a_message_page_says_where_its_draft_went_and_lists_the_deputys_moves(app, runtime, run_jobs, tmp_path):
    """See draft_gone_on: the message pages and the queue said 已入草稿 for all three messages, and their 操作记录
    left out the deputy's steps."""
    first, third, number = draft_gone_on(app, runtime, run_jobs, tmp_path)
    staff = sign_in_staff(app, "office")

    def page(message_id):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", staff.get(f"/staff/messages/{message_id}")
                                          .get_data(as_text=True)))

    registered, discarded = page(first), page(third)
    assert f"已写入建议 {number}（已交办）" in registered and "已入草稿" not in registered
    for step in ("单独成稿", "草稿：同意并提交", "建议：登记", "建议：交办"):
        assert step in registered, step
    assert "草稿已放弃" in discarded and "已入草稿" not in discarded
    for step in ("草稿：移出一条留言", "草稿：从另一份草稿移出", "草稿：放弃"):
        assert step in discarded, step
    rows = staff.get("/staff/").get_data(as_text=True).split("<tbody>", 1)[1]  # the list, not the status filter
    assert f"已写入建议 {number}（已交办）" in rows and "草稿已放弃" in rows and "已入草稿" not in rows


def test_a_phone_card_opens_with_the_problem_not_the_words_announcing_it(app, client, tmp_path):
    # 你好，我们小区那边有点问题想反映一下 opened every card of the walk's citizen: the clerk read no problem in it.
    _setup(app, client, tmp_path, {})
    report(app.test_client(), slug_of(deputies(app)[0]), "你好，我们小区那边有点问题想反映一下",
           detail="就是楼下老有积水，走路不方便")
    page = sign_in_staff(app, "office").get("/staff/").get_data(as_text=True)
    card = page.split('<td class="brief">', 1)[1].split("</td>", 1)[0]
    opening = re.sub(r"<[^>]*>", " ", card).split()[0]
    assert "有点问题想反映" not in opening and "楼下" in opening, card
