"""The suggestion pages over HTTP: the figures of the district's year on /staff/stats, a return and its
reassignment, a reply sent back, the ledger's download, and citizens' words shown as text on every page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from intake.models import Deputy, HandlingUnit, Reply, StaffRole, StaffUser, Station, Suggestion
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import handling
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import add_staff, saved_as, set_password, sign_in_deputy, sign_in_staff
from tests.test_suggestion_ledger import HEADER, _xlsx, _year_of_95, office  # noqa: F401  (fixture)

SCRIPT = "<script>alert(1)</script>"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_stats_page_shows_the_districts_year(office, tmp_path):  # noqa: F811
    result = office.test_cli_runner().invoke(args=["suggestions", "import",
                                                   str(_xlsx(tmp_path / "台账.xlsx", _year_of_95(2025)))])
    assert result.exit_code == 0, result.output
    add_staff(office, "office", StaffRole.OFFICE, None)
    page = sign_in_staff(office, "office").get("/staff/stats?year=2025")
    assert page.status_code == 200
    html = _text(page)
    # Rates as the congress prints them, one decimal at most, each with the count behind it (58 of 95 is 61.1%).
    # The count may go under its rate on a narrow tile (<wbr>: Unicode keeps %（ together).
    counted = '100%<wbr><span class="count">（95/95）</span>'
    for key, shown in (("total", "95"), ("answered", "95"), ("reply-rate", counted), ("face-rate", counted),
                       ("satisfaction-rate", counted),
                       ("completion-rate", '61.1%<wbr><span class="count">（58/95）</span>'), ("overdue", "0")):
        assert f'<b id="{key}">{shown}</b>' in html, key
    assert '<td data-label="类别">A类 已解决或正在解决</td><td data-label="件数">58</td><td data-label="占比">61.1%<wbr><span class="count">（58/95）</span></td>' in html
    assert '<td data-label="类别">B类 列入计划逐步解决</td><td data-label="件数">37</td><td data-label="占比">38.9%<wbr><span class="count">（37/95）</span></td>' in html
    # Bar charts drawn inline: one SVG per chart, nothing fetched, nothing run (the scripts name an empty field in
    # Chinese and fold a phone's menu).
    assert html.count("<svg") == 5 and "<img" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/required.js" defer>',
                                                  '<script src="/static/fold.js" defer>']
    assert "区住房和城乡建设局" in html and "代表1" in html
    assert "满意率只算代表已评价的建议（已评价 95 件），评价为满意和基本满意的都算满意" in html


def test_the_stats_page_says_none_is_rated_yet_and_what_its_rates_count(app):
    """With no suggestion rated, 满意率 stood as a bare — beside 办结率, which reads as if what was concluded had been
    rated: the page says none is rated and what each of the two rates counts (the dash stays, as in every table)."""
    _world(app)
    html = _text(sign_in_staff(app, "office").get("/staff/stats"))
    assert '<b id="satisfaction-rate">—</b>满意率' in html
    # 满意率 counts 基本满意 as pleased, as the congress does: the page says so (a reader took it for 满意 alone).
    assert ('<p class="muted" id="rates-meaning">满意率只算代表已评价的建议（还没有建议被评价，所以是“—”），'
            '评价为满意和基本满意的都算满意；办结率算全部建议中答复为A类、或B类已报告落实的，不看是否评价。</p>') in html


def _unit_account(session, username: str, name: str) -> HandlingUnit:
    unit = HandlingUnit(name=name)
    session.add(unit)
    session.flush()
    session.add(StaffUser(username=username, password_hash=hash_password("pw-" + username), role=StaffRole.UNIT,
                          unit_id=unit.id))
    return unit


def _world(app):
    """One suggestion on paper with a script in its words, assigned to 水务局; 城管局 is another unit."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        station = Station(name="青石街道人大代表联络站")
        deputy = Deputy(name="王秀兰", level="区", station=station, phone="13900000001")
        session.add(deputy)
        session.flush()
        water, city = _unit_account(session, "shuiwu", "区水务局"), _unit_account(session, "chengguan", "区城管局")
        found = handling.register_by_hand(session, title=f"疏通排污沟{SCRIPT}", lead_deputy_id=deputy.id,
                                          cosigner_ids=[], kind="recess",
                                          topic="生态环境", situation=SCRIPT, problems="排污沟堵塞",
                                          proposals="尽快疏通", actor="staff:office", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=water.id, co_unit_ids=[], actor="staff:office", rules=rules)
        ids = found.id, water.id, city.id
    add_staff(app, "office", StaffRole.OFFICE, None)
    set_password(app, "13900000001", "wang-pass-1")
    return ids


def _status(app, suggestion_id: int) -> str:
    with app.extensions["mashang"].sessions() as session:
        return session.get(Suggestion, suggestion_id).status


