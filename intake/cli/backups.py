"""`mashang backup` and `mashang restore`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.command(help="备份数据库到目录（SQLite 在线备份；PostgreSQL 用 pg_dump -Fc），答复附件另存为同名 .files.tar。服务可以不停。")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="备份文件写到这个目录。")
@with_appcontext
def backup(out_dir: Path):
    from intake.ops import backup as backups

    try:
        settings = _runtime().settings
        written = backups.backup(settings.database_url, out_dir, settings.instance_dir)
    except backups.BackupError as exc:
        click.echo(f"备份失败：{exc}", err=True)
        sys.exit(1)
    click.echo(f"已备份到 {written}")
    if backups.files_of(written).is_file():
        click.echo(f"答复附件已备份到 {backups.files_of(written)}")


@click.command(help="用备份文件替换数据库的全部内容（旁边有同名 .files.tar 时也恢复答复附件）。先停止网站和任务进程。")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再确认（脚本用）。")
@with_appcontext
def restore(backup_file: Path, yes: bool):
    from intake.ops import backup as backups

    runtime = _runtime()
    if not yes:
        click.confirm(f"用 {backup_file.name} 替换当前数据库的全部内容？", abort=True)
    runtime.engine.dispose()
    try:
        backups.restore(runtime.settings.database_url, backup_file, runtime.settings.instance_dir)
    except backups.BackupError as exc:
        click.echo(f"恢复失败，数据库未改动：{exc}", err=True)
        sys.exit(1)
    click.echo("已恢复。请运行 mashang db upgrade 后再启动服务。")
