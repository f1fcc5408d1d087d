"""A draft suggestion as a .docx in the layout congress offices print: title, deputies, 案由, body, annex."""

from __future__ import annotations

import io
from datetime import datetime, tzinfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from intake.models import Draft
from intake.services import days, plain_text, points
from intake.services.drafts import draft_text
from intake.services.privacy import masking
# 宋体 for the title, 黑体 for headings and 仿宋 for the body, at the sizes of official documents
# (二号 22 pt, 三号 16 pt); naming the East Asian font is what makes Word and WPS print them.
TITLE_FONT, HEADING_FONT, BODY_FONT = "宋体", "黑体", "仿宋"
TITLE_SIZE, BODY_SIZE = Pt(22), Pt(16)
# A4 with the margins of GB/T 9704 (党政机关公文格式): top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}


def _run(paragraph, text: str, font: str, size, bold: bool = False) -> None:
    run = paragraph.add_run(plain_text.writable(plain_text.without_pictures(text)))
    run.font.name, run.font.size, run.font.bold = font, size, bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _line(document, text: str, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False):
    paragraph = document.add_paragraph()
    _run(paragraph, text, font, size, bold)
    return paragraph


def _dated(draft: Draft, local_tz: tzinfo) -> str:
    """The day it was submitted, or today for a draft still being worked on."""
    moment = draft.submitted_at or datetime.now(local_tz)
    return days.official(moment.astimezone(local_tz))


def draft_document(draft: Draft, local_tz: tzinfo) -> bytes:
    """The draft as the deputy left it (their edits over the generated text). Every sentence is masked
    again here: a document leaves the system and is forwarded."""
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for side, length in MARGINS.items():
            setattr(section, side, length)
    title_text = masking.in_draft(draft_text.text_of(draft, "title"), draft)
    title = _line(document, title_text, TITLE_FONT, TITLE_SIZE, bold=True)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    deputy = draft.deputy
    _line(document, f"领衔代表：{deputy.name}（{deputy.level}人大代表，{deputy.station.name}）")
    if draft.cosigners:
        _line(document, "附议代表：" + "、".join(d.name for d in draft.cosigners))
    _line(document, f"案由：{title_text}")
    _line(document, "一、基本情况", HEADING_FONT)
    _line(document, masking.in_draft(draft_text.text_of(draft, "situation"), draft))
    _line(document, "二、存在问题", HEADING_FONT)
    for number, line in points.numbered(draft_text.lines_of(draft, "problems")):
        _line(document, number + masking.in_draft(line, draft))
    _line(document, "三、具体建议", HEADING_FONT)
    proposals = draft_text.lines_of(draft, "proposals")
    for number, line in points.numbered(proposals):
        _line(document, number + masking.in_draft(line, draft))
    if not proposals:
        _line(document, "（群众留言中没有具体建议）")
    _line(document, "四、建议承办单位", HEADING_FONT)
    _line(document, masking.in_draft(draft_text.text_of(draft, "handling_unit"), draft) or "待定")
    _line(document, f"领衔代表：{deputy.name}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _line(document, _dated(draft, local_tz)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _line(document, "附件：群众留言（只列回执号，不含姓名和电话）", HEADING_FONT)
    for message in draft.messages:
        _line(document, f"{message.receipt}：{masking.in_draft(message.text, draft)}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
