"""A form the server refuses comes back as its own page with what was typed still in it: the unit's reply and
return reason, the office's send-back reason, the deputy's rating comment, a deputy's record being edited."""

from __future__ import annotations

import html as html_module
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.models import Deputy, Draft, DraftStatus, HandlingUnit, StaffRole
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    report,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)
from tests.test_suggestion_pages import _world

LONG = "情况说明" * 260  # 1,040 characters: over the 1,000 a reason or a comment may have


def _page(response) -> str:
    return html_module.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def _refused_with(response, *sentences: str) -> str:
    """The page itself, not a redirect to an empty form, saying why and keeping every sentence typed."""
    assert response.status_code == 422, response.status_code
    shown = _page(response)
    for sentence in sentences:
        assert sentence in shown, sentence[:20]
    return shown


def test_a_units_day_that_names_no_day_is_refused_naming_the_field(app):
    """承诺完成日期 下月底 was dropped and the page said none was given (请填写…); 上周三 as the contact's 日期 was
    taken for an empty one. Each is refused naming its field and what was typed, with the rest of the form kept."""
    suggestion_id, _, _ = _world(app)
    water = sign_in_staff(app, "shuiwu")
    unit_page = f"/unit/suggestions/{suggestion_id}"
    reply = "经现场查看，排污沟淤积约两百米，已列入明年一季度清淤计划。"
    refused = water.post(unit_page + "/reply", data={"text": reply, "category": "B", "promised_date": "下月底",
                                                     "csrf_token": csrf_token(water, unit_page)})
    shown = _refused_with(refused, "承诺完成日期“下月底”不是能识别的日期", reply)
    assert "请填写" not in shown and 'name="promised_date"' in shown and 'value="下月底"' in shown
    assert 'value="B" id="category-B" required checked>' in shown

    refused = water.post(unit_page + "/contacts", data={"stage": "during", "way": "phone", "on": "上周三",
                                                        "who": "局长 李明", "note": "电话说明清淤安排",
                                                        "csrf_token": csrf_token(water, unit_page)})
    shown = _refused_with(refused, "沟通日期“上周三”不是能识别的日期", "电话说明清淤安排")
    assert "请填写" not in shown and 'value="上周三"' in shown and 'value="局长 李明"' in shown
    assert '<option value="phone" selected>' in shown
    page = _page(water.get(unit_page))
    assert "电话说明清淤安排" not in page and "清淤计划" not in page  # neither was saved


def test_refused_forms_come_back_with_what_was_typed(app):
    suggestion_id, _, _ = _world(app)
    water, office = sign_in_staff(app, "shuiwu"), sign_in_staff(app, "office")
    unit_page, staff_page = f"/unit/suggestions/{suggestion_id}", f"/staff/suggestions/{suggestion_id}"

    reply = "经现场查看，排污沟淤积约两百米，已列入明年一季度清淤计划。" * 20
    refused = water.post(unit_page + "/reply", data={"text": reply, "category": "B",
                                                     "csrf_token": csrf_token(water, unit_page)})
    shown = _refused_with(refused, "B类答复请填写承诺完成日期", reply)
    assert re.search(r'<input type="radio" name="category" value="B" id="category-B" required checked>', shown)
    # The other forms of the page stay empty: the typed words belong to the one form that was sent.
    assert re.search(r'<textarea id="return-reason" name="reason" rows="3" required></textarea>', shown)

    refused = water.post(unit_page + "/return", data={"reason": LONG, "csrf_token": csrf_token(water, unit_page)})
    _refused_with(refused, "退回理由不能超过 1000 字", LONG)

    assert water.post(unit_page + "/reply", data={"text": "已疏通。", "category": "A",
                                                  "csrf_token": csrf_token(water, unit_page)}).status_code == 302
    refused = office.post(staff_page + "/send-back", data={"reason": LONG,
                                                           "csrf_token": csrf_token(office, staff_page)})
    _refused_with(refused, "退回理由不能超过 1000 字", LONG)
    assert office.post(staff_page + "/accept", data={"csrf_token": csrf_token(office, staff_page)}).status_code == 302

    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    deputy_page = f"/deputy/suggestions/{suggestion_id}"
    refused = deputy.post(deputy_page + "/rating", data={"level": "basic", "comment": LONG,
                                                         "csrf_token": csrf_token(deputy, deputy_page)})
    shown = _refused_with(refused, "评价意见不能超过 1000 字", LONG)
    assert 'value="basic" id="level-basic" required checked>' in shown