def test_a_return_is_reassigned_and_a_sent_back_reply_is_answered_again(app):
    suggestion_id, water_id, city_id = _world(app)
    office_client, water, city = (sign_in_staff(app, name) for name in ("office", "shuiwu", "chengguan"))
    page = f"/unit/suggestions/{suggestion_id}"
    assert city.get(page).status_code == 404

    asked = water.post(page + "/return", data={"reason": "排污沟属城管局管养", "csrf_token": csrf_token(water, page)})
    assert asked.status_code == 302 and _status(app, suggestion_id) == "return_requested"
    staff_page = f"/staff/suggestions/{suggestion_id}"
    shown = _text(office_client.get(staff_page))
    assert "申请退回" in shown and "排污沟属城管局管养" in shown and "重新交办" in shown
    moved = office_client.post(staff_page + "/reassign", data={
        "lead_unit": str(city_id), "csrf_token": csrf_token(office_client, staff_page)})
    assert moved.status_code == 302 and _status(app, suggestion_id) == "assigned"
    assert water.get(page).status_code == 404 and city.get(page).status_code == 200

    reply = {"text": "已疏通。", "category": "A", "csrf_token": csrf_token(city, page)}
    assert city.post(page + "/reply", data=reply).status_code == 302
    sent_back = office_client.post(staff_page + "/send-back", data={
        "reason": "请写明疏通日期", "csrf_token": csrf_token(office_client, staff_page)})
    assert sent_back.status_code == 302 and _status(app, suggestion_id) == "handling"
    assert "退回理由：请写明疏通日期" in _text(city.get(page))
    # The contact form starts at the stage the suggestion is in (it always started at 办前).
    assert '<option value="during" selected>办中</option>' in _text(city.get(page))
    reply["text"] = "已于12月1日疏通。"
    assert city.post(page + "/reply", data=reply).status_code == 302
    assert office_client.post(staff_page + "/accept", data={"csrf_token": csrf_token(office_client, staff_page)}
                              ).status_code == 302
    assert _status(app, suggestion_id) == "answered"
    assert '<option value="after" selected>办后</option>' in _text(city.get(page))
    history = _text(office_client.get(staff_page))
    for step in ("申请退回", "重新交办", "退回答复", "审核通过答复"):
        assert step in history, step
    # The deputy follows the steps, but what the office and the units wrote each other about a reply the deputy
    # never saw, or about whose job it is, stays between them.
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    seen = _text(deputy.get(f"/deputy/suggestions/{suggestion_id}"))
    assert "退回答复" in seen and "申请退回" in seen and "已于12月1日疏通。" in seen
    assert "请写明疏通日期" not in seen and "排污沟属城管局管养" not in seen


def test_citizens_words_are_text_on_every_page_and_the_ledger_downloads(app):
    suggestion_id, _, _ = _world(app)
    office_client, water = sign_in_staff(app, "office"), sign_in_staff(app, "shuiwu")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    for client, path in ((office_client, f"/staff/suggestions/{suggestion_id}"), (office_client, "/staff/suggestions"),
                         (water, f"/unit/suggestions/{suggestion_id}"), (water, "/unit/"),
                         (deputy, f"/deputy/suggestions/{suggestion_id}"), (deputy, "/deputy/suggestions")):
        html = client.get(path).get_data(as_text=True)
        assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path

    download = office_client.get("/staff/suggestions.xlsx")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    # Named in ASCII too, for a client that reads only filename= (werkzeug's own fallback was .xlsx).
    assert saved_as(download) == ("suggestions.xlsx", "建议台账.xlsx")
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:len(HEADER)]) == HEADER
    with app.extensions["mashang"].sessions() as session:
        number = session.scalar(select(Suggestion.number))
    assert rows[1][0] == number and rows[1][4] == "区水务局"


def test_the_office_forms_lead_back_to_their_lists_and_each_form_has_its_heading(app):
    """录入纸质建议 and a unit's page once offered no way back but the browser's; the units page's one-unit form stood
    under the import's sentence with no heading of its own."""
    _, water_id, _ = _world(app)
    office_client = sign_in_staff(app, "office")
    new = office_client.get("/staff/suggestions/new").get_data(as_text=True)
    assert '<a href="/staff/suggestions" id="back">← 全部建议</a>' in new
    unit = office_client.get(f"/staff/units/{water_id}").get_data(as_text=True)
    assert '<a href="/staff/units" id="back">← 全部承办单位</a>' in unit
    units = office_client.get("/staff/units").get_data(as_text=True)
    headings = [part.split("</h2>")[0].split(">")[-1] for part in units.split("<h2")[1:]]
    assert headings == ["成批导入", "逐个添加单位", "已有单位"]
    assert units.index("逐个添加单位") < units.index('id="add-unit"')


