"""`mashang messages …`: opinions collected on paper."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="群众意见。")
def messages():
    pass


@messages.command("import", help="导入线下收集的意见（.xlsx 或 .csv），与网上留言一样分类、归并成草稿。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--deputy", required=True, help="代表编号，或其群众链接中的代码。")
@click.option("--text-col", required=True, help="意见内容所在的列。")
@click.option("--id-col", default=None, help="意见编号所在的列（可选；再次导入同一文件时据此跳过已导入的）。")
@click.option("--time-col", default=None, help="收集时间所在的列（可选，如 2026-11-25 09:30）。")
@with_appcontext
def messages_import(file: Path, deputy: str, text_col: str, id_col: str | None, time_col: str | None):
    from intake.models import utcnow
    from intake.services.drafts import offline
    from intake.services.console.tables import TableError, read_table
    from intake.web import wording
    from workers.queues import enqueue_after_commit

    runtime = _runtime()
    try:
        rows = read_table(file.name, file.read_bytes())
        with runtime.sessions() as session, session.begin():
            deputy_id = offline.find_deputy(session, deputy).id
            opinions = offline.parse(rows, text_col=text_col, id_col=id_col, time_col=time_col,
                                     local_tz=runtime.local_tz, now=utcnow())
            result = offline.store(session, deputy_id, opinions, local_tz=runtime.local_tz)
    except (TableError, offline.OfflineImportError) as exc:
        click.echo("没有导入任何意见：\n" + "\n".join(wording.lines_of(exc)), err=True)
        sys.exit(1)
    for message_id in result.stored:
        enqueue_after_commit(runtime.redis, message_id)
    skipped = f"，跳过已导入的 {result.skipped} 条" if result.skipped else ""
    click.echo(f"导入完成：新增 {len(result.stored)} 条意见{skipped}。")
