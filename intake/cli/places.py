"""`mashang places …`: the district's proper names (estates, roads, schools, companies) kept whole."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="地名和单位名称。")
def places():
    pass


@places.command("import", help="导入本地地名表（每行一个名称；CSV、Excel 表读标题为“名称”或“地名”的列，"
                               "没有这样的标题时读第一列；# 后为注释），分词时保持完整。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def places_import(file: Path):
    from intake.services.console.tables import TableError, read_cells
    from intake.services.drafts import names
    from intake.web import wording

    try:
        lines = names.gazetteer_column(read_cells(file.name, file.read_bytes()))
    except TableError as exc:
        click.echo("地名表有误，没有导入任何名称：\n" + "\n".join(wording.lines_of(exc)), err=True)
        sys.exit(1)
    with _runtime().sessions() as session, session.begin():
        count = names.import_gazetteer(session, lines)
    if not count:
        click.echo("文件里没有可导入的名称（每行一个名称，至少 2 个字），地名表没有改动。", err=True)
        sys.exit(1)
    click.echo(f"导入完成：读入 {count} 个名称（地名表里已有的不会重复）。")