def test_office_enters_paper_suggestions_assigns_them_in_one_sitting_and_keeps_units(app):
    _world(app)
    add_staff(app, "admin", StaffRole.ADMIN, None)
    office_client = sign_in_staff(app, "office")
    with app.extensions["mashang"].sessions() as session:
        deputy_id = session.scalar(select(Deputy.id))
    token = csrf_token(office_client, "/staff/suggestions/new")
    numbers = []
    for title in ("修缮青石中学操场", "增设幸福小区公交站", "整治柳河镇菜市场"):
        entered = office_client.post("/staff/suggestions/new", data={
            "title": title, "lead_deputy": str(deputy_id), "kind": "session", "topic": "城乡建设",
            "problems": "问题", "proposals": "建议", "csrf_token": token})
        assert entered.status_code == 302 and "/staff/suggestions/" in entered.headers["Location"]
        numbers.append(re.search(r"第 (\S+) 号", _text(office_client.get(entered.headers["Location"]))).group(1))
    assert len(set(numbers)) == 3
    refused = office_client.post("/staff/suggestions/new", data={"title": "", "csrf_token": token})
    assert refused.status_code == 422 and "录入纸质建议" in _text(refused)  # read and refused, not saved

    # The page speaks of 提醒邮箱: its form to add a unit has the field (it once had only the name, contact and phone).
    added = office_client.post("/staff/units", data={"name": "区教育局", "short_name": "教育局", "active": "on",
                                                     "email": "jy@jy.gov.cn", "csrf_token": token})
    assert added.status_code == 302 and "区教育局" in _text(office_client.get("/staff/units"))
    assert '<input name="email"' in _text(office_client.get("/staff/units"))
    with app.extensions["mashang"].sessions() as session:
        assert session.scalar(select(HandlingUnit.email).where(HandlingUnit.name == "区教育局")) == "jy@jy.gov.cn"
    # No file chosen: each import names the file it asks for (the units' once asked for a 名册, the deputies' roster).
    unchosen = office_client.post("/staff/units/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert "请选择单位名单文件。" in _text(unchosen) and "请选择名册文件" not in _text(unchosen)
    unchosen = office_client.post("/staff/roster", data={"csrf_token": token}, content_type="multipart/form-data")
    assert "请选择名册文件。" in _text(unchosen)
    with app.extensions["mashang"].sessions() as session:
        ids = list(session.scalars(select(Suggestion.id).where(Suggestion.status == "registered")))
        education = session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == "区教育局"))
        water = session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == "区水务局"))
    assert len(ids) == 3
    edited = office_client.post(f"/staff/units/{education}", data={
        "name": "区教育局", "short_name": "教育局", "contact_person": "周老师", "phone": "0571-1", "active": "on",
        "csrf_token": token})
    assert edited.status_code == 302 and "周老师" in _text(office_client.get("/staff/units"))
    # A whole list is imported on the page (it once told the administrator to hand the file to the administrator).
    units_page = _text(office_client.get("/staff/units"))
    assert 'id="import-units"' in units_page and "交给系统管理员" not in units_page
    listed = "单位名称,简称,联系人,电话\n区卫生健康局,卫健局,钱医生,0571-2\n区教育局,教育局,周老师,0571-1\n"
    imported = office_client.post("/staff/units/import", data={
        "file": (io.BytesIO(listed.encode()), "单位.csv"), "csrf_token": token}, content_type="multipart/form-data")
    assert imported.status_code == 302
    assert "导入完成：新增 1 个单位，更新 1 个。" in _text(office_client.get("/staff/units"))
    refused = office_client.post("/staff/units/import", data={
        "file": (io.BytesIO("单位名称,简称\n,空\n".encode()), "单位.csv"), "csrf_token": token},
        content_type="multipart/form-data")
    # Refused as the other refused forms are (422), naming the file to choose again: a browser empties the box.
    assert refused.status_code == 422 and "没有导入任何单位" in _text(refused) and "第 2 行" in _text(refused)
    assert "“单位.csv”没有导入" in _text(refused)
    refused_roster = office_client.post("/staff/roster", data={
        "file": (io.BytesIO("姓名,层级,联络站,手机\n,区级,东站,\n".encode()), "名册.csv"), "csrf_token": token},
        content_type="multipart/form-data")
    assert refused_roster.status_code == 422 and "“名册.csv”没有导入" in _text(refused_roster)

    assigned = office_client.post("/staff/suggestions/assign", data={
        "ids": [str(n) for n in ids], "lead_unit": str(education), "co_units": [str(water)],
        "deadline": "2027-03-31", "key_supervision": "on", "supervisor": "张主任", "csrf_token": token})
    assert assigned.status_code == 302
    assert "已交办 3 件建议" in _text(office_client.get("/staff/suggestions"))
    with app.extensions["mashang"].sessions() as session:
        rows = list(session.scalars(select(Suggestion).where(Suggestion.id.in_(ids))))
        assert {(s.status, str(s.deadline), s.key_supervision, s.supervisor) for s in rows} == {
            ("assigned", "2027-03-31", True, "张主任")}

    admin = sign_in_staff(app, "admin")
    created = admin.post("/staff/accounts", data={"username": "jiaoyu", "password": "jiaoyu-pass-1", "role": "unit",
                                                  "unit": str(education), "csrf_token": csrf_token(admin, "/staff/")})
    assert created.status_code == 302 and "区教育局" in _text(admin.get("/staff/accounts"))
    unit_client = app.test_client()
    signed = unit_client.post("/staff/login", data={"username": "jiaoyu", "password": "jiaoyu-pass-1",
                                                    "csrf_token": csrf_token(unit_client, "/staff/login")})
    assert signed.headers["Location"].endswith("/unit/")
    listed = _text(unit_client.get("/unit/"))
    assert all(title in listed for title in ("修缮青石中学操场", "增设幸福小区公交站", "整治柳河镇菜市场"))


