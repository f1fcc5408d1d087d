"""Configuration: safe defaults on a laptop, production URLs taken as given."""

from __future__ import annotations

import socket

from intake.config import Settings


def test_defaults_need_nothing_installed(tmp_path):
    settings = Settings.from_env({"MASHANG_INSTANCE": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/mashang.db"
    assert settings.redis_embedded and settings.redis_url == f"unix://{tmp_path}/redis.sock"
    assert settings.base_url == "http://127.0.0.1:5000"
    assert len(settings.secret_key) == 64
    # The generated secret is kept, so sessions survive a restart.
    assert Settings.from_env({"MASHANG_INSTANCE": str(tmp_path)}).secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_links_follow_the_port_a_running_service_said_it_serves_on(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as web:  # the web server `mashang up --port …` started
        port = web.getsockname()[1]
        (tmp_path / "web-port").write_text(f"{port}\n")
        assert Settings.from_env({"MASHANG_INSTANCE": str(tmp_path)}).base_url == f"http://127.0.0.1:{port}"
        assert Settings.from_env({"MASHANG_INSTANCE": str(tmp_path), "PORT": "8000"}).base_url == "http://127.0.0.1:8000"
        given = {"MASHANG_INSTANCE": str(tmp_path), "BASE_URL": "https://mashang.example.gov.cn"}
        assert Settings.from_env(given).base_url == "https://mashang.example.gov.cn"
    # A launcher killed outright (SIGKILL) leaves its file behind: a port nobody answers on is no longer believed.
    assert Settings.from_env({"MASHANG_INSTANCE": str(tmp_path)}).base_url == "http://127.0.0.1:5000"


def test_production_urls_are_taken_as_given(tmp_path):
    settings = Settings.from_env({
        "MASHANG_INSTANCE": str(tmp_path),
        "DATABASE_URL": "postgres://u@db/mashang",
        "REDIS_URL": "redis://cache:6379/2",
        "SECRET_KEY": "s",
        "BASE_URL": "https://mashang.example.gov.cn/",
    })
    assert settings.database_url == "postgresql+psycopg://u@db/mashang"
    assert settings.redis_url == "redis://cache:6379/2" and not settings.redis_embedded
    assert settings.base_url == "https://mashang.example.gov.cn"
    assert settings.secure_cookies
    assert not (tmp_path / "secret_key").exists()


def test_the_districts_own_names_are_read_as_a_list(tmp_path):
    settings = Settings.from_env({"MASHANG_INSTANCE": str(tmp_path), "DISTRICT_NAMES": "西地省，A市、 A2区"})
    assert settings.district_names == ("西地省", "A市", "A2区")
    assert Settings.from_env({"MASHANG_INSTANCE": str(tmp_path)}).district_names == ()
