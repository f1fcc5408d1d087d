"""`mashang --help` reads as one Chinese list: Flask's and flask-smorest's own commands and options (routes, run,
shell, openapi, --env-file…) are described in Chinese like ours, and the documented ones still work. Every command's
and subcommand's own `--help` is Chinese too, click's words (usage, headings, the help option, defaults) included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import click
from click.testing import CliRunner
from flask.cli import ScriptInfo

from intake import create_app
from intake.cli import main
from tests.conftest import make_settings

CJK = re.compile(r"[\u4e00-\u9fff]")


def _columns(text: str) -> int:
    """Terminal columns: a Chinese character or punctuation mark takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _mashang(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "BASE_URL")}
    env["MASHANG_INSTANCE"] = str(tmp_path / "instance")
    return subprocess.run([sys.executable, "-m", "intake", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def _entries(help_text: str) -> dict[str, str]:
    """Each option or command of a --help page with its description (wrapped lines joined)."""
    entries: dict[str, str] = {}
    name, section = None, None
    for line in help_text.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line
            continue
        if section not in ("选项:", "命令:") or not line.strip():
            continue
        head = re.match(r"^ {2}(\S.*?)(?: {2,}(\S.*))?$", line)
        if head:
            name = head.group(1)
            entries[name] = head.group(2) or ""
        elif name:
            entries[name] = (entries[name] + " " + line.strip()).strip()
    return entries


def test_mashang_help_describes_every_command_and_option_in_chinese(tmp_path):
    shown = _mashang(tmp_path, "--help")
    assert shown.returncode == 0, shown.stderr
    entries = _entries(shown.stdout)
    assert {"up", "worker", "scheduler", "db", "routes", "radar", "-e, --env-file 文件", "--help"} <= set(entries)
    english = [f"{name}  {text}" for name, text in entries.items() if not CJK.search(text)]
    assert not english, "English in mashang --help:\n" + "\n".join(english)
    opened = _mashang(tmp_path, "openapi", "--help")
    assert opened.returncode == 0 and all(CJK.search(text) for name, text in _entries(opened.stdout).items()
                                          if name != "--help"), opened.stdout


def test_a_missing_argument_is_named_in_chinese(tmp_path):
    refused = _mashang(tmp_path, "places", "import")
    assert refused.returncode == 2
    assert "用法: python -m intake places import [选项] 文件" in refused.stderr and "缺少参数 '文件'" in refused.stderr


def test_the_documented_flask_command_still_lists_the_routes(tmp_path):
    listed = _mashang(tmp_path, "routes")
    assert listed.returncode == 0, listed.stderr
    assert "/c/<slug>" in listed.stdout and "/staff/radar" in listed.stdout


def _help_pages(app):
    """The `--help` page of mashang and of each of its commands and subcommands, by command path."""
    script = ScriptInfo(create_app=lambda: app)

    def walk(path: list[str], command: click.Command):
        shown = CliRunner().invoke(main, [*path, "--help"], obj=script)
        assert shown.exit_code == 0, (path, shown.output)
        yield " ".join(["mashang", *path]), shown.output
        if isinstance(command, click.Group):
            with click.Context(command, obj=script) as context:
                for name in command.list_commands(context):
                    yield from walk([*path, name], command.get_command(context, name))

    yield from walk([], main)


def _english(page: str) -> list[str]:
    """What on a help page is not Chinese: its usage prefix, a heading, the command's description or an entry's
    (an option's or subcommand's name and its syntax are names, not wording)."""
    lines = page.splitlines()
    english = [] if lines[0].startswith("用法: ") else [lines[0]]
    # Click's placeholders ([OPTIONS], COMMAND, FILE, INTEGER…) on the usage line and beside each option.
    english += [f"{line.strip()}: {found}" for line in [lines[0], *_entries(page)]
                for found in re.findall(r"\b[A-Z][A-Z_]+\b", line)]
    headings = [number for number, line in enumerate(lines) if re.match(r"^\S.*:$", line)]
    described = " ".join(line.strip() for line in lines[1:headings[0] if headings else None]).strip()
    if described and not CJK.search(described):
        english.append(described)
    english += [lines[number] for number in headings if not CJK.search(lines[number])]
    english += [f"{name}  {text}" for name, text in _entries(page).items() if not CJK.search(text)]
    return english


def test_every_command_and_subcommand_help_page_is_chinese(tmp_path):
    app = create_app(make_settings(tmp_path, f"sqlite:///{tmp_path}/mashang.db", "redis://127.0.0.1:1/0"))
    try:
        pages = dict(_help_pages(app))
        assert {"mashang", "mashang accounts create", "mashang run", "mashang shell", "mashang openapi write",
                "mashang classifier sign-unsigned", "mashang radar rebuild", "mashang db upgrade"} <= set(pages)
        english = [f"{path}: {line}" for path, page in pages.items() for line in _english(page)]
        assert not english, "English in mashang's help:\n" + "\n".join(english)
        assert "[必填]" in pages["mashang classifier evaluate"] and "[默认：text]" in pages["mashang classifier evaluate"]
        # A Chinese placeholder is two columns wide on a terminal: the descriptions still start in one column.
        options = [line for line in pages["mashang classifier evaluate"].splitlines() if line.startswith("  --")]
        starts = {_columns(line[:re.search(r"\S  +\S", line).end() - 1]) for line in options}
        assert len(options) == 7 and len(starts) == 1, options
    finally:
        app.extensions["mashang"].close()
