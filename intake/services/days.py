"""A day typed the way people write it (2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, 20261201), read once for
every form: date fields are plain text because a browser's date control speaks the browser's language; and a day
written as official documents write it."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Dates outside these cannot be turned into a moment in every time zone (year 1 and 9999 overflow).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")


def read_day(text) -> date | None:
    """The day the text names, or None when it names none (the caller refuses or defaults)."""
    match = _DAY.fullmatch(unicodedata.normalize("NFKC", str(text or "")).strip())
    if not match:
        return None
    year, month, dom = (int(part) for part in match.groups() if part)
    try:
        found = date(year, month, dom)
    except ValueError:
        return None
    return found if FIRST_DAY <= found <= LAST_DAY else None


def official(day) -> str:
    """2026年12月5日: a day as drafts, suggestions and reports write it (no leading zero, not 12月05日)."""
    return f"{day.year}年{day.month}月{day.day}日"
