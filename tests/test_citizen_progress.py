"""Citizens hear what came of their message: its progress in the chat and on a private page, and a notice, once,
when the suggestion it went into is registered, assigned and answered — on the web chat at their next visit, on
WeChat at once through a local stand-in of the customer-service API while WeChat allows it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import delete, select, text, update
from wechatpy import parse_message
from wechatpy.client import WeChatClient

from bot import texts
from intake.models import (Citizen, CitizenNotice, Deputy, Draft, DraftMessage, DraftStatus, HandlingUnit, Message,
                           MessageStatus, ProgressLink, StaffRole, Suggestion, utcnow)
from intake.services.lifecycle import handling
from intake.services.privacy import sealed
from intake.services.reception import links, outbound, progress
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import add_staff, deputies, import_roster, report, send, sign_in_staff, slug_of, write_roster
from tests.test_wechat import APPID, TOKEN, event_xml, plain_reply, post_plain, text_xml
from workers import context, queues

WECHAT_OPENID = "oFollower-Progress-0042"
SUMMARY = "住建局已于本月修复幸福小区东门路灯，并安排每月巡查。"
_RECEIPT = re.compile(r"MS-\d{8}-\d{4}")
_LINK = re.compile(r"http://mashang\.test(/p/[A-Za-z0-9_-]+)")


@pytest.fixture
def district(tmp_path, database_url, redis_conn, redis_url, wechat_standin):
    base = wechat_standin[0]
    app = build_app(make_settings(tmp_path, database_url, redis_url, WECHAT_TOKEN=TOKEN, WECHAT_APPID=APPID,
                                  WECHAT_APPSECRET="secret", WECHAT_API_BASE=base))
    import_roster(app, write_roster(tmp_path))
    yield app
    app.extensions["mashang"].close()


def _progress_path(replies: list[str]) -> str:
    return next(_LINK.search(reply).group(1) for reply in replies if _LINK.search(reply))


def _wechat_report(client, openid: str, slug: str, words: str) -> tuple[str, str]:
    """Scan the deputy's code, write, decline to leave a phone: the receipt and the progress link."""
    plain_reply(post_plain(client, event_xml("subscribe", f"qrscene_{slug}", openid=openid)))
    reply = plain_reply(post_plain(client, text_xml(words, openid=openid)))
    for _ in range(3):
        if _RECEIPT.search(reply):
            break
        reply = plain_reply(post_plain(client, text_xml("不留" if "手机" in reply else "就在青石街道幸福小区东门",
                                                        openid=openid)))
    return _RECEIPT.search(reply).group(0), _progress_path([reply])


def _lamp_reported(app) -> tuple[dict, str, object, dict]:
    """王秀兰's citizen reports the dark east gate: her deputy, her code, the citizen's client and the chat's answer."""
    wang = deputies(app)[0]
    slug = slug_of(wang)
    citizen = app.test_client()
    return wang, slug, citizen, report(citizen, slug, "幸福小区东门的路灯坏了一个多月，晚上很黑")


def _into_one_approved_draft(app, deputy_id: int, receipts: list[str]) -> int:
    """The deputy approved one draft grown from these messages (wherever grouping had put them)."""
    with app.extensions["mashang"].sessions() as session, session.begin():
        ids = list(session.scalars(select(Message.id).where(Message.receipt.in_(receipts))))
        session.execute(delete(DraftMessage).where(DraftMessage.message_id.in_(ids)))
        session.execute(update(Message).where(Message.id.in_(ids)).values(status=MessageStatus.DRAFTED))
        draft = Draft(deputy_id=deputy_id, topic="城乡建设", title="关于修复幸福小区东门路灯的建议",
                      sections={"situation": "幸福小区东门路灯坏了一个多月。", "problems": [{"text": "夜间出行不安全"}],
                                "proposals": [{"text": "尽快修复路灯"}], "handling_unit": "住建局"},
                      status=DraftStatus.APPROVED, submitted_at=utcnow())
        session.add(draft)
        session.flush()
        session.add_all([DraftMessage(draft_id=draft.id, message_id=message_id) for message_id in ids])
        return draft.id


def _unit(app) -> int:
    with app.extensions["mashang"].sessions() as session, session.begin():
        unit = HandlingUnit(name="区住房和城乡建设局", short_name="住建局")
        session.add(unit)
        session.flush()
        return unit.id


