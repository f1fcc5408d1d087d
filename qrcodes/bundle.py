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
        return f"{self.number:04d}-{_safe(self.card.name)[:20]}"

    @property
    def poster_name(self) -> str:
        """<姓名>-<联络站>.pdf: the file a clerk sends to the print shop, named for whom it is."""
        return f"{_safe(self.card.name)[:20]}-{_safe(self.card.station)[:40]}.pdf"


def _safe(text: str) -> str:
    # Only letters, digits and CJK: nothing a roster says can climb out of the folder.
    return re.sub(r"[^\w\u4e00-\u9fff]", "", text)


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
            yield entry.poster_name, pdf.poster([entry.card], logo=logo)


def contact_sheets(entries: list[Entry], logo: bytes | None = None) -> Iterator[tuple[str, bytes]]:
    ordered = sorted(entries, key=lambda e: (e.card.station, e.number))
    for station, group in groupby(ordered, key=lambda e: e.card.station):
        yield f"{_safe(station)[:40]}-代表二维码.pdf", pdf.contact_sheet(station, [e.card for e in group], logo=logo)


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()
