"""Every route declares who may open it, and signed-in people see only what is theirs."""

from __future__ import annotations

import re

from intake.models import StaffRole
from intake.web import access
from tests.helpers import add_staff, deputies, import_roster, report, sign_in_staff, slug_of, write_roster


def test_every_route_declares_an_access_rule(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules() if access.rule_of(app, rule.endpoint) is None]
    assert missing == []


def test_a_route_without_a_rule_is_refused(app):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert app.test_client().get("/forgotten").status_code == 403


def test_signed_in_routes_turn_strangers_away(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        required = access.rule_of(app, rule.endpoint)
        if required == access.PUBLIC:
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method)
            assert response.status_code in (302, 400, 401), (path, method, response.status_code)
            if method == "GET":
                assert "/login" in response.headers["Location"]


def test_station_staff_see_only_their_stations_messages(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, _, zhang = deputies(app)
    report(client, slug_of(wang), "青石街道幸福小区路灯坏了")
    report(client, slug_of(zhang), "柳河镇桃园村村道坑洼")
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "office", StaffRole.OFFICE, None)

    station_view = sign_in_staff(app, "qingshi").get("/staff/").get_data(as_text=True)
    assert "幸福小区路灯" in station_view and "桃园村" not in station_view
    office_view = sign_in_staff(app, "office").get("/staff/").get_data(as_text=True)
    assert "幸福小区路灯" in office_view and "桃园村" in office_view


def test_deputy_session_does_not_open_staff_pages(app, tmp_path):
    from tests.helpers import set_password, sign_in_deputy

    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "pw")
    client = app.test_client()
    sign_in_deputy(client, "13900000001", "pw")
    assert client.get("/deputy/").status_code == 200
    assert client.get("/staff/").status_code == 302
