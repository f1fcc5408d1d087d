"""Reading .csv and .xlsx files into numbered rows of text, whatever spreadsheet program made them."""

from __future__ import annotations

import csv
import io
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


def _rows_from_matrix(matrix: list[list]) -> list[Row]:
    if not matrix:
        raise TableError("table_empty")
    header = [_cell(h) for h in matrix[0]]
    rows = []
    for offset, raw in enumerate(matrix[1:], start=2):
        values = {name: _cell(raw[i]) if i < len(raw) else "" for i, name in enumerate(header) if name}
        if any(values.values()):
            rows.append(Row(offset, values))
    return rows


def read_table(filename: str, data: bytes) -> list[Row]:
    """Rows numbered as a spreadsheet shows them: the header is line 1, blank lines are skipped."""
    return _rows_from_matrix(_matrix(filename, data))


def read_cells(filename: str, data: bytes) -> list[list[str]]:
    """Every line of a .xlsx or .csv as its cells' text, the header line included; any other file is read as
    CSV text (a line without commas is one cell)."""
    suffix = Path(filename).suffix.lower()
    return [[_cell(value) for value in row] for row in _matrix(filename if suffix == ".xlsx" else "text.csv", data)]


def _matrix(filename: str, data: bytes) -> list[list]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            return list(csv.reader(io.StringIO(decode_text(data), newline="")))
        except csv.Error as exc:
            raise TableError("table_csv", detail=str(exc)) from exc
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise TableError("table_xlsx", detail=str(exc)) from exc
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    raise TableError("table_kind")
