"""A district on its first day: no message and no suggestion yet. The pages say so and what to do next, instead of
empty tables, forms over nothing and empty spreadsheets."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.conftest import ARTIFACTS, csrf_token
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.helpers import add_staff, sign_in_page, sign_in_staff


def _office(app):
    add_staff(app, "chief", StaffRole.ADMIN, None)
    return sign_in_staff(app, "chief")


def test_the_suggestions_page_says_there_are_none_yet_and_how_they_come(app):
    office = _office(app)
    page = office.get("/staff/suggestions").get_data(as_text=True)
    assert "还没有建议" in page and "录入纸质建议" in page
    # Nothing to assign, filter or export: no 交办 form, no filters, no ledger link, no "no match" over no filter.
    assert 'id="assign"' not in page and 'id="filters"' not in page and 'id="export"' not in page
    assert "没有符合条件" not in page


def test_the_ledger_export_of_an_empty_district_says_so_rather_than_download_an_empty_sheet(app):
    office = _office(app)
    for path in ("/staff/suggestions.xlsx", "/staff/suggestions.xlsx?year=2026"):
        response = office.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/staff/suggestions"), path
        page = office.get(response.headers["Location"]).get_data(as_text=True)
        assert 'class="flash error"' in page and "还没有可导出的建议" in page, path


def test_the_statistics_and_the_report_of_an_empty_district_offer_no_year_to_view(app):
    """With no suggestion the year list held one row, （暂无）, with a 查看 button beside it that showed the same page:
    no year, no choice and no button."""
    office = _office(app)
    for path in ("/staff/stats", "/staff/report"):
        page = office.get(path).get_data(as_text=True)
        assert "（暂无）" not in page and 'id="year-filter"' not in page and ">查看<" not in page, path


def test_the_deputies_page_of_an_empty_district_asks_for_the_roster(app, tmp_path):
    """/staff/deputies with no deputy showed bare table headings and an active 下载全部二维码 (an empty zip): it says
    there is no deputy yet and where to import them; the codes come once there are deputies. A station's clerk, who
    imports no roster, is told who does."""
    from tests.helpers import import_roster, write_roster

    office = _office(app)
    page = office.get("/staff/deputies").get_data(as_text=True)
    # No station yet either: a deputy cannot be added one by one (the form's 联络站 has nothing to choose).
    assert '<p id="no-deputies">还没有代表，请先<a href="/staff/roster">导入名册</a>。</p>' in page
    assert "下载全部二维码" not in page and "<table" not in page and "<th>" not in page
    from intake.models import Station

    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add(Station(name="柳河镇人大代表联络站"))
    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    for path in ("/staff/deputies", "/staff/"):
        said = sign_in_staff(app, "liuhe").get(path).get_data(as_text=True)
        assert "还没有本联络站的代表，请联系代表工委导入名册" in said and "/staff/roster" not in said, path
        assert path != "/staff/deputies" or "（也可以在下面逐个新增）。" in said
    import_roster(app, write_roster(tmp_path))
    page = office.get("/staff/deputies").get_data(as_text=True)
    assert "下载全部二维码" in page and "<table" in page and 'id="no-deputies"' not in page
    assert "请先在“代表与二维码”下载二维码" in office.get("/staff/").get_data(as_text=True)


def test_the_queue_and_the_message_export_of_an_empty_district_say_there_is_nothing_yet(app, run_jobs):
    office = _office(app)
    queue = office.get("/staff/").get_data(as_text=True)
    # With no deputy there is no code to download yet: it said 请先在“代表与二维码”下载二维码.
    assert "还没有群众留言" in queue and "下载二维码" not in queue
    assert '还没有代表：请先<a href="/staff/roster">导入代表名册</a>' in queue
    assert "导出当前筛选结果" not in queue and "对勾选的留言" not in queue

    # An export asked for all the same (an old tab, a filter nothing matches): no empty spreadsheet offered.
    started = office.post("/staff/exports", data={"csrf_token": csrf_token(office, "/staff/")})
    assert started.status_code == 302
    run_jobs()
    page = office.get(started.headers["Location"]).get_data(as_text=True)
    assert "没有可导出的留言" in page and 'id="download"' not in page


SIZES = {"320": {"width": 320, "height": 640}, "390": {"width": 390, "height": 844},
         "1366": {"width": 1366, "height": 768}}


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_the_empty_pages_read_whole_on_a_phone_and_a_laptop(app, live_server, browser, request, size,  # noqa: F811
                                                            run_jobs):
    office = _office(app)
    export = office.post("/staff/exports", data={"csrf_token": csrf_token(office, "/staff/")}).headers["Location"]
    run_jobs()
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id
    page = browser.new_context(viewport=SIZES[size]).new_page()
    sign_in_page(page, live_server, "chief", lands=f"{live_server}/staff/")
    for name, path, words in (("queue", "/staff/", "还没有群众留言"), ("suggestions", "/staff/suggestions", "还没有建议"),
                              ("deputies", "/staff/deputies", "还没有代表"),
                              ("ledger", "/staff/suggestions.xlsx", "还没有可导出的建议"),
                              ("export", export, "没有可导出的留言"), ("stats", "/staff/stats", "暂无数据"),
                              ("report", "/staff/report", "暂无年度报告")):
        page.goto(live_server + path)
        assert words in page.inner_text("main") + page.inner_text("body"), name
        # Nothing wider than the screen: the sentence wraps, it does not push the page sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        screenshot(page, ARTIFACTS / f"empty-district-{name}-{tag}.png")
