"""`mashang demo load` and `mashang up`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from intake import migrate
from intake.cli.context import runtime as _runtime
from intake.cli.context import service_runtime


@click.group(help="演示数据。")
def demo():
    pass


@demo.command("load", help="数据库为空时载入演示区（联络站、代表、账号和群众留言）。")
@with_appcontext
def demo_load():
    from intake.launcher import load_demo_if_empty

    load_demo_if_empty(_runtime())


@click.command(help="一条命令启动全部：内置 Redis、迁移、网站、任务进程和定时任务；加 --demo 时空库载入演示区。")
@click.option("--port", type=int, default=None, help="网站端口（默认取 PORT，否则 5000）。")
@click.option("--demo", is_flag=True, help="数据库为空时载入演示区（make run 用）。")
@click.option("--verbose", is_flag=True, help="运行日志全部显示在终端（默认只显示警告和错误，完整日志写在 instance/logs/ 下）。")
@with_appcontext
def up(port, demo, verbose):
    from intake.launcher import run

    if demo and _runtime().settings.env == "production":
        raise click.UsageError("生产环境（MASHANG_ENV=production）不能载入演示数据。")
    try:
        run(service_runtime(), port=port, demo=demo, verbose=verbose)
    except migrate.Refused as refused:  # stopped before serving: the upgrade says what to do first
        click.echo(str(refused), err=True)
        sys.exit(1)
