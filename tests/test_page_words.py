"""Pages say in words what their codes mean: a reply's class with its meaning, a draft by its title and number, how sure
the automatic classification is, one name for one state; every table's columns and a phone card's lines are named."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import Draft, DraftStatus, HandlingUnit, StaffRole
from intake.services.lifecycle import handling
from tests.helpers import add_staff, deputies, import_roster, report, set_password, sign_in_deputy, sign_in_staff, \
    slug_of, write_roster
from tests.test_pages_browser import _answered_suggestion, _units


def _world(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, _ = deputies(app)
    unit_id, co_id = _units(runtime)
    suggestion_id = _answered_suggestion(runtime, wang["id"], li["id"], unit_id, co_id)
    for text in ["幸福小区门口的路灯坏了一个月了，晚上很黑", "幸福小区东门路灯不亮，晚上老人出门不方便，建议尽快修好",
                 "青石中学门口放学时堵车严重"]:
        report(app.test_client(), slug_of(wang), text)
    run_jobs()
    with runtime.sessions() as session, session.begin():  # too few citizens yet: still collecting
        session.scalar(select(Draft).where(Draft.title.contains("青石中学"))).status = DraftStatus.COLLECTING
    add_staff(app, "admin", StaffRole.ADMIN, None)
    return sign_in_staff(app, "admin"), suggestion_id


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_codes_read_as_words_a_clerk_understands(app, runtime, run_jobs, tmp_path):
    staff, suggestion_id = _world(app, runtime, run_jobs, tmp_path)
    # (a term kept whole is a span of its own: the words are read without the spaces between tags)
    audit = _text(staff.get("/staff/audit").get_data(as_text=True)).replace(" ", "")
    # A reply's class keeps its official letter, explained; its round is a round, not a bare figure.
    assert "答复类别：A类（已解决或正在解决）" in audit and "轮次：第1轮" in audit, audit
    assert "答复类别：A；" not in audit and "轮次：1" not in audit
    assert "（A类，" not in audit and "A类（已解决或正在解决）" in audit.split("第1轮答复", 1)[1][:60]
    message = staff.get("/staff/messages/1").get_data(as_text=True)
    # A draft is named by its number (the 草稿编号 the actions' box asks for) and title, never "#1".
    assert "#1" not in _text(message) and re.search(r"草稿：\d+ 号《关于[^》]+》", _text(message)), _text(message)
    # How sure the automatic classification is, in words; never a rule's or model's name, nor a bare percentage.
    assert re.search(r"自动分类（可信度(较高|一般|较低)）", message) and "初始规则" not in message
    queue = staff.get("/staff/").get_data(as_text=True)
    assert "把握" not in queue and re.search(r"可信度(较高|一般|较低)", queue)


def test_a_suggestions_history_names_each_step_once(app, runtime, run_jobs, tmp_path):
    staff, suggestion_id = _world(app, runtime, run_jobs, tmp_path)
    page = _text(staff.get(f"/staff/suggestions/{suggestion_id}").get_data(as_text=True))
    assert "登记（已登记）" not in page and "交办（已交办）" not in page, page
    assert re.search(r"登记 ", page.split("办理记录", 1)[1])


def test_a_suggestions_history_says_which_units_each_交办_gave_it_to(app, runtime, run_jobs, tmp_path):
    """办理记录 read 交办 alone: a reader saw no unit in it, nor, after a 重新交办, which unit had had it before. The
    office, the lead unit and the deputy each read the units, lead and co, as the page's 主办单位 and 协办单位 say."""
    staff, suggestion_id = _world(app, runtime, run_jobs, tmp_path)
    given = "交办：区住房和城乡建设局（主办），区交通运输局（协办）"
    unit = sign_in_staff(app, "zhujian")
    set_password(app, "13900000001", "wang-pass-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    for client, page in ((staff, "/staff"), (unit, "/unit"), (deputy, "/deputy")):
        shown = client.get(f"{page}/suggestions/{suggestion_id}").get_data(as_text=True)
        history = _text(shown.split("办理记录", 1)[1]).replace(" ", "")
        assert given in history, (page, history)
    # given back and given again: each 交办 names its own units
    with runtime.sessions() as session, session.begin():
        lead, co = (session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == name))
                    for name in ("区住房和城乡建设局", "区交通运输局"))
        rules = runtime.settings.lifecycle
        found = handling.register_by_hand(session, title="关于整治青石中学门口交通拥堵的建议",
                                          lead_deputy_id=deputies(app)[0]["id"], actor="staff:admin", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=lead, actor="staff:admin", rules=rules)
        handling.request_return(session, found.id, unit_id=lead, reason="属交通部门职责", actor=f"unit:{lead}",
                                rules=rules)
        handling.reassign(session, found.id, lead_unit_id=co, note="已与交通局沟通", actor="staff:admin", rules=rules)
    history = _text(staff.get(f"/staff/suggestions/{found.id}").get_data(as_text=True).split("办理记录", 1)[1])
    history = history.replace(" ", "")
    assert "交办：区住房和城乡建设局（主办）" in history and "协办" not in history, history
    assert "重新交办：区交通运输局（主办）；已与交通局沟通" in history, history


