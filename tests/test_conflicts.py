"""A form sent after its page expired: the answer says what happened in Chinese and gives back what was typed."""

from __future__ import annotations

from intake.models import StaffRole
from tests.conftest import csrf_token
from tests.helpers import add_staff, sign_in_staff

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
