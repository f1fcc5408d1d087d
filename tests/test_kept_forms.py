"""A form the server refuses comes back as its own page with what was typed still in it: the unit's reply and
return reason, the office's send-back reason, the deputy's rating comment, a deputy's record being edited."""

from __future__ import annotations

import html as html_module
import re

from sqlalchemy import select

from intake.models import Deputy
from tests.conftest import csrf_token
from tests.helpers import sign_in_deputy, sign_in_staff
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


def test_refused_forms_come_back_with_what_was_typed(app):
    suggestion_id, _, _ = _world(app)
    water, office = sign_in_staff(app, "shuiwu"), sign_in_staff(app, "office")
    unit_page, staff_page = f"/unit/suggestions/{suggestion_id}", f"/staff/suggestions/{suggestion_id}"

    reply = "经现场查看，排污沟淤积约两百米，已列入明年一季度清淤计划。" * 20
    refused = water.post(unit_page + "/reply", data={"text": reply, "category": "B",
                                                     "csrf_token": csrf_token(water, unit_page)})
    shown = _refused_with(refused, "B类答复请填写承诺完成时间", reply)
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