def test_交办_with_a_deadline_naming_no_day_is_refused_with_what_was_typed_and_empty_is_the_default(app):
    """明天 or 2027-02-30 as 办理期限 was taken for the 90-day default and 已交办 said; a past day was refused, but the
    page came back empty. Now both are refused on the suggestion's own page, naming what was typed and keeping it."""
    _, water_id, city_id = _world(app)
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        found = handling.register_by_hand(session, title="增设公交站", lead_deputy_id=session.scalar(select(Deputy.id)),
                                          actor="staff:office", rules=rules)
        suggestion_id = found.id
    office_client = sign_in_staff(app, "office")
    staff_page = f"/staff/suggestions/{suggestion_id}"
    form = {"ids": str(suggestion_id), "return_to": staff_page, "lead_unit": str(city_id), "co_units": [str(water_id)],
            "supervisor": "张主任", "note": "尽快", "csrf_token": csrf_token(office_client, staff_page)}
    yesterday = (handling.today(rules) - timedelta(days=1)).isoformat()
    for typed, said in (("明天", "办理期限“明天”不是能识别的日期，没有交办"),
                        ("2027-02-30", "办理期限“2027-02-30”不是能识别的日期，没有交办"),
                        (yesterday, "办理期限应晚于今天。")):
        refused = office_client.post("/staff/suggestions/assign", data={**form, "deadline": typed})
        page = _text(refused)
        assert refused.status_code == 422 and said in page, typed
        assert f'name="deadline" inputmode="numeric" placeholder="年-月-日" title="日期，如 2026-12-01" size="11" ' \
               f'value="{typed}"' in page
        assert f'<option value="{city_id}" selected>' in page and 'value="尽快"' in page and 'value="张主任"' in page
        assert f'value="{water_id}" checked' in page
        assert _status(app, suggestion_id) == "registered" and "已交办" not in page
    assigned = office_client.post("/staff/suggestions/assign", data={**form, "deadline": " "})
    assert assigned.status_code == 302 and assigned.headers["Location"].endswith(staff_page)
    with runtime.sessions() as session:
        done = session.get(Suggestion, suggestion_id)
        assert (done.status, done.deadline) == ("assigned", handling.today(rules) + timedelta(days=rules.handling_days))


def test_交办_refused_on_the_list_keeps_what_was_typed_and_the_lists_filter(app):
    """On the list, a refused 交办 (a deadline naming no day, no unit chosen) went back to an empty list: the unit,
    deadline, note, supervisor and the ticked suggestions were gone. It is the list again, as it was filtered and
    typed, saying what was wrong."""
    _, water_id, city_id = _world(app)
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        deputy_id = session.scalar(select(Deputy.id))
        ids = [handling.register_by_hand(session, title=title, lead_deputy_id=deputy_id, actor="staff:office",
                                         rules=runtime.settings.lifecycle).id for title in ("增设公交站", "修缮操场")]
    office_client = sign_in_staff(app, "office")
    listed = "/staff/suggestions?status=registered"
    form = {"ids": [str(n) for n in ids], "return_to": listed, "lead_unit": str(city_id), "co_units": [str(water_id)],
            "key_supervision": "on", "supervisor": "张主任", "note": "尽快", "deadline": "下月底",
            "csrf_token": csrf_token(office_client, listed)}
    for changed, said in (({}, "办理期限“下月底”不是能识别的日期，没有交办"),
                          ({"lead_unit": "", "deadline": "2099-03-01"}, "请选择主办单位")):
        refused = office_client.post("/staff/suggestions/assign", data={**form, **changed})
        page = _text(refused)
        assert refused.status_code == 422 and said in page and "已交办 2 件" not in page
        deadline = changed.get("deadline", "下月底")
        assert f'name="deadline" id="deadline" value="{deadline}"' in page
        assert 'value="尽快"' in page and 'value="张主任"' in page and 'id="key-supervision" checked' in page
        assert (f'<option value="{city_id}" selected>' in page) == ("lead_unit" not in changed)
        assert f'value="{water_id}" checked' in page
        assert all(f'value="{n}" aria-label' in page and re.search(rf'value="{n}" aria-label="[^"]*" checked', page)
                   for n in ids)
        assert '<option value="registered" selected>' in page  # the list as it was filtered
        assert {_status(app, n) for n in ids} == {"registered"}
    assigned = office_client.post("/staff/suggestions/assign", data={**form, "deadline": "2099-03-01"})
    assert assigned.status_code == 302 and assigned.headers["Location"].endswith(listed)
    assert {_status(app, n) for n in ids} == {"assigned"}


