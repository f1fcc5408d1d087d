"""The WeChat Official Account callback, driven by wechatpy as an independent WeChat server and client."""

from __future__ import annotations

import base64
import io
import os
import time

import pytest
import redis
import xmltodict
from sqlalchemy import func, select
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from intake.models import Attachment, InboundEvent, Message, MessageStatus
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, slug_of, write_roster
from workers import queues

TOKEN = "mashang-test-token"
APPID = "wx0123456789abcdef"
AES_KEY = base64.b64encode(os.urandom(32)).decode().rstrip("=")
ACCOUNT = "gh_mashang"
OPENID = "oCitizen-0001"


def _wechat_app(tmp_path, database_url, redis_url, **extra):
    settings = make_settings(tmp_path, database_url, redis_url, WECHAT_TOKEN=TOKEN, WECHAT_APPID=APPID, **extra)
    app = build_app(settings)
    import_roster(app, write_roster(tmp_path))
    return app


@pytest.fixture
def wx(tmp_path, database_url, redis_conn, redis_url):
    """An account in plaintext mode (no message key configured)."""
    app = _wechat_app(tmp_path, database_url, redis_url)
    yield app
    app.extensions["mashang"].close()


@pytest.fixture
def wx_safe(tmp_path, database_url, redis_conn, redis_url):
    """An account in safe mode: every message arrives encrypted."""
    app = _wechat_app(tmp_path, database_url, redis_url, WECHAT_ENCODING_AES_KEY=AES_KEY)
    yield app
    app.extensions["mashang"].close()


def _sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def _query(*, age: int = 0, **extra) -> dict:
    timestamp, nonce = str(int(time.time()) - age), os.urandom(4).hex()
    return {"timestamp": timestamp, "nonce": nonce, "signature": _sign(TOKEN, timestamp, nonce), **extra}


_seq = iter(range(10**6, 10**7))


def text_xml(content: str, *, openid: str = OPENID, msg_id: str | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id or next(_seq)}</MsgId></xml>")


