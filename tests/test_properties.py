"""Property-based tests: whatever arrives at the WeChat parser, the chat endpoint or the roster importer,
the answer is a clear refusal or a normal reply, never a 500 or an unhandled exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import wechat
from intake.services.console import roster
from intake.services.console.tables import TableError, read_table
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import deputies, import_roster, slug_of, write_roster
from tests.test_wechat import TOKEN, _query

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

xml_like = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: f"<xml><MsgType>text</MsgType><FromUserName>a</FromUserName>"
                                        f"<Content>{t}</Content></xml>".encode("utf-8", "surrogatepass")),
    st.recursive(st.text(alphabet="<>/!?&;=\"' xmlCDATA[]-", max_size=40), lambda inner: st.lists(inner).map("".join),
                 max_leaves=20).map(lambda t: t.encode()),
)


@FAST
@given(body=xml_like)
def test_the_wechat_parser_returns_a_message_or_refuses(body):
    try:
        parsed = wechat.parse(body)
    except wechat.BadXml:
        return
    assert isinstance(parsed, wechat.Inbound)


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template, redis_url):
    import shutil

    folder = tmp_path_factory.mktemp("properties")
    shutil.copy(sqlite_template, folder / "mashang.db")
    app = build_app(make_settings(folder, f"sqlite:///{folder / 'mashang.db'}", redis_url, WECHAT_TOKEN=TOKEN,
                                  CHAT_PER_MINUTE="1000000", CHAT_PER_ADDRESS_PER_MINUTE="1000000"))
    import_roster(app, write_roster(folder))
    yield app, slug_of(deputies(app)[0])
    app.extensions["mashang"].close()


@FAST
@given(body=xml_like)
def test_the_wechat_endpoint_never_fails_with_500(served, body):
    app, _ = served
    response = app.test_client().post("/wechat", query_string=_query(), data=body)
    assert response.status_code in (200, 400, 413)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@FAST
@given(payload=st.one_of(json_values, st.fixed_dictionaries({"text": st.text(max_size=2500)})))
def test_the_chat_endpoint_answers_every_json_payload(served, payload):
    app, slug = served
    client = app.test_client()
    token = csrf_token(client, f"/c/{slug}")
    response = client.post(f"/api/chat/{slug}", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code in (200, 400, 422)
    assert response.get_json()["replies"]


@FAST
@given(content=st.text(max_size=800), header=st.sampled_from(["姓名,层级,联络站,手机\n", "", "姓名,层级\n"]))
def test_the_roster_importer_reports_or_accepts_any_file(content, header):
    data = (header + content).encode("utf-8", "surrogatepass")
    try:
        entries = roster.parse(read_table("roster.csv", data))
    except (TableError, roster.RosterError) as exc:
        assert str(exc)
        return
    assert all(e.name and e.level in ("区", "市", "省", "全国") and e.station for e in entries)


@FAST
@given(data=st.binary(max_size=3000))
def test_the_roster_importer_survives_broken_spreadsheets(data):
    try:
        roster.parse(read_table("roster.xlsx", data))
    except (TableError, roster.RosterError):
        pass
