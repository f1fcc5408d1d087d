"""The yearly report as the .docx a congress office prints (the drafts' fonts and A4 margins, charts as
PNG images) and as an .xlsx of the same numbers, both from `numbers.report_numbers`."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from docx.table import _Cell
from openpyxl import Workbook

from intake.services import days, plain_text
from intake.services.drafts.documents import (BODY_FONT, HEADING_FONT, MARGINS, PAGE_HEIGHT, PAGE_WIDTH,
                                              TITLE_FONT, TITLE_SIZE, _line, _run)
from intake.services.lifecycle.figures import BASES, NONE, percent_text, rate_text, share_text
from intake.services.lifecycle.handling import CATEGORIES
from intake.services.report.charts import charts
from intake.services.report.numbers import RATES

TABLE_SIZE = Pt(10.5)  # 五号: a report's tables are set smaller than its body
CHART_WIDTH = Mm(150)  # the text width of an A4 page with the margins of GB/T 9704
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UNIT_HEADER = ("承办单位", "主办件数", "已答复", "超期未办复", "满意率")
KEY_HEADER = ("编号", "标题", "领衔代表", "主办单位", "督办", "状态", "类别")
TOPIC_HEADER = ("问题分类", "留言条数", "占比")
STATION_HEADER = ("联络站", "留言条数", "反映最多的问题")
DEPUTY_HEADER = ("代表", "联络站", "收到留言", "建议草稿", "领衔建议", "附议建议")
# Column widths in mm, each table filling the 156 mm between the margins: names and titles get the room.
WIDTHS = {UNIT_HEADER: (60, 24, 24, 24, 24), KEY_HEADER: (24, 44, 19, 27, 15, 15, 12),
          TOPIC_HEADER: (76, 40, 40), STATION_HEADER: (70, 26, 60), DEPUTY_HEADER: (22, 54, 20, 20, 20, 20)}
# What the 建议草稿 column counts, as the deputy's own page counts its 建议草稿 (numbers._participation).
DRAFTS_MEANING = ("注：建议草稿指已整理成稿、交代表审阅的草稿（含待审阅、已提交和已放弃的），"
                  "不含仍在收集群众留言的问题和并入其他草稿的草稿。")
INDENT = Pt(32)  # two characters of the body's size: how Chinese paragraphs begin


def _unit_cells(u: dict) -> list:
    return [u["name"], u["total"], u["answered"], u["overdue"],
            rate_text(u, "satisfaction_rate")]


def _key_cells(k: dict) -> list:
    state = k["state"] + ("（超期）" if k["overdue"] else "")
    return [k["number"], k["title"], k["deputy"], k["unit"], k["supervisor"] or "—", state,
            f"{k['category']}类" if k["category"] else "—"]


def _topic_cells(t: dict, total: int) -> list:
    return [t["name"], t["messages"], percent_text(t["messages"], total)]


def _station_cells(s: dict) -> list:
    return [s["name"], s["messages"], f"{s['top_topic']}（{s['top_topic_messages']}条）"]


def _deputy_cells(d: dict) -> list:
    return [d["name"], d["station"], d["messages"], d["drafts"], d["led"], d["cosigned"]]


def summary_sentences(f: dict, *, spaced: bool = False) -> list[str]:
    """The report's opening paragraphs, in the words an office's report uses, from a year's `figures`. The printed
    report writes its figures as official documents do (建议95件); `spaced` writes them as the pages do, a space
    on each side between Chinese words (建议 95 件)."""
    year, gap = f["year"], " " if spaced else ""
    # In a sentence a lone dash reads as 一 ("one"): a rate of nothing is said as 暂无, a share of nothing left out.
    rate = {key: gap + rate_text(f, key) if f[BASES[key]] else "暂无" for key in BASES}
    kinds = "；".join(f"{key}类（{CATEGORIES[key]}）{f['by_category'][key]}{gap}件"
                     + (f"，占{gap}{share_text(f, key)}" if f["answered"] else "") for key in CATEGORIES)
    return [
        f"{year}年共登记代表建议{gap}{f['total']}{gap}件，已答复{gap}{f['answered']}{gap}件，"
        f"办复率{rate['reply_rate']}。答复中，{kinds}。",
        f"承办单位与代表当面沟通的{gap}{f['face_to_face']}{gap}件，面商率{rate['face_to_face_rate']}；"
        f"代表已评价{gap}{f['rated']}{gap}件，满意和基本满意{gap}{f['satisfied']}{gap}件，"
        f"满意率{rate['satisfaction_rate']}；已办结{gap}{f['completed']}{gap}件，办结率{rate['completion_rate']}。"
        f"列为重点督办的{gap}{f['key_supervision']}{gap}件；目前超期未办复{gap}{f['overdue']}{gap}件。",
    ]


# --- .docx ---------------------------------------------------------------------------------------------
def _table(document, header: tuple, rows: list[list]) -> None:
    """A ruled table whose header row is printed again on every page it runs over, no row split by a page."""
    widths = [Mm(width) for width in WIDTHS[header]]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: Word and LibreOffice both take the columns' widths from the grid
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths):
        column.width = cell.width = width  # rows added later take their cells' widths from the grid
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for values, font in [(header, HEADING_FONT)] + [(values, BODY_FONT) for values in rows]:
        row = table.rows[0] if values is header else table.add_row()
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # a row is never cut by a page break
        # The row's own cells: `row.cells` lays out the whole table each time, quadratic in its rows.
        for tc, value in zip(row._tr.tc_lst, values):
            _run(_Cell(tc, table).paragraphs[0], str(value), font, TABLE_SIZE)


def _paragraph(document, text: str, font: str = BODY_FONT) -> None:
    placed = _line(document, text, font)
    placed.paragraph_format.first_line_indent = INDENT
    if font == HEADING_FONT:
        placed.paragraph_format.space_before = Pt(12)  # a heading must not stick to the table above it


def _picture(document, png: bytes | None) -> None:
    if png:
        document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        placed = document.paragraphs[-1]
        placed.alignment = WD_ALIGN_PARAGRAPH.CENTER
        placed.paragraph_format.space_before = Pt(8)


def report_document(numbers: dict, written_on: date) -> bytes:
    """The report as .docx bytes: the year's figures, units, key suggestions, citizens' topics, deputies."""
    drawn = charts(numbers)
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for side, length in MARGINS.items():
            setattr(section, side, length)
    year, topics = numbers["year"], numbers["topics"]
    _line(document, f"关于{year}年度代表建议办理情况的报告", TITLE_FONT, TITLE_SIZE, bold=True).alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    _line(document, f"（{days.official(written_on)}）").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "一、总体情况", HEADING_FONT)
    for sentence in summary_sentences(numbers["figures"]):
        _paragraph(document, sentence)
    _picture(document, drawn["categories"])
    _picture(document, drawn["rates"])
    _paragraph(document, "二、各承办单位办理情况", HEADING_FONT)
    if numbers["units"]:
        _table(document, UNIT_HEADER, [_unit_cells(u) for u in numbers["units"]])
        _picture(document, drawn.get("units"))
    else:
        _paragraph(document, "本年度尚无交办的建议。")
    _paragraph(document, "三、重点督办建议", HEADING_FONT)
    if numbers["key"]:
        _table(document, KEY_HEADER, [_key_cells(k) for k in numbers["key"]])
    else:
        _paragraph(document, "本年度没有列为重点督办的建议。")
    _paragraph(document, "四、群众反映的主要问题", HEADING_FONT)
    _paragraph(document, f"{year}年群众通过“码上说”向代表留言{topics['messages']}条，按问题分类如下。")
    if topics["topics"]:
        _table(document, TOPIC_HEADER, [_topic_cells(t, topics["messages"]) for t in topics["topics"]])
        _picture(document, drawn.get("topics"))
        _paragraph(document, "各联络站收到的留言：")
        _table(document, STATION_HEADER, [_station_cells(s) for s in topics["stations"]])
    _paragraph(document, "五、代表履职情况", HEADING_FONT)
    if numbers["participation"]:
        _table(document, DEPUTY_HEADER, [_deputy_cells(d) for d in numbers["participation"]])
        _paragraph(document, DRAFTS_MEANING)
    else:
        _paragraph(document, "本年度没有代表收到留言或提出建议。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- .xlsx ---------------------------------------------------------------------------------------------
def _cell(sheet, value):
    """Numbers stay numbers; text is only ever text: names and titles were typed by people."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return plain_text.text_cell(sheet, str(value))


