"""Phone, ID-card and bank-card numbers and e-mail addresses: masked wherever people other than authorised
staff could see them.

Each kind of number is one row of PATTERNS (what it looks like, how it is shown masked); a new kind is a
new row. Digits may be typed full-width, and groups split by spaces, dashes, dots, slashes or dashes of
Chinese punctuation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from intake.models import Message

D = "[0-9０-９]"  # a digit, half- or full-width
SEP = r"[\s\-－.．/／—–_·]{0,2}"  # between digits, as people type them
_BEFORE, _AFTER = "(?<![0-9０-９])", "(?![0-9０-９XxＸｘ])"


def _digits(count: int) -> str:
    """`count` digits, each possibly preceded by a separator."""
    return f"(?:{SEP}{D}){{{count}}}"


def _plain(text: str) -> str:
    """Only the digits (and an ID number's X), half-width."""
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).upper())


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match) -> str:
    # Order and reference numbers are this long too: only a number passing the card checksum is a card.
    digits = _plain(match.group())
    return f"{digits[:4]}****{digits[-4:]}" if _luhn(digits) else match.group()


def _email(match: re.Match) -> str:
    local, domain = unicodedata.normalize("NFKC", match.group()).split("@", 1)
    return f"{local[0]}***@{domain}"


@dataclass(frozen=True)
class MaskPattern:
    name: str
    regex: re.Pattern
    masked: Callable[[re.Match], str]


PATTERNS = (
    # 18-digit ID numbers, the last one possibly X.
    MaskPattern("id_card", re.compile(f"{_BEFORE}{D}{_digits(16)}{SEP}[0-9０-９XxＸｘ]{_AFTER}"),
                lambda m: f"{_plain(m.group())[:3]}***********{_plain(m.group())[-1]}"),
    # Bank cards: 16 to 19 digits, usually typed in groups of four.
    MaskPattern("bank_card", re.compile(f"{_BEFORE}{D}(?:{SEP}{D}){{15,18}}{_AFTER}"), _card),
    # Mobiles, with or without the country code 86 / +86 in front (kept, it tells nothing).
    MaskPattern("mobile", re.compile(f"{_BEFORE}((?:[+＋]?[8８][6６]{SEP})?)([1１]{SEP}[3-9３-９]{_digits(9)}){_AFTER}"),
                lambda m: f"{unicodedata.normalize('NFKC', m.group(1))}{_plain(m.group(2))[:3]}****"
                          f"{_plain(m.group(2))[-4:]}"),
    # 15-digit ID numbers, issued before 1999 and still found on old papers.
    MaskPattern("old_id_card", re.compile(f"{_BEFORE}{D}{_digits(14)}{_AFTER}"),
                lambda m: f"{_plain(m.group())[:3]}*********{_plain(m.group())[-3:]}"),
    # Landlines with their area code, which may stand in brackets: (0731)84123456.
    MaskPattern("landline", re.compile(f"{_BEFORE}[(（]?([0０]{D}{{2,3}})[)）]?{SEP}({D}{{3,4}}){SEP}({D}{{4}}){_AFTER}"),
                lambda m: f"{_plain(m.group(1))}-****{_plain(m.group(3))}"),
    # E-mail addresses, the @ possibly full-width; the domain stays (it says only which provider).
    MaskPattern("email", re.compile(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
                _email),
)


def mask(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.regex.sub(pattern.masked, text)
    return text


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def contact_for_export(message: Message) -> str:
    return message.contact_phone if message.share_phone and message.contact_phone else mask_phone(message.contact_phone)
