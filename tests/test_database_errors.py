"""What the database refuses to store is the sender's to correct (400, said in Chinese); a database that cannot
be reached is a moment to wait (503 with Retry-After)."""

from __future__ import annotations

import pytest

from intake.web.errors import DATA_REFUSED
from tests.conftest import build_app, csrf_token, make_settings
from workers import context


@pytest.mark.postgres
def test_a_nul_character_the_database_cannot_store_is_a_400_in_chinese(tmp_path, postgres_url, redis_conn,
                                                                       redis_url):
    from tests.conftest import _truncate_postgres

    _truncate_postgres(postgres_url)
    app = build_app(make_settings(tmp_path, postgres_url, redis_url))
    try:
        client = app.test_client()
        token = csrf_token(client, "/staff/login")
        page = client.post("/staff/login", data={"username": "admin\x00", "password": "x", "csrf_token": token})
        assert page.status_code == 400 and DATA_REFUSED in page.get_data(as_text=True)
        assert "Retry-After" not in page.headers
    finally:
        app.extensions["mashang"].close()
        context.use(None)


def test_a_database_that_cannot_be_reached_is_a_503_to_retry(tmp_path, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, "postgresql://nobody@127.0.0.1:1/none", redis_url))
    try:
        client = app.test_client()
        token = csrf_token(client, "/staff/login")
        page = client.post("/staff/login", data={"username": "admin", "password": "x", "csrf_token": token})
        assert page.status_code == 503 and page.headers["Retry-After"] == "5"
        assert "系统正在维护" in page.get_data(as_text=True)
        answer = client.get("/api/v1/deputies", headers={"X-Api-Key": "msk_anything"})
        assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "unavailable"
    finally:
        app.extensions["mashang"].close()
        context.use(None)


def test_a_missing_page_for_a_signed_in_clerk_is_a_404_even_when_the_database_fails(tmp_path, sqlite_url, redis_conn,
                                                                                    redis_url):
    """The menu bar around 页面不存在 reads the clerk from the database: its failure must not turn the 404 into a 500."""
    from sqlalchemy import text

    from tests.helpers import add_staff, sign_in_staff

    app = build_app(make_settings(tmp_path, sqlite_url, redis_url))
    try:
        add_staff(app, "clerk", "office", None)
        client = sign_in_staff(app, "clerk")
        assert client.get("/staff/no-such-page").status_code == 404
        with app.extensions["mashang"].engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            connection.execute(text("DROP TABLE staff_users"))
        page = client.get("/staff/no-such-page")
        assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    finally:
        app.extensions["mashang"].close()
        context.use(None)
