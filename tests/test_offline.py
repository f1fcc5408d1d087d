"""Opinions collected on paper: imported from a spreadsheet, then tagged and drafted like any other message."""

from __future__ import annotations

import json

from openpyxl import Workbook
from sqlalchemy import select

from intake.models import Message
from tests.helpers import deputies, import_roster, slug_of, write_roster

OPINIONS = """编号,意见,收集时间
JD-01,东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多。建议尽快清理污水沟。,2026-11-20 09:30
JD-02,柳河镇中心小学门口没有红绿灯，孩子过马路很危险。希望安装信号灯。,2026/11/20
"""


def _import(app, path, *options):
    return app.test_cli_runner().invoke(args=["messages", "import", str(path), *options])


def _drafts(app) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["drafts", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_paper_opinions_are_imported_once_and_drafted_with_their_numbers(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    sheet = tmp_path / "jiedairi.csv"
    sheet.write_text(OPINIONS, encoding="utf-8")
    options = ["--deputy", slug_of(deputy), "--text-col", "意见", "--id-col", "编号", "--time-col", "收集时间"]

    result = _import(app, sheet, *options)
    assert result.exit_code == 0 and "新增 2 条意见" in result.output, result.output
    again = _import(app, sheet, *options)
    assert again.exit_code == 0 and "新增 0 条意见，跳过已导入的 2 条" in again.output, again.output
    run_jobs()

    with runtime.sessions() as session:
        stored = session.scalars(select(Message).order_by(Message.id)).all()
        assert [(m.external_id, m.channel, m.deputy_id) for m in stored] == [
            ("JD-01", "offline", deputy["id"]), ("JD-02", "offline", deputy["id"])]
        # Collected on the 20th (local time): the receipt carries that day.
        assert all(m.receipt.startswith("MS-20261120-") for m in stored)
    drafts = _drafts(app)
    sources = sorted(m["external_id"] for d in drafts for m in d["messages"])
    assert sources == ["JD-01", "JD-02"]
    assert all(d["deputy_id"] == deputy["id"] and d["title"].startswith("关于") for d in drafts)
    by_source = {m["external_id"]: d for d in drafts for m in d["messages"]}
    assert by_source["JD-01"]["topic"] == "环境保护"
    assert any("建议尽快清理污水沟" in p["text"] for p in by_source["JD-01"]["sections"]["proposals"])


def test_a_file_with_bad_lines_imports_nothing_and_names_every_bad_line(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    sheet = tmp_path / "bad.csv"
    sheet.write_text("编号,意见,收集时间\nA,路灯坏了,2026-11-20\nB,,2026-11-20\nA,井盖丢了,下周三\nC,"
                     + "很" * 10_001 + ",\n", encoding="utf-8")
    result = _import(app, sheet, "--deputy", str(deputies(app)[0]["id"]), "--text-col", "意见", "--id-col", "编号",
                     "--time-col", "收集时间")
    assert result.exit_code == 1
    for expected in ("没有导入任何意见", "第 3 行：意见内容是空的", "第 4 行：编号“A”与第 2 行重复", "第 4 行：时间“下周三”看不懂",
                     "第 5 行：意见有 10001 个字，超过了 10000 字的上限"):
        assert expected in result.output
    with runtime.sessions() as session:
        assert session.scalars(select(Message)).all() == []

    unknown = _import(app, sheet, "--deputy", "no-such-code", "--text-col", "意见")
    assert unknown.exit_code == 1 and "找不到代表“no-such-code”" in unknown.output
    wrong_column = _import(app, sheet, "--deputy", str(deputies(app)[0]["id"]), "--text-col", "内容")
    assert wrong_column.exit_code == 1 and "文件中没有列“内容”" in wrong_column.output


def test_an_excel_sheet_without_numbers_skips_opinions_already_imported(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    book = Workbook()
    book.active.append(["意见"])
    book.active.append(["青石街道幸福小区电梯经常坏，老人上下楼很困难。"])
    book.active.append(["<script>alert(1)</script> 青石街道的路灯晚上不亮"])
    path = tmp_path / "opinions.xlsx"
    book.save(path)
    options = ["--deputy", str(deputies(app)[0]["id"]), "--text-col", "意见"]
    assert "新增 2 条意见" in _import(app, path, *options).output
    assert "跳过已导入的 2 条" in _import(app, path, *options).output
    with runtime.sessions() as session:
        texts = session.scalars(select(Message.text).order_by(Message.id)).all()
    assert texts[1] == "<script>alert(1)</script> 青石街道的路灯晚上不亮"


def test_line_breaks_a_system_export_spelled_out_are_breaks_in_the_draft(app, runtime, run_jobs, tmp_path):
    # Letters exported from a hotline's system keep each line break as Excel's escape, _x000D_ and a space.
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    sheet = tmp_path / "rexian.csv"
    sheet.write_text("编号,意见\nRX-1,尊敬的领导：_x000D_ 东湖路菜市场旁边的污水沟夏天臭味很大。_x000D_ 建议尽快清理污水沟。_x000D_\n",
                     encoding="utf-8")
    result = _import(app, sheet, "--deputy", slug_of(deputy), "--text-col", "意见", "--id-col", "编号")
    assert result.exit_code == 0 and "新增 1 条意见" in result.output, result.output
    run_jobs()

    with runtime.sessions() as session:
        assert session.scalars(select(Message.text)).all() == [
            "尊敬的领导：\n东湖路菜市场旁边的污水沟夏天臭味很大。\n建议尽快清理污水沟。\n"]
    shown = json.dumps(_drafts(app), ensure_ascii=False)
    assert "建议尽快清理污水沟" in shown and "x000" not in shown
