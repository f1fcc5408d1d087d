"""Every route × every role, against a table written here (not the routes' own declared rules): who gets in,
who is sent to sign in, and who finds nothing (404) — another station's, deputy's or unit's objects included.

A route missing from the table fails the test, so a new route must say here who may open it; any 5xx fails."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intake.models import (Attachment, Delivery, Deputy, Draft, DraftStatus, ExportJob, HandlingUnit, Message, Reply, StaffRole, StaffUser,
                           Suggestion, SuggestionEvent)
from intake.services.console.accounts import hash_password
from intake.services.drafts import review
from intake.services.lifecycle import handling
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

# The objects every id points at belong to 张桂芳 (柳河镇 station); the suggestion is hers, led by unit 住建局
# with 交通局 as co-unit. "own" roles are the ones these objects belong to, "other" roles are not.
ROLES = ("anonymous", "deputy_own", "deputy_other", "station_own", "station_other", "office", "admin",
         "unit_lead", "unit_co", "unit_other")
OUTCOMES = {"+": "allowed", "4": "missing", "L": "login"}

# One character per role, in the order of ROLES:  + allowed   4 not found (404)   L sent to sign in (redirect or 401)
#                      anon dep-own dep-other st-own st-other office admin lead co other
DEPUTY_ANY = "L++LLLLLLL"
DEPUTY_OBJECT = "L+4LLLLLLL"
STAFF_ANY = "LLL++++444"
STAFF_OBJECT = "LLL+4++444"
OFFICE = "LLL44++444"
ADMIN = "LLL444+444"
UNIT_ANY = "LLL4444+++"
UNIT_OBJECT = "LLL4444++4"
UNIT_LEAD_ONLY = "LLL4444+44"
NOBODY = "LLL4444444"  # signed-in staff of the right role, but the object does not exist (yet)
EXPORT_OF_OFFICE = "LLL44++444"  # the export belongs to the office account; an administrator sees all exports
API_KEY_ONLY = "LLLLLLLLLL"  # /api/v1 opens to an API key in a header: no sign-in cookie of any role is one (401)

TABLE = {
    # the deputy's pages
    "GET /deputy/": DEPUTY_ANY,
    "GET /deputy/drafts/<int:draft_id>": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/sections/<section>": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/merge": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/messages/<int:message_id>/move-out": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/cosigners": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/names": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/approve": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/discard": DEPUTY_OBJECT,
    "GET /deputy/drafts/<int:draft_id>/document": DEPUTY_OBJECT,
    "GET /deputy/messages": DEPUTY_ANY,
    "GET /deputy/password": DEPUTY_ANY,
    "POST /deputy/password": DEPUTY_ANY,
    "POST /deputy/messages/draft": DEPUTY_ANY,
    "POST /deputy/messages/add": DEPUTY_ANY,
    "GET /deputy/groups": DEPUTY_ANY,
    "GET /deputy/groups/<int:group_id>": DEPUTY_OBJECT,
    "POST /deputy/groups/<int:group_id>/draft": DEPUTY_OBJECT,
    "POST /deputy/drafts/<int:draft_id>/invite": DEPUTY_OBJECT,
    # Only a deputy invited to co-sign answers; the world's draft invited nobody (tests/test_invitations.py).
    "GET /deputy/invitations/<int:draft_id>": "L44LLLLLLL",  # ... and only they read the draft they are asked to sign
    "POST /deputy/invitations/<int:draft_id>": "L44LLLLLLL",
    "GET /deputy/messages/<int:message_id>/photos/<int:photo_id>": DEPUTY_OBJECT,
    "GET /deputy/suggestions": DEPUTY_ANY,
    "GET /deputy/suggestions/<int:suggestion_id>": DEPUTY_OBJECT,
    "POST /deputy/suggestions/<int:suggestion_id>/rating": DEPUTY_OBJECT,
    "GET /deputy/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment": DEPUTY_OBJECT,
    # the staff console
    "GET /staff/": "LLL+++++++",  # a unit's account is sent on to its own home, /unit/
    "GET /staff/password": STAFF_ANY,  # one's own account's: no other account is named (tests/test_staff_password.py)
    "POST /staff/password": STAFF_ANY,
    "POST /staff/messages/actions": STAFF_ANY,
    "GET /staff/messages/<int:message_id>": STAFF_OBJECT,
    "POST /staff/messages/<int:message_id>/progress-links/revoke": STAFF_OBJECT,
    "GET /staff/groups": STAFF_ANY,
    "GET /staff/radar": STAFF_ANY,  # a station sees only its share (tests/test_radar.py)
    "GET /staff/groups/<int:group_id>": STAFF_OBJECT,
    "GET /staff/messages/<int:message_id>/photos/<int:photo_id>": STAFF_OBJECT,
    "POST /staff/exports": STAFF_ANY,
    "GET /staff/exports/<int:export_id>": EXPORT_OF_OFFICE,
    "POST /staff/exports/<int:export_id>/retry": EXPORT_OF_OFFICE,
    "GET /staff/exports/<int:export_id>.xlsx": NOBODY,  # not written yet
    "GET /staff/deputies": STAFF_ANY,
    "POST /staff/deputies": STAFF_ANY,
    "GET /staff/deputies/<int:deputy_id>": STAFF_OBJECT,
    "POST /staff/deputies/<int:deputy_id>": STAFF_OBJECT,
    "POST /staff/deputies/<int:deputy_id>/sign-in-link": STAFF_OBJECT,
    "POST /staff/deputies/<int:deputy_id>/clear-password": STAFF_OBJECT,
    "GET /staff/deputies/<int:deputy_id>/qrcode.<fmt>": STAFF_OBJECT,
    "GET /staff/qrcodes.zip": STAFF_ANY,
    "GET /staff/stations": OFFICE,
    "POST /staff/stations": OFFICE,
    "POST /staff/stations/<int:station_id>": OFFICE,
    "POST /staff/stations/<int:station_id>/deactivate": OFFICE,
    "POST /staff/stations/<int:station_id>/merge": OFFICE,
    "POST /staff/stations/<int:station_id>/delete": OFFICE,
    "GET /staff/roster": OFFICE,
    "POST /staff/roster": OFFICE,
    "GET /staff/accounts": ADMIN,
    "GET /staff/api-keys": ADMIN,
    "POST /staff/api-keys": ADMIN,
    "POST /staff/api-keys/<int:key_id>/revoke": ADMIN,
    "POST /staff/accounts": ADMIN,
    "POST /staff/accounts/<int:user_id>/deactivate": ADMIN,
    "POST /staff/accounts/<int:user_id>/name": ADMIN,
    "POST /staff/accounts/<int:user_id>/welcome-link": ADMIN,
    "GET /staff/operations": STAFF_ANY,
    "POST /staff/operations/failed/<job_id>/retry": NOBODY,  # no such failed job
    "POST /staff/operations/deliveries/<int:delivery_id>/retry": OFFICE,
    "GET /staff/audit": OFFICE,
    # suggestions in the office's console
    "GET /staff/suggestions": OFFICE,
    "POST /staff/suggestions/assign": OFFICE,
    "GET /staff/drafts/<int:draft_id>": OFFICE,  # the world's draft is registered: it leads to its suggestion
    "POST /staff/drafts/<int:draft_id>/register": OFFICE,
    "GET /staff/suggestions/new": OFFICE,
    "POST /staff/suggestions/new": OFFICE,
    "GET /staff/suggestions/<int:suggestion_id>": OFFICE,
    "POST /staff/suggestions/<int:suggestion_id>/accept": OFFICE,
    "POST /staff/suggestions/<int:suggestion_id>/send-back": OFFICE,
    "POST /staff/suggestions/<int:suggestion_id>/reassign": OFFICE,
    "GET /staff/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment": OFFICE,
    "GET /staff/suggestions.xlsx": OFFICE,
    "GET /staff/stats": OFFICE,
    "GET /staff/report": OFFICE,
    "POST /staff/report": OFFICE,
    "GET /staff/report/<int:year>.docx": NOBODY,  # not written yet
    "GET /staff/report/<int:year>.xlsx": NOBODY,
    "GET /staff/units": OFFICE,
    "POST /staff/units": OFFICE,
    "POST /staff/units/import": OFFICE,
    "GET /staff/units/<int:unit_id>": OFFICE,
    "POST /staff/units/<int:unit_id>": OFFICE,
    # a handling unit's pages
    "GET /unit/": UNIT_ANY,
    "GET /unit/password": UNIT_ANY,  # the unit's own account's
    "POST /unit/password": UNIT_ANY,
    "GET /unit/suggestions/<int:suggestion_id>": UNIT_OBJECT,
    "POST /unit/suggestions/<int:suggestion_id>/contacts": UNIT_OBJECT,
    "POST /unit/suggestions/<int:suggestion_id>/opinion": UNIT_OBJECT,
    "POST /unit/suggestions/<int:suggestion_id>/reply": UNIT_LEAD_ONLY,  # a co-unit cannot reply
    "POST /unit/suggestions/<int:suggestion_id>/return": UNIT_OBJECT,
    "POST /unit/suggestions/<int:suggestion_id>/done": UNIT_OBJECT,
    "GET /unit/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment": UNIT_OBJECT,
    # integrating systems
    "GET /api/v1/deputies": API_KEY_ONLY,
    "GET /api/v1/deputies/<int:deputy_id>": API_KEY_ONLY,
    "GET /api/v1/drafts": API_KEY_ONLY,
    "GET /api/v1/drafts/<int:draft_id>": API_KEY_ONLY,
    "GET /api/v1/suggestions": API_KEY_ONLY,
    "GET /api/v1/suggestions/<int:suggestion_id>": API_KEY_ONLY,
    "GET /api/v1/statistics": API_KEY_ONLY,
    "POST /api/v1/messages": API_KEY_ONLY,
    "GET /api/v1/messages/<receipt>": API_KEY_ONLY,
}

# Open to anyone (citizens, sign-in pages, probes, WeChat's server): only checked not to fail for a stranger.
PUBLIC = {
    "GET /", "GET /c/<slug>", "POST /c/<slug>", "POST /api/chat/<slug>", "POST /api/chat/<slug>/image", "GET /p/<token>",
    "GET /deputy/login", "POST /deputy/login", "GET /deputy/signin/<token>", "POST /deputy/signin/<token>",
    "GET /staff/login", "POST /staff/login", "GET /staff/welcome/<token>", "POST /staff/welcome/<token>",
    "GET /healthz", "GET /metrics", "GET /livez", "GET /readyz", "GET /favicon.ico", "GET /wechat", "POST /wechat",
    "GET /static/<path:filename>", "GET /api/v1/openapi.json", "GET /api/v1/docs",
    # Other systems' APIs: a key, not a sign-in; tests/test_open311.py checks keys, scopes and stations.
    "GET /open311/v2/discovery.<fmt>", "GET /open311/v2/services.<fmt>",
    "GET /open311/v2/services/<service_code>.<fmt>", "GET /open311/v2/requests.<fmt>",
    "POST /open311/v2/requests.<fmt>", "GET /open311/v2/requests/<request_id>.<fmt>",
    "GET /open311/v2/tokens/<token>.<fmt>",
}
# They report readiness: 503 while no worker runs (none does in this test) is their answer, not a failure.
READINESS = {"GET /healthz", "GET /readyz"}
# Signing out would end the sessions the other checks use: checked on their own below.
SIGN_OUT = {"POST /deputy/logout", "POST /staff/logout", "POST /unit/logout"}

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _add_unit_account(session, username: str, unit: HandlingUnit) -> None:
    session.add(StaffUser(username=username, password_hash=hash_password("pw-" + username), role=StaffRole.UNIT,
                          unit_id=unit.id))


def _suggestion_world(session, rules, zhang_id: int, li_id: int, draft_id: int) -> dict:
    """张桂芳's approved draft registered, co-signed by 李建国, assigned to 住建局 (lead) and 交通局 (co-unit),
    answered in category A with a .pdf and accepted: every page and file of it exists."""
    lead, co, other = (HandlingUnit(name=name, short_name=short) for name, short in
                       (("区住房和城乡建设局", "住建局"), ("区交通运输局", "交通局"), ("区教育局", "教育局")))
    session.add_all([lead, co, other])
    session.flush()
    for username, unit in (("zhujian", lead), ("jiaotong", co), ("jiaoyu", other)):
        _add_unit_account(session, username, unit)
    draft = session.get(Draft, draft_id)
    review.set_cosigners(session, review.DraftRequest(zhang_id, draft_id, draft.version, None, None), [li_id])
    review.approve(session, review.DraftRequest(zhang_id, draft_id, session.get(Draft, draft_id).version, None, None))
    suggestion = handling.register_from_draft(session, draft_id, kind="recess", actor="staff:office", rules=rules)
    handling.assign(session, [suggestion.id], lead_unit_id=lead.id, co_unit_ids=[co.id], actor="staff:office",
                    rules=rules)
    handling.submit_reply(session, suggestion.id, unit_id=lead.id, text="已修好村道。", category="A",
                          attachment=("答复.pdf", PDF), actor=f"unit:{lead.id}", rules=rules)
    handling.accept_reply(session, suggestion.id, actor="staff:office")
    reply_id = session.scalar(select(Reply.id).where(Reply.suggestion_id == suggestion.id))
    return {"suggestion_id": suggestion.id, "reply_id": reply_id, "unit_id": lead.id}


def _api_key(session, runtime) -> int:
    from intake.services.api import keys

    key, _ = keys.create_key(session, name="12345热线", scopes=frozenset({"read"}), station_id=None,
                             secret=runtime.settings.secret_key)
    return key.id


@pytest.fixture
def world(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    report(app.test_client(), slug_of(wang), "幸福小区门口的路灯坏了一个月了")
    report(app.test_client(), slug_of(zhang), "柳河镇桃园村村道坑坑洼洼，下雨天没法走")
    run_jobs()
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "admin", StaffRole.ADMIN, None)
    add_staff(app, "leaver", StaffRole.OFFICE, None)  # the account the deactivate route may switch off
    set_password(app, "13900000001", "wang-password")
    set_password(app, "13900000004", "zhang-password")
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        office = session.scalar(select(StaffUser).where(StaffUser.username == "office"))
        leaver = session.scalar(select(StaffUser).where(StaffUser.username == "leaver"))
        export = ExportJob(staff_id=office.id, filters={})
        session.add(export)
        delivery = Delivery(channel="email", recipient="unit@example.cn", subject="建议办理提醒", body="还有 7 天到期",
                            dedupe_key="authorization", state="failed", attempts=8)
        session.add(delivery)
        message_id = session.scalar(select(Message.id).where(Message.deputy_id == zhang["id"]))
        photo = Attachment(message_id=message_id, data=b"\x89PNG\r\n\x1a\n", content_type="image/png")
        session.add(photo)
        group = Draft(deputy_id=zhang["id"], topic="城乡建设", title="关于村道问题的建议", status=DraftStatus.COLLECTING)
        session.add(group)
        session.flush()
        draft_id = session.scalar(select(Draft.id).where(Draft.deputy_id == zhang["id"], Draft.id != group.id))
        ids = {
            "message_id": message_id, "photo_id": photo.id, "draft_id": draft_id, "group_id": group.id,
            "deputy_id": zhang["id"], "export_id": export.id, "user_id": leaver.id, "job_id": "no-such-job",
            "delivery_id": delivery.id, "year": 2026,
            "station_id": session.get(Deputy, zhang["id"]).station_id,
            "fmt": "png", "section": "title", "slug": slug_of(zhang), "token": "no-such-token",
            "filename": "site.css", "receipt": "MS-20260101-0001", "key_id": _api_key(session, runtime),
            "service_code": "城乡建设", "request_id": "MS-20260101-0001", "unknown": "nothing",
            **_suggestion_world(session, runtime.settings.lifecycle, zhang["id"], li["id"], draft_id),
        }
    clients = {"anonymous": app.test_client()}
    for role, phone, password in (("deputy_own", "13900000004", "zhang-password"),
                                  ("deputy_other", "13900000001", "wang-password")):
        clients[role] = app.test_client()
        assert sign_in_deputy(clients[role], phone, password).status_code == 302
    for role, username in (("station_own", "liuhe"), ("station_other", "qingshi"), ("office", "office"),
                           ("admin", "admin"), ("unit_lead", "zhujian"), ("unit_co", "jiaotong"),
                           ("unit_other", "jiaoyu")):
        clients[role] = sign_in_staff(app, username)
    return ids, clients


def _path(rule: str, ids) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule)


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (response.status_code == 302 and "/login" in location):
        return "login"
    if response.status_code == 404:
        return "missing"
    if 200 <= response.status_code < 400 or response.status_code == 422:  # 422: let in, the empty form refused
        return "allowed"
    return f"status {response.status_code}"


def _routes(app) -> list[str]:
    return sorted(f"{method} {rule.rule}" for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def test_the_table_names_every_route(app):
    unlisted = [route for route in _routes(app) if route not in TABLE and route not in PUBLIC | SIGN_OUT]
    assert not unlisted, "routes missing from the access table:\n" + "\n".join(unlisted)
    stale = [route for route in list(TABLE) + sorted(PUBLIC | SIGN_OUT) if route not in _routes(app)]
    assert not stale, "the table names routes that no longer exist:\n" + "\n".join(stale)
    assert all(len(row) == len(ROLES) and set(row) <= set(OUTCOMES) for row in TABLE.values())


def test_access_matrix_for_every_route_and_role(app, world):
    ids, clients = world
    tokens = {role: csrf_token(client, "/staff/login") for role, client in clients.items()}
    checked, failures = 0, []
    for route in _routes(app):
        if route in SIGN_OUT:
            continue
        method, rule = route.split(" ", 1)
        path = _path(rule, ids)
        if route in PUBLIC:
            if method == "GET":
                status = clients["anonymous"].get(path).status_code
                checked += 1
                if status >= 500 and not (route in READINESS and status == 503):
                    failures.append(f"{route} for a stranger: status {status}")
            continue
        for role, expected in zip(ROLES, TABLE[route]):
            data = {"csrf_token": tokens[role]} if method == "POST" else None
            outcome = _outcome(clients[role].open(path, method=method, data=data))
            checked += 1
            if outcome != OUTCOMES[expected]:
                failures.append(f"{method} {path} as {role}: expected {OUTCOMES[expected]}, got {outcome}")
    assert not failures, "\n".join(failures)
    assert checked > 600
    assert clients["unit_lead"].get("/staff/").headers["Location"] == "/unit/"

    assert clients["deputy_own"].post("/staff/logout", data={"csrf_token": tokens["deputy_own"]}).status_code == 401
    assert clients["station_own"].post("/deputy/logout", data={"csrf_token": tokens["station_own"]}).status_code == 401
    assert clients["station_own"].post("/unit/logout", data={"csrf_token": tokens["station_own"]}).status_code == 404
    assert clients["unit_lead"].post("/staff/logout", data={"csrf_token": tokens["unit_lead"]}).status_code == 404
    assert clients["unit_lead"].post("/unit/logout", data={"csrf_token": tokens["unit_lead"]}).status_code == 302
    assert clients["unit_lead"].get("/unit/").status_code == 302
    assert clients["deputy_own"].post("/deputy/logout", data={"csrf_token": tokens["deputy_own"]}).status_code == 302
    assert clients["deputy_own"].get("/deputy/").status_code == 302


def _state(runtime, suggestion_id: int) -> tuple:
    with runtime.sessions() as session:
        found = session.get(Suggestion, suggestion_id)
        events = session.scalar(select(func.count()).select_from(SuggestionEvent)
                                .where(SuggestionEvent.suggestion_id == suggestion_id))
        replies = session.scalar(select(func.count()).select_from(Reply).where(Reply.suggestion_id == suggestion_id))
        return found.status, found.round, events, replies


def test_a_unit_sees_its_own_suggestions_and_only_the_lead_unit_replies(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        lead, co, other = HandlingUnit(name="区水务局"), HandlingUnit(name="区城管局"), HandlingUnit(name="区教育局")
        session.add_all([lead, co, other])
        session.flush()
        for username, unit in (("shuiwu", lead), ("chengguan", co), ("jiaoyu", other)):
            _add_unit_account(session, username, unit)
        ours = handling.register_by_hand(session, title="疏通桃园村排污沟", lead_deputy_id=zhang["id"],
                                         cosigner_ids=[li["id"]], kind="recess", topic="生态环境", situation="",
                                         problems="排污沟堵塞", proposals="尽快疏通", actor="staff:office", rules=rules)
        theirs = handling.register_by_hand(session, title="青石中学门口加装红绿灯", lead_deputy_id=wang["id"],
                                           cosigner_ids=[], kind="recess", topic="交通出行", situation="",
                                           problems="放学堵车", proposals="加装红绿灯", actor="staff:office",
                                           rules=rules)
        handling.assign(session, [ours.id], lead_unit_id=lead.id, co_unit_ids=[co.id], actor="staff:office",
                        rules=rules)
        handling.assign(session, [theirs.id], lead_unit_id=other.id, co_unit_ids=[], actor="staff:office",
                        rules=rules)
        ours_id, theirs_id = ours.id, theirs.id
    lead_client, co_client, other_client = (sign_in_staff(app, name) for name in ("shuiwu", "chengguan", "jiaoyu"))

    assert "疏通桃园村排污沟" in lead_client.get("/unit/").get_data(as_text=True)
    assert "青石中学" not in lead_client.get("/unit/").get_data(as_text=True)
    assert "疏通桃园村排污沟" in co_client.get("/unit/").get_data(as_text=True)
    assert lead_client.get(f"/unit/suggestions/{theirs_id}").status_code == 404
    assert other_client.get(f"/unit/suggestions/{ours_id}").status_code == 404
    assert "提交答复" not in co_client.get(f"/unit/suggestions/{ours_id}").get_data(as_text=True)

    reply = {"text": "已安排疏通。", "category": "A", "csrf_token": csrf_token(co_client, "/unit/")}
    before = _state(runtime, ours_id)
    assert co_client.post(f"/unit/suggestions/{ours_id}/reply", data=reply).status_code == 404
    assert other_client.post(f"/unit/suggestions/{ours_id}/reply",
                             data={**reply, "csrf_token": csrf_token(other_client, "/unit/")}).status_code == 404
    assert _state(runtime, ours_id) == before

    # A reply pasted with an invisible control character (PostgreSQL stores no NUL) is kept without it.
    reply.update(text="已安排疏通。\x00\n下周完工。", csrf_token=csrf_token(lead_client, "/unit/"))
    assert lead_client.post(f"/unit/suggestions/{ours_id}/reply", data=reply).status_code == 302
    assert _state(runtime, ours_id)[0] == "reply_submitted"
    with runtime.sessions() as session:
        assert session.scalar(select(Reply.text).where(Reply.suggestion_id == ours_id)) == "已安排疏通。\n下周完工。"


def test_a_deputy_sees_what_they_lead_or_co_sign_and_only_the_lead_rates(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    rules = runtime.settings.lifecycle
    for phone in ("13900000001", "13900000002", "13900000004"):
        set_password(app, phone, "pass-" + phone)
    with runtime.sessions() as session, session.begin():
        unit = HandlingUnit(name="区水务局")
        session.add(unit)
        session.flush()
        found = handling.register_by_hand(session, title="疏通桃园村排污沟", lead_deputy_id=zhang["id"],
                                          cosigner_ids=[li["id"]], kind="recess", topic="生态环境", situation="",
                                          problems="排污沟堵塞", proposals="尽快疏通", actor="staff:office",
                                          rules=rules)
        handling.assign(session, [found.id], lead_unit_id=unit.id, co_unit_ids=[], actor="staff:office",
                        deadline=handling.today(rules) + timedelta(days=30), rules=rules)
        handling.submit_reply(session, found.id, unit_id=unit.id, text="已疏通。", category="A",
                              actor=f"unit:{unit.id}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:office")
        suggestion_id = found.id
    clients = {}
    for name, phone in (("wang", "13900000001"), ("li", "13900000002"), ("zhang", "13900000004")):
        clients[name] = app.test_client()
        sign_in_deputy(clients[name], phone, "pass-" + phone)
    page = f"/deputy/suggestions/{suggestion_id}"
    assert clients["wang"].get(page).status_code == 404
    assert "疏通桃园村排污沟" not in clients["wang"].get("/deputy/suggestions").get_data(as_text=True)
    co_signed = clients["li"].get(page).get_data(as_text=True)
    assert "已疏通。" in co_signed and "评价这份答复" not in co_signed
    rating = clients["zhang"].get(page).get_data(as_text=True)
    assert "评价这份答复" in rating and "<legend>您对办理结果是否满意？</legend>" in rating  # a question, not half a one

    before = _state(runtime, suggestion_id)
    rating = {"level": "unsatisfied", "comment": "没修好"}
    assert clients["li"].post(page + "/rating", data={**rating, "csrf_token": csrf_token(clients["li"], page)}
                              ).status_code == 422
    assert clients["wang"].post(page + "/rating", data={**rating, "csrf_token": csrf_token(clients["wang"], "/deputy/")}
                                ).status_code == 404
    assert _state(runtime, suggestion_id) == before
    assert clients["zhang"].post(page + "/rating", data={**rating, "csrf_token": csrf_token(clients["zhang"], page)}
                                 ).status_code == 302
    assert _state(runtime, suggestion_id)[:2] == ("handling", 2)


def test_a_unit_signing_in_at_the_back_office_address_lands_on_its_suggestions(app):
    from tests.helpers import add_unit_staff

    add_unit_staff(app, "chengguan", "区城市管理局")
    client = app.test_client()
    to_login = client.get("/staff/")  # the address `mashang up` prints as 工作人员后台
    token = csrf_token(client, "/staff/login")
    signed_in = client.post(to_login.headers["Location"], data={"username": "chengguan", "password": "pw-chengguan",
                                                               "csrf_token": token}, follow_redirects=True)
    page = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200 and signed_in.request.path == "/unit/"
    assert "区城市管理局" in page and "页面不存在" not in page
