"""/api/v1 as an integrating system uses it: a key in a header, pages by cursor, one station's data for a
station's key, a retried POST stored once — and the generated OpenAPI 3.1 document fuzzed by schemathesis."""

from __future__ import annotations

import collections
import io
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)
from sqlalchemy import func, select

from intake.models import ApiSubmission, Draft, HandlingUnit, Message, MessageStatus, Station
from intake.services.api import keys
from intake.services.lifecycle import handling
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, report, send, slug_of, write_roster

# Ten deputies at two stations: enough for several pages of two.
ROSTER = "姓名,层级,联络站,手机号\n" + "\n".join(
    f"代表{n:02d},区,{'青石街道人大代表联络站' if n % 2 else '柳河镇人大代表联络站'},1390000{n:04d}" for n in range(1, 11))


def _key(app, scopes: str = "read,submit", station: str | None = None) -> str:
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        station_id = session.scalar(select(Station.id).where(Station.name == station)) if station else None
        _, raw = keys.create_key(session, name=f"对接系统 {scopes} {station}", scopes=frozenset(scopes.split(",")),
                                 station_id=station_id, secret=runtime.settings.secret_key)
    return raw


def _as(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def _count(app, model) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(app, tmp_path):
    assert import_roster(app, write_roster(tmp_path, ROSTER)).exit_code == 0
    return app


def _all_pages(client, path: str, headers: dict) -> tuple[list[dict], int]:
    items, pages, cursor = [], 0, None
    while True:
        answer = client.get(path, query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                            headers=headers)
        assert answer.status_code == 200, answer.get_json()
        pages += 1
        items += answer.get_json()["items"]
        cursor = answer.get_json()["next_cursor"]
        if cursor is None:
            return items, pages


def test_a_list_pages_by_an_opaque_cursor_and_refuses_a_forged_one(world, client):
    headers = _as(_key(world))
    items, pages = _all_pages(client, "/api/v1/deputies", headers)
    assert pages == 5 and sorted(d["name"] for d in items) == [f"代表{n:02d}" for n in range(1, 11)]
    assert len({d["id"] for d in items}) == 10
    assert all(d["citizen_link"].startswith("http://mashang.test/c/") and "phone" not in d for d in items)
    forged = client.get("/api/v1/deputies", query_string={"cursor": "YWZ0ZXI6MQ-not-ours"}, headers=headers)
    assert forged.status_code == 422
    assert forged.get_json()["error"]["code"] == "api_cursor_invalid" and forged.get_json()["error"]["message"]


def test_a_station_key_sees_only_its_station(world, client, run_jobs):
    qingshi, liuhe = "青石街道人大代表联络站", "柳河镇人大代表联络站"
    everyone = deputies(world)
    own = next(d for d in everyone if d["name"] == "代表01")  # odd numbers sit at 青石
    other = next(d for d in everyone if d["name"] == "代表02")
    submitter = _as(_key(world, "submit"))
    own_receipt, other_receipt = (client.post("/api/v1/messages", json={"text": text, "deputy": slug_of(deputy)},
                                              headers=submitter).get_json()["receipt"]
                                  for deputy, text in ((own, "青石街道幸福小区门口的路灯坏了一个月了"),
                                                       (other, "柳河镇桃园村村道坑坑洼洼，下雨天没法走")))
    run_jobs()
    with world.extensions["mashang"].sessions() as session:
        own_draft = session.scalar(select(Draft.id).where(Draft.deputy_id == own["id"]))
        other_draft = session.scalar(select(Draft.id).where(Draft.deputy_id == other["id"]))
    headers = _as(_key(world, "read", qingshi))

    items, _ = _all_pages(client, "/api/v1/deputies", headers)
    assert {d["station_name"] for d in items} == {qingshi} and len(items) == 5
    assert client.get(f"/api/v1/deputies/{other['id']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/deputies/{own['id']}", headers=headers).get_json()["name"] == "代表01"
    assert [d["id"] for d in client.get("/api/v1/drafts", headers=headers).get_json()["items"]] == [own_draft]
    assert client.get(f"/api/v1/drafts/{other_draft}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/messages/{own_receipt}", headers=headers).get_json()["draft_id"] == own_draft
    refused = client.get(f"/api/v1/messages/{other_receipt}", headers=headers)
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "message"
    # A chat left at the phone question holds a number the citizen never got: no key learns it exists.
    send(world.test_client(), slug_of(own), "青石中学门口放学时堵车严重，每天都堵半小时")
    with world.extensions["mashang"].sessions() as session:
        unsent = session.scalar(select(Message.receipt).where(Message.status == MessageStatus.COLLECTING))
    assert unsent is not None
    assert client.get(f"/api/v1/messages/{unsent}", headers=headers).status_code == 404
    # The whole congress's key sees both stations.
    assert len(_all_pages(client, "/api/v1/deputies", _as(_key(world, "read")))[0]) == 10
    assert _all_pages(client, "/api/v1/deputies", _as(_key(world, "read", liuhe)))[0][0]["station_name"] == liuhe
    # Figures too: a station's key counts the suggestions its own deputies lead, and says which station it counted.
    _answered_suggestion(world, own["id"])
    with world.extensions["mashang"].sessions() as session:
        ids = dict(session.execute(select(Station.name, Station.id)).all())
    counted = {name: client.get("/api/v1/statistics", headers=_as(_key(world, "read", name))).get_json()
               for name in (qingshi, liuhe, None)}
    assert [(counted[name]["total"], counted[name]["answered"], counted[name]["station_id"]) for name in counted] == \
        [(1, 1, ids[qingshi]), (0, 0, ids[liuhe]), (1, 1, None)]


def test_a_read_key_learns_nothing_of_the_messages_citizens_sent_in_the_chat_or_on_wechat(world, client, run_jobs):
    """Receipts are numbered one after another each day: a key that answered for every receipt would list when each
    citizen wrote and what became of it. A key reads the stage of messages that came in through the API only (as
    Open311 does), a station's key those of its own station."""
    deputy = deputies(world)[0]
    chat = report(world.test_client(), slug_of(deputy), "青石街道幸福小区门口的路灯坏了一个月了")["receipt"]
    sent = client.post("/api/v1/messages", json={"text": "青石街道幸福小区东门路灯不亮", "deputy": slug_of(deputy)},
                       headers=_as(_key(world, "submit"))).get_json()["receipt"]
    run_jobs()
    headers = _as(_key(world, "read"))
    refused = client.get(f"/api/v1/messages/{chat}", headers=headers)
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "message"
    assert client.get(f"/api/v1/messages/{sent}", headers=headers).get_json()["receipt"] == sent


def test_a_retried_post_stores_one_message_and_answers_the_same_receipt(world, client, run_jobs):
    slug = slug_of(deputies(world)[0])
    headers = {**_as(_key(world)), "Idempotency-Key": "12345-2026-000981"}
    body = {"text": "幸福小区东门路灯不亮，晚上老人出门不方便", "deputy": slug, "phone": "13912345678"}
    answers = [client.post("/api/v1/messages", json=body, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.get_json()["receipt"] for a in answers}) == 1
    assert _count(world, Message) == 1 and _count(world, ApiSubmission) == 1
    receipt = answers[0].get_json()["receipt"]
    assert answers[0].get_json()["status_url"] == f"http://mashang.test/api/v1/messages/{receipt}"
    assert {a.headers["Location"] for a in answers} == {answers[0].get_json()["status_url"]}
    run_jobs()  # tagged and grouped as a chat message is
    stage = client.get(f"/api/v1/messages/{receipt}", headers=headers).get_json()
    assert stage["stage"] == "drafted" and stage["stage_label"] == "已入草稿" and stage["draft_id"]
    assert stage["created_at"].endswith("+08:00")
    # Another id is another message.
    again = client.post("/api/v1/messages", json=body, headers={**headers, "Idempotency-Key": "12345-2026-000982"})
    assert again.status_code == 201 and again.get_json()["receipt"] != receipt and _count(world, Message) == 2


def _titles_read_over_the_api(world, client, run_jobs, letter: str, title: str) -> tuple[list[str], str]:
    """A draft of one letter whose deputy wrote it this title: its title as the list and the draft read it."""
    from intake.services.drafts import review

    deputy = deputies(world)[0]
    report(world.test_client(), slug_of(deputy), letter)
    run_jobs()
    with world.extensions["mashang"].sessions() as session, session.begin():
        draft = session.scalar(select(Draft).where(Draft.deputy_id == deputy["id"]))
        review.edit_section(session, review.DraftRequest(deputy["id"], draft.id, draft.version, "title", title))
        draft_id = draft.id
    headers = _as(_key(world, "read"))
    listed = client.get("/api/v1/drafts", headers=headers).get_json()["items"]
    return ([d["title"] for d in listed if d["id"] == draft_id],
            client.get(f"/api/v1/drafts/{draft_id}", headers=headers).get_json()["title"])


def test_drafts_read_over_the_api_carry_the_title_the_deputy_wrote(world, client, run_jobs):
    title = "关于尽快修复幸福小区门口路灯的建议"
    listed, read = _titles_read_over_the_api(world, client, run_jobs, "青石街道幸福小区门口的路灯坏了一个月了", title)
    assert listed == [title] and read == title


def test_a_drafts_title_read_over_the_api_masks_a_name_its_letters_tell(world, client, run_jobs):
    # 谷 is a less common surname: 谷斌海 alone in a title is a name only because a letter of the draft told it
    # (村主任谷斌海), as the draft's page and document mask it.
    listed, read = _titles_read_over_the_api(world, client, run_jobs, "青石街道柳河村村主任谷斌海占用村里的集体土地建房",
                                             "关于谷斌海占用集体土地的建议")
    assert listed == ["关于谷某某占用集体土地的建议"] and read == "关于谷某某占用集体土地的建议"


def test_keys_scopes_limits_and_sizes_are_refused_in_the_error_format(tmp_path, redis_url, database_url, redis_conn):
    app = build_app(make_settings(tmp_path / "limited", database_url, redis_url, API_PER_MINUTE="3"))
    assert import_roster(app, write_roster(tmp_path)).exit_code == 0
    client, slug = app.test_client(), slug_of(deputies(app)[0])
    reader, writer = _key(app, "read"), _key(app, "submit")
    revoked = _key(app)
    with app.extensions["mashang"].sessions() as session, session.begin():
        keys.revoke(session, keys.list_keys(session)[0].id)

    def refused(answer, status: int, code: str):
        assert answer.status_code == status, answer.get_data(as_text=True)
        assert set(answer.get_json()) == {"error"} and answer.get_json()["error"]["code"] == code
        assert answer.get_json()["error"]["message"]

    body = {"text": "路灯坏了"}
    refused(client.post("/api/v1/messages", json=body), 401, "api_key_missing")
    refused(client.get("/api/v1/deputies", headers={"X-Api-Key": revoked}), 401, "api_key_refused")
    refused(client.get("/api/v1/deputies", headers=_as("msk_guessed")), 401, "api_key_refused")
    refused(client.post("/api/v1/messages", json={**body, "deputy": slug}, headers=_as(reader)), 403,
            "api_scope_missing")
    refused(client.get("/api/v1/statistics", headers=_as(writer)), 403, "api_scope_missing")
    refused(client.post("/api/v1/messages", data="x" * 2_000_000, content_type="application/json",
                        headers=_as(writer)), 413, "body_too_large")
    chunked = io.BytesIO(b'{"text": "' + b"x" * 2_000_000 + b'"}')  # no Content-Length: the size shows on reading
    refused(client.post("/api/v1/messages", input_stream=chunked, content_type="application/json",
                        headers={**_as(writer), "Transfer-Encoding": "chunked"},
                        environ_overrides={"wsgi.input_terminated": True}), 413, "body_too_large")
    refused(client.post("/api/v1/messages", json={**body, "deputy": slug, "extra": 1}, headers=_as(writer)), 422,
            "invalid_request")
    refused(client.get("/api/v1/nowhere", headers=_as(reader)), 404, "not_found")
    for _ in range(3):
        assert client.get("/api/v1/statistics", headers=_as(reader)).status_code in (200, 429)
    limited = client.get("/api/v1/statistics", headers=_as(reader))
    refused(limited, 429, "too_many_requests")
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert _count(app, Message) == 0
    app.extensions["mashang"].close()


def test_an_address_sending_wrong_keys_waits_a_right_key_passes_and_a_redis_outage_lets_keys_through(
        tmp_path, redis_url, database_url, redis_conn):
    from tests.test_health import _free_port

    app = build_app(make_settings(tmp_path / "limited", database_url, redis_url, API_REFUSED_KEYS_PER_ADDRESS="3"))
    client, right = app.test_client(), _key(app, "read")

    def get(raw: str, address: str = "203.0.113.7"):
        return client.get("/api/v1/deputies", headers=_as(raw), environ_base={"REMOTE_ADDR": address})

    assert [get(f"msk_guess{n}").status_code for n in range(3)] == [401, 401, 401]
    blocked = get("msk_guess3")
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    assert blocked.get_json()["error"] == {"code": "too_many_requests",
                                           "message": "从这个地址发来的无效 API 密钥太多，请按 Retry-After 的秒数稍后再试。"}
    # A partner's right key behind the same address (one proxy) still works; the guesser keeps waiting.
    assert get(right).status_code == 200 and get("msk_guess4").status_code == 429
    open311 = client.get("/open311/v2/requests.json", query_string={"api_key": "msk_guess5"},
                         environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert open311.status_code == 429 and "无效 API 密钥太多" in open311.get_json()[0]["description"]
    assert client.get("/open311/v2/requests.json", query_string={"api_key": right},
                      environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200
    app.extensions["mashang"].close()

    down = build_app(make_settings(tmp_path / "down", database_url, f"redis://127.0.0.1:{_free_port()}/0",
                                   API_REFUSED_KEYS_PER_ADDRESS="1"))
    client = down.test_client()
    assert [get(f"msk_guess{n}").status_code for n in range(3)] == [401, 401, 401]
    assert get(right).status_code == 200
    down.extensions["mashang"].close()

def test_the_openapi_document_is_generated_3_1_and_browsable(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/deputies", "/api/v1/suggestions", "/api/v1/messages", "/api/v1/statistics"} <= set(spec["paths"])
    assert spec["components"]["schemas"]["DeputyOut"]["properties"]["citizen_link"]["type"] == ["string", "null"]
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True).replace("<wbr>", "")  # where a long path may wrap
    assert page.status_code == 200 and "接口文档" in html and "POST /api/v1/messages" in html
    assert "script" not in html and "default-src 'self'" in page.headers["Content-Security-Policy"]
    # A phone reads a list of operations and formats, each's tables opened with a tap (they ran the page to 22,000 px).
    operations = sum(method != "parameters" for operations in spec["paths"].values() for method in operations)
    assert html.count('<details class="spec">') == operations + len(spec["components"]["schemas"])
    # Every row has a description and it is Chinese, the library's own defaults ("OK") included.
    described = re.findall(r'<td data-label="说明">(.*?)</td>', html, re.S)
    assert described and all(re.search(r"[\u4e00-\u9fff]", text) for text in described)


def test_paths_and_methods_no_route_takes_answer_in_the_error_format(client):
    for method, path, status in (("GET", "/api/v1", 404), ("GET", "/api/v1/", 404), ("GET", "/api/v1/nothing", 404),
                                 ("GET", "/api/v1/messages", 405), ("DELETE", "/api/v1/deputies", 405),
                                 ("POST", "/api/v1/openapi.json", 405)):
        response = client.open(path, method=method)
        assert response.status_code == status and response.mimetype == "application/json", (method, path)
        error = response.get_json()["error"]
        assert error["code"] == {404: "not_found", 405: "method_not_allowed"}[status], (method, path)
        assert re.search(r"[\u4e00-\u9fff]", error["message"]), (method, path)
        if status == 405:
            assert response.headers["Allow"], (method, path)


def test_every_parameter_and_field_in_the_document_is_described_in_chinese(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    described = {}
    for path, operations in spec["paths"].items():
        for method, operation in ((m, o) for m, o in operations.items() if m != "parameters"):
            for parameter in operations.get("parameters", []) + operation.get("parameters", []):
                described[f"{method.upper()} {path} {parameter['in']} {parameter['name']}"] = parameter.get("description")
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            described[f"{name}.{field}"] = prop.get("description")
    assert "GET /api/v1/deputies/{deputy_id} path deputy_id" in described and "StatisticsOut.shares" in described
    undescribed = [name for name, text in described.items() if not re.search(r"[\u4e00-\u9fff]", text or "")]
    assert not undescribed, undescribed


def _answered_suggestion(app, deputy_id: int) -> int:
    """A suggestion assigned to a lead and a co-unit, answered in category A and accepted."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        lead, co = HandlingUnit(name="区住房和城乡建设局", short_name="住建局"), HandlingUnit(name="区交通运输局")
        session.add_all([lead, co])
        session.flush()
        found = handling.register_by_hand(session, title="关于修复幸福小区路灯的建议", lead_deputy_id=deputy_id,
                                          cosigner_ids=[], kind="session", topic="城乡建设",
                                          situation="幸福小区门口路灯坏了一个月。", problems="夜间出行不安全",
                                          proposals="尽快修复路灯", actor="staff:admin", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=lead.id, co_unit_ids=[co.id], actor="staff:admin",
                        rules=rules)
        handling.submit_reply(session, found.id, unit_id=lead.id, text="已修复。", category="A",
                              attachment=("答复函.pdf", b"%PDF-1.4\n%%EOF\n"), actor=f"unit:{lead.id}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:admin")
        return found.id


def test_a_suggestion_reads_with_its_units_stage_and_reply_category(world, client):
    first = deputies(world)[0]
    suggestion_id = _answered_suggestion(world, first["id"])
    headers = _as(_key(world, "read"))
    items = client.get("/api/v1/suggestions", headers=headers).get_json()["items"]
    assert [s["id"] for s in items] == [suggestion_id]
    found = client.get(f"/api/v1/suggestions/{suggestion_id}", headers=headers).get_json()
    assert (found["stage"], found["stage_label"], found["reply_category"]) == ("answered", "已答复", "A")
    assert [(u["name"], u["role"]) for u in found["units"]] == [("区住房和城乡建设局", "lead"), ("区交通运输局", "co")]
    assert found["lead_deputy_name"] == first["name"] and found["created_at"].endswith("+08:00")
    assert client.get("/api/v1/suggestions", query_string={"stage": "closed"}, headers=headers).get_json() == \
        {"items": [], "next_cursor": None}
    figures = client.get("/api/v1/statistics", headers=headers).get_json()
    assert (figures["total"], figures["answered"], figures["by_category"]["A"], figures["reply_rate"]) == \
        (1, 1, 1, 100.0)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(tmp_path, database_url, redis_url,
                                                                                   redis_conn, run_jobs):
    # Bounded examples (about a minute per database); a limit high enough that fuzzing is not throttled.
    app = build_app(make_settings(tmp_path, database_url, redis_url, API_PER_MINUTE="1000000"))
    assert import_roster(app, write_roster(tmp_path, ROSTER)).exit_code == 0
    first = deputies(app)[0]
    submitted = app.test_client().post("/api/v1/messages", headers=_as(_key(app, "submit")),
                                       json={"text": "青石街道幸福小区门口的路灯坏了一个月了", "deputy": slug_of(first)})
    assert submitted.status_code == 201
    run_jobs()
    suggestion_id = _answered_suggestion(app, first["id"])
    with app.extensions["mashang"].sessions() as session:
        receipt = session.scalar(select(Message.receipt))
        draft_id = session.scalar(select(Draft.id))
    headers = _as(_key(app))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    # Random ids and receipts find nothing: half the valid cases name rows that exist, so 200s are checked too.
    existing = [schema[path]["GET"].as_strategy(path_parameters=values) for path, values in (
        ("/api/v1/deputies/{deputy_id}", {"deputy_id": first["id"]}),
        ("/api/v1/drafts/{draft_id}", {"draft_id": draft_id}),
        ("/api/v1/suggestions/{suggestion_id}", {"suggestion_id": suggestion_id}),
        ("/api/v1/messages/{receipt}", {"receipt": receipt}))]
    strategies = {GenerationMode.POSITIVE: (st.one_of(schema.as_strategy(), *existing), 200),
                  GenerationMode.NEGATIVE: (schema.as_strategy(generation_mode=GenerationMode.NEGATIVE), 100)}
    seen = collections.Counter()

    for mode, (strategy, examples) in strategies.items():
        @given(case=strategy)
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            if mode is GenerationMode.POSITIVE and case.method == "POST" and isinstance(case.body, dict):
                case.body["deputy"] = slug_of(first)  # a slug no generator guesses: submissions get stored
            seen[case.operation.label, case.call_and_validate(headers=headers, checks=checks).status_code] += 1

        fuzz()
    # The fuzzing reached every read with a row behind it, and stored messages.
    assert {label for (label, status) in seen if status == 200} >= {
        "GET /api/v1/deputies/{deputy_id}", "GET /api/v1/drafts/{draft_id}", "GET /api/v1/suggestions/{suggestion_id}",
        "GET /api/v1/messages/{receipt}", "GET /api/v1/statistics", "GET /api/v1/suggestions"}
    assert seen["POST /api/v1/messages", 201] > 0
    app.extensions["mashang"].close()