def test_不满意_without_a_reason_is_refused_with_the_choice_kept_and_the_suggestion_not_reopened(app):
    """The label asks for a reason with 不满意, yet an empty 意见 was taken (谢谢，评价已提交) and round 2 began with
    nothing for the unit to go on."""
    suggestion_id, water_id, _ = _world(app)
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=water_id, text="已疏通。", category="A",
                              actor=f"unit:{water_id}", rules=runtime.settings.lifecycle)
        handling.accept_reply(session, suggestion_id, actor="staff:office")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    page = f"/deputy/suggestions/{suggestion_id}"
    for comment in ("", " \n "):
        refused = deputy.post(page + "/rating", data={"level": "unsatisfied", "comment": comment,
                                                      "csrf_token": csrf_token(deputy, page)})
        shown = _text(refused)
        assert refused.status_code == 422 and "选“不满意”时请在“意见”里写明理由" in shown and "评价已提交" not in shown
        assert 'value="unsatisfied" id="level-unsatisfied" required checked' in shown
        assert _status(app, suggestion_id) == "answered"
    rated = deputy.post(page + "/rating", data={"level": "unsatisfied", "comment": "污水又漫到路上了",
                                                "csrf_token": csrf_token(deputy, page)})
    assert rated.status_code == 302 and _status(app, suggestion_id) == "handling"
    with runtime.sessions() as session:
        assert session.get(Suggestion, suggestion_id).round == 2


