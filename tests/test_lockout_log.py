"""Wrong passwords that use up the guesses at an account for a while are in the operations log (操作记录), once per
account and network in a lockout's time however long the guessing goes on, for at most three networks: staff
learn who is guessing, and guessers cannot fill the log. The entry names the account and the guesser's network,
masked, never a password typed."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from tests.conftest import csrf_token
from tests.helpers import add_staff, import_roster, set_password, sign_in_deputy, sign_in_staff, write_roster

LOCKED = "连续输错密码，暂时不能再试"
ATTACKER = "203.0.113.45"


def _client(app, address: str = ATTACKER):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _staff_sign_in(client, username: str, password: str) -> int:
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_token(client, "/staff/login")}).status_code


def _log(app) -> str:
    """The operations log as an administrator reads it, from the office's own address."""
    return sign_in_staff(app, "admin").get("/staff/audit").get_data(as_text=True)


def _locked_rows(app) -> list[str]:
    """The log's rows saying an account was locked, as text."""
    return [re.sub(r"<[^>]+>", "", row) for row in _log(app).split("<tr>") if LOCKED in row]


def test_a_staff_account_locked_by_wrong_passwords_is_in_the_log_once_in_its_lockout(app):
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    attacker = _client(app)
    assert [_staff_sign_in(attacker, "clerk", f"guess-{n}") for n in range(4)] == [401] * 4
    assert _locked_rows(app) == []  # four wrong ones lock nothing
    assert _staff_sign_in(attacker, "Clerk", "guess-4") == 401  # the fifth, in any case of its letters
    rows = _locked_rows(app)
    assert len(rows) == 1
    assert "系统" in rows[0] and "账号 clerk" in rows[0] and "输错的页面：登录页" in rows[0]
    assert "来自网络地址：203.0.113.*" in rows[0] and ATTACKER not in _log(app)
    assert [_staff_sign_in(attacker, "clerk", f"more-{n}") for n in range(10)] == [429] * 10
    assert len(_locked_rows(app)) == 1
    # the same network from another address writes nothing more; another network is named too (the first
    # guesser cannot hide the others), and after three networks nothing more is written in that time
    assert [_staff_sign_in(_client(app, "203.0.113.46"), "clerk", "near") for _ in range(5)] == [401] * 5
    assert len(_locked_rows(app)) == 1
    for network in ("198.51.100.7", "192.0.2.9", "100.64.0.1"):
        assert [_staff_sign_in(_client(app, network), "clerk", f"else-{n}") for n in range(6)] == [401] * 5 + [429]
    rows, log = _locked_rows(app), _log(app)
    assert len(rows) == 3 and sum("来自网络地址：198.51.100.*" in row for row in rows) == 1
    assert "100.64.0.*" not in log
    assert "guess-" not in log and "more-" not in log and "else-" not in log
    assert LOCKED in sign_in_staff(app, "admin").get("/staff/audit", query_string={"q": "输错密码"}).get_data(as_text=True)


def test_a_deputy_locked_by_wrong_passwords_at_the_phone_login_is_in_the_log_once(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    add_staff(app, "admin", "admin", None)
    attacker = _client(app)
    spellings = ["13900000001", "139-0000-0001", "+86 139 0000 0001", "13900000001", "139 0000 0001"]
    assert [sign_in_deputy(attacker, phone, "guess").status_code for phone in spellings] == [401] * 5
    rows = _locked_rows(app)
    assert len(rows) == 1 and "代表 王秀兰" in rows[0] and "来自网络地址：203.0.113.*" in rows[0]
    assert [sign_in_deputy(attacker, "13900000001", "guess").status_code for _ in range(10)] == [429] * 10
    assert len(_locked_rows(app)) == 1


def test_guesses_on_the_change_password_form_that_lock_it_are_in_the_log_once(app):
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    stolen = _client(app)  # a cookie someone else holds, guessing the password to take the account over
    assert _staff_sign_in(stolen, "clerk", "pw-clerk") == 302

    def guess(n: int) -> int:
        return stolen.post("/staff/password", data={"csrf_token": csrf_token(stolen, "/staff/password"),
                                                    "current_password": f"guess-{n}", "password": "taken-over-pw",
                                                    "password_again": "taken-over-pw"}).status_code
    assert [guess(n) for n in range(15)] == [422] * 5 + [429] * 10
    rows = _locked_rows(app)
    assert len(rows) == 1 and "账号 clerk" in rows[0] and "输错的页面：修改密码页" in rows[0]


def test_guesses_at_a_login_nobody_has_and_a_right_password_after_four_wrong_leave_nothing(app):
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    attacker = _client(app)
    assert [_staff_sign_in(attacker, "nobody", f"guess-{n}") for n in range(6)] == [401] * 5 + [429]
    assert [_staff_sign_in(attacker, "clerk", f"guess-{n}") for n in range(4)] == [401] * 4
    assert _staff_sign_in(attacker, "clerk", "pw-clerk") == 302
    assert _locked_rows(app) == []


def test_twenty_guesses_sent_at_once_write_one_entry(app):
    # The five checked at once each find the account locked when they fail: one of them writes the entry.
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    clients = [_client(app, "2001:db8:1:2::45") for _ in range(20)]  # one phone's /64: its network, masked
    tokens = [csrf_token(client, "/staff/login") for client in clients]
    together = threading.Barrier(len(clients))

    def post(client, token):
        together.wait()
        return client.post("/staff/login", data={"username": "clerk", "password": "guess",
                                                 "csrf_token": token}).status_code
    with ThreadPoolExecutor(len(clients)) as pool:
        assert sorted(pool.map(post, clients, tokens)) == [401] * 5 + [429] * 15
    rows = _locked_rows(app)
    assert len(rows) == 1 and "来自网络地址：2001:db8:*" in rows[0] and "2001:db8:1" not in _log(app)


def test_a_6to4_network_is_not_logged_with_the_ipv4_address_it_carries(app):
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    attacker = _client(app, "2002:cb00:712d::1")  # 6to4 for 203.0.113.45
    assert [_staff_sign_in(attacker, "clerk", "guess") for _ in range(5)] == [401] * 5
    rows = _locked_rows(app)
    assert len(rows) == 1 and "来自网络地址：2002:cb00:*" in rows[0] and "712d" not in _log(app)


def test_a_log_that_cannot_be_written_leaves_the_wrong_password_answered_as_one(app):
    add_staff(app, "admin", "admin", None)
    add_staff(app, "clerk", "office", None)
    sessions = app.extensions["mashang"].sessions
    with sessions() as session, session.begin():  # the log's table is gone for a moment: a broken database
        session.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    try:
        assert [_staff_sign_in(_client(app), "clerk", "guess") for _ in range(6)] == [401] * 5 + [429]
    finally:
        with sessions() as session, session.begin():
            session.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))
    assert _staff_sign_in(_client(app, "198.51.100.7"), "clerk", "pw-clerk") == 302