def test_a_deputy_reads_one_name_for_a_suggestion_waiting_for_its_answer(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, _ = deputies(app)
    unit_id, co_id = _units(runtime)
    from tests.test_pages_browser import _overdue_suggestion
    _overdue_suggestion(runtime, wang["id"], unit_id)
    set_password(app, "13900000001", "wang-pass-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    home = deputy.get("/deputy/").get_data(as_text=True)
    listed = deputy.get("/deputy/suggestions").get_data(as_text=True)
    # The home's tile and the list name the waiting suggestion alike, and the tile leads to the list.
    assert "已提交<wbr>待答复" not in home and "待答复" in _text(home)
    assert re.search(r'<a href="/deputy/suggestions"><b>1</b>', home), home
    assert "已交办，待答复" in _text(listed), _text(listed)


def test_every_table_names_its_columns_and_a_missing_page_says_what_is_missing(app, runtime, run_jobs, tmp_path):
    staff, _ = _world(app, runtime, run_jobs, tmp_path)
    message = staff.get("/staff/messages/1").get_data(as_text=True)
    history = message.split("操作记录", 1)[1]
    assert all(f"<th>{name}</th>" in history for name in ("时间", "操作人", "操作", "变化")), history
    group = re.search(r'href="(/staff/groups/\d+)"', staff.get("/staff/groups").get_data(as_text=True)).group(1)
    cells = re.findall(r"<td[^>]*>", staff.get(group).get_data(as_text=True).split("<tbody>", 1)[1])
    assert cells and all("data-label=" in cell for cell in cells), cells
    missing = staff.get("/staff/messages/999999").get_data(as_text=True)
    assert "<h1>找不到这个页面</h1>" in missing and "<h1>提示</h1>" not in missing


def test_the_api_docs_show_the_key_command_as_a_block_to_copy(app):
    docs = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    block = re.search(r"<pre[^>]*><code>(.*?)</code></pre>", docs, re.S)
    assert block and re.sub(r"<[^>]+>", "", block.group(1)) == "mashang apikeys create --name 系统名称 --scope read,submit"
    # ... and the sentences after it run on, no space after their 。
    assert "数据。 " not in _text(docs) and "数据。列表按游标分页" in _text(docs)


def test_the_api_docs_call_a_responses_headers_response_headers(app):
    # A 429 answer carries Retry-After: the client reads it, it does not send it (请求头 said the opposite).
    text = _text(app.test_client().get("/api/v1/docs").get_data(as_text=True))
    assert "响应头 Retry-After" in text and "请求头 Retry-After" not in text, text