def event_xml(event: str, key: str = "", *, openid: str = OPENID, create_time: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>")


def post_plain(client, xml: str):
    return client.post("/wechat", query_string=_query(openid=OPENID), data=xml.encode(),
                       content_type="application/xml")


def plain_reply(response) -> str:
    assert response.status_code == 200, response.data
    return parse_message(response.data).content


def post_safe(client, xml: str, *, appid: str = APPID, corrupt: bool = False):
    """Encrypt exactly as WeChat's server does, and post the envelope it would post."""
    query = _query(openid=OPENID, encrypt_type="aes")
    crypto = WeChatCrypto(TOKEN, AES_KEY, appid)
    envelope = xmltodict.parse(crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
    encrypted = envelope["Encrypt"]
    if corrupt:
        encrypted = base64.b64encode(os.urandom(45)).decode()
    query["msg_signature"] = _sign(TOKEN, query["timestamp"], query["nonce"], encrypted)
    body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return client.post("/wechat", query_string=query, data=body.encode(), content_type="application/xml")


def safe_reply(response) -> str:
    assert response.status_code == 200, response.data
    envelope = xmltodict.parse(response.data)["xml"]
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    plain = crypto.decrypt_message(response.data, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return parse_message(plain).content


def _messages(app):
    with app.extensions["mashang"].sessions() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


def test_verification_get_checks_the_signature(wx):
    client = wx.test_client()
    ok = client.get("/wechat", query_string=_query(echostr="hello-wechat"))
    assert ok.status_code == 200 and ok.data == b"hello-wechat"
    bad = _query(echostr="hello-wechat")
    bad["signature"] = "0" * 40
    assert client.get("/wechat", query_string=bad).status_code == 403
    assert client.get("/wechat").status_code == 403


def test_wrong_signature_on_post_is_refused(wx):
    query = _query()
    query["signature"] = query["signature"][::-1]
    response = wx.test_client().post("/wechat", query_string=query, data=text_xml("你好").encode())
    assert response.status_code == 403
    assert _messages(wx) == []


def test_scanning_a_deputys_code_binds_and_a_conversation_ends_with_a_receipt(wx):
    client = wx.test_client()
    slug = slug_of(deputies(wx)[0])
    greeting = plain_reply(post_plain(client, event_xml("subscribe", f"qrscene_{slug}")))
    assert "王秀兰" in greeting
    assert "什么地方" in plain_reply(post_plain(client, text_xml("路灯坏了")))
    assert "手机号" in plain_reply(post_plain(client, text_xml("就在幸福小区东门，晚上一片漆黑")))
    assert "是否同意" in plain_reply(post_plain(client, text_xml("13912345678")))
    done = plain_reply(post_plain(client, text_xml("同意")))
    assert "回执号：MS-" in done and "代表可以看到" in done
    (message,) = _messages(wx)
    assert message.channel == "wechat" and message.status == MessageStatus.RECEIVED
    assert message.text == "路灯坏了\n就在幸福小区东门，晚上一片漆黑"
    assert message.contact_phone == "13912345678" and message.share_phone


def test_short_answers_on_wechat_are_read_as_in_the_web_chat(wx):
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    assert "什么地方" in plain_reply(post_plain(client, text_xml("路灯坏了")))
    assert "请接着" in plain_reply(post_plain(client, text_xml("嗯嗯")))
    assert "手机号" in plain_reply(post_plain(client, text_xml("就在幸福小区东门，晚上一片漆黑")))
    assert "请发送您的手机号" in plain_reply(post_plain(client, text_xml("好的")))
    assert "请发送您的手机号" in plain_reply(post_plain(client, text_xml("是")))
    assert "是否同意" in plain_reply(post_plain(client, text_xml("13912345678")))
    assert "代表可以看到" in plain_reply(post_plain(client, text_xml("对的")))
    (message,) = _messages(wx)
    assert message.text == "路灯坏了\n就在幸福小区东门，晚上一片漆黑" and message.share_phone


def test_a_follower_asking_after_an_earlier_report_hears_its_stage_and_may_add_a_number(wx):
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    post_plain(client, text_xml("路灯坏了"))
    post_plain(client, text_xml("就在幸福小区东门，晚上一片漆黑"))
    receipt = plain_reply(post_plain(client, text_xml("不留"))).split("回执号：")[1][:16]
    told = plain_reply(post_plain(client, text_xml("我想问一下我上次反映的路灯有没有人管。")))  # voice typing's full stop
    assert receipt in told and "发送手机号" in told, told
    assert "是否同意" in plain_reply(post_plain(client, text_xml("13912345678")))
    done = plain_reply(post_plain(client, text_xml("2")))
    assert receipt in done and "只有工作人员能看到" in done, done
    (message,) = _messages(wx)
    assert message.contact_phone == "13912345678" and not message.share_phone


def test_safe_mode_round_trip_with_wechatpy(wx_safe):
    client = wx_safe.test_client()
    slug = slug_of(deputies(wx_safe)[1])
    assert "李建国" in safe_reply(post_safe(client, event_xml("SCAN", slug)))
    assert "手机号" in safe_reply(post_safe(client, text_xml("东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多")))
    assert "回执号：MS-" in safe_reply(post_safe(client, text_xml("不留")))
    assert _messages(wx_safe)[0].deputy_id == deputies(wx_safe)[1]["id"]


def test_wrong_appid_gets_403_and_corrupt_ciphertext_400(wx_safe):
    client = wx_safe.test_client()
    assert post_safe(client, text_xml("你好"), appid="wxSomebodyElse000").status_code == 403
    assert post_safe(client, text_xml("你好"), corrupt=True).status_code == 400
    assert _messages(wx_safe) == []


def test_the_same_msgid_three_times_stores_one_message_and_the_same_reply(wx):
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    xml = text_xml("东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多", msg_id="620000000001")
    replies = [plain_reply(post_plain(client, xml)) for _ in range(3)]
    assert len(set(replies)) == 1
    assert len(_messages(wx)) == 1
    event = event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}", create_time=1764000000)
    assert len({plain_reply(post_plain(client, event)) for _ in range(3)}) == 1


def test_without_a_scanned_code_the_citizen_picks_station_and_deputy(wx):
    client = wx.test_client()
    first = plain_reply(post_plain(client, text_xml("你好")))
    assert "联络站" in first and "1. 青石街道人大代表联络站" in first
    assert "没有这个编号" in plain_reply(post_plain(client, text_xml("9")))
    listing = plain_reply(post_plain(client, text_xml("2")))
    assert "张桂芳" in listing
    assert "张桂芳" in plain_reply(post_plain(client, text_xml("1")))
    assert "什么地方" in plain_reply(post_plain(client, text_xml("路不好走")))
    assert _messages(wx)[0].deputy_id == deputies(wx)[2]["id"]


def test_voice_image_and_location_messages(wx):
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    base = (f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime>")
    voice = f"<xml>{base}<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[v1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[桃园村的村道坑坑洼洼下雨天没法走]]></Recognition><MsgId>7001</MsgId></xml>"
    assert "手机号" in plain_reply(post_plain(client, voice))
    image = f"<xml>{base}<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[media-42]]></MediaId><MsgId>7002</MsgId></xml>"
    assert "图片已收到" in plain_reply(post_plain(client, image))
    location = f"<xml>{base}<MsgType><![CDATA[location]]></MsgType><Location_X>28.1</Location_X><Location_Y>112.9</Location_Y><Scale>15</Scale><Label><![CDATA[柳河镇桃园村]]></Label><MsgId>7003</MsgId></xml>"
    assert "柳河镇桃园村" in plain_reply(post_plain(client, location))
    assert "回执号" in plain_reply(post_plain(client, text_xml("不留")))
    (message,) = _messages(wx)
    assert "桃园村的村道" in message.text and "[图片]" in message.text and "[位置] 柳河镇桃园村" in message.text
    with wx.extensions["mashang"].sessions() as session:
        assert session.scalar(select(Attachment.external_ref)) == "media-42"


def _image_xml(media_id: str, msg_id: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            f"<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[{media_id}]]></MediaId>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def test_pictures_sent_on_wechat_are_fetched_stripped_and_kept_once(tmp_path, database_url, redis_conn, redis_url,
                                                                   run_jobs, wechat_standin):
    from PIL import Image

    base, calls, pictures = wechat_standin
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (28.0, 11.0, 30.0)})
    original = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 140, 60)).save(original, format="JPEG", exif=exif)
    pictures["media-7"] = original.getvalue()
    app = build_app(make_settings(tmp_path, database_url, redis_url, WECHAT_TOKEN=TOKEN, WECHAT_APPID=APPID,
                                  WECHAT_APPSECRET="secret", WECHAT_API_BASE=base))
    try:
        import_roster(app, write_roster(tmp_path))
        client = app.test_client()
        post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(app)[0])}"))
        post_plain(client, text_xml("桃园村的村道坑坑洼洼，下雨天没法走"))
        for media_id, msg_id in (("media-7", "8001"), ("media-expired", "8002")):
            assert "图片已收到" in plain_reply(post_plain(client, _image_xml(media_id, msg_id)))
        run_jobs()
        with app.extensions["mashang"].sessions() as session:
            kept = {ref: data for ref, data in session.execute(select(Attachment.external_ref, Attachment.data))}
        picture = Image.open(io.BytesIO(kept["media-7"]))
        assert picture.size == (64, 48) and not picture.getexif().get_ifd(0x8825)
        assert kept["media-expired"] is None  # WeChat refused it; tried again by the next sweep
        fetched = calls["media"]
        queues.queue(redis_conn, queues.INTAKE).enqueue("workers.jobs.fetch_wechat_photos")
        run_jobs()
        assert calls["media"] == fetched + 1, "the stored picture is not fetched again, the missing one is"
    finally:
        app.extensions["mashang"].close()


