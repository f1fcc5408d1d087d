"""A draft downloaded as .docx holds every section, in the fonts congress offices print with."""

from __future__ import annotations

import io
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tests.helpers import deputies, import_roster, report, saved_as, set_password, sign_in_deputy, slug_of, write_roster

REPORTS = [
    "幸福小区东门的路灯坏了一个多月，晚上很黑。建议尽快修好路灯。",
    "幸福小区东门路灯不亮，老人晚上出门容易摔倒。希望物业和街道管一管。",
]


def test_draft_document_has_every_section_and_names_chinese_fonts_at_official_sizes_title_centred(
        app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    receipts = [report(app.test_client(), slug, text)["receipt"] for text in REPORTS]
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_path = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))[0]
    assert f'href="{draft_path}/document"' in deputy.get(draft_path).get_data(as_text=True)

    response = deputy.get(f"{draft_path}/document")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    draft_id = draft_path.rsplit("/", 1)[1]  # named in ASCII too: its ASCII name was -24.docx
    assert saved_as(response) == (f"draft-{draft_id}.docx", f"代表建议草稿-{draft_id}.docx")
    document = docx.Document(io.BytesIO(response.data))
    lines = [p.text for p in document.paragraphs]
    text = "\n".join(lines)
    assert lines[0].startswith("关于") and lines[0].endswith("的建议")
    assert "领衔代表：王秀兰" in text and f"案由：{lines[0]}" in text
    for heading in ("一、基本情况", "二、存在问题", "三、具体建议", "四、建议承办单位", "附件："):
        assert heading in text
    assert "建议尽快修好路灯" in text and "老人晚上出门容易摔倒" in text
    assert all(receipt in text for receipt in receipts)
    east_asian = {run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs}
    assert east_asian == {"宋体", "黑体", "仿宋"}
    # 二号 (22 pt) bold title in the middle of the line; everything else 三号 (16 pt); signed on the right.
    title, rest = document.paragraphs[0], document.paragraphs[1:]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(run.font.size.pt, run.font.bold) for run in title.runs] == [(22, True)]
    assert {run.font.size.pt for p in rest for run in p.runs} == {16}
    assert all(p.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT) for p in rest if p.text.startswith(("一、", "案由")))
    signature = [p for p in rest if p.text == "领衔代表：王秀兰"]
    assert len(signature) == 1 and signature[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_draft_document_is_a4_with_government_margins_and_dated(app, runtime, run_jobs, tmp_path):
    from datetime import datetime

    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in REPORTS:
        report(app.test_client(), slug, text)
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_path = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))[0]
    document = docx.Document(io.BytesIO(deputy.get(f"{draft_path}/document").data))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(length.mm) for length in (section.top_margin, section.bottom_margin,
                                                section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    today = datetime.now(runtime.local_tz)
    assert f"{today.year}年{today.month}月{today.day}日" in [p.text for p in document.paragraphs]


def _paragraphs(html: str) -> list[str]:
    import html as html_module

    return [html_module.unescape(p) for p in re.findall(r'<p(?: class="text")?>([^<]*)</p>', html)]


def test_a_point_the_deputy_numbered_is_not_numbered_again(app, runtime, run_jobs, tmp_path):
    """Deputies number their points themselves (1. …, （1）…): the draft, its .docx and the suggestion's pages read
    1. 1. 请区城市管理局…; a point with its own number keeps it, and the others are numbered as before."""
    from sqlalchemy import select

    from intake.models import Draft, DraftStatus, StaffRole
    from intake.services.lifecycle import handling
    from tests.helpers import add_staff, add_unit_staff, sign_in_staff

    import_roster(app, write_roster(tmp_path))
    report(app.test_client(), slug_of(deputies(app)[0]), REPORTS[0])
    run_jobs()
    proposals = "1. 请区城市管理局尽快修复幸福小区东门路灯\n2、建立路灯巡查制度\n（3）公布报修电话"
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft))
        draft.edits = {**(draft.edits or {}), "problems": "路灯坏了一个多月\n② 老人夜间出门容易摔倒",
                       "proposals": proposals}
        draft_id = draft.id
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    said = ["1. 路灯坏了一个多月", "② 老人夜间出门容易摔倒", "1. 请区城市管理局尽快修复幸福小区东门路灯", "2、建立路灯巡查制度",
            "（3）公布报修电话"]

    def read_once(lines: list[str], where: str) -> None:
        assert all(line in lines for line in said), (where, lines)
        assert not any(line.startswith(("1. 1.", "2. 2、", "3. （3）", "2. ②")) for line in lines), where

    read_once(_paragraphs(deputy.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)), "draft")
    document = docx.Document(io.BytesIO(deputy.get(f"/deputy/drafts/{draft_id}/document").data))
    read_once([p.text for p in document.paragraphs], "docx")

    unit_id = add_unit_staff(app, "chengguan", "区城市管理局")
    with runtime.sessions() as session, session.begin():
        session.get(Draft, draft_id).status = DraftStatus.APPROVED
        found = handling.register_from_draft(session, draft_id, actor="staff:office", rules=runtime.settings.lifecycle)
        handling.assign(session, [found.id], lead_unit_id=unit_id, co_unit_ids=[], actor="staff:office",
                        rules=runtime.settings.lifecycle)
        suggestion_id = found.id
    add_staff(app, "office", StaffRole.OFFICE, None)
    for client, page in ((sign_in_staff(app, "office"), f"/staff/suggestions/{suggestion_id}"),
                         (sign_in_staff(app, "chengguan"), f"/unit/suggestions/{suggestion_id}"),
                         (deputy, f"/deputy/suggestions/{suggestion_id}")):
        read_once(_paragraphs(client.get(page).get_data(as_text=True)), page)


def test_each_point_ends_with_its_stop_on_the_draft_its_document_and_the_suggestion(app, runtime, run_jobs, tmp_path):
    """A citizen's sentence ended by a line's end or a semicolon (…容易摔倒； / 建议尽快修好路灯) was a point without its
    full stop: the draft reads each point as a sentence, ended with 。 unless it ends with its own ？！。"""
    from sqlalchemy import select

    from intake.models import Draft, DraftStatus
    from intake.services.lifecycle import handling

    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    report(app.test_client(), slug, "幸福小区东门的路灯坏了一个多月。晚上很黑，老人出门容易摔倒；建议尽快修好路灯\n能不能派人来看看？")
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_path = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))[0]
    # each point as the draft page lists it, above the letters it quotes
    page = "\n".join(re.findall(r"<summary>([^<]*)", deputy.get(draft_path).get_data(as_text=True)))
    document = "\n".join(p.text for p in docx.Document(io.BytesIO(deputy.get(f"{draft_path}/document").data)).paragraphs)
    document = document.split("附件")[0]
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft))
        draft.status = DraftStatus.APPROVED
        found = handling.register_from_draft(session, draft.id, actor="staff:office", rules=runtime.settings.lifecycle)
        suggestion = f"{found.problems}\n{found.proposals}"
    for where, text in {"draft": page, "docx": document, "suggestion": suggestion}.items():
        assert "容易摔倒。" in text and "容易摔倒；" not in text, (where, text)
        assert "建议尽快修好路灯。" in text, (where, text)
        assert "能不能派人来看看？" in text and "看看？。" not in text, (where, text)