def test_a_reply_file_is_judged_by_its_bytes_and_its_size(app):
    suggestion_id, _, _ = _world(app)
    water = sign_in_staff(app, "shuiwu")
    page = f"/unit/suggestions/{suggestion_id}"
    token = csrf_token(water, page)

    def post(name: str, data: bytes):
        return water.post(page + "/reply", content_type="multipart/form-data", data={
            "text": "已疏通。", "category": "A", "csrf_token": token, "attachment": (io.BytesIO(data), name)})

    disguised = post("答复.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert disguised.status_code == 422 and _status(app, suggestion_id) == "assigned"
    assert "附件只能是 Word 文档（.docx）或 PDF 文件。" in _text(disguised) and ">已疏通。</textarea>" in _text(disguised)
    too_big = post("答复.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    assert too_big.status_code == 413 and _status(app, suggestion_id) == "assigned"
    fine = post("答复.pdf", b"%PDF-1.4\n%%EOF\n" + b"0" * (9 * 1024 * 1024))
    assert fine.status_code == 302 and _status(app, suggestion_id) == "reply_submitted"
    with app.extensions["mashang"].sessions() as session:
        reply_id = session.scalar(select(Reply.id))
    assert saved_as(water.get(f"{page}/replies/{reply_id}/attachment")) == (f"reply-{reply_id}.pdf", "答复.pdf")


def test_the_office_list_filters_by_words_unit_key_supervision_and_overdue(app):
    suggestion_id, water_id, city_id = _world(app)
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        deputy_id = session.scalar(select(Deputy.id))
        late = handling.register_by_hand(session, title="增设幸福小区公交站", lead_deputy_id=deputy_id, cosigner_ids=[],
                                         kind="recess", topic="交通出行", situation="", problems="远",
                                         proposals="增设", actor="staff:office", rules=rules)
        handling.assign(session, [late.id], lead_unit_id=city_id, co_unit_ids=[], key_supervision=True,
                        supervisor="张主任", actor="staff:office", rules=rules)
        session.get(Suggestion, late.id).deadline = handling.today(rules) - timedelta(days=1)
    office_client = sign_in_staff(app, "office")

    def titles(**query) -> set[str]:
        html = office_client.get("/staff/suggestions", query_string=query).get_data(as_text=True)
        return {title for title in ("疏通排污沟", "增设幸福小区公交站") if title in html}

    assert titles() == {"疏通排污沟", "增设幸福小区公交站"}
    assert titles(q="公交") == {"增设幸福小区公交站"}
    assert titles(unit=str(water_id)) == {"疏通排污沟"}
    assert titles(key="1") == {"增设幸福小区公交站"}
    assert titles(overdue="1") == {"增设幸福小区公交站"}
    assert "已超期 1 天" in office_client.get("/staff/suggestions").get_data(as_text=True)


def test_the_office_pages_through_more_than_two_hundred_suggestions_keeping_its_filter(office):  # noqa: F811
    runtime = office.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        lead = session.scalar(select(Deputy.id))
        for n in range(1, 206):
            handling.register_by_hand(session, title=f"关于第{n}盏路灯的建议", lead_deputy_id=lead, actor="staff:gw",
                                      rules=runtime.settings.lifecycle)
        for n in range(3):
            handling.register_by_hand(session, title=f"关于公交站{n}的建议", lead_deputy_id=lead, actor="staff:gw",
                                      rules=runtime.settings.lifecycle)
    add_staff(office, "gongwei", StaffRole.OFFICE, None)
    client = sign_in_staff(office, "gongwei")
    first = _text(client.get("/staff/suggestions?q=路灯&key="))
    assert "第 1–200 件，共 205 件（第 1 / 2 页）" in first and "上一页" not in first
    assert "关于第205盏路灯的建议" in first and "关于第5盏路灯的建议" not in first and "公交站" not in first
    following = re.search(r'href="([^"]+)">下一页</a>', first).group(1).replace("&amp;", "&")
    assert "q=%E8%B7%AF%E7%81%AF" in following and "page=2" in following
    last = _text(client.get(following))
    assert "第 201–205 件，共 205 件（第 2 / 2 页）" in last and "下一页" not in last and "上一页" in last
    assert "关于第1盏路灯的建议" in last and "关于第5盏路灯的建议" in last and "关于第6盏路灯的建议" not in last
    assert "公交站" not in last
    # A page past the end shows the last one rather than nothing.
    assert "第 201–205 件" in _text(client.get("/staff/suggestions?q=路灯&page=9"))
    assert "共 208 件" in _text(client.get("/staff/suggestions"))
    # All on one page, the pager gives the count alone: 第 1–3 件，共 3 件 said it twice (第 1–1 件 for one).
    one_page = _text(client.get("/staff/suggestions?q=公交站"))
    assert re.search(r'id="pager"[^>]*> ?共 3 件 ?</nav>', one_page), one_page.split('id="pager"')[1][:80]


def test_the_office_lists_pager_keeps_only_its_filters_from_the_address(office):  # noqa: F811
    """Query parameters named like url_for's own arguments neither break the page nor steer its links."""
    runtime = office.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        lead = session.scalar(select(Deputy.id))
        for n in range(201):
            handling.register_by_hand(session, title=f"关于第{n}盏路灯的建议", lead_deputy_id=lead, actor="staff:gw",
                                      rules=runtime.settings.lifecycle)
    add_staff(office, "gongwei", StaffRole.OFFICE, None)
    client = sign_in_staff(office, "gongwei")
    for odd in ("endpoint=x", "_scheme=https", "_method=POST"):
        assert client.get(f"/staff/suggestions?q=路灯&{odd}").status_code == 200, odd
    page = _text(client.get("/staff/suggestions?q=路灯&_external=1&_scheme=javascript&_anchor=x&extra=%0Aalert(1)"))
    following = re.search(r'href="([^"]+)">下一页</a>', page).group(1)
    assert following.startswith("/staff/suggestions?") and "javascript" not in following
    assert "alert" not in following and "#" not in following and "q=%E8%B7%AF%E7%81%AF" in following


def test_the_office_list_filters_by_words_holding_control_characters_without_refusing(office):  # noqa: F811
    """PostgreSQL refuses a NUL byte in a parameter: the list must not answer "under maintenance" for one."""
    runtime = office.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.register_by_hand(session, title="关于路灯的建议", lead_deputy_id=session.scalar(select(Deputy.id)),
                                  actor="staff:gw", rules=runtime.settings.lifecycle)
    add_staff(office, "gongwei", StaffRole.OFFICE, None)
    client = sign_in_staff(office, "gongwei")
    found = client.get("/staff/suggestions?q=%00路灯")
    assert found.status_code == 200 and "关于路灯的建议" in found.get_data(as_text=True)
    assert client.get("/staff/suggestions?status=%00").status_code == 200


def test_a_b_reply_stays_open_until_the_unit_reports_the_work_done_and_the_deputy_sees_it(app):
    suggestion_id, water_id, _ = _world(app)
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        promised = handling.today(rules) + timedelta(days=60)
        handling.submit_reply(session, suggestion_id, unit_id=water_id, text="明年汛期前完成改造。", category="B",
                              promised_date=promised, actor=f"unit:{water_id}", rules=rules)
        handling.accept_reply(session, suggestion_id, actor="staff:office")
        deputy_id = session.scalar(select(Deputy.id))
        handling.rate(session, suggestion_id, deputy_id=deputy_id, level="satisfied", comment="",
                      actor=f"deputy:{deputy_id}", rules=rules)
    assert _status(app, suggestion_id) == "rated"
    water = sign_in_staff(app, "shuiwu")
    page = f"/unit/suggestions/{suggestion_id}"
    # The promise of a B reply is 落实; 办结 is the figures' word (办结率), never a button's or a state's.
    asked = _text(water.get(page))
    assert "报告承诺事项已落实" in asked and "报告落实完成" in asked and "办结" not in asked
    # One tap closes nothing: the unit says what was done, which the deputy reads.
    tapped = water.post(page + "/done", data={"csrf_token": csrf_token(water, page)})
    assert tapped.status_code == 422 and "请填写承诺事项的落实情况" in _text(tapped)
    assert _status(app, suggestion_id) == "rated"
    done = water.post(page + "/done", data={"csrf_token": csrf_token(water, page), "note": "改造工程已于11月完工"},
                      follow_redirects=True)
    assert "已报告承诺事项落实完成" in _text(done) and "办结" not in _text(done)
    assert _status(app, suggestion_id) == "closed"
    assert "报告承诺事项已落实" not in _text(water.get(page))
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    shown = _text(deputy.get(f"/deputy/suggestions/{suggestion_id}"))
    # A date is spaced from its words as the pages space counts (承诺2027-02-28前完成 read as one word).
    words = re.sub(r"<[^>]+>", "", shown)
    assert "办理完毕" in shown and f"承诺 {promised} 前完成" in words
    assert f"已于 {handling.today(rules)} 报告落实完成" in words
    assert "改造工程已于11月完工" in shown
    assert "办结" not in shown
    # The congress calls a finished handling 办理完毕, on the clerks' list and page as on the deputy's.
    office_client = sign_in_staff(app, "office")
    for staff_page in ("/staff/suggestions", f"/staff/suggestions/{suggestion_id}"):
        staff_shown = _text(office_client.get(staff_page))
        assert "办理完毕" in staff_shown and "办结" not in staff_shown.replace("办结率", ""), staff_page


def test_a_reply_upload_from_someone_not_signed_in_as_a_unit_is_refused_unread(app):
    suggestion_id, _, _ = _world(app)
    office = sign_in_staff(app, "office")
    # Within the reply form's 10 MB limit, and past it: either way the role is checked before the size or the form.
    for megabytes in (9, 11):
        for who, client, expected in (("anonymous", app.test_client(), 401), ("office", office, 404)):
            body = io.BytesIO(b"0" * (megabytes * 1024 * 1024))  # where it stands afterwards is how much was read
            refused = client.post(f"/unit/suggestions/{suggestion_id}/reply", input_stream=body,
                                  content_type="multipart/form-data; boundary=x")
            assert (refused.status_code, body.tell()) == (expected, 0), (who, megabytes)
    assert _status(app, suggestion_id) == "assigned"


def test_staff_uploads_are_limited_per_account_and_the_page_says_when_to_try_again(
        tmp_path, database_url, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, database_url, redis_url, UPLOADS_PER_HOUR="2"))
    try:
        suggestion_id, _, _ = _world(app)
        add_staff(app, "office2", StaffRole.OFFICE, None)
        office_client, other = sign_in_staff(app, "office"), sign_in_staff(app, "office2")
        token, other_token = csrf_token(office_client, "/staff/units"), csrf_token(other, "/staff/units")

        def import_units(client, csrf, name: str):
            listed = f"单位名称,简称,联系人,电话\n{name},{name[1:3]},钱医生,0571-2\n"
            return client.post("/staff/units/import", content_type="multipart/form-data", data={
                "file": (io.BytesIO(listed.encode()), "单位.csv"), "csrf_token": csrf})

        assert import_units(office_client, token, "区卫生健康局").status_code == 302
        roster_file = "姓名,层级,联络站,手机\n李建国,区级,青石街道人大代表联络站,13900000002\n"
        assert office_client.post("/staff/roster", content_type="multipart/form-data", data={
            "file": (io.BytesIO(roster_file.encode()), "名册.csv"), "csrf_token": token}).status_code == 200
        # A form sent without a file uploads nothing, and is not counted.
        unchosen = office_client.post("/staff/units/import", data={"csrf_token": token},
                                      content_type="multipart/form-data")
        assert "请选择单位名单文件。" in _text(unchosen)
        refused = import_units(office_client, token, "区教育局")
        page = _text(refused)
        assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
        assert "<h1>暂时不能上传</h1>" in page and "一小时内已上传 2 个文件" in page
        assert re.search(r"请在 \d+ 分钟后（\d\d:\d\d 以后）再试", page)
        assert "区教育局" not in _text(office_client.get("/staff/units"))
        # Per account: a colleague still uploads.
        assert import_units(other, other_token, "区教育局").status_code == 302
        # A unit's reply with an attachment counts for its own account; over the limit its words are shown back.
        water = sign_in_staff(app, "shuiwu")
        reply_page = f"/unit/suggestions/{suggestion_id}"
        water_token = csrf_token(water, reply_page)
        redis_conn.set(f"mashang:rl:upload:staff:{_staff_id(app, 'shuiwu')}", 2, ex=3600)  # two uploads this hour
        over = water.post(reply_page + "/reply", content_type="multipart/form-data", data={
            "text": "已疏通排污沟。", "category": "A", "csrf_token": water_token,
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "答复.pdf")})
        assert over.status_code == 429 and "已疏通排污沟。" in _text(over) and _status(app, suggestion_id) == "assigned"
    finally:
        app.extensions["mashang"].close()


