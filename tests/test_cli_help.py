"""`mashang --help` reads as one Chinese list: Flask's and flask-smorest's own commands and options (routes, run,
shell, openapi, --env-file…) are described in Chinese like ours, and the documented ones still work."""

from __future__ import annotations

import os
import re
import subprocess
import sys

CJK = re.compile(r"[\u4e00-\u9fff]")


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
        if section not in ("Options:", "Commands:") or not line.strip():
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
    assert {"up", "worker", "scheduler", "db", "routes", "radar", "-e, --env-file FILE", "--help"} <= set(entries)
    english = [f"{name}  {text}" for name, text in entries.items() if not CJK.search(text)]
    assert not english, "English in mashang --help:\n" + "\n".join(english)
    opened = _mashang(tmp_path, "openapi", "--help")
    assert opened.returncode == 0 and all(CJK.search(text) for name, text in _entries(opened.stdout).items()
                                          if name != "--help"), opened.stdout


def test_the_documented_flask_command_still_lists_the_routes(tmp_path):
    listed = _mashang(tmp_path, "routes")
    assert listed.returncode == 0, listed.stderr
    assert "/c/<slug>" in listed.stdout and "/staff/radar" in listed.stdout
