"""Sign-in and intake limits, and phone and ID-card numbers kept from deputies."""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import docx
import redis as redis_lib
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select

from intake.models import Message, StaffRole
from intake.services.privacy import masking
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
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


def test_repeated_wrong_passwords_lock_that_account_from_that_address_only(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    attacker = app.test_client()
    for _ in range(5):
        assert sign_in_deputy(attacker, "13900000001", "guess").status_code == 401
    locked = sign_in_deputy(attacker, "13900000001", "the-right-password")
    assert locked.status_code == 429 and "15 分钟后再试" in locked.get_data(as_text=True)
    # The deputy, on their own phone elsewhere, still gets in.
    deputy = app.test_client()
    deputy.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert sign_in_deputy(deputy, "13900000001", "the-right-password").status_code == 302


def _sent_together(app, count: int, path: str, fields: dict) -> list[int]:
    """The form posted by `count` clients at the same moment; their statuses."""
    clients = [app.test_client() for _ in range(count)]
    tokens = [csrf_token(client, path) for client in clients]
    together = threading.Barrier(count)

    def post(client, token):
        together.wait()
        return client.post(path, data={**fields, "csrf_token": token}).status_code
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(post, clients, tokens))


def test_guesses_sent_all_at_once_are_counted_before_any_password_is_checked(app, tmp_path):
    # A script firing twenty guesses together got every one checked: the limit was read before the slow password
    # check and counted after it. Five are checked, the rest refused; the right password still gets in elsewhere.
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    add_staff(app, "office", StaffRole.OFFICE, None)
    for path, fields in (("/deputy/login", {"phone": "13900000001"}), ("/staff/login", {"username": "office"})):
        statuses = sorted(_sent_together(app, 20, path, {**fields, "password": "guess"}))
        assert statuses == [401] * 5 + [429] * 15, (path, statuses)
    deputy = app.test_client()
    deputy.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert sign_in_deputy(deputy, "13900000001", "the-right-password").status_code == 302


def test_an_office_signing_in_all_day_from_one_address_is_never_locked_out(app, tmp_path):
    # Thirty clerks behind one address sign in more than the address's limit of failures: successes are no guesses.
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "the-right-password")
    for _ in range(35):
        assert sign_in_deputy(app.test_client(), "13900000001", "the-right-password").status_code == 302


def _staff_sign_in(client, username: str, password: str) -> int:
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"username": username, "password": password, "csrf_token": token}).status_code


def test_a_clerk_hammering_a_locked_account_does_not_lock_out_the_office(app, tmp_path):
    # Refused tries count for nothing: 40 of them at one locked account left the address's own limit (30) alone.
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    add_staff(app, "colleague", StaffRole.OFFICE, None)
    impatient = app.test_client()
    statuses = [_staff_sign_in(impatient, "clerk", "wrong-password") for _ in range(40)]
    assert statuses == [401] * 5 + [429] * 35, statuses
    assert _staff_sign_in(app.test_client(), "colleague", "pw-colleague") == 302


