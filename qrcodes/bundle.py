"""Every file a print run needs, as (file name, bytes): per-deputy codes and per-station contact sheets."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from qrcodes import pdf, render

FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class Entry:
    number: int
    card: pdf.Card

    @property
    def stem(self) -> str:
        # Only letters, digits and CJK from the name: nothing a roster says can climb out of the folder.
        safe = re.sub(r"[^\w\u4e00-\u9fff]", "", self.card.name)[:20]
        return f"{self.number:04d}-{safe}"


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"未知格式：{'、'.join(unknown) or '（空）'}；可选 png、svg、pdf。")
    return chosen


def deputy_files(entry: Entry, formats: Iterable[str], logo: bytes | None = None) -> Iterator[tuple[str, bytes]]:
    for fmt in formats:
        if fmt == "png":
            yield f"{entry.stem}.png", render.png(entry.card.link, logo=logo)
        elif fmt == "svg":
            yield f"{entry.stem}.svg", render.svg(entry.card.link)
        elif fmt == "pdf":
            yield f"{entry.stem}-poster.pdf", pdf.poster([entry.card], logo=logo)


def contact_sheets(entries: list[Entry], logo: bytes | None = None) -> Iterator[tuple[str, bytes]]:
    ordered = sorted(entries, key=lambda e: (e.card.station, e.number))
    for index, (station, group) in enumerate(groupby(ordered, key=lambda e: e.card.station), start=1):
        yield f"contact-sheet-{index:02d}.pdf", pdf.contact_sheet(station, [e.card for e in group], logo=logo)


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()