def _staff_id(app, username: str) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.username == username))


def test_units_are_listed_as_the_district_lists_them_and_the_stopped_ones_last(app, tmp_path):
    """A clerk finds a unit where the district's list has it: code-point order (交 before 住 before 城) matched no
    list a clerk knows, and a stopped unit stood among the ones in use."""
    listed = tmp_path / "units.csv"
    listed.write_text("单位名称,简称\n区住房和城乡建设局,住建局\n区交通运输局,交通局\n区城市管理局,城管局\n", encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["units", "import", str(listed)]).exit_code == 0
    add_staff(app, "office", StaffRole.OFFICE, None)
    office_client = sign_in_staff(app, "office")
    token = csrf_token(office_client, "/staff/units")
    assert office_client.post("/staff/units", data={"name": "区民政局", "active": "on", "csrf_token": token}
                              ).status_code == 302  # added by hand after the list: after it
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        transport = session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == "区交通运输局"))
        deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), phone="13900000001")
        session.add(deputy)
        session.flush()
        handling.register_by_hand(session, title="关于修缮青石中学操场的建议", lead_deputy_id=deputy.id, actor="staff:office",
                                  rules=runtime.settings.lifecycle)
    assert office_client.post(f"/staff/units/{transport}", data={"name": "区交通运输局", "csrf_token": token}
                              ).status_code == 302  # stopped: no "active"

    units_page = _text(office_client.get("/staff/units"))
    table = units_page.partition("已有单位")[2]
    shown = re.findall(r'<a href="/staff/units/\d+">([^<]+)</a>', table)
    assert shown == ["区住房和城乡建设局", "区城市管理局", "区民政局", "区交通运输局"], shown
    # The 交办 form offers the units in use, in the same order.
    listing = _text(office_client.get("/staff/suggestions"))
    lead = listing.partition('id="lead-unit"')[2].partition("</select>")[0]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', lead) == ["区住房和城乡建设局", "区城市管理局", "区民政局"]


