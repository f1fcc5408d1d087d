"""Reading .csv and .xlsx files into numbered rows of text, whatever spreadsheet program made them."""

from __future__ import annotations

import csv
import io
from itertools import islice
from dataclasses import dataclass
from pathlib import Path

from intake.services import plain_text

from intake.services.errors import InvalidInput


class TableError(InvalidInput):
    """The file cannot be read as a table."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def decode_text(data: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GBK; everything else uses UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("table_encoding")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_text.writable(str(value)).strip()


# Columns read from a .xlsx or .csv: more than any table of ours has. openpyxl pads every line to the sheet's last
# used column, and one cell in column XFD made each line 16,384 cells (27 KB of file took 677 MB); a CSV header of
# 40,000 names made each of 60,000 blank lines a dict of them (175 KB took 122 s). A CSV with a cell filled past it
# is refused; empty cells past it (trailing commas) are dropped.
MAX_XLSX_COLUMNS = 100

# Lines with a cell filled in a file a clerk uploads or imports, far more than any roster, list of units or ledger
# of ours: 200,000 short lines (60 KB) cost 24 s of CPU to read, so a longer table is refused, not read to its end.
# Empty lines (a block deleted, spacing between parts) are skipped and not counted, but a spreadsheet gives every
# empty line above its last cell, and one cell typed by mistake on line 1,000,000 of a 5 KB .xlsx cost 3 s: reading
# stops after ten times as many lines, empty ones included. Training and checking files given on the command line
# may hold a city's years (max_lines=None).
MAX_TABLE_LINES = 10_000
EMPTY_ALLOWANCE = 10

# Lines searched for the column names: clerks put a title (青石区第十八届人大代表名册) or a note above them.
HEADER_SEARCH = 5


def _header_line(matrix: list[list]) -> int:
    """Where the column names are: the first of the first lines with two cells or more filled, so a title or
    a note in one cell above them is passed over; line 1 when none has (a table of one column)."""
    for index, raw in enumerate(matrix[:HEADER_SEARCH]):
        if sum(1 for value in raw if _cell(value)) >= 2:
            return index
    return 0


def _rows_from_matrix(matrix: list[list]) -> list[Row]:
    if not matrix:
        raise TableError("table_empty")
    at = _header_line(matrix)
    header = [_cell(h) for h in matrix[at]]
    rows = []
    for offset, raw in enumerate(matrix[at + 1:], start=at + 2):
        if not _filled(raw):
            continue
        values = {name: _cell(raw[i]) if i < len(raw) else "" for i, name in enumerate(header) if name}
        if any(values.values()):
            rows.append(Row(offset, values))
    return rows


def read_table(filename: str, data: bytes, max_lines: int | None = MAX_TABLE_LINES) -> list[Row]:
    """Rows numbered as a spreadsheet shows them (the column names on line 1, or below a title), blank lines
    skipped."""
    return _rows_from_matrix(_matrix(filename, data, max_lines))


def read_cells(filename: str, data: bytes) -> list[list[str]]:
    """Every line of a .xlsx or .csv as its cells' text, the header line included; any other file is read as
    CSV text (a line without commas is one cell)."""
    suffix = Path(filename).suffix.lower()
    return [[_cell(value) for value in row] for row in _matrix(filename if suffix == ".xlsx" else "text.csv", data)]


def _trimmed(line: tuple) -> list:
    end = len(line)
    while end and line[end - 1] is None:
        end -= 1
    return list(line[:end])


def _filled(line: list) -> bool:
    return any(value is not None and str(value).strip() for value in line)


def _bounded(lines, max_lines: int | None) -> list[list]:
    """The lines up to the last one with a cell filled, refused past `max_lines` filled ones or past
    EMPTY_ALLOWANCE times as many lines in all. Empty lines stay in the table (rows keep the numbers a spreadsheet
    shows) but count for nothing."""
    if max_lines is None:
        matrix = list(lines)
    else:
        matrix, filled, read_at_most = [], 0, max_lines * EMPTY_ALLOWANCE
        for line in islice(lines, read_at_most + 1):
            matrix.append(line)
            filled += _filled(line)
            if filled > max_lines:
                raise TableError("table_too_long", limit=max_lines)
        if len(matrix) > read_at_most:
            raise TableError("table_too_far", lines=read_at_most)
    while matrix and not _filled(matrix[-1]):
        matrix.pop()
    return matrix


def _narrow(lines):
    """CSV lines cut to MAX_XLSX_COLUMNS cells, refused when a cell past them is filled."""
    for line in lines:
        if len(line) > MAX_XLSX_COLUMNS:
            if _filled(line[MAX_XLSX_COLUMNS:]):
                raise TableError("table_too_wide", limit=MAX_XLSX_COLUMNS)
            line = line[:MAX_XLSX_COLUMNS]
        yield line


def _matrix(filename: str, data: bytes, max_lines: int | None = MAX_TABLE_LINES) -> list[list]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            return _bounded(_narrow(csv.reader(io.StringIO(decode_text(data), newline=""))), max_lines)
        except csv.Error as exc:  # its message is English ("line contains NUL"): the clerk is told in Chinese
            raise TableError("table_csv") from exc
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file, with English messages
            raise TableError("table_xlsx") from exc
        sheet = book.worksheets[0]
        # Lines missing from the file come as one shared empty line; a line's trailing blank cells are dropped.
        return _bounded((_trimmed(r) for r in sheet.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True)), max_lines)
    raise TableError("table_kind")
