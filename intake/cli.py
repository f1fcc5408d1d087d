"""The `mashang` command: Flask's CLI over create_app(), plus our own commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from intake import create_app, migrate
from intake.runtime import Runtime


def _runtime() -> Runtime:
    return current_app.extensions["mashang"]


# --- db ---------------------------------------------------------------------------------------
@click.group(help="数据库迁移。")
def db():
    pass


@db.command("upgrade", help="把数据库升级到最新结构。")
@with_appcontext
def db_upgrade():
    migrate.upgrade(_runtime().engine)
    click.echo("数据库已是最新结构。")


@db.command("revision", help="(开发用) 按模型变化生成迁移脚本。")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message):
    migrate.autogenerate(_runtime().engine, message)


@db.command("check", help="检查模型与迁移是否一致。")
@with_appcontext
def db_check():
    migrate.check(_runtime().engine)
    click.echo("模型与迁移一致。")


# --- deputies ---------------------------------------------------------------------------------
@click.group(help="代表名册。")
def deputies():
    pass


@deputies.command("import", help="导入代表名册（.xlsx 或 .csv，列：姓名、层级、联络站、手机）。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def deputies_import(file: Path):
    from intake.services import roster
    from intake.services.tables import TableError, read_table

    runtime = _runtime()
    try:
        entries = roster.parse(read_table(file.name, file.read_bytes()))
    except (TableError, roster.RosterError) as exc:
        click.echo(f"名册有误，没有导入任何数据：\n{exc}", err=True)
        sys.exit(1)
    with runtime.sessions() as session, session.begin():
        result = roster.apply(session, entries)
    click.echo(f"导入完成：新增 {result.created} 位代表，更新 {result.updated} 位。")


@deputies.command("list", help="列出代表及其群众链接。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@with_appcontext
def deputies_list(as_json: bool):
    from intake.services import links
    from intake.services.directory import all_deputies

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


# --- QR codes ---------------------------------------------------------------------------------
@click.group(help="代表二维码：生成、停用、换新。")
def qrcodes():
    pass


@qrcodes.command("generate", help="生成二维码（PNG、SVG、A4 海报 PDF）和各联络站的汇总打印页。")
@click.option("--deputy", "deputy_ids", type=int, multiple=True, help="代表编号，可重复；不填则生成全部在任代表。")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出目录。")
@click.option("--format", "formats", default="png,svg,pdf", show_default=True, help="格式，逗号分隔。")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="放在二维码中央的徽标图片（最多占宽度 25%）。")
@with_appcontext
def qrcodes_generate(deputy_ids, out_dir: Path, formats: str, logo: Path | None):
    from intake.services import qr
    from qrcodes import bundle

    try:
        chosen = bundle.parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc
    runtime = _runtime()
    with runtime.sessions() as session:
        entries = qr.entries(session, runtime.settings.base_url, list(deputy_ids) or None)
    missing = sorted(set(deputy_ids) - {e.number for e in entries})
    if missing:
        click.echo(f"以下代表不存在、已离任或二维码已停用：{', '.join(map(str, missing))}", err=True)
        sys.exit(1)
    logo_bytes = logo.read_bytes() if logo else None
    out_dir.mkdir(parents=True, exist_ok=True)
    with click.progressbar(entries, label="生成二维码", show_pos=True) as bar:
        for entry in bar:
            for name, data in bundle.deputy_files(entry, chosen, logo_bytes):
                (out_dir / name).write_bytes(data)
    sheets = list(bundle.contact_sheets(entries, logo_bytes)) if "pdf" in chosen else []
    for name, data in sheets:
        (out_dir / name).write_bytes(data)
    click.echo(f"完成：{len(entries)} 位代表，{len(sheets)} 份联络站汇总页，保存在 {out_dir}")


def _deputy_or_exit(session, deputy_id: int):
    from intake.models import Deputy

    deputy = session.get(Deputy, deputy_id)
    if deputy is None:
        click.echo(f"没有编号为 {deputy_id} 的代表。", err=True)
        sys.exit(1)
    return deputy


@qrcodes.command("revoke", help="停用代表的二维码：旧链接显示“已停用，请联系联络站”。")
@click.argument("deputy_id", type=int)
@with_appcontext
def qrcodes_revoke(deputy_id: int):
    from intake.services import links

    with _runtime().sessions() as session, session.begin():
        deputy = _deputy_or_exit(session, deputy_id)
        count = links.revoke(session, deputy)
    click.echo(f"已停用 {deputy.name} 的 {count} 个二维码链接。")


@qrcodes.command("rotate", help="为代表换发新二维码，旧的随即停用。")
@click.argument("deputy_id", type=int)
@with_appcontext
def qrcodes_rotate(deputy_id: int):
    from intake.services import links

    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        deputy = _deputy_or_exit(session, deputy_id)
        link = links.rotate(session, deputy)
    click.echo(f"{deputy.name} 的新链接：{links.citizen_url(runtime.settings.base_url, link.slug)}")


# --- workers ----------------------------------------------------------------------------------
@click.command(help="运行后台任务进程。")
@click.option("--burst", is_flag=True, help="处理完队列中的全部任务后退出。")
@click.argument("queue_names", nargs=-1)
@with_appcontext
def worker(burst: bool, queue_names):
    from rq import Worker

    from intake import classifier
    from workers import queues

    runtime = _runtime()
    classifier.warm_up()
    names = queue_names or queues.ALL
    w = Worker([queues.queue(runtime.redis, n) for n in names], connection=runtime.redis)
    w.work(burst=burst, with_scheduler=True)


@click.command(help="运行定时任务（RQ cron）。")
@with_appcontext
def scheduler():
    from workers import schedule

    runtime = _runtime()
    schedule.build(runtime.redis, runtime.settings).start()


# --- demo and launcher ------------------------------------------------------------------------
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


def register(app: Flask) -> None:
    for command in (db, deputies, qrcodes, worker, scheduler, demo, up):
        app.cli.add_command(command)


main = FlaskGroup(create_app=create_app, help="码上说：群众有事码上说。")