def test_a_unit_asked_to_meet_the_deputy_is_shown_how_to_reach_them(app):
    """The unit's page asked it to log 与代表沟通 (当面/电话) and gave no way to reach the deputy: it shows the lead
    deputy's phone, a tap to call, and their station; only to the unit the suggestion was given to."""
    suggestion_id, _, _ = _world(app)
    with app.extensions["mashang"].sessions() as session, session.begin():
        station = session.scalar(select(Station))
        station.phone, station.opening_hours = "0731-8888 6666", "工作日 9:00-17:00"
    page = f"/unit/suggestions/{suggestion_id}"
    shown = _text(sign_in_staff(app, "shuiwu").get(page))
    reach = re.search(r'<p id="deputy-reach">(.*?)</p>', shown).group(1)
    assert re.sub(r"<[^>]+>", "", reach) == ("领衔代表王秀兰，手机 13900000001；青石街道人大代表联络站，电话 0731-8888 6666"
                                             "（工作日 9:00-17:00）")
    assert 'href="tel:13900000001"' in reach and 'href="tel:073188886666"' in reach
    assert sign_in_staff(app, "chengguan").get(page).status_code == 404
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.scalar(select(Deputy)).phone = None
        session.scalar(select(Station)).phone = None
    shown = _text(sign_in_staff(app, "shuiwu").get(page))
    reach = re.sub(r"<[^>]+>", "", re.search(r'<p id="deputy-reach">(.*?)</p>', shown).group(1))
    assert reach == "领衔代表王秀兰，没有登记手机；青石街道人大代表联络站，没有登记电话，请代表工委转告", reach


def test_a_phone_typed_in_full_width_is_stored_as_a_phone_dials_it(app):
    """A unit's phone typed on a Chinese keyboard (０７３１－８２２２５６７８) was stored full-width: shown so, matched by
    no search, dialled by no phone. A unit's and a station's phone are stored half-width, as a deputy's is; the
    hyphen that makes a landline readable stays."""
    suggestion_id, water_id, _ = _world(app)
    office = sign_in_staff(app, "office")
    token = csrf_token(office, "/staff/units")
    office.post(f"/staff/units/{water_id}", data={"name": "区水务局", "phone": "０７３１－８２２２５６７８", "active": "on",
                                                 "csrf_token": token})
    listed = "单位名称,电话\n区教育局,０７３１－８５０００００１\n"
    office.post("/staff/units/import", data={"file": (io.BytesIO(listed.encode()), "单位.csv"), "csrf_token": token},
                content_type="multipart/form-data")
    admin = app.extensions["mashang"]
    add_staff(app, "admin", StaffRole.ADMIN, None)
    boss = sign_in_staff(app, "admin")
    boss.post("/staff/stations", data={"name": "柳河镇人大代表联络站", "phone": "０７３１ ８８８８ ６６６６",
                                       "csrf_token": csrf_token(boss, "/staff/stations")})
    with admin.sessions() as session:
        phones = dict(session.execute(select(HandlingUnit.name, HandlingUnit.phone)).all())
        station = session.scalar(select(Station.phone).where(Station.name == "柳河镇人大代表联络站"))
    assert phones["区水务局"] == "0731-82225678" and phones["区教育局"] == "0731-85000001", phones
    assert station == "0731 8888 6666"
