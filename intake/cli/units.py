"""`mashang units …`: the handling units (承办单位) suggestions are assigned to."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="承办单位。")
def units():
    pass


@units.command("import", help="导入承办单位（.xlsx 或 .csv，列：单位名称、简称、联系人、电话）；有一行错就一行也不导入。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def units_import(file: Path):
    from intake.services.errors import InvalidInput
    from intake.services.lifecycle.units import import_units
    from intake.web import wording

    with _runtime().sessions() as session, session.begin():
        try:
            result = import_units(session, file, actor="system:cli")
        except InvalidInput as exc:
            click.echo("单位名单有误，没有导入任何单位：\n" + "\n".join(wording.lines_of(exc)), err=True)
            sys.exit(1)
    click.echo(f"导入完成：新增 {result['added']} 个单位，更新 {result['updated']} 个。")


@units.command("list", help="列出承办单位。")
@with_appcontext
def units_list():
    from sqlalchemy import select

    from intake.models import HandlingUnit

    with _runtime().sessions() as session:
        for unit in session.scalars(select(HandlingUnit).order_by(HandlingUnit.id)):
            state = "" if unit.active else "（已停用）"
            click.echo(f"{unit.id:>4}  {unit.name}  {unit.short_name or ''}  {unit.contact_person or ''}  "
                       f"{unit.phone or ''}{state}")
