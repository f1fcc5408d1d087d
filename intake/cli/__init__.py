"""The `mashang` command: Flask's CLI over create_app(), plus our own command groups."""

from __future__ import annotations

import copy

import click
import redis
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, routes_command, run_command, shell_command
from sqlalchemy.exc import OperationalError, ProgrammingError

from intake import create_app, migrate
from intake.cli import click_words, replies

click_words.install()

# Flask's and flask-smorest's own commands and options, described in Chinese like ours (their help is English).
_HELP = {
    "routes": "列出网站的全部地址及其处理函数。",
    "run": "启动开发用的网站服务器（正式运行请用 mashang up）。",
    "shell": "在应用环境中打开 Python 交互终端。",
    "openapi": "接口（/api/v1）的 OpenAPI 文档：打印或写入文件。",
    "print": "在终端打印 OpenAPI 文档。",
    "write": "把 OpenAPI 文档写入文件。",
    "list-config-prefixes": "列出可用的配置前缀。",
}
_OPTION_HELP = {
    "env_file": "从这个文件读入环境变量（优先于 .env 和 .flaskenv，低于直接设置的环境变量）。",
    "app": "要载入的 Flask 应用或工厂函数，格式为“模块:名称”（mashang 已指定，一般不用）。",
    "debug": "打开或关闭调试模式。",
    "version": "显示 Flask 的版本。",
    "sort": "按哪一项排序列出的地址。",
    "all_methods": "也列出 HEAD 和 OPTIONS 方法。",
    "format": "输出格式：json 或 yaml。",
    "config_prefix": "配置前缀。",
    "host": "监听的地址。",
    "port": "监听的端口。",
    "cert": "HTTPS 用的证书文件。",
    "key": "证书的私钥文件（与 --cert 一起用）。",
    "reload": "代码改动后自动重启（调试模式下默认打开）。",
    "debugger": "出错时在网页上打开调试器（调试模式下默认打开）。",
    "with_threads": "用多线程处理请求。",
    "extra_files": "这些文件改动时也重启，多个用“:”隔开。",
    "exclude_patterns": "匹配这些 fnmatch 模式的文件改动时不重启，多个用“:”隔开。",
}


def _chinese_params(params: list[click.Parameter]) -> list[click.Parameter]:
    ours = [copy.copy(param) for param in params]
    for param in ours:
        if isinstance(param, click.Option) and param.name in _OPTION_HELP:
            param.help = _OPTION_HELP[param.name]
    return ours


def _in_chinese(command: click.Command) -> click.Command:
    """A copy of another package's command with our Chinese help, its subcommands and options too."""
    ours = copy.copy(command)
    ours.help, ours.short_help = _HELP.get(command.name, command.help), None
    ours.params = _chinese_params(command.params)
    if isinstance(command, click.Group):
        ours.commands = {name: _in_chinese(sub) for name, sub in command.commands.items()}
    return ours


UNREACHABLE_DATABASE = "无法连接数据库，请检查 DATABASE_URL 和数据库服务是否正常后重试。"
UNREACHABLE_REDIS = ("无法连接 Redis，请检查 REDIS_URL 和 Redis 服务是否正常后重试"
                     "（未设置 REDIS_URL 时用的是 mashang up 启动的内置 Redis）。")


def _database_answers(ctx: click.Context) -> bool:
    """Whether a new connection gets through: an error of a reachable database (a missing table, a lock) is not
    one of an unreachable one and keeps its traceback."""
    engine = ctx.ensure_object(ScriptInfo).load_app().extensions["mashang"].engine
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False


class _Mashang(FlaskGroup):
    """FlaskGroup whose commands all say in one sentence, not a driver's traceback, that the database or Redis
    does not answer, or that the database was never migrated."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as exc:
            if migrate.missing_table(exc):
                click.echo(migrate.NOT_MIGRATED, err=True)
            elif isinstance(exc, OperationalError) and not _database_answers(ctx):
                click.echo(UNREACHABLE_DATABASE, err=True)
            else:
                raise
        except (redis.ConnectionError, redis.TimeoutError):
            click.echo(UNREACHABLE_REDIS, err=True)
        ctx.exit(1)


def register(app: Flask) -> None:
    from intake.cli import (accounts, apikeys, backups, classifier, data, db, deputies, drafts, launch, messages,
                            places, qrcodes, radar, replies, suggestions, units, workers)

    for command in (accounts.accounts, apikeys.apikeys, backups.backup, backups.restore, db.db, deputies.deputies, messages.messages,
                    drafts.drafts, places.places, qrcodes.qrcodes, classifier.classifier, workers.worker,
                    workers.scheduler, launch.demo, launch.up, units.units, suggestions.suggestions, data.data,
                    replies.replies, radar.radar):
        app.cli.add_command(command)
    if "openapi" in app.cli.commands:  # flask-smorest's, added when the API's document is set up
        app.cli.add_command(_in_chinese(app.cli.commands["openapi"]))


main = _Mashang(create_app=create_app, add_default_commands=False, add_version_option=False,
                help="码上说：群众有事码上说。")
main.params = _chinese_params(main.params)
for _command in (routes_command, run_command, shell_command):
    main.add_command(_in_chinese(_command))
# A command that only reads a file and writes one also runs without building the app (seconds of imports).
main.add_command(replies.replies)
