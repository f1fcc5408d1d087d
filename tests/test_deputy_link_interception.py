"""Someone who gets hold of a one-time sign-in link meant for a deputy without a password, and uses it first, can set
a password of their own. The deputy finds the link used, is told on signing in by the next one that their account has
a password they never chose, and the station's clerk clears it: its setter is out for good."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intake.models import AuditEntry, Deputy, StaffRole
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    write_roster,
)

WANG = "13900000001"
STOLEN = "someone-elses-password"


def _roster(app, tmp_path) -> int:
    import_roster(app, write_roster(tmp_path))  # deputies come without passwords
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    return deputies(app)[0]["id"]


def _link_page(staff, wang_id: int) -> str:
    return staff.post(f"/staff/deputies/{wang_id}/sign-in-link",
                      data={"csrf_token": csrf_token(staff, f"/staff/deputies/{wang_id}")}).get_data(as_text=True)


def _link(page: str) -> str:
    return re.search(r'id="link" aria-label="一次性登录链接">http://mashang\.test(/deputy/signin/[^<]+)<', page).group(1)


def _use(client, link: str):
    return client.post(link, data={"csrf_token": csrf_token(client, link)})


def _set_password(client, password: str):
    return client.post("/deputy/password", data={"csrf_token": csrf_token(client, "/deputy/password"),
                                                 "password": password, "password_again": password})


def _clear(staff, wang_id: int, **ticked):
    return staff.post(f"/staff/deputies/{wang_id}/clear-password",
                      data={"csrf_token": csrf_token(staff, f"/staff/deputies/{wang_id}"), **ticked})


def test_a_password_set_with_an_intercepted_link_is_told_to_the_deputy_and_cleared_and_its_setter_is_out(app, tmp_path):
    wang_id = _roster(app, tmp_path)
    clerk = sign_in_staff(app, "qingshi")
    link = _link(_link_page(clerk, wang_id))
    intruder = app.test_client()  # reads the link in a forwarded chat before 王秀兰 does
    assert _use(intruder, link).headers["Location"].endswith("/deputy/password")
    assert _set_password(intruder, STOLEN).status_code == 302
    assert sign_in_deputy(app.test_client(), WANG, STOLEN).status_code == 302  # a lasting way in, so far

    # 王秀兰 opens her link: it says it was used, and that she should tell the station if not by her
    used = app.test_client().get(link)
    page = used.get_data(as_text=True)
    assert used.status_code == 410 and "这个登录链接已在" in page and "用过" in page
    assert "如果不是您本人用的，可能有人先打开了它：请马上告诉联络站工作人员" in page

    # the clerk making her a new link sees she has a password, and she is told so once signed in by it
    again = _link_page(clerk, wang_id)
    assert "王秀兰代表已有登录密码（" in again and "如果代表说没有设过，请回到代表页面清除它" in again
    wang = app.test_client()
    assert _use(wang, _link(again)).headers["Location"].endswith("/deputy/")
    home = wang.get("/deputy/").get_data(as_text=True)
    assert "您的账号已有登录密码（" in home and "如果不是您本人设置的，可能有人先用了发给您的登录链接" in home

    # the clerk clears it, after a tick
    deputy_page = clerk.get(f"/staff/deputies/{wang_id}").get_data(as_text=True)
    assert "登录密码：" in deputy_page and "确认清除王秀兰代表的登录密码" in deputy_page and "清除登录密码</button>" in deputy_page
    assert _clear(clerk, wang_id).status_code == 302
    assert sign_in_deputy(app.test_client(), WANG, STOLEN).status_code == 302  # not without the tick
    cleared = _clear(clerk, wang_id, confirm="yes")
    assert cleared.status_code == 302
    assert "已清除王秀兰代表的登录密码" in clerk.get(cleared.headers["Location"]).get_data(as_text=True)

    # the intruder is out: their password signs nobody in, and their sign-ins ended
    assert sign_in_deputy(app.test_client(), WANG, STOLEN).status_code == 401
    assert intruder.get("/deputy/").status_code == 302
    # 王秀兰 comes back by a new link and sets her own; no warning any more
    wang = app.test_client()
    assert _use(wang, _link(_link_page(clerk, wang_id))).headers["Location"].endswith("/deputy/password")
    assert _set_password(wang, "wang-own-password").status_code == 302
    home = wang.get("/deputy/").get_data(as_text=True)
    assert "已有登录密码" not in home and "您还没有登录密码" not in home
    assert sign_in_deputy(app.test_client(), WANG, "wang-own-password").status_code == 302
    with app.extensions["mashang"].sessions() as session:
        actions = list(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "deputy.password_cleared")))
    assert actions == ["staff:qingshi"]


def test_a_deputy_who_set_their_password_is_not_warned_when_signing_in_with_it(app, tmp_path):
    wang_id = _roster(app, tmp_path)
    wang = app.test_client()
    assert _use(wang, _link(_link_page(sign_in_staff(app, "qingshi"), wang_id))).status_code == 302
    assert _set_password(wang, "wang-own-password").status_code == 302
    assert "已有登录密码" not in wang.get("/deputy/").get_data(as_text=True)  # set in this very sign-in
    again = app.test_client()
    assert sign_in_deputy(again, WANG, "wang-own-password").status_code == 302
    assert "已有登录密码" not in again.get("/deputy/").get_data(as_text=True)


def test_only_the_deputys_staff_clear_the_password_with_a_tick_and_a_token(app, tmp_path):
    wang_id = _roster(app, tmp_path)
    wang = app.test_client()
    _use(wang, _link(_link_page(sign_in_staff(app, "qingshi"), wang_id)))
    _set_password(wang, "wang-own-password")
    other_station = sign_in_staff(app, "liuhe")
    assert _clear(other_station, wang_id, confirm="yes").status_code == 404
    no_token = sign_in_staff(app, "qingshi").post(f"/staff/deputies/{wang_id}/clear-password", data={"confirm": "yes"})
    assert no_token.status_code == 400
    assert wang.post(f"/staff/deputies/{wang_id}/clear-password",
                     data={"csrf_token": csrf_token(wang, "/deputy/password"), "confirm": "yes"}).status_code == 401
    assert sign_in_deputy(app.test_client(), WANG, "wang-own-password").status_code == 302


def _changed_by_the_deputy(app, clerk, wang_id: int) -> None:
    wang = app.test_client()
    assert sign_in_deputy(wang, WANG, "set-by-the-clerk").status_code == 302
    assert wang.post("/deputy/password", data={"csrf_token": csrf_token(wang, "/deputy/password"),
                                               "current_password": "set-by-the-clerk", "password": "wang-own-password",
                                               "password_again": "wang-own-password"}).status_code == 302


def _reset_by_the_clerk(app, clerk, wang_id: int) -> None:
    with app.extensions["mashang"].sessions() as session:
        station_id = session.get(Deputy, wang_id).station_id
    page = f"/staff/deputies/{wang_id}"
    assert clerk.post(page, data={"csrf_token": csrf_token(clerk, page), "name": "王秀兰", "level": "区",
                                  "station": station_id, "phone": WANG, "active": "on",
                                  "password": "reset-by-the-clerk"}).status_code == 302


def _cleared_by_the_clerk(app, clerk, wang_id: int) -> None:
    cleared = _clear(clerk, wang_id, confirm="yes")
    assert cleared.status_code == 302
    assert "之前生成的登录链接也已作废" in clerk.get(cleared.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("secure", [_changed_by_the_deputy, _reset_by_the_clerk, _cleared_by_the_clerk],
                         ids=["deputy changes it", "clerk resets it", "clerk clears it"])
def test_a_link_not_yet_used_dies_when_the_deputys_password_changes(app, tmp_path, secure):
    # A link read by someone else in a forwarded chat stayed good for its 15 minutes after the deputy, warned,
    # secured the account: a new password, or staff clearing the old one, now voids every link not yet used.
    wang_id = _roster(app, tmp_path)
    set_password(app, WANG, "set-by-the-clerk")
    clerk = sign_in_staff(app, "qingshi")
    intercepted = _link(_link_page(clerk, wang_id))
    li_id = deputies(app)[1]["id"]  # another deputy's link at the same station is no business of this change
    li_link = _link(_link_page(clerk, li_id))
    secure(app, clerk, wang_id)

    intruder = app.test_client()
    for answer in (intruder.get(intercepted), _use(intruder, intercepted)):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 410 and "这个登录链接已失效" in page and "请联系联络站工作人员重新发送" in page
    assert intruder.get("/deputy/").status_code == 302  # not signed in
    assert _use(app.test_client(), li_link).status_code == 302
    # the deputy gets in by a link made after it
    fresh = _use(app.test_client(), _link(_link_page(clerk, wang_id)))
    assert fresh.status_code == 302 and "/deputy/" in fresh.headers["Location"]


def test_guessing_sign_in_links_from_one_address_is_stopped_and_a_real_link_from_elsewhere_still_works(app, tmp_path):
    # A link is a password: someone trying made-up links gets five 已失效 pages, then 尝试次数太多 even for a real one
    # (so a lucky guess cannot be told from a wrong one); the deputy on their own phone is not held up by it.
    wang_id = _roster(app, tmp_path)
    clerk = sign_in_staff(app, "qingshi")
    link = _link(_link_page(clerk, wang_id))
    guesser = app.test_client()
    assert [_use(guesser, f"/deputy/signin/made-up-{n}").status_code for n in range(6)] == [410] * 5 + [429]
    refused = _use(guesser, link)
    assert refused.status_code == 429 and "尝试次数太多" in refused.get_data(as_text=True)
    wang = app.test_client()
    wang.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert _use(wang, link).headers["Location"].endswith("/deputy/password")
