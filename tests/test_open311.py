"""Open311 GeoReport v2: the sequence another civic system walks, in XML and JSON, and every refusal."""

from __future__ import annotations

import io
import re
import json
from urllib.parse import quote

import defusedxml.ElementTree as SafeXML
import pytest
from sqlalchemy import func, select

from intake.models import ApiSubmission, Draft, DraftMessage, HandlingUnit, Message, Station
from intake.services.api import keys
from intake.services.drafts import review
from intake.services.lifecycle import handling
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, slug_of, write_roster

REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


@pytest.fixture
def world(app, tmp_path):
    assert import_roster(app, write_roster(tmp_path)).exit_code == 0
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        liuhe = session.scalar(select(Station.id).where(Station.name.startswith("柳河")))
        made = {name: keys.create_key(session, name=name, scopes=frozenset(scopes), station_id=station,
                                      secret=runtime.settings.secret_key)
                for name, scopes, station in (("hotline", ("read", "submit"), None), ("reader", ("read",), None),
                                              ("liuhe", ("read", "submit"), liuhe), ("revoked", ("submit",), None))}
        keys.revoke(session, made["revoked"][0].id)
    return {name: raw for name, (_, raw) in made.items()}


def _read(fmt: str, response) -> list[dict] | dict:
    """The body as plain values: JSON as it is, XML parsed safely into the standard's element names."""
    text = response.get_data(as_text=True)
    if fmt == "json":
        return json.loads(text)
    root = SafeXML.fromstring(text)

    def value(element):
        if len(element) == 0:
            return element.text or ""
        if element.tag in ("endpoints", "formats", "attributes"):
            return [value(child) for child in element]
        return {child.tag: value(child) for child in element}

    if root.tag in ("services", "service_requests", "errors"):
        return [{child.tag: value(child) for child in item} for item in root]
    return {root.tag: {child.tag: value(child) for child in root}}


