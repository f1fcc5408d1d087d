"""`mashang suggestions …`: the office's ledger (台账) and the figures on suggestions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime

# The keys `--json` prints, in this order.
JSON_KEYS = ("year", "total", "answered", "by_category", "shares", "reply_rate", "face_to_face_rate",
             "satisfaction_rate", "completion_rate", "overdue", "face_to_face", "rated", "satisfied", "completed",
             "key_supervision")


@click.group(help="代表建议的台账与办理情况统计。")
def suggestions():
    pass


@suggestions.command("import", help="导入建议台账（.xlsx 或 .csv）；有一行错就一行也不导入，已有的编号不变。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def suggestions_import(file: Path):
    from intake.services.errors import InvalidInput
    from intake.services.lifecycle.ledger import import_ledger
    from intake.web import wording

    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        try:
            result = import_ledger(session, file, "system:cli", rules=runtime.settings.lifecycle)
        except InvalidInput as exc:
            click.echo("台账有误，没有导入任何建议：\n" + "\n".join(wording.lines_of(exc)), err=True)
            sys.exit(1)
    click.echo(f"导入完成：新增 {result['added']} 条建议，{result['unchanged']} 条已有（未改动）。")


@suggestions.command("export", help="把建议台账导出为 .xlsx（列与导入相同）。")
@click.option("--year", type=int, default=None, help="年度（默认全部）。")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出文件。")
@with_appcontext
def suggestions_export(year: int | None, out: Path):
    from intake.services.lifecycle.ledger import export_ledger

    runtime = _runtime()
    with runtime.sessions() as session:
        out.write_bytes(export_ledger(session, year, rules=runtime.settings.lifecycle))
    click.echo(f"已导出到 {out}。")


def _text(result: dict) -> str:
    from intake.services.lifecycle.figures import rate_text, share_text

    categories = "，".join(f"{name}类 {count}（{share_text(result, name)}）"
                          for name, count in result["by_category"].items())
    return "\n".join([
        f"年度：{result['year'] or '全部'}",
        f"建议总数：{result['total']}",
        f"已答复：{result['answered']}（{categories}）",
        f"办复率：{rate_text(result, 'reply_rate')}",
        f"面商率：{rate_text(result, 'face_to_face_rate')}",
        f"满意率：{rate_text(result, 'satisfaction_rate')}（已评价 {result['rated']}）",
        f"办结率：{rate_text(result, 'completion_rate')}",
        f"逾期未办复：{result['overdue']}",
        f"重点督办：{result['key_supervision']}",
    ])


@suggestions.command("stats", help="建议办理情况统计：总数、答复类别、办复率、面商率、满意率、办结率、逾期。")
@click.option("--year", type=int, default=None, help="年度（默认全部年度）。")
@click.option("--json", "as_json", is_flag=True, help="以一个 JSON 对象输出。")
@with_appcontext
def suggestions_stats(year: int | None, as_json: bool):
    from intake.services.lifecycle.figures import figures

    runtime = _runtime()
    with runtime.sessions() as session:
        result = figures(session, year, rules=runtime.settings.lifecycle)
    if as_json:
        click.echo(json.dumps({key: result[key] for key in JSON_KEYS}, ensure_ascii=False))
    else:
        click.echo(_text(result))


@suggestions.command("report", help="生成年度代表建议办理情况报告（.docx，含图表），可同时导出同样数字的 .xlsx。")
@click.option("--year", type=int, required=True, help="年度。")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="报告 .docx 文件。")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="同时写出数字表 .xlsx。")
@with_appcontext
def suggestions_report(year: int, out: Path, xlsx: Path | None):
    from intake.services.lifecycle.handling import rules_or_default, today
    from intake.services.report.files import report_document, report_workbook
    from intake.services.report.numbers import report_numbers

    runtime = _runtime()
    rules = rules_or_default(runtime.settings.lifecycle)
    with runtime.sessions() as session:
        numbers = report_numbers(session, year, rules=rules)
    out.write_bytes(report_document(numbers, today(rules)))
    click.echo(f"已写出 {year} 年度报告：{out}（建议 {numbers['figures']['total']} 件）。")
    if xlsx is not None:
        xlsx.write_bytes(report_workbook(numbers))
        click.echo(f"已写出数字表：{xlsx}。")
