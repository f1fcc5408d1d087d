"""`mashang demo load` and `mashang up`."""

from __future__ import annotations


import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="演示数据。")
def demo():
    pass


@demo.command("load", help="数据库为空时载入演示区（联络站、代表、账号和群众留言）。")
@with_appcontext
def demo_load():
    from intake.launcher import load_demo_if_empty

    load_demo_if_empty(_runtime())


@click.command(help="一条命令启动全部：内置 Redis、迁移、演示数据、网站、任务进程和定时任务。")
@click.option("--port", type=int, default=None, help="网站端口（默认取 PORT，否则 5000）。")
@with_appcontext
def up(port):
    from intake.launcher import run

    run(_runtime(), port=port)
