"""A clerk finds a message by the receipt number a citizen reads out, however it is written."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_staff, slug_of, write_roster


@pytest.mark.parametrize("written", ["{r}", "{r_lower}", "{digits}", "{r}。"])
def test_staff_search_finds_a_message_by_its_receipt_number(app, run_jobs, tmp_path, written):
    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    receipt = report(app.test_client(), slug_of(listed[0]), "幸福小区门口的路灯坏了一个月了")["receipt"]
    report(app.test_client(), slug_of(listed[0]), "青石中学门口放学时堵车严重")
    other = report(app.test_client(), slug_of(listed[2]), "柳河镇东湖路污水沟臭味很大")["receipt"]
    run_jobs()
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    query = written.format(r=receipt, r_lower=receipt.lower(), digits=receipt.replace("MS-", "").replace("-", ""))
    found = sign_in_staff(app, "office").get("/staff/", query_string={"q": query}).get_data(as_text=True)
    assert "路灯坏了" in found and "堵车" not in found and "污水沟" not in found
    # a station clerk still sees only their station's messages
    elsewhere = sign_in_staff(app, "qingshi").get("/staff/", query_string={"q": other}).get_data(as_text=True)
    assert "污水沟" not in elsewhere
