"""The console speaks to clerks in words: the audit log names people and fields, the message page names
no model string, the .xlsx has widths, a frozen header and Chinese channel names."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from intake.models import StaffRole
from tests.conftest import csrf_token
from tests.helpers import (add_staff, deputies, import_roster, report, set_password, sign_in_deputy,
                           sign_in_page, sign_in_staff, slug_of, write_roster)
from tests.test_browser import browser, live_server  # noqa: F401  (fixtures)
from tests.test_review import _post, _version


def _setup(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in ("幸福小区门口的路灯坏了一个月了，晚上很黑", "幸福小区东门路灯不亮，老人晚上出门容易摔倒"):
        report(app.test_client(), slug, text)
    add_staff(app, "office", StaffRole.OFFICE, None)
    return sign_in_staff(app, "office")


def test_audit_log_and_message_page_read_as_words(app, run_jobs, tmp_path):
    staff = _setup(app, tmp_path)
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_id = int(deputy.get("/deputy/").get_data(as_text=True).split('href="/deputy/drafts/')[1].split('"')[0])
    _post(deputy, f"/deputy/drafts/{draft_id}/sections/title", version=_version(deputy, draft_id), text="关于修好路灯的建议")
    staff.post("/staff/messages/actions", data={"csrf_token": csrf_token(staff, "/staff/"), "action": "retag",
                                                "new_topic": "城乡建设", "ids": ["1"]})
    log = staff.get("/staff/audit").get_data(as_text=True)
    assert "代表 王秀兰" in log and "工作人员 office" in log and "改分类" in log and "分类：城乡建设" in log
    assert "deputy:" not in log and "{&#34;" not in log and '{"' not in log
    # The clerk searches the log by what it shows: a deputy's name, a draft's title, an action's words.
    def found(words: str) -> list[str]:
        page = staff.get("/staff/audit", query_string={"q": words}).get_data(as_text=True)
        return re.findall(r'data-label="操作">([^<]+)<', page)
    assert "草稿：修改" in found("王秀兰") and "改分类" not in found("王秀兰")
    title = re.search(r"草稿《关于(.+)的建议》", log).group(1)
    assert "草稿：修改" in found(title)
    assert found("改分类") == ["改分类"]
    page = staff.get("/staff/messages/2").get_data(as_text=True)
    assert "day-one" not in page and "初始规则" not in page and "自动分类（可信度" in page


def test_the_xlsx_has_widths_a_frozen_header_and_chinese_channels(app, run_jobs, tmp_path):
    staff = _setup(app, tmp_path)
    run_jobs()
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    sheet = load_workbook(io.BytesIO(staff.get(started.headers["Location"] + ".xlsx").data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width >= 40 and sheet.column_dimensions["B"].width >= 16
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][8] == "渠道" and {row[8] for row in rows[1:]} == {"网页"}


@pytest.mark.browser
def test_the_bulk_action_bar_shows_only_the_field_the_action_needs(app, live_server, browser, tmp_path):  # noqa: F811
    _setup(app, tmp_path)
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    sign_in_page(page, live_server, "office")
    fields = page.locator("#bulk [data-for]")

    def shown() -> list[str]:
        return [fields.nth(i).get_attribute("name") for i in range(fields.count()) if fields.nth(i).is_visible()]

    assert shown() == []
    page.select_option("#bulk select[name=action]", "retag")
    assert shown() == ["new_topic"]
    page.select_option("#bulk select[name=action]", "duplicate")
    assert shown() == ["duplicate_of", "reason"]
    page.select_option("#bulk select[name=action]", "note")
    assert shown() == ["note"]
    assert page.evaluate("document.querySelector('#bulk input[name=reason]').scrollWidth "
                         "<= document.querySelector('#bulk input[name=reason]').clientWidth")


# A count runs into its Chinese words (2条, 第2行) unless spaced as the pages write it; a date (2026年) is no count.
RUN_INTO = re.compile(r"[\u4e00-\u9fff](?<![年月日])\d{1,4}(?!\d)|(?<!\d)\d{1,4}(?![\d年月日号时分秒])[\u4e00-\u9fff]")
# The fields of our sentences that hold a count or a number (a line, a limit, a suggestion's number 2026-001).
COUNTS = {"line", "first_line", "maximum", "limit", "length", "days", "maximum_mb", "number", "count"}


def test_every_error_sentence_and_chat_answer_spaces_its_counts():
    import string

    from bot import texts
    from intake.web.wording import SENTENCES

    said = {**{f"wording.{code}": text for code, text in SENTENCES.items()},
            **{f"texts.{name}": text for name, text in vars(texts).items() if name.isupper() and isinstance(text, str)}}
    assert "wording.line" in said and "texts.TOO_LONG" in said
    run_into = []
    for where, text in said.items():
        fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        shown = text.format(**{field: 7 if field in COUNTS else "某" for field in fields})
        if RUN_INTO.search(shown):
            run_into.append(f"{where}: {shown}")
    assert not run_into, "\n".join(run_into)


FORMAT_WORDS = re.compile(r"XLSX|ZIP|PNG|SVG|\.xlsx|\.csv|\.docx")


def test_the_console_names_its_files_in_chinese_not_by_their_formats(app, tmp_path):
    """下载全部二维码（ZIP）, 图片（PNG）, 导出台账电子表格（XLSX）, 支持 .xlsx 和 .csv: a clerk reads 压缩包, 图片, Excel
    表格. A page's text, tags and attributes aside (a file field still accepts .xlsx; a download keeps its name)."""
    staff = _setup(app, tmp_path)
    shown = {}
    for path in ("/staff/deputies", "/staff/suggestions", "/staff/units", "/staff/roster"):
        html = staff.get(path).get_data(as_text=True).split("<main", 1)[1]
        shown[path] = FORMAT_WORDS.findall(re.sub(r"<[^>]*>", "", html))
    assert shown == {path: [] for path in shown}
    assert "下载全部二维码（压缩包" in staff.get("/staff/deputies").get_data(as_text=True)


