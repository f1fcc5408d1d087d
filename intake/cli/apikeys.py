"""`mashang apikeys …`: keys for the systems that push messages in and read progress out (12345, 政务服务 app …)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from intake import labels
from intake.cli.context import runtime as _runtime
from intake.services.errors import DomainError
from intake.web import wording

ACTOR = "system:cli"
SCOPES = {**labels.API_SCOPES, "submit,read": labels.API_SCOPES["read,submit"]}


def _fail(error: DomainError) -> None:
    click.echo(wording.of(error), err=True)
    sys.exit(1)


@click.group(help="对接其他系统的接口密钥。")
def apikeys():
    pass


@apikeys.command("create", help="新建接口密钥；密钥只显示这一次，只保存它的散列值。")
@click.option("--name", required=True, help="对接的系统，如“12345热线”。")
@click.option("--scope", required=True, type=click.Choice(sorted(SCOPES)),
              help="read 只读数据（代表名单、草稿、建议、办理统计和留言进度），submit 提交留言，read,submit 两者。")
@click.option("--station", "station_id", type=int, default=None, help="只限这个联络站（编号）的数据。")
@with_appcontext
def apikeys_create(name: str, scope: str, station_id: int | None):
    from intake.services.api import keys

    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        try:
            key, raw = keys.create_key(session, name=name, scopes=frozenset(scope.split(",")), station_id=station_id,
                                       secret=runtime.settings.secret_key, actor=ACTOR)
        except DomainError as error:
            _fail(error)
        key_id = key.id
    click.echo(f"已新建密钥 {key_id}（{name}，{SCOPES[scope]}）。请立即交给对方保存，它不会再显示：")
    click.echo(raw)


@apikeys.command("list", help="列出接口密钥（只显示开头几位）。")
@with_appcontext
def apikeys_list():
    from intake.models import Station
    from intake.services.api import keys

    runtime = _runtime()
    with runtime.sessions() as session:
        for key in keys.list_keys(session):
            station = session.get(Station, key.station_id).name if key.station_id else "全部联络站"
            state = f"已吊销 {key.revoked_at.astimezone(runtime.local_tz):%Y-%m-%d %H:%M}" if key.revoked_at else "有效"
            used = f"{key.last_used_at.astimezone(runtime.local_tz):%Y-%m-%d %H:%M}" if key.last_used_at else "从未使用"
            click.echo(f"{key.id:>4}  {key.prefix}…  {key.name}  {SCOPES[key.scopes]}  {station}  {state}  最近使用：{used}")


@apikeys.command("revoke", help="吊销接口密钥（编号见 list），立即失效。")
@click.argument("key_id", type=int)
@with_appcontext
def apikeys_revoke(key_id: int):
    from intake.services.api import keys

    with _runtime().sessions() as session, session.begin():
        try:
            key = keys.revoke(session, key_id, actor=ACTOR)
        except DomainError as error:
            _fail(error)
        name = key.name
    click.echo(f"已吊销密钥 {key_id}（{name}）。")
