"""The Dockerfile and compose.yaml name only what the project has: files copied, modules and commands run.
No container engine here, so the image is checked against the project instead of being built."""

from __future__ import annotations

import glob
import importlib.util
import json
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from intake.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _instance(tmp_path, monkeypatch):
    # Looking up `mashang` commands builds the app from the environment: keep its instance folder here.
    monkeypatch.setenv("MASHANG_INSTANCE", str(tmp_path / "instance"))


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def _runs(command: list[str]) -> None:
    """Each command the image or compose runs resolves to something in the project."""
    program, *args = command
    if program == "gunicorn":
        config = next(a for a in args if a.startswith("python:")).removeprefix("python:")
        assert importlib.util.find_spec(config), config
        module, _, attribute = args[-1].partition(":")
        assert attribute == "app" and importlib.util.find_spec(module), args[-1]
    elif program == "mashang":
        # Closing the context pops the app context Flask's group pushes while it looks commands up.
        with main.make_context("mashang", list(args) + ["--help"], resilient_parsing=True) as context:
            group = main
            for word in args:
                group = group.get_command(context, word)
                assert group is not None, f"mashang has no command {' '.join(args)}"
                if not hasattr(group, "get_command"):
                    break
    elif program == "python":
        assert args[0] == "-c" and "/livez" in args[1]
    else:
        raise AssertionError(f"unexpected program {program}")


def test_dockerfile_copies_what_exists_and_runs_a_non_root_web():
    instructions = _instructions()
    for keyword, rest in instructions:
        if keyword == "COPY" and not rest.startswith("--from"):
            *sources, _target = rest.split()
            for source in sources:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which the project lacks"
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = {Path(rest.split()[0]).name for keyword, rest in instructions if keyword == "COPY"}
    assert {pattern.rstrip("*") for pattern in packages} <= copied
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any("fonts-noto-cjk" in rest for keyword, rest in instructions if keyword == "RUN")
    (cmd,) = [json.loads(rest) for keyword, rest in instructions if keyword == "CMD"]
    _runs(cmd)


def test_the_installed_package_carries_every_file_the_code_reads():
    """The image installs the project with pip, so each tracked data file must be in the package data."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(["git", "ls-files", "bot", "intake", "workers", "qrcodes"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    for path in tracked:
        if path.endswith(".py"):
            continue
        package, _, inner = path.partition("/")
        # setuptools expands the patterns as recursive globs from the package folder.
        included = {match for pattern in settings.get(package, [])
                    for match in glob.glob(pattern, root_dir=ROOT / package, recursive=True)}
        assert inner in included, f"{path} would be missing from the image"


def test_compose_runs_the_three_processes_from_one_image_with_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "scheduler", "release"} <= set(services)
    ours = [name for name, service in services.items() if service.get("build") == "."]
    assert set(ours) == {"web", "worker", "scheduler", "release"}
    assert {services[name]["image"] for name in ours} == {"mashang:latest"}
    for name in ours:
        _runs(services[name].get("command") or json.loads(
            next(rest for keyword, rest in _instructions() if keyword == "CMD")))
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql://") and environment["REDIS_URL"].startswith("redis://")
    _runs(services["web"]["healthcheck"]["test"][1:])
    assert services["release"]["command"] == shlex.split("mashang db upgrade")
    # Behind the district's https proxy the web must believe the address it forwards, or every citizen of the
    # district shares one per-address limit.
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == "${TRUSTED_PROXIES:-1}"
