"""A handling unit added in the console gets no account by itself: its page says how it signs in and leads to one."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import HandlingUnit, StaffRole
from tests.conftest import csrf_token
from tests.helpers import add_staff, sign_in_staff


def _unit_page(client, unit_id: int) -> str:
    return client.get(f"/staff/units/{unit_id}").get_data(as_text=True)


def test_a_new_units_page_says_it_has_no_account_and_leads_the_administrator_to_make_one(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    admin, office = sign_in_staff(app, "chief"), sign_in_staff(app, "clerk")
    added = office.post("/staff/units", data={"csrf_token": csrf_token(office, "/staff/units"),
                                              "name": "区城市管理局", "short_name": "城管局", "active": "on"})
    assert added.status_code == 302
    with app.extensions["mashang"].sessions() as session:
        unit_id = session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == "区城市管理局"))

    told = _unit_page(office, unit_id)  # the office clerk cannot make accounts: told who does and how
    assert "这个单位还没有登录账号" in told and "账号由管理员在“账号”页新建" in told and 'id="new-account"' not in told
    page = _unit_page(admin, unit_id)
    link = re.search(r'<a href="([^"]+)" id="new-account">为它新建账号</a>', page)
    assert link, page
    form = admin.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert '<option value="unit" selected>' in form and f'<option value="{unit_id}" selected>区城市管理局' in form

    created = admin.post("/staff/accounts", data={"csrf_token": csrf_token(admin, "/staff/accounts"),
                                                  "username": "chengguan", "password": "a-long-unit-password",
                                                  "role": "unit", "unit": str(unit_id), "station": ""})
    assert created.status_code == 302
    listed = _unit_page(office, unit_id)
    assert "<b>chengguan</b>" in listed and "http://mashang.test/staff/login" in listed
    assert "还没有登录账号" not in listed