def test_a_refused_edit_of_a_deputy_keeps_the_changes_typed(app):
    _world(app)
    office = sign_in_staff(app, "office")
    with app.extensions["mashang"].sessions() as session:
        deputy_id = session.scalars(select(Deputy.id)).one()
    page = f"/staff/deputies/{deputy_id}"
    refused = office.post(page, data={"name": "王秀兰（青石街道）", "level": "区", "phone": "1390000",
                                      "csrf_token": csrf_token(office, page)})
    shown = _refused_with(refused, 'value="王秀兰（青石街道）"', 'value="1390000"')
    # Unticked 在任 was typed too: the box comes back unticked, not as the stored record has it.
    assert re.search(r'<input type="checkbox" name="active" *>', shown)
    assert office.get(page).status_code == 200 and 'value="王秀兰"' in _page(office.get(page))


def test_a_reply_sent_after_the_session_ended_elsewhere_comes_back_after_signing_in_again(app):
    suggestion_id, _, _ = _world(app)
    desk, laptop = sign_in_staff(app, "shuiwu"), sign_in_staff(app, "shuiwu")
    page = f"/unit/suggestions/{suggestion_id}"
    token = csrf_token(desk, page)
    # The clerk signs out everywhere on the laptop while a long reply is being written at the desk.
    assert laptop.post("/unit/logout", data={"csrf_token": csrf_token(laptop, "/unit/"), "everywhere": "1"}
                       ).status_code == 302
    reply = "经现场查看，排污沟淤积约两百米，已于12月1日组织清淤。" * 10
    refused = desk.post(page + "/reply", data={"text": reply, "category": "A", "csrf_token": token},
                        headers={"Referer": f"http://localhost{page}"})
    assert refused.status_code == 401
    shown = _page(refused)
    assert reply in shown and "重新登录" in shown
    login = re.search(r'<a href="(/staff/login\?next=[^"]+)" id="sign-in-again">', shown).group(1)

    signed_in = desk.post(login, data={"username": "shuiwu", "password": "pw-shuiwu",
                                       "csrf_token": csrf_token(desk, login)})
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith(page)
    again = _page(desk.get(page))
    assert f'name="text" rows="8" required>{reply}</textarea>' in again
    assert 'value="A" id="category-A" required checked>' in again
    # Given back once, into the form it was typed in: the next visit shows the page as it is.
    assert reply not in _page(desk.get(page))
    assert desk.post(page + "/reply", data={"text": reply, "category": "A", "csrf_token": csrf_token(desk, page)}
                     ).status_code == 302


def test_what_was_typed_is_given_back_only_to_the_account_that_typed_it(app):
    suggestion_id, _, _ = _world(app)
    desk, laptop = sign_in_staff(app, "shuiwu"), sign_in_staff(app, "shuiwu")
    page = f"/unit/suggestions/{suggestion_id}"
    token = csrf_token(desk, page)
    laptop.post("/unit/logout", data={"csrf_token": csrf_token(laptop, "/unit/"), "everywhere": "1"})
    desk.post(page + "/return", data={"reason": "不属于本局职责范围", "csrf_token": token},
              headers={"Referer": f"http://localhost{page}"})
    # Someone else signs in at that desk: the office's clerk, who may open the suggestion too.
    desk.post("/staff/login", data={"username": "office", "password": "pw-office",
                                    "csrf_token": csrf_token(desk, "/staff/login")})
    assert "已填回" not in _page(desk.get("/staff/"))
    assert "不属于本局职责范围" not in _page(desk.get(f"/staff/suggestions/{suggestion_id}"))