BILLION_LAUGHS = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>
<MsgType>text</MsgType><Content>&lol3;</Content></xml>"""
EXTERNAL = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>a</ToUserName>
<FromUserName>b</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>"""


@pytest.mark.parametrize("body,status", [
    (BILLION_LAUGHS, 400), (EXTERNAL, 400), ("<xml><unclosed>", 400), ("not xml at all", 400),
    ("<xml><Content>" + "长" * 30000 + "</Content></xml>", 413),
])
def test_hostile_xml_is_refused_without_a_500(wx, body, status):
    response = post_plain(wx.test_client(), body)
    assert response.status_code == status
    with wx.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_wechat_is_off_when_not_configured(client):
    assert client.get("/wechat", query_string=_query(echostr="x")).status_code == 404


# --- replay, forgery and floods (security review) ------------------------------------------------------
def test_an_old_signature_set_is_refused(wx):
    client = wx.test_client()
    old = _query(age=30 * 24 * 3600)
    response = client.post("/wechat", query_string=old, data=text_xml("冒充的留言").encode(), content_type="application/xml")
    assert response.status_code == 403
    assert client.get("/wechat", query_string=_query(age=6 * 60, echostr="x")).status_code == 403
    assert _messages(wx) == []


@pytest.fixture(params=["redis_url", "embedded_redis_url"])
def wx_either_redis(request, tmp_path, database_url, redis_conn):
    """`wx` on the Redis under test and on the one `mashang up` starts by itself."""
    url = request.getfixturevalue(request.param)
    with redis.Redis.from_url(url) as connection:
        connection.flushdb()
    app = _wechat_app(tmp_path, database_url, url)
    yield app
    app.extensions["mashang"].close()


