"""A staff login whatever the case of its letters: a phone capitalises a field's first letter, and Admin was told
用户名或密码不对 though the password was right."""

from __future__ import annotations

import re
import threading

from sqlalchemy import text

from intake import migrate
from intake.models import StaffRole
from intake.services.console import admin
from intake.services.console.accounts import hash_password
from intake.services.errors import InvalidInput
from intake.web import wording
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


def test_two_accounts_made_at_one_moment_differing_only_in_case_leave_one(app):
    """Creation looked for the name, then added it: two administrators making Wang and wang at one moment both
    passed the look and two accounts signed in as one login. The database keeps one; the other is refused."""
    sessions = app.extensions["mashang"].sessions

    def made(session, username: str):
        return admin.create_staff(session, "system:test", admin.StaffInput(
            username=username, role=StaffRole.OFFICE, password="office-pass-1", station_id=None, unit_id=None))

    second: dict[str, str] = {}

    def make_second():
        with sessions() as session, session.begin():
            try:
                made(session, "wang")
                second["done"] = "created"
            except InvalidInput as refused:
                second["done"] = wording.of(refused)

    first = sessions()
    first.begin()
    made(first, "Wang")  # looked for, added, not yet committed
    other = threading.Thread(target=make_second)
    other.start()
    other.join(1.0)  # it has looked for wang too, found none, and waits on the first to add it
    first.commit()
    first.close()
    other.join(10.0)
    assert second == {"done": "用户名已存在（不分大小写）。"}
    listed = app.test_cli_runner().invoke(args=["accounts", "list"]).output
    assert re.findall(r"\bwang\b", listed, re.IGNORECASE) == ["Wang"], listed


def test_an_upgrade_over_two_logins_differing_only_in_case_stops_naming_them(app, database_url):
    """Accounts made before creation compared names in any case may differ only in case; the upgrade that makes
    the database refuse such a pair stops, names them and says how to rename one, and runs once one is renamed."""
    engine = app.extensions["mashang"].engine
    # From before the accounts had a person's name (0080): the rename must work where the upgrade stops, and nothing
    # of the upgrade may be half done (SQLite commits each ALTER TABLE by itself).
    migrate.downgrade(engine, "0078")
    try:
        with engine.begin() as connection:
            for username in ("Wang", "wang", "li.ming"):
                connection.execute(text("INSERT INTO staff_users (username, password_hash, role, active) "
                                        "VALUES (:name, :hash, 'office', :yes)"),
                                   {"name": username, "hash": hash_password(f"pw-{username}"), "yes": True})
        cli = app.test_cli_runner()
        stopped = cli.invoke(args=["db", "upgrade"])
        assert stopped.exit_code != 0 and "Traceback" not in stopped.output, stopped.output
        assert "Wang、wang" in stopped.output and "li.ming" not in stopped.output, stopped.output
        assert "mashang accounts rename" in stopped.output, stopped.output
        assert migrate.current(engine) == "0080"
        again = cli.invoke(args=["db", "upgrade"])  # stopped again at the same place, not stuck half way
        assert again.exit_code != 0 and "Wang、wang" in again.output and migrate.current(engine) == "0080"
        third = cli.invoke(args=["accounts", "rename", "WANG", "wang2"])  # a third spelling names neither
        assert third.exit_code != 0 and "有 2 个账号的用户名只差大小写（Wang、wang）" in third.output, third.output
        renamed = cli.invoke(args=["accounts", "rename", "wang", "wang2"])
        assert renamed.exit_code == 0 and "已把账号 wang 改名为 wang2" in renamed.output, renamed.output
        upgraded = cli.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0 and migrate.current(engine) == migrate.head(), upgraded.output
        assert _sign_in(app, "wang2", "pw-wang").status_code == 302
        assert _sign_in(app, "WANG", "pw-Wang").status_code == 302
    finally:  # the database the other tests share is left at the head
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM staff_users WHERE username = 'wang'"))
        migrate.upgrade(engine)


def test_a_refused_login_keeps_the_username_as_typed(app):
    add_staff(app, "admin", StaffRole.ADMIN, None)
    page = _sign_in(app, "Admin", "wrong-password").get_data(as_text=True)
    assert "用户名或密码不对" in page
    assert 'value="Admin"' in re.search(r'<input id="username"[^>]*>', page).group(0)
