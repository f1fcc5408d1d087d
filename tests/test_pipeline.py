"""The thin path end to end: roster → citizen link → message → worker → draft on the deputy's page."""

from __future__ import annotations

import re

from tests.helpers import deputies, import_roster, report, set_password, sign_in_deputy, slug_of, write_roster

SEWAGE = "东湖路菜市场旁边的污水沟夏天臭味很大，污水直接排到河里。建议尽快整治排污沟。"


def test_message_travels_from_citizen_link_to_the_deputys_draft(app, client, run_jobs, tmp_path):
    result = import_roster(app, write_roster(tmp_path))
    assert result.exit_code == 0, result.output
    wang, li, _ = deputies(app)
    assert wang["link"].startswith("http://mashang.test/c/")

    page = client.get(f"/c/{slug_of(wang)}")
    assert page.status_code == 200
    assert "王秀兰" in page.get_data(as_text=True)

    reply = report(client, slug_of(wang), SEWAGE)
    receipt = reply["receipt"]
    assert re.fullmatch(r"MS-\d{8}-0001", receipt)
    assert any(receipt in line for line in reply["replies"])
    assert "/p/" in reply["replies"][-1]  # the private progress page comes with the receipt

    run_jobs()

    set_password(app, "13900000001", "wang-pass-1")
    set_password(app, "13900000002", "li-pass-1")
    deputy = app.test_client()
    assert sign_in_deputy(deputy, "13900000001", "wang-pass-1").status_code == 302
    home = deputy.get("/deputy/").get_data(as_text=True)
    assert "关于东湖路污水沟问题的建议" in home  # the place and the problem the citizen named
    draft_path = re.search(r'href="(/deputy/drafts/\d+)"', home).group(1)
    draft = deputy.get(draft_path).get_data(as_text=True)
    assert receipt in draft
    assert "东湖路菜市场旁边的污水沟夏天臭味很大" in draft
    assert "生态环境局" in draft

    other = app.test_client()
    assert sign_in_deputy(other, "13900000002", "li-pass-1").status_code == 302
    assert SEWAGE[:10] not in other.get("/deputy/").get_data(as_text=True)
    assert other.get(draft_path).status_code == 404


def test_deputy_pages_need_sign_in(client):
    response = client.get("/deputy/")
    assert response.status_code == 302
    assert "/deputy/login" in response.headers["Location"]


def test_wrong_password_is_refused_in_chinese(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "right-password")
    response = sign_in_deputy(client, "13900000001", "wrong-password")
    assert response.status_code == 401
    assert "手机号或密码不对" in response.get_data(as_text=True)
    assert client.get("/deputy/").status_code == 302


def test_a_refused_sign_in_keeps_the_phone_as_typed(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "right-password")
    page = sign_in_deputy(client, "１３９-0000-0001", "wrong-password").get_data(as_text=True)
    assert "手机号或密码不对" in page
    assert 'value="１３９-0000-0001"' in re.search(r'<input id="phone"[^>]*>', page).group(0)
