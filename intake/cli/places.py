"""`mashang places …`: the district's proper names (estates, roads, schools, companies) kept whole."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="地名和单位名称。")
def places():
    pass


@places.command("import", help="导入本地地名表（每行一个名称，或 CSV 的第一列；# 后为注释），分词时保持完整。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def places_import(file: Path):
    from intake.services.drafts import names

    with _runtime().sessions() as session, session.begin():
        count = names.import_gazetteer(session, file.read_text(encoding="utf-8-sig").splitlines())
    click.echo(f"导入完成：地名表共 {count} 个名称。")
