"""`mashang drafts …`: the draft suggestions the workers wrote."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="建议草稿。")
def drafts():
    pass


@drafts.command("list", help="列出建议草稿及其来源意见。")
@click.option("--deputy", "deputy_id", type=int, default=None, help="只列这位代表的（代表编号）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（含各部分内容和来源意见编号）。")
@with_appcontext
def drafts_list(deputy_id: int | None, as_json: bool):
    from intake.labels import DRAFT_STATUS
    from intake.services.drafts import drafting
    runtime = _runtime()
    with runtime.sessions() as session:
        rows = [drafting.summary(session, draft, runtime.local_tz) for draft in drafting.all_drafts(session, deputy_id)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("还没有建议草稿。")
    for row in rows:
        click.echo(f"#{row['id']} [{DRAFT_STATUS.get(row['status'], row['status'])}] {row['title']} "
                   f"（代表 {row['deputy_id']}，{row['topic']}，{len(row['messages'])} 条意见）")
