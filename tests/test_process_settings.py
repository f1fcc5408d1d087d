"""Process counts, log format and metrics access come from the environment with safe defaults."""

from __future__ import annotations

import os

import pytest

from intake.config import Settings
from intake.launcher import _children


def _settings(tmp_path, **env) -> Settings:
    return Settings.from_env({"MASHANG_INSTANCE": str(tmp_path), "SECRET_KEY": "k", **env})


def test_defaults_follow_the_cores_and_stay_small(tmp_path):
    settings = _settings(tmp_path)
    assert settings.web_concurrency == min(2 * os.cpu_count() + 1, 4)
    assert settings.worker_count == 1 and settings.log_format == "text" and settings.metrics_token == ""
    assert [str(n) for n in settings.metrics_allow] == ["127.0.0.1/32", "::1/128"]


def test_operators_choose_counts_format_and_scrapers(tmp_path):
    settings = _settings(tmp_path, WEB_CONCURRENCY="7", WORKER_COUNT="3", LOG_FORMAT="JSON",
                         METRICS_ALLOW="10.0.0.0/8, 192.168.1.5")
    assert (settings.web_concurrency, settings.worker_count, settings.log_format) == (7, 3, "json")
    assert [str(n) for n in settings.metrics_allow] == ["10.0.0.0/8", "192.168.1.5/32"]


def test_bad_values_are_named(tmp_path):
    with pytest.raises(ValueError, match="WORKER_COUNT"):
        _settings(tmp_path, WORKER_COUNT="two")
    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        _settings(tmp_path, METRICS_ALLOW="everyone")


def test_up_starts_the_configured_web_processes(tmp_path):
    web = _children(5000, 3, "text")["web"]
    assert web[web.index("--workers") + 1] == "3" and "--access-logfile" in web
    assert "--access-logfile" not in _children(5000, 3, "json")["web"]