def _office(app):
    add_staff(app, "office", StaffRole.OFFICE, None)
    return sign_in_staff(app, "office")


def _register(app, office, draft_id: int) -> int:
    done = office.post(f"/staff/drafts/{draft_id}/register",
                       data={"csrf_token": csrf_token(office, "/staff/suggestions"), "kind": "recess"})
    assert done.status_code == 302
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(Suggestion.id).where(Suggestion.draft_id == draft_id))


def _assign(office, suggestion_id: int, unit_id: int) -> None:
    tick = f'name="ids" value="{suggestion_id}"'
    assert tick in office.get("/staff/suggestions").get_data(as_text=True)
    done = office.post("/staff/suggestions/assign", data={
        "csrf_token": csrf_token(office, "/staff/suggestions"), "ids": str(suggestion_id), "lead_unit": str(unit_id)})
    assert done.status_code == 302
    # Assigned, it is no longer offered for 交办 (only a registered suggestion can be given to a unit); with none
    # left to give, neither the 交办 form nor an empty column of ticks is shown.
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    assert tick not in listed and "交办勾选的建议" not in listed and 'class="tick"' not in listed


def _answer(app, office, suggestion_id: int, unit_id: int) -> None:
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=unit_id, text="我局已组织维修。", category="A",
                              actor=f"unit:{unit_id}", rules=runtime.settings.lifecycle)
    page = f"/staff/suggestions/{suggestion_id}"
    done = office.post(f"{page}/accept", data={"csrf_token": csrf_token(office, page), "public_summary": SUMMARY})
    assert done.status_code == 302


def _notices_on_next_visit(client, slug: str) -> list[str]:
    """What the web chat tells the citizen before answering their next words."""
    replies = send(client, slug, "你好").get_json()["replies"]
    return [reply for reply in replies if reply.startswith("您反映的问题")]


def test_three_citizens_hear_each_step_once_and_a_fourth_sees_only_their_own(district, run_jobs, wechat_standin):
    app = district
    wang = deputies(app)[0]
    slug = slug_of(wang)
    first, second, fourth = app.test_client(), app.test_client(), app.test_client()
    one = report(first, slug, "幸福小区东门的路灯坏了一个多月，晚上很黑")
    two = [report(second, slug, "幸福小区东门路灯不亮，老人晚上出门摔了一跤"),
           report(second, slug, "幸福小区东门那段路没有灯，孩子放学回家很害怕")]
    wechat_receipt, wechat_path = _wechat_report(app.test_client(), WECHAT_OPENID, slug,
                                                 "幸福小区东门路灯坏了，晚上一片漆黑")
    other = report(fourth, slug, "青石中学门口放学时堵车严重，希望安排交警疏导")
    run_jobs()
    receipts = [one["receipt"], *(body["receipt"] for body in two), wechat_receipt]
    draft_id = _into_one_approved_draft(app, wang["id"], receipts)
    unit_id, office = _unit(app), _office(app)

    suggestion: dict = {}

    def register():
        suggestion["id"] = _register(app, office, draft_id)

    for expected, step in (("代表建议", register),
                           ("已交区住房和城乡建设局办理", lambda: _assign(office, suggestion["id"], unit_id)),
                           (SUMMARY, lambda: _answer(app, office, suggestion["id"], unit_id))):
        step()
        sent_before = len(wechat_standin.sent)
        run_jobs()
        # WeChat: sent at once, one message, to the follower's openid.
        assert len(wechat_standin.sent) == sent_before + 1
        openid, said = wechat_standin.sent[-1]
        assert openid == WECHAT_OPENID and wechat_receipt in said and expected in said
        # Web chat: on the next visit, one notice per citizen however many of their messages the suggestion holds.
        told_one = _notices_on_next_visit(first, slug)
        told_two = _notices_on_next_visit(second, slug)
        assert len(told_one) == 1 and one["receipt"] in told_one[0] and expected in told_one[0]
        assert len(told_two) == 1 and all(body["receipt"] in told_two[0] for body in two)
        assert one["receipt"] not in told_two[0] and wechat_receipt not in told_one[0]
        assert _notices_on_next_visit(first, slug) == [] and _notices_on_next_visit(second, slug) == []
        assert _notices_on_next_visit(fourth, slug) == []
        run_jobs()
        assert len(wechat_standin.sent) == sent_before + 1  # nothing twice

    # Telling again (a reassignment, a retried step) queues nothing: one notice per citizen and step.
    with app.extensions["mashang"].sessions() as session, session.begin():
        found = session.get(Suggestion, suggestion["id"])
        assert [progress.tell_citizens(session, found, stage) for stage in ("suggested", "assigned", "replied")] \
            == [[], [], []]
        assert session.scalar(select(CitizenNotice.id).where(CitizenNotice.delivered_at.is_(None))) is None

    # What we posted is what wechatpy's own client posts for the same customer-service message.
    ours = list(wechat_standin.bodies)
    reference = WeChatClient(APPID, "secret", access_token="T0KEN")
    reference.API_BASE_URL = f"{wechat_standin[0]}/cgi-bin/"
    for body in ours:
        reference.message.send_text(body["touser"], body["text"]["content"])
    assert wechat_standin.bodies[len(ours):] == ours

    # Each citizen's progress page shows the answer; it names their own receipt and no one else's.
    pages = {one["receipt"]: _progress_path(one["replies"]), wechat_receipt: wechat_path,
             **{body["receipt"]: _progress_path(body["replies"]) for body in two}}
    for receipt, path in pages.items():
        page = app.test_client().get(path)
        shown = page.get_data(as_text=True)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        assert receipt in shown and SUMMARY in shown and "已答复" in shown and "A类" not in shown
        assert set(_RECEIPT.findall(shown)) == {receipt} and "路灯" not in shown.replace(SUMMARY, "")
    fourth_page = app.test_client().get(_progress_path(other["replies"])).get_data(as_text=True)
    assert set(_RECEIPT.findall(fourth_page)) == {other["receipt"]}
    assert SUMMARY not in fourth_page and "已收到" in fourth_page
    # 查询 shows the same stage, and only for the citizen's own receipts.
    asked = send(first, slug, f"查询 {one['receipt']}").get_json()["replies"][-1]
    assert SUMMARY in asked and "A类" not in asked
    for receipt in receipts:
        assert send(fourth, slug, f"查询 {receipt}").get_json()["replies"][-1] == \
            texts.QUERY_NOT_FOUND.format(receipt=receipt)


