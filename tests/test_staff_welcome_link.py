"""An administrator makes a staff account on the web without choosing its password: the holder sets their own from
a one-time link the next page shows once."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from intake.models import AuditEntry, StaffRole, StaffUser, Station
from tests.conftest import csrf_token
from tests.helpers import add_staff, add_unit_staff, sign_in_staff

PASSWORD = "a-long-unit-password"


def _link_on(page: str) -> str:
    """The path of the welcome link a page shows, its site's address dropped."""
    found = re.search(r'<code id="link"[^>]*>http://mashang\.test(/staff/welcome/[^<]+)</code>', page)
    assert found, page
    return html.unescape(found.group(1))


def _sign_in(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/staff/login", data={"username": username, "password": password,
                                                 "csrf_token": csrf_token(client, "/staff/login")})
    return client, response


def _choose_password(app, path: str):
    client = app.test_client()
    done = client.post(path, data={"csrf_token": csrf_token(client, path), "password": PASSWORD, "again": PASSWORD})
    assert done.status_code == 302, done.get_data(as_text=True)
    return client


def _audit(app) -> str:
    with app.extensions["mashang"].sessions() as session:
        return repr([(e.action, e.target, e.before, e.after) for e in session.scalars(select(AuditEntry))])


def test_an_account_made_without_a_password_is_shown_once_with_a_link_its_holder_sets_a_password_from(app):
    unit_id = add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    add_staff(app, "chief", StaffRole.ADMIN, None)
    admin = sign_in_staff(app, "chief")
    form = admin.get("/staff/accounts").get_data(as_text=True)
    assert "不填则生成一次性链接，由本人自设密码" in form

    created = admin.post("/staff/accounts", data={"csrf_token": csrf_token(admin, "/staff/accounts"),
                                                  "username": "zhujian2", "display_name": "王芳", "password": "",
                                                  "role": "unit", "unit": str(unit_id), "station": ""})
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and "已创建账号。" in page, page
    assert "请把这个链接交给本人，<span class=\"nowrap\">24 小时</span>内有效，只能用一次（打开后自设密码）" in page
    assert '<b id="username">zhujian2</b>' in page and 'data-copy-from="link"' in page
    path = _link_on(page)
    token = path.rsplit("/", 1)[1]
    # shown once: not on the accounts page again, nor in the audit log, nor in any cookie the browser keeps
    assert token not in admin.get("/staff/accounts").get_data(as_text=True)
    assert token not in _audit(app) and "staff_create" in _audit(app)
    assert all(token not in (c.value or "") for c in admin._cookies.values())

    # nobody knows a password for it until its holder chooses one
    assert _sign_in(app, "zhujian2", "")[1].status_code != 302
    holder = _choose_password(app, path)
    unit_page = holder.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert "区住房和城乡建设局（承办单位）" in unit_page, unit_page
    assert _sign_in(app, "zhujian2", PASSWORD)[1].headers["Location"].endswith("/unit/")
    again = app.test_client().get(path)
    assert again.status_code == 410 and "已失效" in again.get_data(as_text=True)


def test_a_typed_password_still_makes_the_account_as_before_and_a_short_one_is_refused(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    admin = sign_in_staff(app, "chief")
    data = {"csrf_token": csrf_token(admin, "/staff/accounts"), "username": "clerk2", "password": "short",
            "role": "office", "unit": "", "station": ""}
    short = admin.post("/staff/accounts", data=data)
    assert short.status_code == 422 and "至少 10 位" in short.get_data(as_text=True)
    made = admin.post("/staff/accounts", data={**data, "password": PASSWORD})
    assert made.status_code == 302 and made.headers["Location"].endswith("/staff/accounts")
    assert _sign_in(app, "clerk2", PASSWORD)[1].status_code == 302


def test_an_administrator_makes_a_new_link_for_an_account_that_lost_its_password(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    admin = sign_in_staff(app, "chief")
    with app.extensions["mashang"].sessions() as session:
        clerk_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "clerk"))
    accounts = admin.get("/staff/accounts").get_data(as_text=True)
    assert f'/staff/accounts/{clerk_id}/welcome-link' in accounts and "生成设置密码链接" in accounts

    url = f"/staff/accounts/{clerk_id}/welcome-link"
    unticked = admin.post(url, data={"csrf_token": csrf_token(admin, "/staff/accounts")})
    assert unticked.status_code == 302 and _sign_in(app, "clerk", "pw-clerk")[1].status_code == 302
    made = admin.post(url, data={"csrf_token": csrf_token(admin, "/staff/accounts"), "confirm": "yes"})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "账号 clerk 的旧密码已作废。" in page
    path = _link_on(page)
    assert _sign_in(app, "clerk", "pw-clerk")[1].status_code != 302  # the lost password is void
    assert path.rsplit("/", 1)[1] not in _audit(app) and "staff_reset" in _audit(app)
    _choose_password(app, path)
    assert _sign_in(app, "clerk", PASSWORD)[1].status_code == 302
    assert app.test_client().get(path).status_code == 410