def test_a_signature_set_reused_with_another_body_is_refused_but_a_retry_is_answered(wx_either_redis):
    wx = wx_either_redis
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    query = _query()
    genuine = text_xml("东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多", msg_id="630000000001").encode()
    first = client.post("/wechat", query_string=query, data=genuine, content_type="application/xml")
    retry = client.post("/wechat", query_string=query, data=genuine, content_type="application/xml")
    assert plain_reply(first) == plain_reply(retry)
    forged = text_xml("另一个人的留言", openid="oSomebodyElse", msg_id="630000000002").encode()
    assert client.post("/wechat", query_string=query, data=forged, content_type="application/xml").status_code == 403
    assert [m.text for m in _messages(wx)] == ["东湖路菜市场旁边的污水沟夏天臭味很大，蚊子很多"]
    with wx.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 2


def test_replay_protection_fails_closed_when_redis_is_unreachable(tmp_path, database_url, redis_conn):
    from tests.test_health import _free_port

    app = _wechat_app(tmp_path, database_url, f"redis://127.0.0.1:{_free_port()}/0")
    try:
        response = post_plain(app.test_client(), text_xml("你好"))
        assert response.status_code == 503
    finally:
        app.extensions["mashang"].close()


def test_plaintext_is_refused_in_safe_mode(wx_safe):
    client = wx_safe.test_client()
    assert post_plain(client, text_xml("明文冒充的留言")).status_code == 400
    assert "你好" not in safe_reply(post_safe(client, text_xml("你好")))
    with wx_safe.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 1


def test_a_flooding_follower_is_slowed_like_a_web_citizen(wx):
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    replies = [plain_reply(post_plain(client, text_xml(f"幸福小区第{i}号楼门口的路灯坏了"))) for i in range(21)]
    assert sum("太快了" in r for r in replies) == 2 and not any("太快了" in r for r in replies[:19])
    other = plain_reply(post_plain(client, text_xml("东湖路的污水沟很臭", openid="oCitizen-0002")))
    assert "太快了" not in other


def test_the_access_log_keeps_no_query_strings(tmp_path, sqlite_url, redis_url):
    import subprocess
    import sys
    import urllib.request
    from urllib.error import HTTPError

    from tests.test_health import _free_port

    port, log = _free_port(), tmp_path / "access.log"
    env = {**os.environ, "MASHANG_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": sqlite_url,
           "REDIS_URL": redis_url, "SECRET_KEY": "k", "WECHAT_TOKEN": TOKEN}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf",
                               "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log), "intake.wsgi:app"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        query = _query(echostr="secret-echo")
        url = f"http://127.0.0.1:{port}/wechat?" + "&".join(f"{k}={v}" for k, v in query.items())
        for _ in range(300):
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.read() == b"secret-echo"
                break
            except (ConnectionError, HTTPError, OSError):
                time.sleep(0.2)
        for _ in range(50):
            if log.exists() and "/wechat" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert "GET /wechat" in written
    assert query["signature"] not in written and query["nonce"] not in written and "secret-echo" not in written


