"""`mashang data …`: the personal data kept encrypted with DATA_KEY."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime
from intake.services.privacy import sealed


@click.group(help="加密保存的个人信息（DATA_KEY）。")
def data():
    pass


@data.command("rekey", help="用 DATA_KEY 的第一个密钥重新加密所有已保存的个人信息（轮换密钥时用）。")
@with_appcontext
def data_rekey():
    runtime = _runtime()
    try:
        with runtime.sessions() as session, session.begin():
            count = sealed.rekey(session, runtime.settings.data_key)
    except sealed.UnreadableData as exc:
        raise click.ClickException(f"有数据无法用 DATA_KEY 中的任何密钥解密，什么也没有改：{exc}") from exc
    click.echo(f"已用新密钥重新加密 {count} 条。现在可以从 DATA_KEY 中去掉旧密钥。")
