"""Staff are named on the pages by their name (姓名) where the account has one, by their login only without one:
a clerk reading 操作人 knows 张敏, not zhangmin."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import Deputy, StaffRole, StaffUser, Station
from intake.services.console.accounts import hash_password
from tests.conftest import csrf_token
from tests.helpers import add_staff, add_unit_staff, sign_in_staff


def _actors(page: str) -> list[str]:
    return re.findall(r'<td data-label="操作人">([^<]+)</td>', page)


def test_pages_name_staff_by_their_name_and_by_the_login_only_without_one(app):
    add_staff(app, "admin", StaffRole.ADMIN, None)
    admin = sign_in_staff(app, "admin")
    token = csrf_token(admin, "/staff/accounts")
    created = admin.post("/staff/accounts", data={"username": "zhangmin", "display_name": " 张敏 ", "role": "office",
                                                  "password": "pw-zhangmin", "csrf_token": token})
    assert created.status_code == 302, created.get_data(as_text=True)
    accounts = admin.get("/staff/accounts").get_data(as_text=True)
    assert '<td data-label="姓名">' in accounts and "张敏" in accounts

    clerk = sign_in_staff(app, "zhangmin")
    bar = clerk.get("/staff/units").get_data(as_text=True).partition("</header>")[0]
    assert "张敏（代表工委）" in bar and "zhangmin" not in bar
    token = csrf_token(clerk, "/staff/units")
    assert clerk.post("/staff/units", data={"name": "区民政局", "active": "on", "csrf_token": token}).status_code == 302

    log = admin.get("/staff/audit").get_data(as_text=True)
    # The clerk by name; the administrator, who has none yet, by the login.
    assert _actors(log) == ["工作人员 张敏", "工作人员 admin"], _actors(log)
    assert "姓名：张敏" in log  # the account's creation says the name it was given
    assert _actors(admin.get("/staff/audit?q=张敏").get_data(as_text=True))[0] == "工作人员 张敏"

    # An account made before names were asked for is given one on the accounts page; the log names it from then on.
    with app.extensions["mashang"].sessions() as session:
        admin_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "admin"))
    token = csrf_token(admin, "/staff/accounts")
    named = admin.post(f"/staff/accounts/{admin_id}/name", data={"display_name": "李华", "csrf_token": token})
    assert named.status_code == 302
    log = admin.get("/staff/audit").get_data(as_text=True)
    assert _actors(log) == ["工作人员 李华", "工作人员 张敏", "工作人员 李华"], _actors(log)
    assert "李华（管理员）" in log.partition("</header>")[0]
    too_long = admin.post(f"/staff/accounts/{admin_id}/name", data={"display_name": "李" * 51, "csrf_token": token})
    assert too_long.status_code == 422 and "姓名最多 50 字，现在是 51 字" in too_long.get_data(as_text=True)


def test_an_account_made_on_the_command_line_takes_its_name_and_lists_it(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["accounts", "create", "--role", "office", "--name", "wangfang",
                                  "--display-name", "王芳", "--link"])
    assert created.exit_code == 0, created.output
    assert "wangfang  王芳  代表工委" in runner.invoke(args=["accounts", "list"]).output


def test_a_suggestions_history_names_the_clerk_beside_the_office(app):
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add(Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), phone="13900000001"))
        session.add(StaffUser(username="zhangmin", display_name="张敏", role=StaffRole.OFFICE,
                              password_hash=hash_password("pw-zhangmin")))
    add_staff(app, "office", StaffRole.OFFICE, None)
    with app.extensions["mashang"].sessions() as session:
        deputy_id = session.scalar(select(Deputy.id))
    pages = []
    for login in ("zhangmin", "office"):
        clerk = sign_in_staff(app, login)
        entered = clerk.post("/staff/suggestions/new", data={
            "title": "修缮青石中学操场", "lead_deputy": str(deputy_id), "kind": "session", "topic": "城乡建设",
            "problems": "问题", "proposals": "建议", "csrf_token": csrf_token(clerk, "/staff/suggestions/new")})
        assert entered.status_code == 302
        pages.append(clerk.get(entered.headers["Location"]).get_data(as_text=True).partition("办理记录")[2])
    named, unnamed = pages
    assert "<span>代表工委 张敏</span>" in named and "zhangmin" not in named
    assert "<span>代表工委</span>" in unnamed and "office" not in unnamed  # no name: the office, never the login


def test_a_units_pages_name_the_account_holder_beside_the_unit(app):
    """A unit's header named only its unit (区住房和城乡建设局（承办单位）), where staff pages name the person signed in:
    it names the holder too, by their name, by the login without one."""
    add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    add_unit_staff(app, "renshe", "区人力资源和社会保障局")
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.scalar(select(StaffUser).where(StaffUser.username == "zhujian")).display_name = "王芳"
    for login, holder, unit in (("zhujian", "王芳", "区住房和城乡建设局"), ("renshe", "renshe", "区人力资源和社会保障局")):
        bar = sign_in_staff(app, login).get("/unit/").get_data(as_text=True).partition("</header>")[0]
        who = re.sub(r"<[^>]+>", " ", bar.partition('class="who"')[2].partition("</div>")[0])
        assert holder in who and f"{unit}（承办单位）" in who, who