def _count(app, model) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _answer_it(app, message_id: int) -> str:
    """The message's draft approved, registered, given to 住建局, answered in category A and accepted."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft).join(DraftMessage, DraftMessage.draft_id == Draft.id)
                               .where(DraftMessage.message_id == message_id))
        review.approve(session, review.DraftRequest(draft.deputy_id, draft.id, draft.version, None, None))
        suggestion = handling.register_from_draft(session, draft.id, kind="recess", actor="staff:office", rules=rules)
        unit = HandlingUnit(name="区住房和城乡建设局", short_name="住建局")
        session.add(unit)
        session.flush()
        handling.assign(session, [suggestion.id], lead_unit_id=unit.id, actor="staff:office", rules=rules)
        handling.submit_reply(session, suggestion.id, unit_id=unit.id, text="路灯已修复。", category="A",
                              actor=f"unit:{unit.id}", rules=rules)
        handling.accept_reply(session, suggestion.id, actor="staff:office")
        return suggestion.number


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_georeport_sequence_from_discovery_to_the_answered_request(app, world, run_jobs, fmt):
    client = app.test_client()
    discovery = client.get(f"/open311/v2/discovery.{fmt}")
    assert discovery.status_code == 200 and discovery.mimetype == ("text/xml" if fmt == "xml" else "application/json")
    endpoint = _read(fmt, discovery)
    endpoint = (endpoint["discovery"] if fmt == "xml" else endpoint)["endpoints"][0]
    assert endpoint["url"] == "http://mashang.test/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"

    services = _read(fmt, client.get(f"/open311/v2/services.{fmt}"))
    assert len(services) == 15
    building = next(s for s in services if s["service_code"] == "城乡建设")
    assert set(building) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert building["group"] and building["metadata"] in (True, "true")
    definition = _read(fmt, client.get(f"/open311/v2/services/{quote('城乡建设')}.{fmt}"))
    definition = definition["service_definition"] if fmt == "xml" else definition
    assert [a["code"] for a in definition["attributes"]] == ["deputy", "external_id"]

    slug = slug_of(deputies(app)[0])
    posted = client.post(f"/open311/v2/requests.{fmt}", data={
        "api_key": world["hotline"], "service_code": "城乡建设", "description": "幸福小区门口的路灯坏了一个月，晚上很黑",
        "address_string": "青石街道幸福小区东门", "lat": "30.25", "long": "120.16", "phone": "13912345678",
        "attribute[deputy]": slug, "attribute[external_id]": "12345-0001"})
    assert posted.status_code == 200, posted.get_data(as_text=True)
    [created] = _read(fmt, posted)
    receipt, token = created["service_request_id"], created["token"]
    assert receipt.startswith("MS-") and receipt in created["service_notice"]

    key = f"api_key={quote(world['reader'])}"
    [from_token] = _read(fmt, client.get(f"/open311/v2/tokens/{token}.{fmt}?{key}"))
    assert from_token == {"token": token, "service_request_id": receipt}

    [fresh] = _read(fmt, client.get(f"/open311/v2/requests/{receipt}.{fmt}?{key}"))
    assert list(fresh) == REQUEST_FIELDS
    assert (fresh["status"], fresh["status_notes"], fresh["agency_responsible"]) == ("open", "已收到，正在整理", "")
    assert fresh["address"] == "青石街道幸福小区东门" and float(fresh["lat"]) == 30.25
    assert "13912345678" not in fresh["description"]  # the phone is for staff, never for other systems
    assert fresh["requested_datetime"].endswith("+08:00")

    run_jobs()  # tagged and grouped, as a chat message is
    number = _answer_it(app, int(_message_id(app, receipt)))
    [answered] = _read(fmt, client.get(f"/open311/v2/requests/{receipt}.{fmt}?{key}"))
    assert answered["status"] == "closed"
    assert number in answered["status_notes"] and "A类" in answered["status_notes"]
    assert answered["agency_responsible"] == "区住房和城乡建设局"
    assert answered["updated_datetime"] >= fresh["updated_datetime"]
    assert answered["service_code"] == answered["service_name"] != ""  # the topic tagging gave it

    listed = _read(fmt, client.get(f"/open311/v2/requests.{fmt}?{key}&status=closed"))
    assert [r["service_request_id"] for r in listed] == [receipt]
    assert _read(fmt, client.get(f"/open311/v2/requests.{fmt}?{key}&status=open")) == []


def _message_id(app, receipt: str) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(Message.id).where(Message.receipt == receipt))


def _post(client, key: str | None, **fields):
    data = {"description": "柳河镇桃园村村道坑坑洼洼", "address_string": "柳河镇桃园村", **fields}
    if key is not None:
        data["api_key"] = key
    return client.post("/open311/v2/requests.json", data=data)


def test_refusals_answer_with_the_standard_errors_and_store_nothing(app, world, tmp_path, redis_url, database_url):
    client = app.test_client()
    # The one request another station's key must not read.
    hotline = _post(client, world["hotline"], address_string="青石街道幸福小区", description="幸福小区路灯坏了")
    receipt = hotline.get_json()[0]["service_request_id"]
    before = (_count(app, Message), _count(app, ApiSubmission))

    cases = [
        ("no key", lambda: _post(client, None), 403),
        ("a revoked key", lambda: _post(client, world["revoked"]), 403),
        ("a read-only key posting", lambda: _post(client, world["reader"]), 403),
        ("a station key reading another station",
         lambda: client.get(f"/open311/v2/requests/{receipt}.xml?api_key={quote(world['liuhe'])}"), 404),
        ("a 2 MB body", lambda: _post(client, world["hotline"], description="长" * (2 * 1024 * 1024 // 3)), 413),
        ("an unknown field", lambda: _post(client, world["hotline"], surprise="1"), 400),
        ("coordinates that are no numbers", lambda: _post(client, world["hotline"], lat="north", long="east"), 400),
        ("an unknown service", lambda: _post(client, world["hotline"], service_code="火星"), 400),
        ("a JSON body", lambda: client.post("/open311/v2/requests.json", json={"api_key": world["hotline"]}), 400),
        ("an unknown format", lambda: client.get("/open311/v2/services.html"), 404),
        ("an unknown path", lambda: client.get("/open311/v2/nothing.json"), 404),
    ]
    for name, call, status in cases:
        response = call()
        assert response.status_code == status, (name, response.get_data(as_text=True))
        errors = _read("xml" if "xml" in response.content_type else "json", response)
        assert len(errors) == 1 and int(errors[0]["code"]) == status and errors[0]["description"], name
    assert (_count(app, Message), _count(app, ApiSubmission)) == before

    limited = build_app(make_settings(tmp_path / "limited", database_url, redis_url, API_PER_MINUTE="2"))
    limited_client = limited.test_client()
    fresh = limited.test_cli_runner().invoke(args=["apikeys", "create", "--name", "burst", "--scope", "submit"])
    fresh_key = fresh.output.strip().splitlines()[-1]
    assert _post(limited_client, fresh_key).status_code == 200
    assert _post(limited_client, fresh_key).status_code == 200
    too_many = _post(limited_client, fresh_key)
    assert too_many.status_code == 429 and 1 <= int(too_many.headers["Retry-After"]) <= 60
    assert int(too_many.get_json()[0]["code"]) == 429
    assert _count(app, Message) == before[0] + 2
    limited.extensions["mashang"].close()


def test_an_external_id_posted_three_times_stores_one_message_with_one_receipt(app, world):
    client = app.test_client()
    answers = [_post(client, world["hotline"], **{"attribute[external_id]": "hotline-778"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].get_json() == answers[1].get_json() == answers[2].get_json()
    assert (_count(app, Message), _count(app, ApiSubmission)) == (1, 1)
    other_key = _post(client, world["liuhe"], **{"attribute[external_id]": "hotline-778"})
    assert other_key.get_json()[0]["service_request_id"] != answers[0].get_json()[0]["service_request_id"]


def test_a_station_key_lists_only_its_own_station_and_filters_are_strict(app, world):
    client = app.test_client()
    ours = _post(client, world["liuhe"]).get_json()[0]["service_request_id"]
    theirs = _post(client, world["hotline"], address_string="青石街道幸福小区",
                   description="幸福小区路灯坏了").get_json()[0]["service_request_id"]
    liuhe = quote(world["liuhe"])
    listed = client.get(f"/open311/v2/requests.json?api_key={liuhe}").get_json()
    assert [r["service_request_id"] for r in listed] == [ours]
    everything = client.get(f"/open311/v2/requests.json?api_key={quote(world['reader'])}").get_json()
    assert [r["service_request_id"] for r in everything] == [theirs, ours]
    by_id = client.get(f"/open311/v2/requests.json?api_key={quote(world['reader'])}&service_request_id={ours},nope"
                       "&status=closed")  # ids override the other filters
    assert [r["service_request_id"] for r in by_id.get_json()] == [ours]
    assert client.get(f"/open311/v2/requests.json?api_key={liuhe}&start_date=2026-01-01T00:00:00Z").status_code == 200
    for bad in ("start_date=yesterday", "start_date=2026-01-01", "status=pending", "order=desc",
                "end_date=0001-01-01T00:00:00-12:00", "start_date=0001-01-01T00:00:00%2B14:00"):
        assert client.get(f"/open311/v2/requests.json?api_key={liuhe}&{bad}").status_code == 400, bad
    assert client.get(f"/open311/v2/tokens/999.json?api_key={liuhe}").status_code == 404


def test_dates_at_the_calendar_edges_and_bytes_no_database_stores_are_refused_not_a_server_error(app, world):
    client = app.test_client()
    ours = _post(client, world["hotline"]).get_json()[0]["service_request_id"]
    key = quote(world["hotline"])
    refused = ["end_date=0001-01-01T00:00:00%2B00:00", "start_date=0001-01-01T00:00:00%2B14:00",
               "start_date=9999-12-31T23:59:59-12:00", "service_code=%00", "service_request_id=%00"]
    for query in refused:
        response = client.get(f"/open311/v2/requests.json?api_key={key}&{query}")
        assert response.status_code == 400, (query, response.get_data(as_text=True))
        assert response.get_json()[0]["description"]
    for path in ("/open311/v2/requests/%00.json", f"/open311/v2/requests/{ours}%00.xml"):
        response = client.get(f"{path}?api_key={key}")
        assert response.status_code == 404, (path, response.get_data(as_text=True))
    before = (_count(app, Message), _count(app, ApiSubmission))
    for field in ("attribute[external_id]", "attribute[deputy]", "description"):
        response = _post(client, world["hotline"], **{field: "路灯\x00坏了"})
        assert response.status_code == 400, (field, response.get_data(as_text=True))
    assert (_count(app, Message), _count(app, ApiSubmission)) == before
    # The edges of the calendar the standard allows still work.
    listed = client.get(f"/open311/v2/requests.json?api_key={key}&start_date=2000-01-01T00:00:00%2B08:00")
    assert [r["service_request_id"] for r in listed.get_json()] == [ours], listed.get_data(as_text=True)


def test_an_error_naming_a_field_with_control_characters_is_still_well_formed_xml(app, world):
    client = app.test_client()
    response = client.get(f"/open311/v2/requests.xml?api_key={quote(world['hotline'])}&%01%0Bsort%1F=1")
    assert response.status_code == 400
    errors = _read("xml", response)
    assert int(errors[0]["code"]) == 400 and "sort" in errors[0]["description"]


def test_a_chunked_form_over_the_size_limit_is_refused_not_cut_short_and_stored(app, world):
    client = app.test_client()
    before = (_count(app, Message), _count(app, ApiSubmission))
    # No Content-Length: the size shows only on reading. Cut at the limit, the form would still parse.
    form = f"api_key={quote(world['hotline'])}&address_string={quote('柳河镇桃园村')}&description=".encode()
    chunked = io.BytesIO(form + quote("长" * 400_000).encode())
    response = client.post("/open311/v2/requests.json", input_stream=chunked,
                           content_type="application/x-www-form-urlencoded",
                           headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413, response.get_data(as_text=True)[:200]
    assert int(response.get_json()[0]["code"]) == 413
    assert (_count(app, Message), _count(app, ApiSubmission)) == before


def test_paths_and_methods_no_route_takes_answer_with_the_standard_errors_in_the_paths_format(app):
    client = app.test_client()
    cases = [("GET", "/open311/v2/", 404, "json"), ("GET", "/open311/v2", 404, "json"),
             ("GET", "/open311/v2/nothing", 404, "json"), ("GET", "/open311/v2/services.html", 404, "json"),
             ("GET", "/open311/v2/nothing.xml", 404, "xml"),
             ("DELETE", "/open311/v2/requests.json", 405, "json"), ("PUT", "/open311/v2/requests.xml", 405, "xml"),
             ("POST", "/open311/v2/discovery.xml", 405, "xml"), ("POST", "/open311/v2/services/环境保护.json", 405, "json")]
    for method, path, status, fmt in cases:
        response = client.open(path, method=method)
        assert response.status_code == status, (method, path, response.get_data(as_text=True)[:200])
        assert response.mimetype == ("text/xml" if fmt == "xml" else "application/json"), (method, path)
        errors = _read(fmt, response)
        assert len(errors) == 1 and int(errors[0]["code"]) == status, (method, path, errors)
        assert re.search(r"[\u4e00-\u9fff]", errors[0]["description"]), (method, path, errors)
        if status == 405:
            assert "GET" in response.headers["Allow"], (method, path)