def _one_wechat_suggestion(app, run_jobs) -> tuple[int, int, str]:
    wang = deputies(app)[0]
    client = app.test_client()
    receipt, _ = _wechat_report(client, WECHAT_OPENID, slug_of(wang), "幸福小区东门路灯坏了，晚上一片漆黑")
    run_jobs()
    draft_id = _into_one_approved_draft(app, wang["id"], [receipt])
    with app.extensions["mashang"].sessions() as session:
        citizen_id = session.scalar(select(Message.citizen_id).where(Message.receipt == receipt))
    return draft_id, citizen_id, receipt


def _close_window(redis_conn, citizen_id: int) -> None:
    """48 hours pass without a word from the follower: WeChat's reply window closes."""
    key = outbound.REPLY_WINDOW_KEY.format(citizen=citizen_id)
    assert redis_conn.ttl(key) > 47 * 3600
    redis_conn.pexpire(key, 1)
    while redis_conn.exists(key):
        pass


def _notices(app) -> list[CitizenNotice]:
    with app.extensions["mashang"].sessions() as session:
        return list(session.scalars(select(CitizenNotice).order_by(CitizenNotice.id)))


def test_outside_the_window_nothing_is_sent_and_the_notice_comes_with_the_next_reply(district, run_jobs, redis_conn,
                                                                                     wechat_standin):
    app = district
    draft_id, citizen_id, receipt = _one_wechat_suggestion(app, run_jobs)
    _close_window(redis_conn, citizen_id)
    _register(app, _office(app), draft_id)
    run_jobs()
    assert wechat_standin.bodies == []
    [waiting] = _notices(app)
    assert waiting.delivered_at is None and waiting.next_attempt_at is None  # it waits for the follower
    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.sweep")
    run_jobs()
    assert wechat_standin.bodies == []

    reply = parse_message(post_plain(app.test_client(), text_xml("你好", openid=WECHAT_OPENID)).data)
    assert reply.type == "text" and reply.target == WECHAT_OPENID
    assert reply.content.startswith("您反映的问题") and receipt in reply.content and "代表建议" in reply.content
    assert _notices(app)[0].delivered_at is not None
    again = plain_reply(post_plain(app.test_client(), text_xml("谢谢", openid=WECHAT_OPENID)))
    assert receipt not in again
    run_jobs()
    assert wechat_standin.bodies == []


