"""The audit log page reads the newest 200 matching entries in one statement, and says when there were more."""

from __future__ import annotations

import re

from sqlalchemy import event

from intake.models import Deputy, StaffRole, Station
from intake.services.console import audit
from tests.helpers import add_staff, sign_in_staff

NOTE = "只显示最新的 200 条，请缩小查询范围"


def _retags(runtime, count: int) -> None:
    with runtime.sessions() as session, session.begin():
        for number in range(1, count + 1):
            audit.record(session, "staff:office", "retag", f"message:{number}", {"topic": "环境保护"},
                         {"topic": "城乡建设"})


def _shown(office, words: str) -> tuple[list[str], str]:
    page = office.get("/staff/audit", query_string={"q": words}).get_data(as_text=True)
    return re.findall(r'data-label="对象">([^<]+)<', page), page


def test_a_search_matching_more_than_200_shows_the_newest_200_and_says_so(app, runtime):
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    _retags(runtime, 200)
    targets, page = _shown(office, "改分类")
    assert len(targets) == 200 and NOTE not in page
    _retags(runtime, 50)  # message:1 … message:50 again, newer than all the others
    targets, page = _shown(office, "改分类")
    assert len(targets) == 200 and NOTE in page
    assert targets[:50] == [f"留言 {n}" for n in range(50, 0, -1)]
    assert targets[50:] == [f"留言 {n}" for n in range(200, 50, -1)]
    # A narrower search shows all it matched, without the note.
    targets, page = _shown(office, "message:12")
    assert sorted(targets) == sorted(["留言 12", "留言 12"] + [f"留言 {n}" for n in range(120, 130)]) and NOTE not in page


def test_a_search_by_name_is_one_statement(app, runtime):
    _retags(runtime, 3)
    with runtime.sessions() as session:
        statements = []
        connection = session.connection()

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(connection, "before_cursor_execute", record)
        try:
            audit.search(session, "王秀兰")
        finally:
            event.remove(connection, "before_cursor_execute", record)
    assert len(statements) == 1, statements


def test_the_log_names_exports_and_the_command_line_in_a_clerks_words(app, runtime):
    with runtime.sessions() as session, session.begin():
        audit.record(session, "staff:office", "export", "export:1", {}, {"filters": {}})
        audit.record(session, "system:cli", "staff_create", "staff:clerk", {}, {"username": "clerk"})
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = sign_in_staff(app, "office").get("/staff/audit").get_data(as_text=True)
    assert "导出文件 1" in page and "筛选条件：全部留言" in page and "系统（后台命令）" in page
    assert "（空）" not in page and "命令行" not in page


def test_an_exports_filters_and_the_demo_are_named_in_chinese(app, runtime):
    with runtime.sessions() as session, session.begin():
        station = Station(name="青石街道人大代表联络站")
        deputy = Deputy(name="王秀兰", level="区", station=station, phone="13900000001")
        session.add(deputy)
        session.flush()
        filters = {"station": station.id, "deputy": deputy.id, "topic": "城乡建设", "status": "drafted",
                   "channel": "web", "date_from": "2026-11-01", "date_to": "2026-11-30", "attention": "any",
                   "q": "路灯"}
        audit.record(session, "staff:office", "export", "export:1", {}, {"filters": filters})
        audit.record(session, "system:demo", "units.import", "units", {}, {"added": 20})
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = re.sub(r"<[^>]+>", "", sign_in_staff(app, "office").get("/staff/audit").get_data(as_text=True))
    assert ("筛选条件：联络站：青石街道人大代表联络站，代表：王秀兰，分类：城乡建设，状态：已入草稿，渠道：网页，"
            "日期从：2026-11-01，日期到：2026-11-30，关注：全部需关注，关键词：路灯") in page
    assert "系统（演示数据）" in page and "system" not in page
