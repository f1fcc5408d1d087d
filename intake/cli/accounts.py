"""`mashang accounts …`: staff accounts from the command line, starting with a district's first administrator."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime
from intake.labels import ROLES
from intake.models import StaffRole
from intake.services.errors import InvalidInput
from intake.web import wording

ACTOR = "system:cli"
# What a new district runs first, printed by `db upgrade` and `up` as it is: a name the username rule accepts.
FIRST_ADMIN = "mashang accounts create --role admin --name chief"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _account(session, username: str):
    """The account of this login, or stop saying why none: no such login, or several differing only in case (made
    before logins were compared in any case), of which one must be named exactly."""
    from intake.services.console import accounts, admin

    user = admin.find_staff(session, username)
    if user is None:
        alike = accounts.logins_alike(session, username)
        _fail(f"有 {len(alike)} 个账号的用户名只差大小写（{'、'.join(alike)}）：请照原样写出其中一个。" if len(alike) > 1
              else f"没有用户名为 {username} 的账号。")
    return user


def _welcome_url(runtime, user) -> str:
    from intake.services.console import accounts as passwords

    return passwords.welcome_link(runtime.settings.base_url, runtime.settings.secret_key, user)


def _print_link(url: str | None) -> None:
    if url:
        click.echo("请把这个链接交给本人，24 小时内有效，只能用一次（打开后自设密码）：")
        click.echo(url)


@click.group(help="工作人员账号。")
def accounts():
    pass


@accounts.command("create", help="创建工作人员账号（第一个管理员也用它创建）。")
@click.option("--role", required=True,
              type=click.Choice([StaffRole.ADMIN, StaffRole.OFFICE, StaffRole.STATION, StaffRole.UNIT]),
              help="admin 管理员，office 代表工委，station 联络站，unit 承办单位。")
@click.option("--name", "username", required=True, help="用户名（登录用）。")
@click.option("--display-name", default="", help="姓名（页面上显示，如操作记录的操作人；不填则显示用户名）。")
@click.option("--station", "station_id", type=int, default=None, help="联络站编号（station 角色必填）。")
@click.option("--unit", "unit_name", default=None, help="承办单位名称或简称（unit 角色必填）。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读密码（脚本用），否则提示输入。")
@click.option("--link", is_flag=True, help="不设密码，打印一次性登录链接（24 小时内有效），本人打开后自设密码。")
@with_appcontext
def accounts_create(role: str, username: str, display_name: str, station_id: int | None, unit_name: str | None,
                    password_stdin: bool, link: bool):
    from intake.services.console import admin
    from intake.services.lifecycle.units import match_unit

    runtime = _runtime()
    # With --link nobody ever knows the first password: the link's holder sets their own.
    password = None if link else _password(password_stdin)
    with runtime.sessions() as session, session.begin():
        unit = match_unit(session, unit_name) if role == StaffRole.UNIT else None
        if role == StaffRole.UNIT and unit is None:
            _fail(f"没有创建账号：找不到承办单位“{unit_name or ''}”（请先用 mashang units import 导入单位）。")
        given = admin.StaffInput(username=username.strip(), role=role, password=password, station_id=station_id,
                                 unit_id=unit.id if unit else None, display_name=display_name)
        try:
            user = admin.create_staff(session, ACTOR, given)
        except InvalidInput as exc:
            _fail(f"没有创建账号：{wording.of(exc)}")
        url = _welcome_url(runtime, user) if link else None
    click.echo(f"已创建{ROLES[role]}账号 {username}。")
    _print_link(url)


@accounts.command("list", help="列出工作人员账号。")
@with_appcontext
def accounts_list():
    from intake.services.console import admin

    with _runtime().sessions() as session:
        for user in admin.staff_users(session):
            state = ("" if user.active else "（已停用）") + ("（待设置密码）" if user.awaiting_password else "")
            named = f"  {user.display_name}" if user.display_name else ""
            click.echo(f"{user.id:>4}  {user.username}{named}  {ROLES[user.role]}{state}")


@accounts.command("deactivate", help="停用账号（不再能登录，记录保留）。")
@click.argument("username")
@with_appcontext
def accounts_deactivate(username: str):
    from intake.services.console import admin

    with _runtime().sessions() as session, session.begin():
        user = _account(session, username)
        admin.deactivate_staff(session, ACTOR, user.id, own_id=0)
    click.echo(f"已停用 {username}。")


@accounts.command("rename", help="修改账号的用户名（登录用）；两个账号的用户名只差大小写时，升级前先改名其中一个。")
@click.argument("username")
@click.argument("new_username")
@with_appcontext
def accounts_rename(username: str, new_username: str):
    from intake.services.console import admin

    with _runtime().sessions() as session, session.begin():
        user = _account(session, username)
        try:
            admin.rename_staff(session, ACTOR, user, new_username)
        except InvalidInput as exc:
            _fail(f"没有改名：{wording.of(exc)}")
        renamed = user.username
    click.echo(f"已把账号 {username} 改名为 {renamed}，以后用 {renamed} 登录。")


@accounts.command("reset", help="重设密码（也会重新启用账号）。")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读新密码。")
@click.option("--link", is_flag=True, help="旧密码作废，打印一次性链接（24 小时内有效），本人打开后自设密码。")
@with_appcontext
def accounts_reset(username: str, password_stdin: bool, link: bool):
    from intake.services.console import admin

    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        user = _account(session, username)
        try:
            admin.reset_staff_password(session, ACTOR, user, None if link else _password(password_stdin))
        except InvalidInput as exc:
            _fail(f"没有重设密码：{wording.of(exc)}")
        url = _welcome_url(runtime, user) if link else None
    click.echo(f"已重设 {username} 的密码。")
    _print_link(url)
