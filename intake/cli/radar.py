"""`mashang radar`: the district's hottest problems, as the office's radar page ranks them; `mashang radar rebuild`
places every drafted message on it again."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group("radar", invoke_without_command=True,
             help="全区热点问题雷达：按热度列出各代表、各联络站收到的同一问题（子命令 rebuild 重建雷达）。")
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True, help="统计最近多少天。")
@click.option("--station", "station_id", type=int, default=None, help="只看这个联络站的部分（联络站编号）。")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="列出多少个问题。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
@with_appcontext
def radar(context: click.Context, days: int, station_id: int | None, limit: int, as_json: bool):
    if context.invoked_subcommand is not None:
        return
    from intake.models import utcnow
    from intake.services.radar import ranking
    runtime = _runtime()
    with runtime.sessions() as session:
        items = ranking.rank(session, utcnow(), days, runtime.settings.radar_half_life_days, runtime.local_tz,
                             station_id=station_id, limit=limit)
    if as_json:
        click.echo(json.dumps([item.as_json() for item in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(f"最近 {days} 天没有群众反映的问题。")
    for number, item in enumerate(items, 1):
        click.echo(f"{number}. {item.title}（{item.topic}）热度 {item.heat:g}：{item.citizens} 位群众、"
                   f"{item.messages} 条意见，{len(item.deputies)} 位代表、{len(item.stations)} 个联络站，"
                   f"{item.first} 至 {item.last}")
        click.echo(f"   代表：{'、'.join(item.deputies)}；联络站：{'、'.join(item.stations)}")


@radar.command("rebuild", help="重建全区热点雷达：清空后把所有已归入草稿的意见重新归入问题。可重复执行；"
                               "运行中的后台任务会等重建完成后再继续。")
@click.option("--batch", type=click.IntRange(1, 100000), default=1000, show_default=True,
              help="每批归入多少条意见。")
@with_appcontext
def rebuild(batch: int):
    from intake.services.radar import district

    def progress(placed: int, total: int) -> None:
        click.echo(f"已归入 {placed} / {total} 条意见")

    runtime = _runtime()
    # One transaction: until it commits the office keeps reading the radar as it was, and workers wait.
    with runtime.sessions() as session, session.begin():
        placed = district.rebuild(session, batch=batch, progress=progress)
        problems = district.problem_count(session)
    click.echo(f"雷达已重建：{placed} 条意见，{problems} 个问题。")
