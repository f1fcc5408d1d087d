"""A suggestion's points (存在问题, 具体建议) numbered as they are read: one a line, each with its number."""

from __future__ import annotations

import re

_CHINESE_NUMBER = "[一二三四五六七八九十]{1,3}"
# The number a deputy already wrote at a point's head, as deputies write one: 1. 1、 1） （1） ① ⑴ ⒈ 一、 （一）.
# A figure read as a measure, an amount, a year or an hour (1.5米, 1,000元, 2024年, 10:30) is no number of a point.
_OWN_NUMBER = re.compile(
    rf"\s*(?:\d{{1,3}}\s*(?:[.．](?!\d)|[、)）])|{_CHINESE_NUMBER}\s*[、.．]"
    rf"|[（(]\s*(?:\d{{1,3}}|{_CHINESE_NUMBER})\s*[)）]|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f])"
)


def has_own_number(point: str) -> bool:
    return _OWN_NUMBER.match(point) is not None


def numbered(lines: list[str]) -> list[tuple[str, str]]:
    """Each point with the number to put before it ("1. "), or "" for a point that starts with its own number:
    numbering it again read as 1. 1. 请区城市管理局…. The point's text is kept as written."""
    return [("" if has_own_number(line) else f"{index}. ", line) for index, line in enumerate(lines, start=1)]
