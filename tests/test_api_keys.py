"""Keys of integrating systems, their submissions and limits: the domain below /api/v1 and /open311/v2."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from intake.models import ApiKey, ApiSubmission, AuditEntry, Message, Station
from intake.services.api import keys, limits, routing, submissions
from intake.services.api.submissions import SubmissionInput
from intake.services.errors import InvalidInput, NotFound
from intake.services.reception import links
from tests.helpers import deputies, import_roster, slug_of, write_roster

SECRET = "test-secret-key"
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(app, tmp_path):
    assert import_roster(app, write_roster(tmp_path)).exit_code == 0
    return app


def _session(app):
    return app.extensions["mashang"].sessions()


def _station(session, name_start: str) -> int:
    return session.scalar(select(Station.id).where(Station.name.startswith(name_start)))


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _key(session, scopes=("read", "submit"), station_id=None) -> tuple[ApiKey, str]:
    return keys.create_key(session, name="12345热线", scopes=frozenset(scopes), station_id=station_id, secret=SECRET)


def test_a_key_is_shown_once_stored_as_a_keyed_hash_and_refused_once_revoked(world):
    with _session(world) as session, session.begin():
        key, raw = _key(session)
    assert raw.startswith("msk_") and len(raw) > 40
    with _session(world) as session, session.begin():
        stored = session.get(ApiKey, key.id)
        assert raw not in (stored.key_hash, stored.prefix) and stored.prefix == raw[:8]
        assert stored.key_hash != keys.key_hash("another-secret", raw)
        assert stored.last_used_at is None
        assert keys.authenticate(session, raw, secret=SECRET).id == key.id
    with _session(world) as session, session.begin():
        assert session.get(ApiKey, key.id).last_used_at is not None
        with pytest.raises(keys.KeyMissing) as missing:
            keys.authenticate(session, "  ", secret=SECRET)
        assert missing.value.code == "api_key_missing"
        for wrong in (raw + "x", raw[:-1], "msk_" + "a" * 500):
            with pytest.raises(keys.KeyRefused):
                keys.authenticate(session, wrong, secret=SECRET)
        keys.revoke(session, key.id, actor="staff:admin")
    with _session(world) as session, session.begin():
        with pytest.raises(keys.KeyRefused) as refused:
            keys.authenticate(session, raw, secret=SECRET)
        assert refused.value.code == "api_key_refused"
        assert [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))][-2:] == \
            ["api_key.create", "api_key.revoke"]
        assert [k.id for k in keys.list_keys(session)] == [key.id]


def test_scopes_and_stations_limit_what_a_key_may_do(world):
    with _session(world) as session, session.begin():
        qingshi = _station(session, "青石")
        reader, _ = _key(session, scopes=("read",), station_id=qingshi)
        keys.require_scope(reader, "read")
        with pytest.raises(keys.ScopeMissing) as missing:
            keys.require_scope(reader, "submit")
        assert missing.value.code == "api_scope_missing"
        assert keys.sees_station(reader, qingshi) and not keys.sees_station(reader, qingshi + 1)
        unlimited, _ = _key(session)
        assert keys.sees_station(unlimited, qingshi + 1)
        for bad in (frozenset(), frozenset({"write"})):
            with pytest.raises(InvalidInput):
                keys.create_key(session, name="x", scopes=bad, station_id=None, secret=SECRET)
        with pytest.raises(NotFound):
            keys.create_key(session, name="x", scopes=frozenset({"read"}), station_id=9999, secret=SECRET)
        with pytest.raises(InvalidInput):
            keys.create_key(session, name=" ", scopes=frozenset({"read"}), station_id=None, secret=SECRET)


def test_a_submission_is_stored_like_a_chat_message_and_a_retry_stores_nothing(world):
    slug = slug_of(deputies(world)[0])
    with _session(world) as session, session.begin():
        key, _ = _key(session)
        data = SubmissionInput(text="幸福小区门口的路灯坏了", deputy_slug=slug, address="青石街道幸福小区东门",
                               lat=30.25, long=120.16, email="a@example.com", phone="13912345678",
                               external_id="12345-0001")
        first = submissions.submit(session, key, data, max_chars=2000, local_tz=TZ)
    assert first.created and first.receipt.startswith("MS-") and first.answer["receipt"] == first.receipt
    for _ in range(2):
        with _session(world) as session, session.begin():
            again = submissions.submit(session, session.get(ApiKey, key.id), data, max_chars=2000, local_tz=TZ)
        assert (again.created, again.receipt, again.message_id, again.answer) == \
            (False, first.receipt, first.message_id, first.answer)
    with _session(world) as session:
        assert (_count(session, Message), _count(session, ApiSubmission)) == (1, 1)
        message = session.get(Message, first.message_id)
        assert message.channel == "api" and message.status == "received" and message.citizen_id is None
        assert message.text.startswith("幸福小区门口的路灯坏了\n地址：青石街道幸福小区东门\n位置：纬度 30.250000")
        assert message.contact_phone == "13912345678" and not message.share_phone
        assert "example.com" not in message.text


def test_a_retry_arriving_while_the_first_is_still_being_stored_gets_the_first_answer(world):
    slug = slug_of(deputies(world)[0])
    with _session(world) as session, session.begin():
        key_id = _key(session)[0].id
    data = SubmissionInput(text="幸福小区门口的路灯坏了", deputy_slug=slug, external_id="12345-0002")

    def retry():
        with _session(world) as session, session.begin():
            return submissions.submit(session, session.get(ApiKey, key_id), data, max_chars=2000, local_tz=TZ)

    with ThreadPoolExecutor(1) as pool, _session(world) as first_session:
        with first_session.begin():
            first = submissions.submit(first_session, first_session.get(ApiKey, key_id), data, max_chars=2000,
                                       local_tz=TZ)
            # On PostgreSQL the retry waits for the first one's row until it commits; SQLite takes writers in turn.
            again = pool.submit(retry)
            time.sleep(0.3)
        again = again.result(timeout=30)
    assert first.created and not again.created
    assert (again.receipt, again.message_id, again.answer) == (first.receipt, first.message_id, first.answer)
    with _session(world) as session:
        assert (_count(session, Message), _count(session, ApiSubmission)) == (1, 1)


def test_a_retry_gets_the_first_answer_even_after_the_deputys_link_was_retired(world):
    slug = slug_of(deputies(world)[0])
    data = SubmissionInput(text="幸福小区门口的路灯坏了", deputy_slug=slug, external_id="12345-0003")
    with _session(world) as session, session.begin():
        key, _ = _key(session)
        first = submissions.submit(session, key, data, max_chars=2000, local_tz=TZ)
        links.revoke(session, session.get(Message, first.message_id).deputy)
    with _session(world) as session, session.begin():
        key = session.get(ApiKey, key.id)
        again = submissions.submit(session, key, data, max_chars=2000, local_tz=TZ)
        with pytest.raises(InvalidInput) as refused:
            submissions.submit(session, key, replace(data, external_id="12345-0004"), max_chars=2000, local_tz=TZ)
    assert (again.created, again.receipt) == (False, first.receipt) and refused.value.code == "api_deputy_gone"


def test_without_a_deputy_the_address_finds_the_station_else_it_is_refused(world):
    with _session(world) as session, session.begin():
        liuhe = _station(session, "柳河")
        key, _ = _key(session)
        to_liuhe = submissions.submit(session, key, SubmissionInput(text="柳河中学门口积水", address="柳河镇中学路 3 号"),
                                      max_chars=2000, local_tz=TZ)
        assert session.get(Message, to_liuhe.message_id).deputy.station_id == liuhe
        with pytest.raises(InvalidInput) as nowhere:
            submissions.submit(session, key, SubmissionInput(text="路灯坏了", address="外省某市某路"),
                               max_chars=2000, local_tz=TZ)
        assert nowhere.value.code == "api_no_station"
        station_key, _ = _key(session, station_id=liuhe)
        own = submissions.submit(session, station_key, SubmissionInput(text="村道坑洼"), max_chars=2000, local_tz=TZ)
        assert session.get(Message, own.message_id).deputy.station_id == liuhe
    assert routing.places_of("青石街道人大代表联络站") == ["青石街道", "青石"]


def test_refusals_store_nothing(world):
    qingshi_deputy = slug_of(deputies(world)[0])
    with _session(world) as session, session.begin():
        liuhe = _station(session, "柳河")
        reader, _ = _key(session, scopes=("read",))
        station_key, _ = _key(session, station_id=liuhe)
        writer, _ = _key(session)
        cases = [
            (reader, SubmissionInput(text="路灯坏了", deputy_slug=qingshi_deputy), "api_scope_missing"),
            (station_key, SubmissionInput(text="路灯坏了", deputy_slug=qingshi_deputy), "api_deputy_unknown"),
            (writer, SubmissionInput(text="路灯坏了", deputy_slug="nosuchslug2345"), "api_deputy_unknown"),
            (writer, SubmissionInput(text=" \n ", deputy_slug=qingshi_deputy), "api_text_empty"),
            (writer, SubmissionInput(text="长" * 2001, deputy_slug=qingshi_deputy), "api_text_too_long"),
            (writer, SubmissionInput(text="路灯坏了", deputy_slug=qingshi_deputy, lat=30.0), "api_position_half"),
            (writer, SubmissionInput(text="路灯坏了", deputy_slug=qingshi_deputy, phone="call me"), "api_phone_format"),
        ]
        for key, data, code in cases:
            with pytest.raises(Exception) as refused:
                submissions.submit(session, key, data, max_chars=2000, local_tz=TZ)
            assert getattr(refused.value, "code", None) == code, data
        assert (_count(session, Message), _count(session, ApiSubmission)) == (0, 0)


def test_the_per_minute_limit_counts_per_key_and_says_when_to_retry(redis_conn):
    assert [limits.allow(redis_conn, 7, per_minute=3) for _ in range(3)] == [None, None, None]
    wait = limits.allow(redis_conn, 7, per_minute=3)
    assert wait is not None and 1 <= wait <= 60
    assert limits.allow(redis_conn, 8, per_minute=3) is None


def test_the_limit_is_not_enforced_while_redis_is_down():
    import redis

    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    started = time.monotonic()
    assert limits.allow(down, 7) is None
    assert time.monotonic() - started < 5


def test_the_command_line_prints_the_key_once_lists_and_revokes(world):
    runner = world.test_cli_runner()
    created = runner.invoke(args=["apikeys", "create", "--name", "政务服务APP", "--scope", "read,submit"])
    assert created.exit_code == 0, created.output
    raw = created.output.strip().splitlines()[-1]
    assert raw.startswith("msk_")
    listed = runner.invoke(args=["apikeys", "list"])
    assert "政务服务APP" in listed.output and raw[:8] in listed.output and raw not in listed.output
    assert "有效" in listed.output
    unknown_station = ["apikeys", "create", "--name", "x", "--scope", "read", "--station", "999"]
    assert runner.invoke(args=unknown_station).exit_code == 1
    revoked = runner.invoke(args=["apikeys", "revoke", "1"])
    assert revoked.exit_code == 0 and "已吊销" in revoked.output
    assert "已吊销" in runner.invoke(args=["apikeys", "list"]).output
    assert runner.invoke(args=["apikeys", "revoke", "99"]).exit_code == 1
    with _session(world) as session:
        with pytest.raises(keys.KeyRefused):
            keys.authenticate(session, raw, secret=SECRET)


def test_two_keys_of_one_name_are_told_apart_by_when_and_by_whom_they_were_made(world):
    """A second key for 12345热线 (the first one's successor) was told from the first by its secret's first characters
    alone: the list says when each was made and by whom."""
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    assert world.test_cli_runner().invoke(args=["apikeys", "create", "--name", "12345热线", "--scope", "read"]
                                          ).exit_code == 0
    add_staff(world, "admin", "admin", None)
    admin = sign_in_staff(world, "admin")
    admin.post("/staff/api-keys", data={"csrf_token": csrf_token(admin, "/staff/api-keys"), "name": "12345热线",
                                        "scope": "read,submit", "station": ""})
    listing = admin.get("/staff/api-keys").get_data(as_text=True)
    rows = listing.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    made = [row.split('<td data-label="发放时间">', 1)[1].split("</td>", 1)[0] for row in rows]
    assert len(made) == 2 and "<br><small>工作人员 admin 发放</small>" in made[0] and \
        "<br><small>系统（后台命令） 发放</small>" in made[1], made
    # Two keys of one system: each tick names its own key's first letters.
    ticks = [row.split('required> ', 1)[1].split("</label>", 1)[0] for row in rows]
    assert ticks[0] != ticks[1] and all(tick.startswith("确认吊销12345热线的密钥（msk_") for tick in ticks), ticks
    assert all('<span class="nowrap">20' in cell for cell in made)


def test_administrators_create_see_once_and_revoke_keys_in_the_console(world):
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    add_staff(world, "admin", "admin", None)
    add_staff(world, "office", "office", None)
    admin = sign_in_staff(world, "admin")
    token = csrf_token(admin, "/staff/api-keys")
    assert admin.post("/staff/api-keys", data={"name": "12345热线", "scope": "submit"}).status_code == 400  # no CSRF
    page = admin.post("/staff/api-keys", data={"csrf_token": token, "name": "12345热线", "scope": "read,submit",
                                               "station": ""})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    raw = page.get_data(as_text=True).split('id="key" aria-label="新密钥">')[1].split('<')[0]
    assert raw.startswith("msk_")
    # The form under the new key is empty again: a key made is no refused form to send a second time.
    assert 'name="name" placeholder="如 12345 热线" required maxlength="100" value=""' in page.get_data(as_text=True)
    listing = admin.get("/staff/api-keys").get_data(as_text=True)
    assert raw not in listing and raw[:8] in listing and "提交留言和只读数据" in listing and "可读取代表名单、草稿、建议、办理统计和留言进度" in listing
    # The key opens both interfaces, and the page says so (it named Open311 only, beside a link to /api/v1's docs).
    assert "同一把密钥用于 <span class=\"nowrap\">/api/v1</span> 接口" in listing and "/open311/v2" in listing
    refused = admin.post("/staff/api-keys", data={"csrf_token": token, "name": "", "scope": "write"},
                         follow_redirects=True)
    assert "请填写对接系统的名称" in refused.get_data(as_text=True)
    with _session(world) as session:
        key_id = keys.authenticate(session, raw, secret=SECRET).id
    assert sign_in_staff(world, "office").get("/staff/api-keys").status_code == 404
    # A mis-tap on 吊销 broke the other system at once: it asks first, and without the tick the key still works.
    unconfirmed = admin.post(f"/staff/api-keys/{key_id}/revoke", data={"csrf_token": token}, follow_redirects=True)
    with _session(world) as session:
        assert keys.authenticate(session, raw, secret=SECRET).id == key_id
    assert f"请先勾选“确认吊销12345热线的密钥（{raw[:8]}…）”。" in unconfirmed.get_data(as_text=True)
    assert f'name="confirm" value="yes" required> 确认吊销12345热线的密钥（{raw[:8]}…）</label>' in listing  # its tick
    revoked = admin.post(f"/staff/api-keys/{key_id}/revoke", data={"csrf_token": token, "confirm": "yes"},
                         follow_redirects=True)
    assert "已吊销“12345热线”的密钥" in revoked.get_data(as_text=True)
    assert admin.post("/staff/api-keys/9999/revoke", data={"csrf_token": token, "confirm": "yes"}).status_code == 404
    with _session(world) as session:
        with pytest.raises(keys.KeyRefused):
            keys.authenticate(session, raw, secret=SECRET)
        assert _count(session, ApiKey) == 1
