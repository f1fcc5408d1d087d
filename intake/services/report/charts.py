"""The report's charts as PNG bytes, drawn with matplotlib from the report's numbers.

Labels are Chinese, so the font must have CJK glyphs: the Noto CJK fonts Debian's `fonts-noto-cjk` installs
(in the image too), else WenQuanYi; without either the chart would show empty boxes.
"""

from __future__ import annotations

import functools
import io
import logging

import matplotlib

matplotlib.use("Agg")  # no display: draw into memory only

from matplotlib import font_manager  # noqa: E402  (the backend must be chosen first)
from matplotlib.figure import Figure  # noqa: E402

from intake.services.lifecycle.figures import rate_text, share_text  # noqa: E402
from intake.services.report.numbers import RATES  # noqa: E402

CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"]
BAR_COLOUR, RATE_COLOUR = "#b22222", "#1f5f99"
DPI = 150
log = logging.getLogger(__name__)
MOST_BARS = 12  # more bars than this would not read in a printed page; the tables list them all


@functools.cache
def font_file() -> str | None:
    """The first installed CJK font; None leaves matplotlib's default (and Chinese unreadable)."""
    found = _cjk_font()
    if found is None:
        # matplotlib keeps its list of fonts (~/.cache/matplotlib) from its first run: fonts installed after it
        # are missing from the list until they are added.
        for path in font_manager.findSystemFonts():
            if "CJK" in path or "wqy" in path.lower():
                font_manager.fontManager.addfont(path)
        found = _cjk_font()
    if found is None:
        log.error("no CJK font found (install fonts-noto-cjk): the report's charts will show empty boxes")
    return found


def _cjk_font() -> str | None:
    for family in CJK_FAMILIES:
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    return None


def _font(size: float = 10) -> font_manager.FontProperties:
    return font_manager.FontProperties(fname=font_file(), size=size)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return out.getvalue()


def bars(title: str, rows: list[tuple[str, float, str]], *, colour: str = BAR_COLOUR,
         most: float | None = None) -> bytes:
    """Horizontal bars, first row on top, each with its value written at its end; `most` fixes the scale."""
    if len(rows) > MOST_BARS:
        title, rows = f"{title}（前{MOST_BARS}）", rows[:MOST_BARS]
    font = _font()
    figure = Figure(figsize=(6.2, 0.45 * max(len(rows), 1) + 0.9))
    axes = figure.add_subplot()
    names = [name for name, _, _ in rows][::-1]
    values = [value for _, value, _ in rows][::-1]
    axes.barh(range(len(rows)), values, color=colour, height=0.6)
    axes.set_yticks(range(len(rows)), names, fontproperties=font)
    top = most or max(values, default=0) or 1
    axes.set_xlim(0, top * 1.18)
    for index, (_, value, text) in enumerate(rows[::-1]):
        axes.text(value + top * 0.01, index, text, va="center", fontproperties=font)
    axes.set_title(title, fontproperties=_font(12))
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=9)
    return _png(figure)


def charts(numbers: dict) -> dict[str, bytes]:
    """The report's four charts by name: reply categories, the four rates, units and citizens' topics."""
    f = numbers["figures"]
    drawn = {
        "categories": bars("答复类别占比（%）", [(f"{key}类", f["shares"][key], share_text(f, key))
                                          for key in ("A", "B", "C", "D")], most=100),
        "rates": bars("办理情况（%）", [(name, f[key], rate_text(f, key)) for name, key in RATES],
                      colour=RATE_COLOUR, most=100),
    }
    if numbers["units"]:
        drawn["units"] = bars("各承办单位主办件数", [(u["name"], u["total"], f"{u['total']}件")
                                            for u in numbers["units"]])
    if numbers["topics"]["topics"]:
        drawn["topics"] = bars("群众留言分类（条）", [(t["name"], t["messages"], f"{t['messages']}条")
                                              for t in numbers["topics"]["topics"]], colour=RATE_COLOUR)
    return drawn

