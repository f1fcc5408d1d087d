"""Time generating every code (PNG + SVG + A4 poster PDF) and the contact sheets for 200 deputies.

    .venv/bin/python -m bench.qrcodes [--deputies 200] [--base-url https://mashang.example.gov.cn]

Target: well under 30 s on our 2-core machines. Also prints the QR version each link length produces.
"""

from __future__ import annotations

import argparse
import time

from intake.services.reception.links import new_slug
from qrcodes import bundle, pdf, render


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deputies", type=int, default=200)
    parser.add_argument("--base-url", default="https://mashang.example.gov.cn")
    args = parser.parse_args()

    entries = [
        bundle.Entry(i, pdf.Card(f"代表{i:03d}", "区", f"第{i % 12 + 1}联络站", f"{args.base_url}/c/{new_slug()}"))
        for i in range(1, args.deputies + 1)
    ]
    link = entries[0].card.link
    for logo in (False, True):
        code = render.encode(link, logo=logo)
        print(f"link of {len(link)} characters, level {code.level}: version {code.version} "
              f"({code.symbol_modules}×{code.symbol_modules} modules)")

    totals = {}
    sizes = {}
    started = time.perf_counter()
    for fmt in bundle.FORMATS:
        t = time.perf_counter()
        sizes[fmt] = sum(len(data) for e in entries for _, data in bundle.deputy_files(e, [fmt]))
        totals[fmt] = time.perf_counter() - t
    t = time.perf_counter()
    sheets = list(bundle.contact_sheets(entries))
    totals["contact sheets"] = time.perf_counter() - t
    sizes["contact sheets"] = sum(len(data) for _, data in sheets)
    elapsed = time.perf_counter() - started

    for name, seconds in totals.items():
        print(f"{name:>15}: {seconds:6.2f} s  ({sizes[name] / 1024:8.0f} KiB)")
    print(f"{'all':>15}: {elapsed:6.2f} s for {len(entries)} deputies "
          f"({len(entries) / elapsed:.0f} deputies/s; target < 30 s: {'met' if elapsed < 30 else 'NOT met'})")


if __name__ == "__main__":
    main()
