"""A staff login whatever the case of its letters: a phone capitalises a field's first letter, and Admin was told
用户名或密码不对 though the password was right."""

from __future__ import annotations

import re

from intake.models import StaffRole
from tests.conftest import csrf_token
from tests.helpers import add_staff


def _sign_in(app, username: str, password: str):
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"username": username, "password": password, "csrf_token": token})


def test_a_login_signs_in_in_any_case_and_the_field_is_not_capitalised(app):
    add_staff(app, "admin", StaffRole.ADMIN, None)
    assert _sign_in(app, " Admin", "pw-admin").status_code == 302
    assert _sign_in(app, "ADMIN", "pw-admin").status_code == 302
    assert _sign_in(app, "Admin", "wrong-password").status_code == 401
    page = app.test_client().get("/staff/login").get_data(as_text=True)
    field = re.search(r'<input id="username"[^>]*>', page).group(0)
    for attribute in ('autocapitalize="none"', 'autocorrect="off"', 'spellcheck="false"'):
        assert attribute in field, field


def test_an_account_differing_only_in_case_is_refused(app):
    add_staff(app, "zhangmin", StaffRole.OFFICE, None)
    created = app.test_cli_runner().invoke(args=["accounts", "create", "--role", "office", "--name", "ZhangMin",
                                                 "--link"])
    assert created.exit_code != 0 and "用户名已存在（不分大小写）" in created.output, created.output
    listed = app.test_cli_runner().invoke(args=["accounts", "list"]).output
    assert "ZhangMin" not in listed and "zhangmin" in listed