def test_wechat_refusals_end_the_attempts_and_a_5xx_is_retried_with_back_off(district, run_jobs, redis_conn,
                                                                             wechat_standin):
    app = district
    runtime = app.extensions["mashang"]
    draft_id, citizen_id, receipt = _one_wechat_suggestion(app, run_jobs)
    office, unit_id = _office(app), _unit(app)

    wechat_standin.answers.extend([503, 502])
    suggestion_id = _register(app, office, draft_id)
    before = utcnow()
    run_jobs()
    [failed] = _notices(app)
    assert len(wechat_standin.bodies) == 1 and wechat_standin.sent == []
    assert failed.attempts == 1 and failed.delivered_at is None and failed.last_error
    # The next attempt a minute after this one, which was made between `before` and now (however slow the machine).
    assert before + outbound.FIRST_RETRY <= failed.next_attempt_at <= utcnow() + outbound.FIRST_RETRY

    def time_passes(hours=12):
        with runtime.sessions() as session, session.begin():
            for notice in session.scalars(select(CitizenNotice).where(CitizenNotice.next_attempt_at.is_not(None))):
                notice.next_attempt_at -= timedelta(hours=hours)
        queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.sweep")
        run_jobs()

    # Not yet due: no new attempt (the wait put off by an hour, so a slow machine's minute does not make it due).
    time_passes(hours=-1)
    queues.enqueue_due_notices(redis_conn)
    run_jobs()
    assert len(wechat_standin.bodies) == 1

    before = utcnow()
    time_passes()
    [failed] = _notices(app)
    assert len(wechat_standin.bodies) == 2 and failed.attempts == 2
    assert failed.next_attempt_at >= before + 2 * outbound.FIRST_RETRY  # the wait grows
    time_passes()
    assert len(wechat_standin.bodies) == 3 and wechat_standin.sent[-1][0] == WECHAT_OPENID
    assert _notices(app)[0].delivered_at is not None

    for refusal, step in ((45015, lambda: _assign(office, suggestion_id, unit_id)),
                          (43004, lambda: _answer(app, office, suggestion_id, unit_id))):
        wechat_standin.answers.append(refusal)
        posted = len(wechat_standin.bodies)
        step()
        run_jobs()
        refused = _notices(app)[-1]
        assert len(wechat_standin.bodies) == posted + 1
        assert refused.delivered_at is None and refused.next_attempt_at is None and str(refusal) in refused.last_error
        time_passes()
        assert len(wechat_standin.bodies) == posted + 1  # no retry
    told = plain_reply(post_plain(app.test_client(), text_xml("你好", openid=WECHAT_OPENID)))
    # Of the two steps kept for this message, the latest, which names the unit that answered (交办 before it).
    assert "区住房和城乡建设局已答复" in told and SUMMARY in told and "已交区住房和城乡建设局办理" not in told
    assert all(notice.delivered_at is not None for notice in _notices(app))


def test_the_openid_is_stored_encrypted_rotated_and_removed_at_retention(district, run_jobs, redis_conn, tmp_path):
    app = district
    runtime = app.extensions["mashang"]
    _, citizen_id, receipt = _one_wechat_suggestion(app, run_jobs)
    with runtime.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM citizens")).all()
        notices = conn.execute(text("SELECT * FROM citizen_notices")).all()
    assert rows and not any(WECHAT_OPENID in str(value) for row in rows + notices for value in row)
    assert not any(WECHAT_OPENID.encode() in (redis_conn.get(key) or b"") for key in redis_conn.keys("*")
                   if redis_conn.type(key) == b"string")
    with runtime.sessions() as session:
        stored = session.get(Citizen, citizen_id).address_encrypted
    assert sealed.unseal(runtime.settings.data_key, stored) == WECHAT_OPENID

    # Rotation: a new key in front of the old one, `mashang data rekey`, then the old key can go.
    old_key, new_key = runtime.settings.data_key, Fernet.generate_key().decode()
    rotating = build_app(make_settings(tmp_path / "rotating", runtime.settings.database_url, runtime.settings.redis_url,
                                       DATA_KEY=f"{new_key},{old_key}"))
    try:
        done = rotating.test_cli_runner().invoke(args=["data", "rekey"])
        assert done.exit_code == 0, done.output
        assert "1" in done.output
    finally:
        rotating.extensions["mashang"].close()
        context.use(runtime)
    with runtime.sessions() as session:
        rotated = session.get(Citizen, citizen_id).address_encrypted
    assert rotated != stored and sealed.unseal(new_key, rotated) == WECHAT_OPENID
    with pytest.raises(sealed.UnreadableData):
        sealed.unseal(old_key, rotated)

    # The message is long finished (rejected two years ago): retention removes the openid with the rest.
    with runtime.sessions() as session, session.begin():
        long_ago = utcnow() - timedelta(days=800)
        session.execute(delete(DraftMessage))
        session.execute(update(Message).values(status=MessageStatus.REJECTED, created_at=long_ago))
        session.execute(update(Citizen).values(created_at=long_ago))
    queues.queue(redis_conn, queues.DRAFTS).enqueue("workers.jobs.remove_expired_personal_data")
    run_jobs()
    with runtime.sessions() as session:
        citizen = session.get(Citizen, citizen_id)
        assert citizen is None or citizen.address_encrypted is None
        assert session.scalar(select(ProgressLink.id)) is None


