"""Click's own words on `--help` pages and in its usage errors, in Chinese like the rest of `mashang`.

Click looks each of them up through gettext (`_` in its modules); replacing that lookup in those modules reaches
every command, ours and Flask's, without wrapping each one. A sentence not in the table stays as click wrote it.
The placeholders of a usage line and an option's value (`[OPTIONS]`, `FILE`, `INTEGER`) are not looked up so:
click builds them from names, so the two methods that build them are wrapped instead."""

from __future__ import annotations

import re
import unicodedata

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

_CHINESE = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本说明并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Confirm the action without prompting.": "不再询问，直接执行。",
    "Do you want to continue?": "要继续吗？",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时决定）",
    "Aborted!": "已取消。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看说明。",
    "Missing command.": "缺少子命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Invalid value: {message}": "取值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    # prompts (a password asked twice)
    "Error: The two entered values do not match.": "错误：两次输入的不一致，请重新输入。",
    "Repeat for confirmation": "再输入一次",
    "Error: invalid input": "错误：输入无效",
}


# Click's placeholders (types' names and arguments' names in capitals); one not here stays in capitals.
_PLACEHOLDERS = {
    "OPTIONS": "选项", "COMMAND": "子命令", "ARGS": "参数", "TEXT": "文本", "INTEGER": "整数", "FLOAT": "数字",
    "PATH": "路径", "FILE": "文件", "FILENAME": "文件", "DIRECTORY": "目录", "IMPORT": "模块",
    "INTEGER RANGE": "整数", "FLOAT RANGE": "数字", "DEPUTY_ID": "代表编号", "BACKUP_FILE": "备份文件",
    "OUTPUT_FILE": "输出文件", "QUEUE_NAMES": "队列名", "USERNAME": "用户名", "NEW_USERNAME": "新用户名",
    "KEY_ID": "密钥编号", "VERSION": "版本号",
}
_CAPITALS = re.compile(r"\b[A-Z][A-Z_]+(?: RANGE)?\b")


def _in_chinese(message: str) -> str:
    return _CHINESE.get(message, message)


def _placeholders_in_chinese(text: str) -> str:
    return _CAPITALS.sub(lambda found: _PLACEHOLDERS.get(found[0], found[0]), text)


def _columns(text: str) -> int:
    """How many terminal columns the text takes: a Chinese character takes two, so the option column lines up."""
    plain = click.unstyle(text)
    return len(plain) + sum(1 for char in plain if unicodedata.east_asian_width(char) in "WF")


def _metavar_in_chinese(make_metavar):
    def make_chinese_metavar(self, ctx):
        return _placeholders_in_chinese(make_metavar(self, ctx))
    return make_chinese_metavar


def _usage_in_chinese(collect_usage_pieces):
    def collect_chinese_usage_pieces(self, ctx):
        return [_placeholders_in_chinese(piece) for piece in collect_usage_pieces(self, ctx)]
    return collect_chinese_usage_pieces


def install() -> None:
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        module._ = _in_chinese
    for kind in (click.core.Option, click.core.Argument):
        kind.make_metavar = _metavar_in_chinese(kind.make_metavar)
    for kind in (click.core.Command, click.core.Group):
        kind.collect_usage_pieces = _usage_in_chinese(kind.collect_usage_pieces)
    click.formatting.term_len = _columns