def test_a_reassigned_follower_is_told_on_wechat_at_once_and_not_again(tmp_path, database_url, redis_conn, redis_url,
                                                                       run_jobs, wechat_standin):
    from intake.models import CitizenNotice, StaffRole
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    base, _, _ = wechat_standin
    app = build_app(make_settings(tmp_path, database_url, redis_url, WECHAT_TOKEN=TOKEN, WECHAT_APPID=APPID,
                                  WECHAT_APPSECRET="secret", WECHAT_API_BASE=base))
    try:
        import_roster(app, write_roster(tmp_path))
        listed = deputies(app)
        client = app.test_client()
        post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(listed[0])}"))
        post_plain(client, text_xml("桃园村的村道坑坑洼洼，下雨天没法走"))
        post_plain(client, text_xml("不留"))  # sent: staff see no message still being written
        with app.extensions["mashang"].sessions() as session:
            message = session.scalars(select(Message)).one()
            message_id, receipt = message.id, message.receipt
        add_staff(app, "office", StaffRole.OFFICE, None)
        staff = sign_in_staff(app, "office")
        acted = staff.post("/staff/messages/actions", data={
            "csrf_token": csrf_token(staff, "/staff/"), "action": "reassign", "to_deputy": str(listed[1]["id"]),
            "ids": [str(message_id)]})
        assert acted.status_code == 302
        assert wechat_standin.sent == []  # sent by a worker, once the change is committed
        run_jobs()
        assert len(wechat_standin.sent) == 1
        openid, text = wechat_standin.sent[0]
        assert openid == OPENID and receipt in text and listed[1]["name"] in text
        with app.extensions["mashang"].sessions() as session:
            assert session.scalars(select(CitizenNotice.delivered_at)).one() is not None
        reply = plain_reply(post_plain(client, text_xml("还有一件事")))
        assert receipt not in reply  # told once, on WeChat, not again in the chat
    finally:
        app.extensions["mashang"].close()


def test_the_pickers_read_a_choice_as_the_chat_questions_do(wx):
    """1。 1. 选1 １ 第一个: one reader for the station and deputy pickers and the numbered chat questions."""
    for station, deputy in (("2。", "1."), ("选2", "１"), ("第二个", "第一个"), ("２号", "选第1个"), ("柳河镇", "张桂芳")):
        openid = f"oPicker-{station}"
        client = wx.test_client()
        assert "1. 青石街道人大代表联络站" in plain_reply(post_plain(client, text_xml("你好", openid=openid)))
        listing = plain_reply(post_plain(client, text_xml(station, openid=openid)))
        assert "张桂芳" in listing and "没有这个编号" not in listing, (station, listing)
        greeting = plain_reply(post_plain(client, text_xml(deputy, openid=openid)))
        assert "张桂芳" in greeting and "没有这个编号" not in greeting, (deputy, greeting)
    # The numbered chat questions take the same forms, and 第二个 the same as 2.
    client = wx.test_client()
    post_plain(client, event_xml("subscribe", f"qrscene_{slug_of(deputies(wx)[0])}"))
    assert "1. 留手机号" in plain_reply(post_plain(client, text_xml("青石街道幸福小区门口的路灯坏了一个月了，晚上很黑")))
    assert "回执号" in plain_reply(post_plain(client, text_xml("第二个")))
    # A number outside the list is still refused.
    client = wx.test_client()
    post_plain(client, text_xml("你好", openid="oPicker-none"))
    assert "没有这个编号" in plain_reply(post_plain(client, text_xml("第三个", openid="oPicker-none")))
