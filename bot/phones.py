"""Phone numbers as people type them: the one recogniser both the chat (which keeps the number a citizen leaves)
and the masking of text (which hides it) use, so a number the chat takes is a number every page hides.

Digits may be half- or full-width or Chinese numerals (一三八, 幺 read as one, 两 as two, 壹叁捌 as on a cheque), and
groups split by spaces, dashes, dots, slashes, tildes, commas or 、, a few of them together ("138 - 1234 - 5678")."""

from __future__ import annotations

import re
import unicodedata

_CHINESE = "〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_CHINESE_DIGITS = str.maketrans(_CHINESE, "0012345678912123456789")
_ARABIC = "0-9０-９"
DIGIT = f"[{_ARABIC}{_CHINESE}]"
SEP = r"[\s\-－‐‑‒.．/／—–_·~～,，、]{0,3}"  # between digits; bounded, so a failed match costs little
# No digit right before or after a number. A numeral beside Arabic digits is a word ("138…一直打不通", "三天"), so
# numerals bound only a number whose own first or last digit is a numeral.
BEFORE = f"(?<![{_ARABIC}])(?:(?=[{_ARABIC}+＋])|(?<![{_CHINESE}]))"
AFTER = f"(?![{_ARABIC}XxＸｘ])(?:(?<=[{_ARABIC}XxＸｘ])|(?![{_CHINESE}]))"


def digits(count: int) -> str:
    """`count` digits, each possibly preceded by a separator."""
    return f"(?:{SEP}{DIGIT}){{{count}}}"


def plain(text: str) -> str:
    """Only the digits (and an ID number's X), half-width."""
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).translate(_CHINESE_DIGITS).upper())


# Mobiles, with or without the country code 86 / +86 in front (group 1), the number itself (group 2).
MOBILE = re.compile(f"{BEFORE}((?:[+＋]?[8８][6６]{SEP})?)([1１一幺壹]{SEP}[3-9３-９三四五六七八九叁肆伍陆柒捌玖]{digits(9)}){AFTER}")
# Landlines with their area code, which may stand in brackets: (0731)84123456; area code, exchange, last four.
LANDLINE = re.compile(f"{BEFORE}[(（]?([0０〇零]{DIGIT}{{2,3}})[)）]?{SEP}({DIGIT}{{3,4}}){SEP}({DIGIT}{{4}}){AFTER}")
# A landline without its area code, only after a word naming it ("座机84123456", "固话 8412 3456"): seven or eight
# digits alone are as often an amount or a code.
LOCAL_LANDLINE = re.compile(f"(?P<label>座机|固话|固定电话|家里电话|家庭电话)(?:号码?)?(?:是|为)?[:：\\s]*"
                            f"(?P<number>[2-9２-９二三四五六七八九叁肆伍陆柒捌玖](?:{SEP}{DIGIT}){{6,7}}){AFTER}")

# A mobile with a digit or more too few or too many (1381234567), written any way MOBILE reads one.
_NEAR_MOBILE = re.compile(f"{BEFORE}(?:[+＋]?[8８][6６]{SEP})?[1１一幺壹](?:{SEP}{DIGIT}){{8,11}}{AFTER}")


def near_mobile(text: str) -> bool:
    """Digits meant as a mobile number that are not one: the chat asks for it again rather than take them as words
    of the report. Call it where `find` found nothing."""
    return _NEAR_MOBILE.search(text) is not None


def mobile_alone(text: str) -> bool:
    """The whole text is digits meant as a mobile, right or a digit or more off ("13812345678", "+86 138123456"):
    the same bound as `near_mobile`, so the chat reads such digits alike at every question."""
    return _NEAR_MOBILE.fullmatch(text) is not None


def find(text: str) -> tuple[int, int, str] | None:
    """The first mobile or landline number in `text`: where it starts and ends, and its digits as stored (a
    mobile without its country code)."""
    found = [(m.start(), m.end(), plain(m.group(2))) for m in (MOBILE.search(text),) if m]
    found += [(m.start(), m.end(), plain(m.group())) for m in (LANDLINE.search(text),) if m]
    found += [(m.start("number"), m.end(), plain(m.group("number"))) for m in (LOCAL_LANDLINE.search(text),) if m]
    return min(found) if found else None
