"""`mashang deputies …`: the roster."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="代表名册。")
def deputies():
    pass


@deputies.command("import", help="导入代表名册（.xlsx 或 .csv，列：姓名、层级、联络站、手机）。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def deputies_import(file: Path):
    from intake.services.console import roster
    from intake.services.console.tables import TableError, read_table
    from intake.web import wording

    runtime = _runtime()
    try:
        entries = roster.parse(read_table(file.name, file.read_bytes()))
    except (TableError, roster.RosterError) as exc:
        click.echo("名册有误，没有导入任何数据：\n" + "\n".join(wording.lines_of(exc)), err=True)
        sys.exit(1)
    with runtime.sessions() as session, session.begin():
        result = roster.apply(session, entries)
    click.echo(wording.roster_done(result))


@deputies.command("list", help="列出代表及其群众链接。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@with_appcontext
def deputies_list(as_json: bool):
    from intake.services.reception import links
    from intake.services.console.directory import all_deputies

    runtime = _runtime()
    with runtime.sessions() as session:
        rows = [
            {
                "id": d.id,
                "name": d.name,
                "level": d.level,
                "station": d.station.name,
                "active": d.active,
                "link": links.citizen_url(runtime.settings.base_url, d.current_link.slug) if d.current_link else None,
            }
            for d in all_deputies(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:>4}  {row['name']}  {row['level']}  {row['station']}  {row['link'] or '（无链接）'}")
