"""`mashang db …`: Alembic migrations."""

from __future__ import annotations


import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime

from intake import migrate


@click.group(help="数据库迁移。")
def db():
    pass


@db.command("upgrade", help="把数据库升级到最新结构。")
@with_appcontext
def db_upgrade():
    migrate.upgrade(_runtime().engine)
    click.echo("数据库已是最新结构。")


@db.command("revision", help="(开发用) 按模型变化生成迁移脚本。")
@click.option("-m", "--message", required=True, help="迁移脚本的说明（写进文件名和脚本开头）。")
@with_appcontext
def db_revision(message):
    migrate.autogenerate(_runtime().engine, message)


@db.command("check", help="检查模型与迁移是否一致。")
@with_appcontext
def db_check():
    migrate.check(_runtime().engine)
    click.echo("模型与迁移一致。")