def test_an_unreadable_day_in_the_queues_filter_is_named_and_kept(app):
    _world(app)
    office = sign_in_staff(app, "office")
    shown = _page(office.get("/staff/?date_from=2026-13-45&date_to=2026-12-01"))
    assert "“从”的日期“2026-13-45”无法识别" in shown
    assert 'name="date_from" value="2026-13-45"' in shown and 'name="date_to" value="2026-12-01"' in shown
    assert "无法识别" not in _page(office.get("/staff/?date_from=2026-12-01"))


def test_every_refused_console_form_comes_back_as_its_page_with_what_was_typed(app):
    """Not a redirect to an empty form, and not a 200 that reads as saved: 422, the reason and the typed words."""
    suggestion_id, _, _ = _world(app)
    add_staff(app, "admin", StaffRole.ADMIN, None)
    office, admin = sign_in_staff(app, "office"), sign_in_staff(app, "admin")
    with app.extensions["mashang"].sessions() as session:
        station_id = session.scalars(select(Deputy.station_id)).one()

    def refused(client, page: str, action: str, fields: dict, *sentences: str) -> str:
        return _refused_with(client.post(action, data={**fields, "csrf_token": csrf_token(client, page)}), *sentences)

    # A paper suggestion without its lead deputy.
    refused(office, "/staff/suggestions/new", "/staff/suggestions/new",
            {"title": "关于修复幸福小区路灯的建议", "situation": "幸福小区门口路灯长期不亮。"},
            'value="关于修复幸福小区路灯的建议"', "幸福小区门口路灯长期不亮。")
    refused(office, "/staff/deputies", "/staff/deputies",
            {"name": "赵小红", "level": "区", "station": str(station_id), "phone": "1390000"},
            'value="赵小红"', 'value="1390000"')
    hours = "工作日上午九点到十一点半" * 10  # over the 100 characters an opening time may have
    refused(office, "/staff/stations", "/staff/stations",
            {"name": "东湖社区联络站", "phone": "0731-84123456", "opening_hours": hours}, 'value="东湖社区联络站"', hours)
    refused(office, "/staff/stations", f"/staff/stations/{station_id}",
            {"name": "青石街道联络站（新址）", "phone": "0731-84000000", "opening_hours": hours},
            'value="青石街道联络站（新址）"', hours)
    refused(office, "/staff/units", "/staff/units", {"name": "", "contact_person": "李建国", "phone": "0731-85000000"},
            "请填写单位名称", 'value="李建国"', 'value="0731-85000000"')
    with app.extensions["mashang"].sessions() as session:
        unit_id = session.scalars(select(HandlingUnit.id).where(HandlingUnit.name == "区水务局")).one()
    refused(office, f"/staff/units/{unit_id}", f"/staff/units/{unit_id}",
            {"name": "区城管局", "contact_person": "周敏", "active": "on"}, "已有名为“区城管局”的单位", 'value="周敏"')
    refused(admin, "/staff/accounts", "/staff/accounts", {"username": "张 三!", "role": "office"},
            "用户名为 3–50 位", 'value="张 三!"')
    refused(admin, "/staff/api-keys", "/staff/api-keys", {"name": "热线" * 60, "scope": "read"}, "热线" * 60)


def test_a_refused_reply_says_its_file_must_be_chosen_again(app):
    suggestion_id, _, _ = _world(app)
    water = sign_in_staff(app, "shuiwu")
    page = f"/unit/suggestions/{suggestion_id}"
    reply = "经现场查看，排污沟淤积约两百米，已列入明年一季度清淤计划。"
    sent = water.post(page + "/reply", data={"text": reply, "category": "B", "csrf_token": csrf_token(water, page),
                                             "attachment": (io.BytesIO(b"%PDF-1.4 reply"), "答复函.pdf")},
                      content_type="multipart/form-data")
    shown = _refused_with(sent, "B类答复请填写承诺完成日期", reply)
    # A browser never fills a file box in again: the page says so, naming the file, where the file is chosen.
    assert re.search(r'id="attachment-chosen"[^>]*>“答复函\.pdf”没有上传，<span class="nowrap">请重新选择文件</span>', shown)
    assert "请重新选择文件" not in _page(water.get(page))