def test_a_progress_link_staff_revoke_leads_nowhere(district, run_jobs):
    app = district
    wang, li, zhang = deputies(app)
    citizen = app.test_client()
    body = report(citizen, slug_of(wang), "幸福小区东门的路灯坏了一个多月，晚上很黑")
    path = _progress_path(body["replies"])
    assert body["progress"] == f"http://mashang.test{path}"  # the chat page shows it as a link too
    shown = app.test_client().get(path).get_data(as_text=True)
    assert "已收到" in shown
    # Headed as the chat is (product, the deputy it was sent to, congress, station): a bare card reads as a stranger's
    # page, and without the name the citizen could not tell whom they wrote to.
    header = shown.partition("<header")[2].partition("</header>")[0]
    assert "码上说" in header and "王秀兰代表" in header and "区人大代表" in header and "青石街道人大代表联络站" in header, \
        header
    with app.extensions["mashang"].sessions() as session, session.begin():  # a name is text, never markup
        session.execute(update(Deputy).where(Deputy.id == wang["id"]).values(name="王秀兰<i>"))
    header = app.test_client().get(path).get_data(as_text=True).partition("<header")[2].partition("</header>")[0]
    assert "王秀兰&lt;i&gt;代表" in header and "<i>" not in header
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.execute(update(Deputy).where(Deputy.id == wang["id"]).values(name="王秀兰"))
    with app.extensions["mashang"].sessions() as session:
        message_id = session.scalar(select(Message.id).where(Message.receipt == body["receipt"]))
        assert session.scalar(select(ProgressLink.token_hash)) not in path  # only a hash of the token is kept

    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    elsewhere = sign_in_staff(app, "liuhe")
    page = f"/staff/messages/{message_id}"
    refused = elsewhere.post(f"{page}/progress-links/revoke", data={"csrf_token": csrf_token(elsewhere, "/staff/")})
    assert refused.status_code == 404 and app.test_client().get(path).status_code == 200
    station = sign_in_staff(app, "qingshi")
    # A mis-tap left the citizen's saved link leading nowhere: without the tick it still works.
    token = csrf_token(station, page)
    unconfirmed = station.post(f"{page}/progress-links/revoke", data={"csrf_token": token},
                               follow_redirects=True).get_data(as_text=True)
    assert app.test_client().get(path).status_code == 200
    assert "请先勾选“确认停用这条留言的进度链接”。" in unconfirmed
    assert 'name="confirm" value="yes" required> 确认停用这条留言的进度链接</label>' in unconfirmed  # the tick it names
    done = station.post(f"{page}/progress-links/revoke", data={"csrf_token": token, "confirm": "yes"},
                        follow_redirects=True)
    assert "已停用 1 个进度链接" in done.get_data(as_text=True)
    assert "停用群众的进度链接" in station.get(page).get_data(as_text=True)  # in the message's history

    for gone in (path, "/p/not-a-token", path[:-1]):
        answer = app.test_client().get(gone)
        shown = answer.get_data(as_text=True)
        assert answer.status_code == 404 and "这个进度链接无效" in shown and body["receipt"] not in shown
        assert "码上说" in shown.partition("<header")[2].partition("</header>")[0]  # no deputy to name: the product
        # how to ask in the one form every page and the chat use (“查询”和回执号 said it another way), in words that
        # break like the rest of the line (a span kept whole, “查询 回执号”, left a gap)
        assert "发送“查询&nbsp;回执号”" in shown and "和回执号" not in shown and "nowrap" not in shown.split("<main")[1]
    # The citizen can still ask in the chat.
    assert "已收到" in send(citizen, slug_of(wang), f"查询 {body['receipt']}").get_json()["replies"][-1]


