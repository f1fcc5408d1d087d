"""Staff (代表工委, 联络站) and handling units change their own password, as deputies do: the current one asked
first, the new one's rules the same, the other devices signed out, nobody's account but their own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from intake.models import AuditEntry, StaffRole
from tests.conftest import csrf_token
from tests.helpers import add_staff, add_unit_staff, import_roster, set_password, sign_in_deputy, write_roster

NEW = "my-own-new-password"
# who, their page, where a change leads back to
ACCOUNTS = {"office": ("/staff/password", "/staff/"), "qingshi": ("/staff/password", "/staff/"),
            "zhujian": ("/unit/password", "/unit/")}


@pytest.fixture
def accounts(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_unit_staff(app, "zhujian", "区住房和城乡建设局")


def _sign_in(app, username: str, password: str | None = None):
    client = app.test_client()
    answer = client.post("/staff/login", data={"username": username, "password": password or f"pw-{username}",
                                               "csrf_token": csrf_token(client, "/staff/login")})
    return client, answer.status_code


def _send(client, path: str, fields: dict):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _audited(app) -> list[str]:
    with app.extensions["mashang"].sessions() as session:
        return list(session.scalars(select(AuditEntry.target).where(AuditEntry.action == "staff.password")))


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_an_account_changes_its_own_password_after_giving_the_current_one(app, accounts, username):
    path, home = ACCOUNTS[username]
    client, _ = _sign_in(app, username)
    laptop, _ = _sign_in(app, username)
    assert f'<a href="{path}" class="account">修改密码</a>' in client.get(home).get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert "<h1>修改密码</h1>" in page and 'name="current_password"' in page and f'value="{username}"' in page
    assert f'<a href="{path}" class="account" aria-current="page">修改密码</a>' in page  # the bar says where one is

    wrong = _send(client, path, {"current_password": "guessed-wrong", "password": NEW, "password_again": NEW})
    assert wrong.status_code == 422 and "现在的密码不对，请重新输入。" in wrong.get_data(as_text=True)
    mismatch = _send(client, path, {"current_password": f"pw-{username}", "password": NEW,
                                    "password_again": NEW + "x"})
    assert mismatch.status_code == 422 and "两次输入的新密码不一致。" in mismatch.get_data(as_text=True)
    short = _send(client, path, {"current_password": f"pw-{username}", "password": "short", "password_again": "short"})
    assert short.status_code == 422 and "密码至少 10 位。" in short.get_data(as_text=True)
    spaces = _send(client, path, {"current_password": f"pw-{username}", "password": " " * 12,
                                  "password_again": " " * 12})
    assert spaces.status_code == 422 and "密码至少 10 位。" in spaces.get_data(as_text=True)
    same = _send(client, path, {"current_password": f"pw-{username}", "password": f"pw-{username}",
                                "password_again": f"pw-{username}"})
    assert same.status_code == 422 and "新密码不能和现在的密码相同。" in same.get_data(as_text=True)
    assert _sign_in(app, username, NEW)[1] == 401 and _audited(app) == []

    done = _send(client, path, {"current_password": f"pw-{username}", "password": NEW, "password_again": NEW})
    assert done.status_code == 302 and done.headers["Location"] == home
    assert "密码已修改，其他设备上的登录已退出。" in client.get(home).get_data(as_text=True)  # this device goes on
    assert laptop.get(home).status_code == 302  # the other sign-in has ended
    assert _sign_in(app, username, f"pw-{username}")[1] == 401
    assert _sign_in(app, username, NEW)[1] == 302
    assert len(_audited(app)) == 1


def test_the_audit_log_names_who_changed_their_password(app, accounts):
    for username in ("qingshi", "zhujian"):
        client, _ = _sign_in(app, username)
        path = ACCOUNTS[username][0]
        assert _send(client, path, {"current_password": f"pw-{username}", "password": NEW,
                                    "password_again": NEW}).status_code == 302
    log = _sign_in(app, "office")[0].get("/staff/audit").get_data(as_text=True)
    assert log.count("修改自己的账号密码") == 2
    assert "工作人员 qingshi" in log and "账号 qingshi" in log
    assert "承办单位 区住房和城乡建设局" in log and "账号 zhujian" in log


def test_each_role_has_only_its_own_page_and_a_stranger_is_sent_to_sign_in(app, accounts):
    staff, unit = _sign_in(app, "office")[0], _sign_in(app, "zhujian")[0]
    assert staff.get("/unit/password").status_code == 404
    assert unit.get("/staff/password").status_code == 404
    # ... nor can either send the other's form: the unit's password is untouched
    refused = staff.post("/unit/password", data={"csrf_token": csrf_token(staff, "/staff/password"),
                                                 "current_password": "pw-office", "password": NEW,
                                                 "password_again": NEW})
    assert refused.status_code == 404 and _sign_in(app, "zhujian")[1] == 302
    set_password(app, "13900000001", "wang-password")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password")
    for path in ("/staff/password", "/unit/password"):
        for client in (app.test_client(), deputy):
            sent = client.get(path)
            assert sent.status_code == 302 and sent.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("username", ["office", "zhujian"])
def test_the_form_needs_its_csrf_token(app, accounts, username):
    path = ACCOUNTS[username][0]
    client, _ = _sign_in(app, username)
    refused = client.post(path, data={"current_password": f"pw-{username}", "password": NEW, "password_again": NEW})
    assert refused.status_code == 400
    assert _sign_in(app, username, f"pw-{username}")[1] == 302 and _sign_in(app, username, NEW)[1] == 401


def test_guessing_the_current_password_counts_with_the_login(app, accounts):
    client, _ = _sign_in(app, "zhujian")
    for attempt in range(5):
        assert _send(client, "/unit/password", {"current_password": f"guess-{attempt}", "password": NEW,
                                                "password_again": NEW}).status_code == 422
    right = _send(client, "/unit/password", {"current_password": "pw-zhujian", "password": NEW, "password_again": NEW})
    assert right.status_code == 429 and "尝试次数太多" in right.get_data(as_text=True)
    assert _sign_in(app, "ZhuJian")[1] == 429  # the login counts the same account, however its letters are typed


def test_wrong_current_passwords_sent_all_at_once_are_counted_before_any_is_checked(app, accounts):
    # A regression test of a guarantee the form already keeps: twenty guesses at the current password sent together
    # by one account's signed-in copies get five checked and fifteen refused, as the login's do (test_security); read
    # before the slow check and counted after it, all twenty would be checked.
    clients = [_sign_in(app, "office")[0] for _ in range(20)]
    tokens = [csrf_token(client, "/staff/password") for client in clients]
    together = threading.Barrier(len(clients))

    def guess(client, token, n):
        together.wait()
        return client.post("/staff/password", data={"csrf_token": token, "current_password": f"guess-{n}",
                                                     "password": NEW, "password_again": NEW}).status_code
    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(pool.map(guess, clients, tokens, range(len(clients))))
    assert statuses == [422] * 5 + [429] * 15, statuses
    # the form stays locked for the account from any address, and the password is unchanged
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert elsewhere.post("/staff/login", data={"username": "office", "password": "pw-office",
                                                "csrf_token": csrf_token(elsewhere, "/staff/login")}).status_code == 302
    refused = _send(elsewhere, "/staff/password", {"current_password": "pw-office", "password": NEW,
                                                   "password_again": NEW})
    assert refused.status_code == 429 and "尝试次数太多" in refused.get_data(as_text=True)