LIGHTS = ["青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。",
          "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。"]


@pytest.fixture
def desk(app, run_jobs, tmp_path):
    """王秀兰's draft on the street lights and the office's clerk; returns the draft's, a message's and 王秀兰's ids."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in LIGHTS:
        report(app.test_client(), slug, text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "office", StaffRole.OFFICE, None)
    with app.extensions["mashang"].sessions() as session:
        draft = session.scalars(select(Draft).where(Draft.status == DraftStatus.OPEN)).one()
        return draft.id, draft.links[0].message_id, draft.deputy_id


def _sent_after_signing_out_elsewhere(app, page: str, action: str, fields: dict, staff: bool) -> str:
    """The form on `page` sent after 退出所有设备 on another device, and the page after signing in again."""
    def signed_in():
        if staff:
            return sign_in_staff(app, "office")
        client = app.test_client()
        assert sign_in_deputy(client, "13900000001", "wang-pass-1").status_code == 302
        return client

    desk, laptop = signed_in(), signed_in()
    token = csrf_token(desk, page)
    home = "/staff/" if staff else "/deputy/"
    assert laptop.post(home + "logout", data={"csrf_token": csrf_token(laptop, home), "everywhere": "1"}
                       ).status_code == 302
    refused = desk.post(action, data={**fields, "csrf_token": token}, headers={"Referer": f"http://localhost{page}"})
    assert refused.status_code == 401
    assert "重新登录后会自动填回" in _page(refused)
    login = re.search(r'<a href="([^"]+)" id="sign-in-again">', _page(refused)).group(1)
    account = {"username": "office", "password": "pw-office"} if staff else {"phone": "13900000001",
                                                                                "password": "wang-pass-1"}
    signed = desk.post(login, data={**account, "csrf_token": csrf_token(desk, login)})
    assert signed.status_code == 302 and signed.headers["Location"].endswith(page)
    again = desk.get(page)
    assert "刚才填写的内容已填回原来的表格" in _page(again)
    return _page(again)


def test_a_section_edit_sent_after_signing_out_elsewhere_comes_back_in_its_own_box(app, desk):
    draft_id, _, _ = desk
    page = f"/deputy/drafts/{draft_id}"
    text = "幸福小区门口约二百米路段的六盏路灯自十一月初起不亮，居民夜间出行不便。"
    shown = _sent_after_signing_out_elsewhere(app, page, f"{page}/sections/situation",
                                              {"version": "1", "text": text}, staff=False)
    box = re.search(r'<details class="edit" open><summary>修改基本情况</summary>.*?</details>', shown).group(0)
    assert f'name="text" rows="8">{text}</textarea>' in box
    assert shown.count(text) == 1  # in that section's box only, not in every section's


def test_a_note_sent_after_signing_out_elsewhere_comes_back_on_the_message_page(app, desk):
    _, message_id, _ = desk
    page = f"/staff/messages/{message_id}"
    note = "已电话联系群众，约定周三上午到现场查看路灯。"
    shown = _sent_after_signing_out_elsewhere(app, page, "/staff/messages/actions",
                                              {"ids": str(message_id), "return_to": page, "action": "note",
                                               "note": note}, staff=True)
    assert f'data-for="note" value="{note}"' in shown
    assert '<option value="note" selected>加内部备注</option>' in shown


def test_a_paper_suggestion_sent_after_signing_out_elsewhere_comes_back_in_its_form(app, desk):
    page = "/staff/suggestions/new"
    fields = {"title": "关于修复幸福小区路灯的建议", "lead_deputy": str(desk[2]), "kind": "session", "topic": "城乡建设",
              "situation": "幸福小区门口路灯长期不亮。", "problems": "夜间出行不安全", "proposals": "尽快修复路灯"}
    shown = _sent_after_signing_out_elsewhere(app, page, page, fields, staff=True)
    assert 'name="title" maxlength="200" required value="关于修复幸福小区路灯的建议"' in shown
    assert f'<option value="{desk[2]}" selected>王秀兰</option>' in shown
    assert '<option value="session" selected>' in shown and "<option selected>城乡建设</option>" in shown
    for name in ("situation", "problems", "proposals"):
        assert f'name="{name}" rows="4">{fields[name]}</textarea>' in shown


# Pages whose forms are sent with no account signed in: nothing is held for them, nothing is promised.
_NO_ACCOUNT = {"chat.html", "deputy/login.html", "staff/login.html"}
_TEXT = re.compile(r'<textarea\b|<input\b(?![^>]*type="(?:hidden|submit|button|file|password|checkbox|radio)")')
_FIELD = re.compile(r'<(textarea|select)\b[^>]*\bname="[^"]+"[^>]*>.*?</\1>|<input\b[^>]*\bname="[^"]+"[^>]*>', re.S)


def test_every_form_a_person_types_into_gives_back_what_was_typed():
    """A form sent after its sign-in ended is promised back (重新登录后会自动填回): each field of every form with
    words typed into it reads them through kept.typed, chosen or ticked, else the promise is broken on that page."""
    folder = Path(__file__).resolve().parent.parent / "intake" / "templates"
    broken = []
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        source = path.read_text(encoding="utf-8")
        given = re.findall(r"{%\s*set\s+(\w+)\s*=\s*(?:typed|chosen|ticked|given_back)\(", source)
        reads = re.compile(r"\b(?:typed|chosen|ticked)\(" + "".join(rf"|\b{word}\b" for word in given))
        for form in re.findall(r'<form\b[^>]*method="post"[^>]*>.*?</form>', source, re.S):
            if name in _NO_ACCOUNT or not _TEXT.search(form):
                continue
            for field in _FIELD.finditer(form):
                tag = field.group(0)
                if re.search(r'type="(?:hidden|submit|button|file|password)"|\breadonly\b', tag.split(">")[0]):
                    continue  # nothing typed into it (a read-only field shows what the page knows)
                if not reads.search(tag):
                    broken.append(f"{name}: {tag[:90]}")
    assert not broken, "\n".join(broken)


def test_a_form_sent_from_a_page_that_cannot_be_opened_again_is_not_promised_back(app, desk):
    draft_id, _, _ = desk
    desk_client, laptop = app.test_client(), app.test_client()
    for client in (desk_client, laptop):
        assert sign_in_deputy(client, "13900000001", "wang-pass-1").status_code == 302
    answer = f"/deputy/drafts/{draft_id}/sections/situation"  # a refused edit's own page: POST only
    token = csrf_token(desk_client, f"/deputy/drafts/{draft_id}")
    assert laptop.post("/deputy/logout", data={"csrf_token": csrf_token(laptop, "/deputy/"), "everywhere": "1"}
                       ).status_code == 302
    text = "幸福小区门口约二百米路段的六盏路灯不亮。"
    refused = desk_client.post(answer, data={"version": "1", "text": text, "csrf_token": token},
                               headers={"Referer": f"http://localhost{answer}"})
    shown = _page(refused)
    assert refused.status_code == 401 and text in shown
    # Not promised back (重新登录后会自动填回): said not to come back by itself, and shown to copy.
    assert "重新登录后会自动填回" not in shown and "不会自动填回" in shown and "请复制下面的内容" in shown
    assert 'href="/deputy/login" id="sign-in-again"' in shown


def test_a_refused_section_edit_comes_back_in_its_own_box(app, desk):
    draft_id, _, _ = desk
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    page = f"/deputy/drafts/{draft_id}"
    text = "幸福小区门口路灯不亮。" * 600  # over what a section may hold
    refused = deputy.post(f"{page}/sections/situation", data={"version": "1", "text": text,
                                                              "csrf_token": csrf_token(deputy, page)})
    shown = _refused_with(refused, "这一部分最多", text)
    assert re.search(r'<details class="edit" open><summary>修改基本情况</summary>', shown)


def _said(response) -> tuple[str, str, str]:
    """The signed-out page's heading, its sentence and what it says over the typed text."""
    shown = _page(response)
    heading = re.search(r"<h1>(.*?)</h1>", shown).group(1)
    sentence = re.search(r'<p class="phrases">(.*?)</p>', shown).group(1)
    over = re.search(r'<section class="typed-back".*?<p>(.*?)</p>', shown)
    return heading, re.sub(r"<[^>]+>", "", sentence), over.group(1) if over else ""