def test_a_flood_from_one_citizen_is_slowed_with_a_friendly_message(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    client = app.test_client()
    statuses = [send(client, slug, f"幸福小区第{i}号楼门口的路灯坏了").status_code for i in range(22)]
    assert statuses.count(429) == 2 and set(statuses[:20]) <= {200}
    last = send(client, slug, "再来一条")
    # Said of this message, which was not received, and when to try again.
    assert "太快了，这一条没有收到" in last.get_json()["error"] and last.headers["Retry-After"] == "60"



def test_a_photo_flood_from_one_address_is_slowed_however_often_the_cookie_is_dropped(app, tmp_path):
    """A photo costs the server a decode and a re-encode: a sender who drops the citizen cookie before each upload
    is a new citizen every time, so one address sends CHAT_IMAGES_PER_ADDRESS_PER_MINUTE (30) photos a minute, not
    the 120 messages a village meeting on one network may send."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(photo, format="JPEG")

    def upload(address: str):
        client = app.test_client()  # no cookie: a new citizen each time
        client.environ_base["REMOTE_ADDR"] = address
        token = csrf_token(client, f"/c/{slug}")
        return client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(photo.getvalue()), "p.jpg")},
                           headers={"X-CSRFToken": token}, content_type="multipart/form-data")

    statuses = [upload("10.1.1.1").status_code for _ in range(32)]
    assert set(statuses[:30]) == {200} and statuses[30:] == [429, 429], statuses
    assert "太快了" in upload("10.1.1.1").get_json()["error"]
    assert upload("10.2.2.2").status_code == 200  # another network is not slowed
    words = app.test_client()
    words.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    assert send(words, slug, "幸福小区东门的路灯坏了").status_code == 200  # words from that network still reach us


NUMBERS = ["13912345678", "139 1234 5678", "139-1234-5678", "0731-84567890", "0731 8456 7890",
           "430102199003071234", "4301 0219 9003 0712 3X"]


def test_masking_covers_mobiles_landlines_and_id_numbers_in_any_spacing():
    for number in NUMBERS:
        masked = masking.mask(f"我的号码是{number}，请联系")
        digits = re.sub(r"\D", "", number)
        assert digits not in re.sub(r"\D", "", masked), (number, masked)
        assert "****" in masked


def _export(app, run_jobs) -> list[str]:
    """The texts of a station's .xlsx export of its whole queue."""
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    sheet = load_workbook(io.BytesIO(staff.get(started.headers["Location"] + ".xlsx").data)).active
    return [" ".join(str(cell) for cell in row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_numbers_typed_into_messages_are_masked_on_deputy_pages_drafts_documents_and_exports(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for number in NUMBERS:
        report(app.test_client(), slug, f"幸福小区门口的路灯坏了一个月了，物业电话{number}一直打不通。")
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    home = deputy.get("/deputy/").get_data(as_text=True)
    draft_paths = re.findall(r'href="(/deputy/drafts/\d+)"', home)
    assert draft_paths
    pages = [deputy.get("/deputy/messages").get_data(as_text=True)]
    pages += [deputy.get(path).get_data(as_text=True) for path in draft_paths]
    documents = [docx.Document(io.BytesIO(deputy.get(f"{path}/document").data)) for path in draft_paths]
    assert len(documents) == len(draft_paths)
    pages += ["\n".join(p.text for p in document.paragraphs) for document in documents]
    exported = _export(app, run_jobs)
    assert len(exported) == len(NUMBERS)
    # The messages are all there (the home lists titles only), their numbers are not.
    for shown in [home] + pages + exported:
        assert shown is home or "路灯坏了" in shown
        digits = re.sub(r"\D", "", shown)
        for number in NUMBERS:
            assert re.sub(r"\D", "", number) not in digits, (number, shown)
    with app.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.text.contains("13912345678"))) == 1


def test_security_headers_are_sent(client):
    headers = client.get("/staff/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"


def test_forms_without_csrf_tokens_are_refused(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "wang-password-1")
    assert client.post("/deputy/login", data={"phone": "13900000001", "password": "wang-password-1"}).status_code == 400
    token = csrf_token(client, "/deputy/login")
    assert client.post("/deputy/login", data={"phone": "13900000001", "password": "wang-password-1",
                                              "csrf_token": token}).status_code == 302


def test_rate_limits_work_on_the_redis_we_ship(tmp_path):
    from intake.services.reception import ratelimit
    from tests.test_health import _free_port
    from workers.embedded_redis import EmbeddedRedis

    server = EmbeddedRedis(tmp_path / "redis", port=_free_port()).start()
    try:
        connection = redis_lib.Redis.from_url(server.url)
        limit = ratelimit.Limit("test", 2, 60)
        assert [ratelimit.hit(connection, limit, "someone") for _ in range(3)] == [False, False, True]
        assert 0 < connection.ttl("mashang:rl:test:someone") <= 60
        assert ratelimit.exceeded(connection, limit, "someone")
    finally:
        server.stop()


def test_limits_fail_open_and_say_so_once_while_redis_is_down():
    import logging

    from intake.runtime import make_redis
    from intake.services.reception import ratelimit
    from tests.test_health import _free_port

    unreachable = make_redis(f"redis://127.0.0.1:{_free_port()}/0")
    limit = ratelimit.Limit("test-down", 1, 60)
    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    ratelimit.log.addHandler(handler)
    try:
        ratelimit._last_warning = -float("inf")
        assert not any(ratelimit.hit(unreachable, limit, "someone") for _ in range(5))
        assert not ratelimit.exceeded(unreachable, limit, "someone")
    finally:
        ratelimit.log.removeHandler(handler)
    assert len([w for w in warnings if "not enforced" in w]) == 1


def test_codes_people_read_have_no_look_alike_characters(app, tmp_path):
    """A sign-in link, a progress link, an API key and a new password are read off a screen and may be typed back:
    none holds 0/O, 1/l/I (they once were base64, with all of them)."""
    from intake.models import Deputy
    from intake.services.api import keys
    from intake.services.console import accounts
    from intake.services.reception import progress_links

    import_roster(app, write_roster(tmp_path))
    readable = re.compile("[23456789abcdefghjkmnpqrstuvwxyz]+")
    with app.extensions["mashang"].sessions() as session, session.begin():
        deputy = session.scalar(select(Deputy))
        shown = [accounts.issue_sign_in_link(session, deputy, "staff:admin"), progress_links.new_link(1)[0],
                 keys.create_key(session, name="热线", scopes=frozenset({"read"}), station_id=None,
                                 secret="x")[1].removeprefix(keys.KEY_PREFIX)]
        shown += [accounts.new_password() for _ in range(20)]
    assert all(readable.fullmatch(code) for code in shown), shown
    assert min(len(code) for code in shown) >= 15
