"""An office's audit of replies already published: a table of citizens' messages and the answers they got,
each row checked like a suggestion's reply (its points guessed from the message), written to .xlsx or .csv."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.tokenizer import warm_up
from intake.services import plain_text, points
from intake.services.console.tables import Row, read_table
from intake.services.errors import InvalidInput
from intake.services.replies import scoring
from intake.services.replies.copies import Copies, Item

OUT_COLUMNS = ("等级", "理由", "逐点回应")
# A large table is checked by one process per core (at most MAX_PROCESSES); the copies are found before.
PARALLEL_ROWS, MAX_PROCESSES = 2000, 4


@dataclass(frozen=True)
class Columns:
    question: str
    reply: str
    subject: str | None = None  # a title, read as part of the question
    asked: str | None = None  # when the message was written
    replied: str | None = None  # when it was answered
    days: int = 0  # with asked and replied: a reply later than this many days is late


@dataclass(frozen=True)
class Checked:
    row: Row
    check: scoring.Check


def _day(value: str) -> date | None:
    """The day of a time as spreadsheets write it: 2019/4/25 9:32:09, 2019-04-25, 2019.4.25."""
    day = value.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    try:
        return datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        return None


def _question(row: Row, columns: Columns) -> str:
    subject = row.values.get(columns.subject, "") if columns.subject else ""
    return f"{subject}。{row.values.get(columns.question, '')}" if subject else row.values.get(columns.question, "")


def check_rows(rows: list[Row], columns: Columns) -> list[Checked]:
    """Every row checked; a reply that repeats an earlier row's reply to another question is flagged."""
    header = set(rows[0].values) if rows else set()
    for name in (columns.question, columns.reply, columns.subject, columns.asked, columns.replied):
        if name and name not in header:
            raise InvalidInput("replies_column_missing", column=name)
    bodies = [scoring.read_substance(row.values.get(columns.reply, "")) for row in rows]  # each reply read once
    copies = Copies([Item(f"第 {row.line} 行", row.values.get(columns.reply, ""), _question(row, columns))
                     for row in rows], bodies)
    sources = [copies.source(index) for index in range(len(rows))]
    del copies  # its index is the largest thing held: gone before the processes fork
    tasks = []
    for row, source, body in zip(rows, sources, bodies):
        value = row.values.get
        deadline = replied_on = None
        if columns.asked and columns.replied and columns.days > 0:
            asked_on, replied_on = _day(value(columns.asked, "")), _day(value(columns.replied, ""))
            deadline = date.fromordinal(asked_on.toordinal() + columns.days) if asked_on else None
        tasks.append((value(columns.question, ""), value(columns.subject, "") if columns.subject else "",
                      value(columns.reply, ""), _question(row, columns), deadline, replied_on, source, body))
    if len(tasks) < PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        return [Checked(row, _check(task)) for row, task in zip(rows, tasks)]
    warm_up()  # once, before the fork: every process shares the dictionary
    with multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 2, MAX_PROCESSES)) as pool:
        return [Checked(row, check) for row, check in zip(rows, pool.map(_check, tasks, chunksize=200))]


def _check(task: tuple) -> scoring.Check:
    text, subject, reply, asked, deadline, replied_on, copied_from, body = task
    return scoring.check(scoring.question_points(text, subject), reply, asked=asked, guessed=True, deadline=deadline,
                         replied_on=replied_on, copied_from=copied_from, body=body)


def check_file(path: Path, columns: Columns) -> tuple[list[str], list[Checked]]:
    """The file's column names in their order, and its rows checked."""
    rows = read_table(path.name, path.read_bytes(), max_lines=None)  # a command's file, maybe a city's years
    return (list(rows[0].values) if rows else []), check_rows(rows, columns)


def point_lines(check: scoring.Check) -> str:
    numbers = points.numbered([a.point for a in check.answers])
    return "\n".join(f"{number}{a.point} —— " + (f"答：{a.sentence}" if a.answered else "未回应")
                     + ("（只有承诺或还在办，没有写明何时办成）" if a.promised else "")
                     for (number, _), a in zip(numbers, check.answers, strict=True))


def reason_text(check: scoring.Check) -> str:
    """The reasons against, then what the reply does well, told apart: one line of a table or a terminal. Beside
    a 充分 the reasons are things to watch, as the pages head them (请留意), not what holds the level down."""
    caveats = "请留意：" if check.level == "充分" and check.reasons else ""
    return caveats + "；".join([*check.reasons, *(["可取之处：" + "，".join(check.merits)] if check.merits else [])])


def _out_row(header: list[str], item: Checked) -> list[str]:
    return ([item.row.values.get(name, "") for name in header]
            + [item.check.level, reason_text(item.check), point_lines(item.check)])


def write(checked: list[Checked], header: list[str], out: Path) -> None:
    """The table as read, with the level, the reasons and the points added; every cell plain text."""
    if out.suffix.lower() == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(header + list(OUT_COLUMNS))
        for item in checked:
            writer.writerow([plain_text.spreadsheet_text(v) for v in _out_row(header, item)])
        out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        return
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput("table_kind")
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("答复核查")
    # Citizens and units typed these: text, never a formula.
    sheet.append([plain_text.text_cell(sheet, v) for v in header + list(OUT_COLUMNS)])
    for item in checked:
        sheet.append([plain_text.text_cell(sheet, v) for v in _out_row(header, item)])
    # The fastest deflate: a year's letters and replies are tens of megabytes of text, and level 6 took
    # longer to pack them than the check took to read them.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(book, archive).save()

