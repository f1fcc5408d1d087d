"""`mashang db …`: Alembic migrations."""

from __future__ import annotations

import sys

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
    from intake.cli.accounts import FIRST_ADMIN
    from intake.services.console import admin

    runtime = _runtime()
    try:
        before = migrate.upgrade(runtime.engine)
    except migrate.Refused as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
    click.echo("已创建数据库并升级到最新结构。" if before is None else
               "数据库已是最新结构。" if before == migrate.head() else "已把数据库升级到最新结构。")
    with runtime.sessions() as session:
        if not admin.has_administrator(session):
            # A new district: say the next command, as it is to be typed.
            click.echo(f"下一步：创建第一个管理员账号（会提示输入两次密码）：\n  {FIRST_ADMIN}\n"
                       "然后启动服务（mashang up），登录工作人员后台导入代表名册。")


@db.command("revision", help="(开发用) 按模型变化生成迁移脚本。")
@click.option("-m", "--message", required=True, help="迁移脚本的说明（写进文件名和脚本开头）。")
@with_appcontext
def db_revision(message):
    migrate.autogenerate(_runtime().engine, message)


@db.command("check", help="检查模型与迁移是否一致。")
@with_appcontext
def db_check():
    try:
        migrate.check(_runtime().engine)
    except migrate.Mismatch as exc:
        raise click.ClickException(f"模型与迁移不一致，需要新的迁移（mashang db revision）：{exc}") from exc
    click.echo("模型与迁移一致。")
