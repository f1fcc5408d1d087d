"""`mashang replies check FILE`: the reply check over messages and the answers already published."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click


@click.group(help="答复核查：答复是否回应了所提的问题。")
def replies():
    pass


@replies.command("check", help="逐行核查已发布的答复（.xlsx 或 .csv）：打印每行的等级（充分/部分/不充分）和理由。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--question-col", required=True, help="群众留言（问题）所在的列。")
@click.option("--reply-col", required=True, help="答复所在的列。")
@click.option("--subject-col", default=None, help="留言标题所在的列（可选，作为问题的一部分）。")
@click.option("--asked-col", default=None, help="留言时间所在的列（可选，与 --replied-col、--days 一起判断是否按时）。")
@click.option("--replied-col", default=None, help="答复时间所在的列（可选）。")
@click.option("--days", type=int, default=0, help="办理期限天数（可选）。")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="把结果写入 .xlsx 或 .csv 文件（原有各列之后加“等级”“理由”“逐点回应”）。")
@click.option("--quiet", is_flag=True, help="不逐行打印，只打印汇总。")
def replies_check(file: Path, question_col: str, reply_col: str, subject_col: str | None, asked_col: str | None,
                  replied_col: str | None, days: int, out: Path | None, quiet: bool):
    from intake.services.errors import InvalidInput
    from intake.services.replies import audit, scoring
    from intake.web import wording

    started = time.perf_counter()
    columns = audit.Columns(question_col, reply_col, subject_col, asked_col, replied_col, max(0, days))
    try:
        header, checked = audit.check_file(file, columns)
        if out is not None:
            audit.write(checked, header, out)
    except InvalidInput as exc:
        click.echo("无法核查：\n" + "\n".join(wording.lines_of(exc)), err=True)
        sys.exit(1)
    if not quiet:
        for item in checked:
            click.echo(f"第 {item.row.line} 行\t{item.check.level}\t" + audit.reason_text(item.check))
    counts = {level: sum(item.check.level == level for item in checked) for level in scoring.LEVELS}
    summary = "，".join(f"{level} {n}" for level, n in counts.items())
    click.echo(f"共核查 {len(checked)} 条答复：{summary}；用时 {time.perf_counter() - started:.1f} 秒。")
    if out is not None:
        click.echo(f"结果已写入 {out}。")
