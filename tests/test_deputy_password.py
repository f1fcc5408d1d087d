"""A deputy chooses their own password: after a one-time link they have none, later they change it."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import AuditEntry, StaffRole
from tests.conftest import csrf_token
from tests.helpers import add_staff, deputies, import_roster, set_password, sign_in_deputy, sign_in_staff, write_roster

WANG = "13900000001"


def _link_page(app) -> str:
    """The page where 王秀兰's station clerk makes her a one-time sign-in link."""
    staff = sign_in_staff(app, "qingshi")
    wang = deputies(app)[0]
    return staff.post(f"/staff/deputies/{wang['id']}/sign-in-link",
                      data={"csrf_token": csrf_token(staff, f"/staff/deputies/{wang['id']}")}).get_data(as_text=True)


def _link(app, page: str | None = None) -> str:
    return re.search(r'id="link" aria-label="一次性登录链接">http://mashang\.test(/deputy/signin/[^<]+)<',
                     page or _link_page(app)).group(1)


def _roster(app, tmp_path) -> None:
    import_roster(app, write_roster(tmp_path))  # deputies come without passwords
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")


def _send(client, fields: dict):
    return client.post("/deputy/password", data={"csrf_token": csrf_token(client, "/deputy/password"), **fields})


def _audited(app) -> list[str]:
    with app.extensions["mashang"].sessions() as session:
        return list(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "deputy.password")))


