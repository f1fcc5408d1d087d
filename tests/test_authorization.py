"""Every signed-in route × every role: who gets in, who is turned away, and nobody reaches another station's data."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intake.models import Attachment, Deputy, Draft, DraftStatus, ExportJob, Message, StaffRole, StaffUser
from intake.web import access
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    report,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)

ROLES = ("anonymous", "deputy", "station", "office", "admin")


@pytest.fixture
def world(app, run_jobs, tmp_path):
    """Two stations; every object an id can point at belongs to the second one (柳河镇)."""
    import_roster(app, write_roster(tmp_path))
    wang, _, zhang = deputies(app)
    report(app.test_client(), slug_of(wang), "幸福小区门口的路灯坏了一个月了")
    report(app.test_client(), slug_of(zhang), "柳河镇桃园村村道坑坑洼洼，下雨天没法走")
    run_jobs()
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "admin", StaffRole.ADMIN, None)
    add_staff(app, "leaver", StaffRole.OFFICE, None)  # the account the deactivate route may switch off
    set_password(app, "13900000001", "wang-password")
    with app.extensions["mashang"].sessions() as session, session.begin():
        office = session.scalar(select(StaffUser).where(StaffUser.username == "office"))
        leaver = session.scalar(select(StaffUser).where(StaffUser.username == "leaver"))
        export = ExportJob(staff_id=office.id, filters={})
        session.add(export)
        message_id = session.scalar(select(Message.id).where(Message.deputy_id == zhang["id"]))
        photo = Attachment(message_id=message_id, data=b"\x89PNG\r\n\x1a\n", content_type="image/png")
        session.add(photo)
        group = Draft(deputy_id=zhang["id"], topic="城乡建设", title="关于村道问题的建议", status=DraftStatus.COLLECTING)
        session.add(group)
        session.flush()
        ids = {
            "message_id": message_id, "photo_id": photo.id,
            "draft_id": session.scalar(select(Draft.id).where(Draft.deputy_id == zhang["id"], Draft.id != group.id)),
            "group_id": group.id,
            "deputy_id": zhang["id"], "export_id": export.id, "user_id": leaver.id, "job_id": "no-such-job",
            "station_id": session.get(Deputy, zhang["id"]).station_id,
            "fmt": "png", "section": "title",
        }
    clients = {"anonymous": app.test_client()}
    clients["deputy"] = app.test_client()
    sign_in_deputy(clients["deputy"], "13900000001", "wang-password")
    for name in ("station", "office", "admin"):
        clients[name] = sign_in_staff(app, {"station": "qingshi"}.get(name, name))
    return ids, clients


def _path(rule, ids) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def _expected(required: str, role: str, has_id: bool) -> str:
    if required == access.DEPUTY:
        if role != "deputy":
            return "login"
        return "missing" if has_id else "allowed"
    if role in ("anonymous", "deputy"):
        return "login"
    if required == access.ADMIN and role != "admin":
        return "forbidden"
    if required == access.OFFICE and role == "station":
        return "forbidden"
    if role == "station" and has_id:
        return "missing"  # the object belongs to another station
    return "allowed"


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (response.status_code == 302 and "/login" in location):
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "missing"
    return "allowed"


def test_access_matrix_for_every_route_and_role(app, world):
    ids, clients = world
    tokens = {role: csrf_token(client, "/staff/login") for role, client in clients.items()}
    checked, failures = 0, []
    for rule in app.url_map.iter_rules():
        required = access.rule_of(app, rule.endpoint)
        # Signing out would end the sessions the other checks use; it is checked on its own below.
        if required == access.PUBLIC or rule.endpoint.endswith(".logout"):
            continue
        path = _path(rule, ids)
        has_id = any(k in rule.arguments for k in ("message_id", "draft_id", "deputy_id", "export_id", "user_id",
                                                   "photo_id", "group_id"))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                expected = _expected(required, role, has_id)
                if rule.endpoint in ("staff_ops.retry",) and expected == "allowed":
                    expected = "missing"  # there is no such failed job
                if rule.endpoint == "staff.export_download" and expected == "allowed":
                    expected = "missing"  # the export has not run yet
                if rule.endpoint in ("staff.export_status", "staff.export_download") and role == "office":
                    expected = {"staff.export_status": "allowed", "staff.export_download": "missing"}[rule.endpoint]
                data = {"csrf_token": tokens[role]} if method == "POST" else None
                outcome = _outcome(clients[role].open(path, method=method, data=data))
                checked += 1
                if outcome != expected:
                    failures.append(f"{method} {path} as {role}: expected {expected}, got {outcome}")
    assert not failures, "\n".join(failures)
    assert checked > 100

    assert clients["deputy"].post("/staff/logout", data={"csrf_token": tokens["deputy"]}).status_code == 401
    assert clients["station"].post("/deputy/logout", data={"csrf_token": tokens["station"]}).status_code == 401
    assert clients["deputy"].post("/deputy/logout", data={"csrf_token": tokens["deputy"]}).status_code == 302
    assert clients["deputy"].get("/deputy/").status_code == 302
