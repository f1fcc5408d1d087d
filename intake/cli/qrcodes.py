"""`mashang qrcodes …`: print, rotate and revoke deputies' codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="代表二维码：生成、停用、换新。")
def qrcodes():
    pass


@qrcodes.command("generate", help="生成二维码（PNG、SVG、A4 海报 PDF）和各联络站的汇总打印页。")
@click.option("--deputy", "deputy_ids", type=int, multiple=True, help="代表编号，可重复；不填则生成全部在任代表。")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出目录。")
@click.option("--format", "formats", default="png,svg,pdf", show_default=True, help="格式，逗号分隔。")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="放在二维码中央的徽标图片（最多占宽度 25%）。")
@click.option("--wechat", is_flag=True, help="生成公众号带参数二维码（扫码即关注并联系该代表），需配置公众号 AppID 和 AppSecret。")
@with_appcontext
def qrcodes_generate(deputy_ids, out_dir: Path, formats: str, logo: Path | None, wechat: bool):
    from bot.channels.wechat_api import WeChatApi, WeChatApiError
    from intake.services.console import qr
    from intake.web import wording
    from qrcodes import bundle

    try:
        chosen = bundle.parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc
    runtime = _runtime()
    api = None
    if wechat:
        settings = runtime.settings
        if not (settings.wechat_appid and settings.wechat_appsecret):
            raise click.UsageError("请先配置 WECHAT_APPID 和 WECHAT_APPSECRET。")
        api = WeChatApi(settings.wechat_api_base, settings.wechat_appid, settings.wechat_appsecret, runtime.redis)
    with runtime.sessions() as session, session.begin():
        try:
            entries = qr.entries(session, runtime.settings.base_url, list(deputy_ids) or None, wechat=api)
        except WeChatApiError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
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
    if qr.phones_cannot_reach(runtime.settings.base_url):
        click.echo(wording.sentence("codes_unreachable", base_url=runtime.settings.base_url), err=True)


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
    from intake.services.reception import links
    with _runtime().sessions() as session, session.begin():
        deputy = _deputy_or_exit(session, deputy_id)
        count = links.revoke(session, deputy)
    click.echo(f"已停用 {deputy.name} 的 {count} 个二维码链接。")


@qrcodes.command("rotate", help="为代表换发新二维码，旧的随即停用。")
@click.argument("deputy_id", type=int)
@with_appcontext
def qrcodes_rotate(deputy_id: int):
    from intake.services.reception import links
    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        deputy = _deputy_or_exit(session, deputy_id)
        link = links.rotate(session, deputy)
    click.echo(f"{deputy.name} 的新链接：{links.citizen_url(runtime.settings.base_url, link.slug)}")
