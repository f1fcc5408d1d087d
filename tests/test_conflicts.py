"""Two people doing the same thing at the same moment, and a form sent after its page expired: the answer says
what happened in Chinese and gives back what was typed, never a 500 or an empty page."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from intake.models import StaffRole, Station
from tests.conftest import csrf_token
from tests.helpers import add_staff, sign_in_staff

NAME = "东湖社区人大代表联络站"
HOURS = "周一至周五 <b>9:00</b>—17:00，周六上午"


def test_two_clerks_adding_the_same_station_at_once_get_it_once_and_the_second_keeps_what_they_typed(app, runtime):
    add_staff(app, "office", StaffRole.OFFICE, None)
    clerk = sign_in_staff(app, "office")
    token = csrf_token(clerk, "/staff/stations")
    answers = []

    # Another clerk's request has added the station and not yet committed; this clerk's check for the name
    # cannot see it, and their insert waits on the unique name until the other commits.
    with runtime.sessions() as other:
        other.add(Station(name=NAME, phone="0731-1111111"))
        other.flush()
        sending = threading.Thread(target=lambda: answers.append(clerk.post("/staff/stations", data={
            "csrf_token": token, "name": NAME, "phone": "0731-2222222", "opening_hours": HOURS})))
        sending.start()
        time.sleep(1.0)
        assert sending.is_alive(), "the second insert did not wait for the first"
        other.commit()
    sending.join(30)

    [answer] = answers
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409, page[:500]
    assert "同时" in page and "没有保存" in page and "请重新提交" in page
    # What they typed is on the page, escaped, to copy back; the CSRF token is not.
    assert "周一至周五 &lt;b&gt;9:00&lt;/b&gt;—17:00，周六上午" in page
    assert token not in page.replace(f'content="{token}"', "")
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Station).where(Station.name == NAME)) == 1


def test_a_long_text_sent_after_its_page_expired_comes_back_to_send_again(app):
    add_staff(app, "office", StaffRole.OFFICE, None)
    clerk = sign_in_staff(app, "office")
    clerk.get("/staff/stations")
    typed = "东湖社区人大代表联络站\n地址：东湖路 18 号 <script>alert(1)</script>"
    answer = clerk.post("/staff/stations", data={"csrf_token": "expired-token", "name": typed,
                                                 "password": "我的 密码"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "页面已过期" in page and "请重新提交" in page
    assert "东湖社区人大代表联络站\n地址：东湖路 18 号 &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "我的 密码" not in page


def test_another_sites_form_cannot_put_its_words_on_our_error_page(app):
    add_staff(app, "office", StaffRole.OFFICE, None)
    clerk = sign_in_staff(app, "office")
    planted = "系统升级，请致电 400-000-0000 核对账号"
    for headers in ({"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
                    {"Origin": "https://evil.example"}, {"Origin": "null"}):
        answer = clerk.post("/staff/stations", data={"name": planted}, headers=headers)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 400 and "页面已过期" in page, headers
        assert planted not in page and "您刚才填写的内容" not in page, headers
    # The same form from our own page still comes back to copy.
    for headers in ({"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"}):
        assert planted in clerk.post("/staff/stations", data={"name": planted}, headers=headers).get_data(as_text=True)