def test_only_an_administrator_makes_accounts_or_their_links(app):
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add(Station(name="青石街道人大代表联络站"))
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    with app.extensions["mashang"].sessions() as session:
        chief_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "chief"))
    for username in ("clerk", "qingshi", "zhujian"):
        client = sign_in_staff(app, username)
        token = csrf_token(client, "/unit/" if username == "zhujian" else "/staff/")
        # another role's page is not there for them (404, as everywhere in the console), not just forbidden
        assert client.get("/staff/accounts").status_code == 404, username
        made = client.post("/staff/accounts", data={"csrf_token": token, "username": "sneaky", "password": "",
                                                    "role": "admin", "unit": "", "station": ""})
        linked = client.post(f"/staff/accounts/{chief_id}/welcome-link", data={"csrf_token": token, "confirm": "yes"})
        assert (made.status_code, linked.status_code) == (404, 404), username
        assert "/staff/welcome/" not in made.get_data(as_text=True) + linked.get_data(as_text=True)
    assert _sign_in(app, "chief", "pw-chief")[1].status_code == 302  # the administrator's password still works


def _id_of(app, username: str) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.username == username))


def _row(page: str, username: str) -> str:
    """The accounts table's row of this login."""
    return next(row for row in page.split("<tr>") if f'<td data-label="用户名">{username}</td>' in row)


def test_the_accounts_page_says_which_accounts_await_their_holders_first_password(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    admin = sign_in_staff(app, "chief")
    made = admin.post("/staff/accounts", data={"csrf_token": csrf_token(admin, "/staff/accounts"),
                                               "username": "newcomer", "password": "", "role": "office",
                                               "unit": "", "station": ""})
    path = _link_on(made.get_data(as_text=True))
    page = admin.get("/staff/accounts").get_data(as_text=True)
    assert "待设置密码" in _row(page, "newcomer") and "待设置密码" not in _row(page, "clerk")
    assert "确认作废账号「newcomer」之前的设置密码链接" in _row(page, "newcomer")  # it has no password to void
    _choose_password(app, path)
    assert "待设置密码" not in _row(admin.get("/staff/accounts").get_data(as_text=True), "newcomer")
    # a new link for a colleague who lost theirs: awaited again until they choose one
    admin.post(f"/staff/accounts/{_id_of(app, 'clerk')}/welcome-link",
               data={"csrf_token": csrf_token(admin, "/staff/accounts"), "confirm": "yes"})
    assert "待设置密码" in _row(admin.get("/staff/accounts").get_data(as_text=True), "clerk")


def test_a_deactivated_account_is_given_a_link_that_reactivates_it_after_its_own_tick(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    admin = sign_in_staff(app, "chief")
    clerk_id = _id_of(app, "clerk")
    admin.post(f"/staff/accounts/{clerk_id}/deactivate",
               data={"csrf_token": csrf_token(admin, "/staff/accounts"), "confirm": "yes"})
    row = _row(admin.get("/staff/accounts").get_data(as_text=True), "clerk")
    assert "已停用" in row and "生成设置密码链接" in row and "确认重新启用账号「clerk」并作废其旧密码" in row
    assert ">停用</button>" not in row  # nothing to deactivate
    url = f"/staff/accounts/{clerk_id}/welcome-link"
    assert admin.post(url, data={"csrf_token": csrf_token(admin, "/staff/accounts")}).status_code == 302
    assert "已停用" in _row(admin.get("/staff/accounts").get_data(as_text=True), "clerk")  # not without the tick
    assert admin.post(url, data={"confirm": "yes"}).status_code == 400  # nor without the form's token
    made = admin.post(url, data={"csrf_token": csrf_token(admin, "/staff/accounts"), "confirm": "yes"})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "账号 clerk 已重新启用，旧密码已作废。" in page
    assert _sign_in(app, "clerk", "pw-clerk")[1].status_code != 302  # the old password stays void
    _choose_password(app, _link_on(page))
    assert _sign_in(app, "clerk", PASSWORD)[1].status_code == 302
    row = _row(admin.get("/staff/accounts").get_data(as_text=True), "clerk")
    assert "在用" in row and "待设置密码" not in row
