"""The staff console in a real Chromium at 1366×768: filter, bulk re-tag, spam, reassign, export."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from intake.launcher import load_demo_if_empty
from intake.labels import SUGGESTION_STATUS
from intake.models import Draft, DraftStatus, HandlingUnit, Message, MessageStatus, StaffRole, Suggestion
from intake.services.lifecycle import handling
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_page, slug_of, write_roster
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
# A cell's characters (outside its <small> notes), each with the top of the line it stands on, whatever markup wraps
# them: the line a word breaks over shows as two tops. Declared inside a script taking the cells.
_CELL_CHARS = """function charsOf(cell) {
  const chars = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()) && !(node.parentElement.closest('small'));) {
    for (let i = 0; i < node.length; i++) {
      const one = document.createRange();
      one.setStart(node, i);
      one.setEnd(node, i + 1);
      chars.push([node.data[i], Math.round(one.getBoundingClientRect().top)]);
    }
  }
  return chars;
}
"""


@pytest.mark.browser
def test_station_staff_triage_and_export(app, live_server, browser, run_jobs, runtime, tmp_path, request):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    for text in ["幸福小区门口的路灯坏了一个月了", "幸福小区东门路灯不亮，晚上很黑", "幸福小区北门的路灯也坏了",
                 "幸福小区有人发小广告，办证请加微信", "青石中学门口放学时堵车严重"]:
        report(app.test_client(), slug_of(wang), text)
    report(app.test_client(), slug_of(zhang), "柳河镇幸福小区的路灯坏了")  # another station: never shown
    run_jobs()
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id

    def shot(step: str) -> None:
        screenshot(page, ARTIFACTS / f"staff-{step}-{tag}.png")

    page = browser.new_context(**LAPTOP, accept_downloads=True).new_page()
    sign_in_page(page, live_server, "qingshi")
    shot("1-queue")

    page.fill("input[name=q]", "幸福小区")
    page.click("#filters button[type=submit]")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 4 and "柳河镇" not in page.inner_text("table.queue")
    shot("2-filtered")

    def pick(texts: list[str]) -> None:
        for text in texts:
            page.locator("table.queue tbody tr", has_text=text).locator("input[type=checkbox]").check()

    pick(["门口的路灯坏了", "东门路灯不亮", "北门的路灯"])
    page.select_option("#bulk select[name=action]", "retag")
    page.select_option("#bulk select[name=new_topic]", "城乡建设")
    page.click("#bulk button[type=submit]")
    assert "已处理 3 条留言" in page.inner_text(".flash")
    shot("3-retagged")

    pick(["小广告"])
    page.select_option("#bulk select[name=action]", "spam")
    page.fill("#bulk input[name=reason]", "办证广告")
    page.click("#bulk button[type=submit]")
    shot("4-spam")

    pick(["北门的路灯"])
    page.select_option("#bulk select[name=action]", "reassign")
    page.select_option("#bulk select[name=to_deputy]", str(li["id"]))
    page.click("#bulk button[type=submit]")
    assert "李建国" in page.locator("table.queue tbody tr", has_text="北门的路灯").inner_text()
    shot("5-reassigned")

    page.click("text=导出当前筛选结果（Excel 表格）")
    page.wait_for_selector("text=正在导出")
    # The bar is drawn in the site's red, as the buttons and ticks are, not the browser's default blue.
    assert page.eval_on_selector("progress", "bar => getComputedStyle(bar).accentColor") == "rgb(179, 38, 30)"
    run_jobs()
    page.reload()
    with page.expect_download() as download:
        page.click("#download")
    shot("6-exported")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)

    with runtime.sessions() as session:
        expected = sorted(session.scalars(
            select(Message.receipt).where(Message.text.contains("幸福小区"), Message.deputy_id.in_([wang["id"], li["id"]]))
        ))
        spam = session.scalar(select(Message).where(Message.text.contains("小广告")))
        assert spam.status == MessageStatus.REJECTED and spam.flag == "spam"
        topics = set(session.scalars(select(Message.topic).where(Message.text.contains("路灯"), Message.deputy_id != zhang["id"])))
        assert topics == {"城乡建设"}
    sheet = load_workbook(path).active
    exported = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert exported == expected and len(exported) == 4


@pytest.mark.browser
def test_a_records_save_button_sits_on_its_own_line_after_the_fields(app, live_server, browser, tmp_path):  # noqa: F811
    """编辑代表 and 编辑承办单位: 保存 is the form's, on a line of its own below every field; beside the 在任 or 启用
    tick it read as part of that field."""
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    add_staff(app, "admin", StaffRole.ADMIN, None)
    with app.extensions["mashang"].sessions() as session, session.begin():
        unit = HandlingUnit(name="区住房和城乡建设局", short_name="住建局", email="zhujian@units.example")
        session.add(unit)
        session.flush()
        unit_id = unit.id
    for width, height in ((320, 640), (390, 844), (1366, 768)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in_page(page, live_server, "admin")
        for path in (f"/staff/deputies/{wang['id']}", f"/staff/units/{unit_id}"):
            page.goto(live_server + path)
            form = page.locator("form.record")
            button = form.locator("button[type=submit]").bounding_box()
            lowest = max(box["y"] + box["height"] for box in
                         (label.bounding_box() for label in form.locator("label").all()))
            assert button["y"] >= lowest, f"{path} at {width}: 保存 beside a field, not below them"
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(320, 640), (390, 844), (768, 1024), (900, 1200), (1024, 768), (1366, 768)])
def test_the_queue_keeps_names_and_statuses_whole(app, live_server, browser, run_jobs, runtime, width, height):  # noqa: F811
    """The demo district's queue at 1366 px: the 代表 column, squeezed by the messages' words and statuses, broke
    青石街道人大代表联络站 inside 联络站 (联 / 络站), the 分类 column broke 劳动和社会保障 as 劳动和社会 / 保障, and
    the 状态 column 收集中，尚未成稿 as 收集中，尚未 / 成稿; each station's and topic's name and each part of a
    status stays on one line, and no phone is pushed sideways by them. On a tablet (768 px) the eight columns left
    内容 four characters wide, each row a tower of broken words: a message's words keep a dozen characters a line
    at every width."""
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in_page(page, live_server, "office")
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_load_state("load")
    page.screenshot(path=str(ARTIFACTS / f"staff-queue-station-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the words shown of each message (the table's 内容, or a card's first words), in characters a line
    widths = page.locator("table.queue td.text, table.queue td.brief > a").evaluate_all("""cells => cells
      .filter(cell => cell.getClientRects().length)
      .map(cell => { const style = getComputedStyle(cell);
        return (cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight))
               / parseFloat(style.fontSize); })""")
    assert len(widths) > 10 and min(widths) >= 12, f"内容 {min(widths):.1f} characters wide at {width} px"
    if width > 1000:
        names = page.locator("table.queue td[data-label=代表] small")
        assert names.count() > 10
        lines = names.evaluate_all("names => names.map(name => [name.textContent, name.getClientRects().length])")
        assert [name for name, count in lines if count != 1] == [], "a station's name broke over lines"
        # A cell's first line of words (a topic before its sureness, a status before its flag), each of its parts
        # (parted by ，) with the lines its characters stand on, whatever markup wraps them.
        parts = "cells => {" + _CELL_CHARS + """return cells.map(cell => {
          const chars = charsOf(cell);
          const found = [];
          let part = [];
          for (const [char, top] of [...chars, ['，', 0]]) {
            if (char === '，') { found.push([part.map(c => c[0]).join(''), new Set(part.map(c => c[1])).size]); part = []; }
            else part.push([char, top]);
          }
          return found;
        }).flat(); }"""
        topics = page.locator("table.queue td[data-label=分类]").evaluate_all(parts)
        assert "劳动和社会保障" in [topic for topic, _ in topics]
        assert [topic for topic, count in topics if count != 1] == [], "a topic's name broke over lines"
        statuses = page.locator("table.queue td[data-label=状态]").evaluate_all(parts)
        assert "尚未成稿" in [status for status, _ in statuses]
        assert [status for status, count in statuses if count != 1] == [], "a status broke inside its words"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1366])
def test_the_queue_keeps_its_words_column_readable_beside_long_statuses(app, live_server, browser, run_jobs, runtime,  # noqa: F811
                                                                       width):
    """At 1024 px the demo's queue left 内容 284 px, and statuses as long as 已写入建议 2026-001（答复待审核） took
    more of it (15 characters a line): 内容 keeps 16 characters a line, the statuses their words whole, and the
    table still fits the screen."""
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    longest = max(SUGGESTION_STATUS, key=lambda status: len(SUGGESTION_STATUS[status]))
    with runtime.sessions() as session, session.begin():
        drafts = session.scalars(select(Draft.id).where(Draft.status.in_([DraftStatus.OPEN, DraftStatus.COLLECTING]))
                                 .order_by(Draft.id)).all()
        session.execute(update(Draft).where(Draft.id.in_(drafts)).values(status=DraftStatus.APPROVED))
        for draft_id in drafts[::2]:  # the others stay 代表已提交草稿，待登记
            handling.register_from_draft(session, draft_id, actor="staff:office")
        session.execute(update(Suggestion).values(status=longest))
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = browser.new_context(viewport={"width": width, "height": 768}).new_page()
    sign_in_page(page, live_server, "office")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-queue-long-statuses-{width}.png"), full_page=True)
    statuses = page.locator("table.queue td[data-label=状态]").all_inner_texts()
    assert f"（{SUGGESTION_STATUS[longest]}）" in "".join(statuses) and "代表已提交草稿，待登记" in statuses
    assert "劳动和社会保障" in page.locator("table.queue td[data-label=分类] > span").all_inner_texts()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("main").evaluate("main => main.scrollWidth <= main.clientWidth"), "the table scrolls sideways"
    widths = page.locator("table.queue td.text").evaluate_all("""cells => cells.map(cell => {
      const style = getComputedStyle(cell);
      return (cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight))
             / parseFloat(style.fontSize); })""")
    assert len(widths) > 10 and min(widths) >= 16, f"内容 {min(widths):.1f} characters wide at {width} px"
    # a status gives way at its commas, space and brackets only, never inside its words (代表已提交 / 草稿) or the
    # suggestion's number (2026- / 010)
    words = page.locator("table.queue td[data-label=状态]").evaluate_all("cells => {" + _CELL_CHARS + """return cells.map(cell => {
      const chars = charsOf(cell);
      const found = [];
      let word = [];
      for (const [char, top] of [...chars, [' ', 0]]) {
        if (char === '（' || /\\s/.test(char)) { found.push(word); word = []; }
        if (!/\\s/.test(char)) word.push([char, top]);
        if (char === '，') { found.push(word); word = []; }
      }
      return found.filter(word => word.length)
        .map(word => [word.map(c => c[0]).join(''), new Set(word.map(c => c[1])).size]);
    }).flat(); }""")
    assert {"代表已提交草稿，", "2026-001", f"（{SUGGESTION_STATUS[longest]}）"} <= {word for word, _ in words}, words
    assert [word for word, lines in words if lines != 1] == [], "a status broke inside its words"
