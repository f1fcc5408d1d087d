"""Click's own words on `--help` pages and in its usage errors, in Chinese like the rest of `mashang`.

Click looks each of them up through gettext (`_` in its modules); replacing that lookup in those modules reaches
every command, ours and Flask's, without wrapping each one. A sentence not in the table stays as click wrote it."""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
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
}


def _in_chinese(message: str) -> str:
    return _CHINESE.get(message, message)


def install() -> None:
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        module._ = _in_chinese