def _deputy_renames_their_draft(app, title: str) -> None:
    """The first deputy signs in and gives their first draft this title."""
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_id = int(deputy.get("/deputy/").get_data(as_text=True).split('href="/deputy/drafts/')[1].split('"')[0])
    _post(deputy, f"/deputy/drafts/{draft_id}/sections/title", version=_version(deputy, draft_id), text=title)


def test_a_title_the_deputy_rewrote_is_the_one_staff_pages_name(app, run_jobs, tmp_path):
    # The message page and the radar named the draft by the title written for the deputy, not by theirs.
    staff = _setup(app, tmp_path)
    report(app.test_client(), slug_of(deputies(app)[0]), "幸福小区门口路灯坏了好久，一直没人来修")
    run_jobs()
    _deputy_renames_their_draft(app, "关于尽快修复幸福小区门口路灯的建议")
    message = staff.get("/staff/messages/1").get_data(as_text=True)
    assert "《关于尽快修复幸福小区门口路灯的建议》" in message, re.findall(r"《[^》]*》", message)
    radar = staff.get("/staff/radar").get_data(as_text=True)
    assert "的草稿“关于尽快修复幸福小区门口路灯的建议”" in radar, re.findall(r"的草稿“[^”]*”", radar)


def test_the_log_names_a_draft_by_the_title_its_deputy_gave_it_and_finds_it_by_that_title(app, run_jobs, tmp_path):
    """A deputy renamed their draft; the log still named it by the generated title, and a clerk searching for the
    title the draft's pages show found nothing."""
    staff = _setup(app, tmp_path)
    run_jobs()
    _deputy_renames_their_draft(app, "关于幸福小区夜间照明的建议")

    def found(words: str) -> list[str]:
        page = staff.get("/staff/audit", query_string={"q": words}).get_data(as_text=True)
        return re.findall(r'data-label="对象">([^<]+)<', page)
    assert "草稿《关于幸福小区夜间照明的建议》" in found("")
    assert found("夜间照明") and set(found("夜间照明")) == {"草稿《关于幸福小区夜间照明的建议》"}