def test_a_signed_out_page_says_sign_in_once_and_what_became_of_the_typed_text(app):
    suggestion_id, _, _ = _world(app)
    page = f"/unit/suggestions/{suggestion_id}"
    stranger = app.test_client()
    token = csrf_token(stranger, "/staff/login")
    # Nothing typed (a button): the heading says it, the sentence says the action was not done (请先登录 twice before).
    heading, sentence, _ = _said(stranger.post("/staff/logout", data={"csrf_token": token}))
    assert heading == "登录已结束" and sentence == "刚才的操作没有完成，请重新登录后再做一次。"
    # Typed with no account to keep it for: shown to copy, and said not to come back by itself.
    reply = "经现场查看，排污沟淤积约两百米，已于12月1日组织清淤。"
    refused = stranger.post(page + "/reply", data={"text": reply, "category": "A", "csrf_token": token},
                            headers={"Referer": f"http://localhost{page}"})
    heading, sentence, over = _said(refused)
    assert refused.status_code == 401 and reply in _page(refused)
    assert sentence == "这次提交没有保存，填写的内容也不会自动填回。" and over.startswith("请复制下面的内容，重新登录后")
    # Typed by an account signed out elsewhere: kept, and said so once.
    desk, laptop = sign_in_staff(app, "shuiwu"), sign_in_staff(app, "shuiwu")
    token = csrf_token(desk, page)
    laptop.post("/unit/logout", data={"csrf_token": csrf_token(laptop, "/unit/"), "everywhere": "1"})
    heading, sentence, over = _said(desk.post(page + "/reply", data={"text": reply, "category": "A", "csrf_token": token},
                                              headers={"Referer": f"http://localhost{page}"}))
    assert sentence == "您的登录已在别处结束，这次提交没有保存，刚才填写的内容已经留下。"
    assert over.startswith("重新登录后会自动填回")
    for said in (sentence, over):
        assert "请先登录" not in said


def test_a_roster_accepted_for_preview_is_not_said_to_be_refused(app):
    """A good roster's preview said beside the file button that “roster.xlsx” was not imported, as if refused: the
    file's name is said again only when the upload was refused (a browser empties the box only then matters)."""
    from openpyxl import Workbook

    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    book = Workbook()
    book.active.append(["姓名", "层级", "联络站", "手机"])
    for n in range(5):
        book.active.append([f"代表{n}", "区级", "青石街道联络站", f"1380000000{n}"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    sent = office.post("/staff/roster", data={"file": (upload, "roster.xlsx"),
                                              "csrf_token": csrf_token(office, "/staff/roster")},
                       content_type="multipart/form-data")
    shown = _page(sent)
    assert sent.status_code == 200 and "预览：5 位代表" in shown and "确认导入" in shown
    assert "没有导入" not in shown and "请改正后重新选择" not in shown
    assert re.search(r'id="roster-file-name" class="file-name" aria-live="polite">未选择文件<', shown)