def _closed_and_told(app, run_jobs, reply: str, category: str, summary: str, level: str | None,
                     promised: str | None = None) -> tuple[str, str]:
    """A citizen's message drafted, approved, assigned, replied, accepted and rated (not rated: no `level`): what
    their progress page (tags removed) and the chat's 查询 then say."""
    runtime = app.extensions["mashang"]
    wang = deputies(app)[0]
    citizen = app.test_client()
    body = report(citizen, slug_of(wang), "幸福小区东门的路灯坏了一个多月，晚上很黑")
    run_jobs()
    draft_id = _into_one_approved_draft(app, wang["id"], [body["receipt"]])
    unit_id, office = _unit(app), _office(app)
    suggestion_id = _register(app, office, draft_id)
    _assign(office, suggestion_id, unit_id)
    with runtime.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=unit_id, text=reply, category=category,
                              promised_date=promised, actor=f"unit:{unit_id}", rules=runtime.settings.lifecycle)
        handling.accept_reply(session, suggestion_id, actor="staff:office", summary=summary)
        if level:
            handling.rate(session, suggestion_id, deputy_id=wang["id"], level=level, actor=f"deputy:{wang['id']}",
                          rules=runtime.settings.lifecycle)
            assert session.get(Suggestion, suggestion_id).status == "closed"
    page = re.sub(r"<[^>]+>", "", app.test_client().get(_progress_path(body["replies"])).get_data(as_text=True))
    return page, send(citizen, slug_of(wang), f"查询 {body['receipt']}").get_json()["replies"][-1]


def test_a_suggestion_closed_with_a_reply_that_solves_nothing_is_not_called_办结_to_its_citizen(district, run_jobs):
    # 办结 in the congress's figures is an A reply, or a B reply whose promised work is done: a D reply the deputy
    # rated is the end of the handling, and the citizen's page must not say their problem was 办结.
    told = _closed_and_told(district, run_jobs, "所提问题留作今后工作参考。", "D", "留作参考。", "basic")
    for said in told:
        assert "办理完毕" in said and "区住房和城乡建设局已答复：建议留作今后工作参考。" in said and "办结" not in said, said
        assert "D类" not in said and "问题留作参考" not in said, said


def test_a_b_reply_tells_its_citizen_by_when_the_work_is_promised_in_plain_words(district, run_jobs):
    """A B reply read 问题列入计划逐步解决（B类） to the citizen: no date, and a class only the office knows. The
    citizen reads what is promised and by when, and no class letter."""
    page, asked = _closed_and_told(district, run_jobs, "路灯线路改造已列入明年计划。", "B", "", None,
                                   promised="2027-02-28")
    for said in (page, asked):
        assert "区住房和城乡建设局已答复：问题已列入计划逐步解决，承诺 2027-02-28 前完成。" in said, said
        assert "B类" not in said, said


def test_a_finished_suggestion_without_a_summary_for_citizens_leaves_no_sentence_hanging(district, run_jobs):
    told = _closed_and_told(district, run_jobs, "已更换线路，路灯恢复照明。", "A", "", "satisfied")  # the form's 可留空
    for said in told:
        # what the reply means, in plain words: its class (A类) is the office's term, not the citizen's
        assert "区住房和城乡建设局已答复：问题已解决或正在解决。" in said and "A类" not in said, said
        assert "）：" not in said, said


def test_a_citizen_back_after_two_steps_hears_the_latest_one(district, run_jobs):
    # 写入建议, then 交办, while the citizen was away: on their next visit they heard both, and 查询 said it a third time.
    app = district
    wang, slug, citizen, told = _lamp_reported(app)
    run_jobs()
    draft_id = _into_one_approved_draft(app, wang["id"], [told["receipt"]])
    unit_id, office = _unit(app), _office(app)
    suggestion_id = _register(app, office, draft_id)
    _assign(office, suggestion_id, unit_id)
    run_jobs()
    heard = _notices_on_next_visit(citizen, slug)
    assert len(heard) == 1 and "已交区住房和城乡建设局办理" in heard[0] and told["receipt"] in heard[0], heard
    assert _notices_on_next_visit(citizen, slug) == []