def _sheet(book, title: str, header: tuple, rows: list[list], widths: tuple) -> None:
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name) for name in header])
    for values in rows:
        sheet.append([_cell(sheet, value) for value in values])


def _figure_rows(numbers: dict) -> list[list]:
    f = numbers["figures"]
    rows = [["年度", numbers["year"]], ["建议总数", f["total"]], ["已答复", f["answered"]]]
    for key in CATEGORIES:
        rows += [[f"{key}类件数", f["by_category"][key]],
                 [f"{key}类占比（%）", f["shares"][key] if f["answered"] else NONE]]
    rows += [[f"{name}（%）", f[key] if f[BASES[key]] else NONE] for name, key in RATES]
    rows += [["当面沟通件数", f["face_to_face"]], ["已评价件数", f["rated"]], ["满意和基本满意件数", f["satisfied"]],
             ["已办结件数", f["completed"]], ["重点督办件数", f["key_supervision"]], ["超期未办复件数", f["overdue"]],
             ["群众留言条数", numbers["topics"]["messages"]]]
    return rows


def report_workbook(numbers: dict) -> bytes:
    """The report's numbers as .xlsx bytes, a sheet per part; rates are numbers in percent (61.05)."""
    book = Workbook(write_only=True)
    _sheet(book, "总体情况", ("项目", "数值"), _figure_rows(numbers), (22, 12))
    _sheet(book, "承办单位", ("承办单位", "主办件数", "已答复", "超期未办复", "满意率（%）"),
           [[u["name"], u["total"], u["answered"], u["overdue"], u["satisfaction_rate"] if u["rated"] else NONE]
            for u in numbers["units"]],
           (28, 10, 10, 12, 12))
    _sheet(book, "重点督办", KEY_HEADER, [_key_cells(k) for k in numbers["key"]], (12, 40, 10, 24, 10, 14, 9))
    _sheet(book, "群众反映的问题", ("问题分类", "留言条数", "占比（%）"),
           [[t["name"], t["messages"], t["share"]] for t in numbers["topics"]["topics"]], (16, 10, 10))
    _sheet(book, "联络站", ("联络站", "留言条数", "反映最多的问题", "该问题留言条数"),
           [[s["name"], s["messages"], s["top_topic"], s["top_topic_messages"]] for s in numbers["topics"]["stations"]],
           (24, 10, 16, 14))
    _sheet(book, "代表履职", DEPUTY_HEADER, [_deputy_cells(d) for d in numbers["participation"]], (10, 24, 10, 10, 10, 10))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