def test_a_deputy_signed_in_by_a_link_is_led_to_choose_a_password_and_then_signs_in_with_it(app, tmp_path):
    _roster(app, tmp_path)
    assert sign_in_deputy(app.test_client(), WANG, "").status_code == 401  # nobody can sign in without one
    made = _link_page(app)  # the clerk hears what the link will lead to
    assert "王秀兰代表还没有登录密码：用链接登录后，页面会请代表自己设置密码" in made
    link = _link(app, made)
    deputy = app.test_client()
    signed = deputy.post(link, data={"csrf_token": csrf_token(deputy, link)})
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/deputy/password")
    first = deputy.get("/deputy/password").get_data(as_text=True)
    assert "设置登录密码" in first and "还没有登录密码" in first and "以后再说" in first
    assert 'name="current_password"' not in first  # none to ask for
    home = deputy.get("/deputy/").get_data(as_text=True)  # skipped: the home says so and leads back
    assert "您还没有登录密码" in home and ">设置登录密码</a>" in home

    mismatch = _send(deputy, {"password": "wang-own-password", "password_again": "wang-own-passwort"})
    assert mismatch.status_code == 422 and "两次输入的新密码不一致" in mismatch.get_data(as_text=True)
    short = _send(deputy, {"password": "short", "password_again": "short"})
    assert short.status_code == 422 and "密码至少 10 位" in short.get_data(as_text=True)
    done = _send(deputy, {"password": "wang-own-password", "password_again": "wang-own-password"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/deputy/")
    home = deputy.get("/deputy/").get_data(as_text=True)  # still signed in on this phone
    assert "已设置登录密码" in home and "您还没有登录密码" not in home and ">修改密码</a>" in home
    assert sign_in_deputy(app.test_client(), WANG, "wang-own-password").status_code == 302
    assert _audited(app) == [f"deputy:{deputies(app)[0]['id']}"]
    add_staff(app, "office", StaffRole.OFFICE, None)
    log = sign_in_staff(app, "office").get("/staff/audit").get_data(as_text=True)
    assert "代表设置登录密码" in log and "代表 王秀兰" in log
    assert "还没有登录密码" not in _link_page(app)


def test_changing_the_password_asks_the_current_one_and_signs_out_the_other_devices(app, tmp_path):
    _roster(app, tmp_path)
    set_password(app, WANG, "set-by-the-clerk")
    phone, laptop = app.test_client(), app.test_client()
    for client in (phone, laptop):
        assert sign_in_deputy(client, WANG, "set-by-the-clerk").status_code == 302
    page = phone.get("/deputy/password").get_data(as_text=True)
    assert "修改密码" in page and 'name="current_password"' in page and "以后再说" not in page

    wrong = _send(phone, {"current_password": "guessed-wrong", "password": "wang-own-password",
                          "password_again": "wang-own-password"})
    assert wrong.status_code == 422 and "现在的密码不对" in wrong.get_data(as_text=True)
    assert sign_in_deputy(app.test_client(), WANG, "wang-own-password").status_code == 401
    done = _send(phone, {"current_password": "set-by-the-clerk", "password": "wang-own-password",
                         "password_again": "wang-own-password"})
    assert done.status_code == 302
    assert "其他设备上的登录已退出" in phone.get("/deputy/").get_data(as_text=True)
    assert laptop.get("/deputy/").status_code == 302  # the other sign-in has ended
    assert sign_in_deputy(app.test_client(), WANG, "set-by-the-clerk").status_code == 401
    assert sign_in_deputy(app.test_client(), WANG, "wang-own-password").status_code == 302
    assert len(_audited(app)) == 1


def test_guessing_the_current_password_is_limited_as_the_login_is(app, tmp_path):
    _roster(app, tmp_path)
    set_password(app, WANG, "set-by-the-clerk")
    client = app.test_client()
    assert sign_in_deputy(client, WANG, "set-by-the-clerk").status_code == 302
    for attempt in range(5):
        assert _send(client, {"current_password": f"guess-{attempt}", "password": "wang-own-password",
                              "password_again": "wang-own-password"}).status_code == 422
    right = _send(client, {"current_password": "set-by-the-clerk", "password": "wang-own-password",
                           "password_again": "wang-own-password"})
    assert right.status_code == 429 and "尝试次数太多" in right.get_data(as_text=True)
    # The guesses count with the login's for that phone: no fresh five there.
    assert sign_in_deputy(app.test_client(), WANG, "set-by-the-clerk").status_code == 429


def test_guessing_the_current_password_from_address_after_address_is_limited_for_the_account(app, tmp_path):
    """A stolen cookie carried from address to address gets five guesses in all, not five at each; the deputy's own
    sign-in is not locked by them."""
    _roster(app, tmp_path)
    set_password(app, WANG, "set-by-the-clerk")
    client = app.test_client()
    assert sign_in_deputy(client, WANG, "set-by-the-clerk").status_code == 302
    for attempt, address in enumerate(["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2"]):
        client.environ_base["REMOTE_ADDR"] = address
        assert _send(client, {"current_password": f"guess-{attempt}", "password": "wang-own-password",
                              "password_again": "wang-own-password"}).status_code == 422
    client.environ_base["REMOTE_ADDR"] = "10.0.0.3"
    right = _send(client, {"current_password": "set-by-the-clerk", "password": "wang-own-password",
                           "password_again": "wang-own-password"})
    assert right.status_code == 429 and "尝试次数太多" in right.get_data(as_text=True)
    deputy = app.test_client()
    deputy.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert sign_in_deputy(deputy, WANG, "set-by-the-clerk").status_code == 302


def test_the_password_form_needs_its_csrf_token(app, tmp_path):
    _roster(app, tmp_path)
    set_password(app, WANG, "set-by-the-clerk")
    client = app.test_client()
    sign_in_deputy(client, WANG, "set-by-the-clerk")
    refused = client.post("/deputy/password", data={"current_password": "set-by-the-clerk",
                                                   "password": "wang-own-password", "password_again": "wang-own-password"})
    assert refused.status_code == 400
    assert sign_in_deputy(app.test_client(), WANG, "set-by-the-clerk").status_code == 302


def test_the_login_tells_everyone_how_to_get_in_without_a_password_and_nobody_whose_phone_it_is(app, tmp_path):
    _roster(app, tmp_path)
    set_password(app, "13900000002", "li-has-one-pw")
    hint = "没有密码？请向联络站或代表工委索取一次性登录链接"
    assert hint in app.test_client().get("/deputy/login").get_data(as_text=True)
    # a deputy without a password, one with one, and a phone that is nobody's: the same page
    answers = [sign_in_deputy(app.test_client(), phone, "not-the-password") for phone in
               (WANG, "13900000002", "13700000000")]
    pages = [re.sub(r'content="[^"]+"|value="[^"]+"', "", a.get_data(as_text=True)) for a in answers]
    assert {a.status_code for a in answers} == {401} and len(set(pages)) == 1 and hint in pages[0]