def test_the_progress_page_leads_back_to_the_deputys_chat_while_the_code_works(district, run_jobs):
    app = district
    wang, _, _ = deputies(app)
    path = _progress_path(report(app.test_client(), slug_of(wang), "幸福小区东门的路灯坏了一个多月，晚上很黑")["replies"])
    shown = app.test_client().get(path).get_data(as_text=True)
    assert f'<a href="/c/{slug_of(wang)}">继续给王秀兰代表留言</a>' in shown, shown
    # A stopped code leads nowhere: the page offers no way back to it.
    with app.extensions["mashang"].sessions() as session, session.begin():
        links.revoke(session, session.get(Deputy, wang["id"]))
    shown = app.test_client().get(path).get_data(as_text=True)
    assert "已收到" in shown and "继续给" not in shown and "/c/" not in shown


def test_each_step_the_citizen_reads_is_a_whole_sentence_ending_in_one_full_stop(district, run_jobs):
    """The progress page read 已形成代表建议（第 2026-001 号），已交区住房和城乡建设局办理 with no 。, as if cut off, and
    已收到，正在整理 the same; a summary for citizens written without its 。 left the page and the notice hanging."""
    app = district
    wang, slug, citizen, told = _lamp_reported(app)
    path = _progress_path(told["replies"])

    def said() -> list[str]:
        """The page's sentence, and 查询's the same, with its stop (what the chat adds after it, on)."""
        page = app.test_client().get(path).get_data(as_text=True)
        now = re.sub(r"<[^>]+>", "", re.search(r'<p class="progress-now">(.*?)</p>', page, re.DOTALL).group(1))
        asked = send(citizen, slug, f"查询 {told['receipt']}").get_json()["replies"][-1]
        assert asked.startswith(f"回执号 {told['receipt']}：{now}") and "。。" not in asked, asked
        return [now]

    whole(said(), "已收到")
    run_jobs()
    whole(said(), "已归入建议草稿")
    draft_id = _into_one_approved_draft(app, wang["id"], [told["receipt"]])
    unit_id, office = _unit(app), _office(app)
    suggestion_id = _register(app, office, draft_id)
    whole(said(), "已形成代表建议")
    _assign(office, suggestion_id, unit_id)
    whole(said(), "已交区住房和城乡建设局办理。")
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=unit_id, text="我局已组织维修。", category="A",
                              actor=f"unit:{unit_id}", rules=runtime.settings.lifecycle)
    page = f"/staff/suggestions/{suggestion_id}"
    office.post(f"{page}/accept", data={"csrf_token": csrf_token(office, page), "public_summary": "东门路灯已修复"})
    run_jobs()
    notices = [notice for notice in _notices_on_next_visit(citizen, slug) if "已答复" in notice]
    assert len(notices) == 1
    whole(notices, "东门路灯已修复。")
    whole(said(), "东门路灯已修复。")


def whole(sentences: list[str], words: str) -> None:
    for sentence in sentences:
        assert words in sentence and sentence.endswith("。") and "。。" not in sentence, sentence


def test_a_submitted_draft_is_told_as_waiting_to_be_registered_as_the_stepper_shows(district, run_jobs):
    """The deputy submitted the draft, the office had not registered it: the page said 代表已将它写入建议，提交给人大常委会
    under a stepper whose 已形成代表建议 was still empty, and 查询 said the same."""
    app = district
    wang, slug, citizen, told = _lamp_reported(app)
    run_jobs()
    _into_one_approved_draft(app, wang["id"], [told["receipt"]])
    page = app.test_client().get(_progress_path(told["replies"])).get_data(as_text=True)
    reached = re.findall(r'<li class="reached">([^<]+)</li>', page)
    assert reached == ["已收到", "已归入建议草稿"], reached
    now = re.search(r'<p class="progress-now">(.*?)</p>', page, re.DOTALL).group(1)
    asked = send(citizen, slug, f"查询 {told['receipt']}").get_json()["replies"][-1]
    for sentence in (now, asked):
        assert "代表工委" in sentence and "等待登记" in sentence, sentence
        assert "写入建议" not in sentence and "人大常委会" not in sentence, sentence
