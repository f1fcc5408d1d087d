"""Text from outside made safe to store, and to write into XML documents (.docx) and spreadsheets (.xlsx)."""

from __future__ import annotations

import re

from openpyxl.cell import WriteOnlyCell

# What XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates; U+FFFE/U+FFFF) and the
# other Unicode non-characters: none of them is readable text, and any of them breaks a .docx or .xlsx. And the
# direction overrides and isolates (U+202A–U+202E, U+2066–U+2069): Chinese text needs none, and one pasted into a
# message turns the rest of a sentence around wherever it is shown (请转交住建局 read as 局建住交转请).
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def writable(text: str) -> str:
    """The text without control characters, direction overrides, lone surrogates and non-characters; everything
    readable kept."""
    return _UNWRITABLE.sub("", text)


def spreadsheet_text(text: str) -> str:
    """Writable text for a CSV cell that no spreadsheet program will take for a formula: a leading quote disarms it."""
    text = writable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """An .xlsx cell that holds text and nothing else: stored as a string, never a formula, and one that starts
    like a formula is marked as Excel marks a typed leading quote (quotePrefix), which it hides: the reader sees
    =HYPERLINK… as written, not '=HYPERLINK…, and editing the cell does not run it either."""
    text = writable(value)
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell
