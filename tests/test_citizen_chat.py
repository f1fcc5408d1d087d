"""The citizen's chat page and JSON endpoint: clear Chinese answers, nothing half-stored."""

from __future__ import annotations

import re
import time

from sqlalchemy import func, select

from intake.models import Deputy, Message, StaffRole
from intake.services.reception import links
from tests.conftest import csrf_token
from tests.helpers import (PLACED, add_staff, at_consent, finish_report, first_deputy_slug, report, send, sign_in_staff)


def _count(app) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_unknown_slug_gets_a_friendly_404(client):
    for path in ("/c/doesnotexist", "/api/chat/doesnotexist"):
        response = client.get(path) if path.startswith("/c/") else client.post(path, json={"text": "你好"})
        assert response.status_code in (400, 404)
    page = client.get("/c/doesnotexist")
    assert page.status_code == 404
    assert "找不到这位代表" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    # Headed as the citizen's other pages are: the product's name, no staff or deputy menu.
    assert re.search(r'<header class="bar">\s*<div class="who">码上说</div>', page.get_data(as_text=True))


def test_revoked_slug_answers_410_and_names_the_station(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    with app.extensions["mashang"].sessions() as session, session.begin():
        links.revoke(session, session.get(Deputy, links.resolve(session, slug).deputy.id))
    page = client.get(f"/c/{slug}")
    assert page.status_code == 410
    assert "青石街道人大代表联络站" in page.get_data(as_text=True)
    # Headed as every citizen page is (product, congress, station): a bare card reads as a stranger's page.
    header = page.get_data(as_text=True).partition("<header")[2].partition("</header>")[0]
    assert "码上说" in header and "区人大代表" in header and "青石街道人大代表联络站" in header, header


def test_a_revoked_code_stops_taking_chat_turns_within_seconds(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    cache = app.extensions["mashang"].link_cache
    now = [1000.0]
    cache.clock = lambda: now[0]
    assert send(client, slug, "幸福小区门口的路灯坏了一个月了").status_code == 200
    with app.extensions["mashang"].sessions() as session, session.begin():
        links.revoke(session, session.get(Deputy, links.resolve(session, slug).deputy.id))
    now[0] += cache.seconds
    refused = send(client, slug, "还有一件事")
    assert refused.status_code == 410 and "青石街道人大代表联络站" in refused.get_json()["error"]


def test_empty_and_oversized_messages_are_refused_and_nothing_is_stored(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for text in ("", "   \n  ", "长" * 2001):
        response = send(client, slug, text)
        assert response.status_code == 422
        assert response.get_json()["receipt"] is None
    assert "（2001 字）" in send(client, slug, "长" * 2001).get_json()["replies"][0]
    assert _count(app) == 0
    assert send(client, slug, "长" * 2000).status_code == 200
    assert _count(app) == 1


def test_malformed_requests_get_400_not_500(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    token = csrf_token(client, f"/c/{slug}")
    headers = {"X-CSRFToken": token}
    bad_bodies = [
        dict(data=b"\xff\xfe not json", content_type="application/json"),
        dict(json=["a list"]),
        dict(json={"text": 42}),
        dict(json={"text": "你好", "extra": 1}),
        # nested deeper than the parser's recursion goes: as malformed as any other body, never a server error
        dict(data="[" * 100_000 + "]" * 100_000, content_type="application/json"),
    ]
    for body in bad_bodies:
        response = client.post(f"/api/chat/{slug}", headers=headers, **body)
        assert response.status_code == 400, body
        assert "请求格式不对" in response.get_json()["error"]
    assert _count(app) == 0


def test_chat_without_csrf_token_is_refused(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client.get(f"/c/{slug}")
    response = client.post(f"/api/chat/{slug}", json={"text": "没有令牌"})
    assert response.status_code == 400
    assert _count(app) == 0


def test_text_is_kept_as_typed_and_shown_escaped(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    typed = "<script>alert(1)</script>\n路灯坏了！😀 ' OR 1=1; --"
    first = send(client, slug, typed)
    assert first.status_code == 200
    with app.extensions["mashang"].sessions() as session:
        message_id, stored = session.execute(select(Message.id, Message.text)).one()
    assert stored == typed
    assert finish_report(client, slug, first.get_json())["receipt"]
    # Where staff read it: the queue and the message's own page show the markup as text, never as markup.
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    for path in ("/staff/", f"/staff/messages/{message_id}"):
        page = staff.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert "<script>alert(1)" not in page, path


def test_chat_works_without_javascript(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    token = csrf_token(client, f"/c/{slug}")
    first = client.post(f"/c/{slug}", data={"text": "<b>桃园村</b>的路灯坏了一个多月了，晚上很黑", "csrf_token": token})
    body = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "&lt;b&gt;桃园村&lt;/b&gt;" in body and "<b>桃园村</b>" not in body
    assert "手机号" in body
    second = client.post(f"/c/{slug}", data={"text": "不留", "csrf_token": token})
    done = second.get_data(as_text=True)
    assert '回执号：<span class="nowrap">MS-' in done  # kept on one line
    # The progress page's address is never shown as text: a link to tap in the reply, and beside the receipt number.
    assert done.count("http://mashang.test/p/") == 2 and '<a href="http://mashang.test/p/' in done
    assert '<a class="progress" href="http://mashang.test/p/' in done


def test_citizen_can_query_only_their_own_receipt(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    receipt = report(client, slug, "幸福小区门口路灯坏了")["receipt"]
    mine = send(client, slug, f"查询 {receipt}").get_json()["replies"][0]
    assert receipt in mine and "已收到" in mine
    stranger = app.test_client()
    theirs = send(stranger, slug, f"查询 {receipt}").get_json()["replies"][0]
    assert "没有找到" in theirs
    assert _count(app) == 1


def test_a_double_click_does_not_make_two_submissions(app, runtime, tmp_path):
    import threading

    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    token = csrf_token(client, f"/c/{slug}")
    text = "幸福小区门口的路灯坏了一个月了，晚上很黑"
    barrier = threading.Barrier(4)
    statuses = []

    def click():
        barrier.wait()
        statuses.append(client.post(f"/api/chat/{slug}", json={"text": text}, headers={"X-CSRFToken": token}).status_code)

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    with runtime.sessions() as session:
        stored = session.scalars(select(Message.text)).all()
    assert stored == [text]


def test_direction_overrides_pasted_into_a_message_are_not_kept(app, client, runtime, tmp_path):
    # U+202E turns the words after it around wherever they are shown: 请转交住建局处理 would read 理处局建住交转请.
    slug = first_deputy_slug(app, tmp_path)
    report(client, slug, "幸福小区东门路灯不亮\u202e，请转交住建局处理\u202c 已经两周\u2066了\u2069")
    with runtime.sessions() as session:
        stored = session.scalars(select(Message.text)).all()
    assert stored and stored[0].startswith("幸福小区东门路灯不亮，请转交住建局处理 已经两周了"), stored


def test_words_sent_after_a_submission_was_processed_start_a_new_one(app, client, runtime, tmp_path):
    from datetime import timedelta

    from intake.models import utcnow
    from intake.services.reception import chat
    slug = first_deputy_slug(app, tmp_path)
    send(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")  # now waiting for the phone answer
    with runtime.sessions() as session, session.begin():
        chat.finalize_abandoned(session, utcnow() + timedelta(minutes=1))
    send(client, slug, "还有，小区北门的垃圾没人收")
    with runtime.sessions() as session:
        texts = session.scalars(select(Message.text).order_by(Message.id)).all()
    assert texts == ["幸福小区门口的路灯坏了一个月了，晚上很黑", "还有，小区北门的垃圾没人收"]


def test_words_sent_along_with_the_phone_number_or_the_consent_answer_are_kept(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    send(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")  # now waiting for the phone answer
    asked = send(client, slug, "我电话13987654321，另外小区北门的垃圾堆了一个星期没人清运").get_json()["replies"]
    assert "是否同意" in asked[-1] and "补充的内容也已加入留言" in asked[-1]
    done = send(client, slug, "不同意。还有东门的台阶也坏了好几块，老人容易摔倒").get_json()
    assert done["receipt"]
    with runtime.sessions() as session:
        text, phone, shared = session.execute(select(Message.text, Message.contact_phone, Message.share_phone)).one()
    assert "小区北门的垃圾堆了一个星期没人清运" in text and "东门的台阶也坏了好几块" in text
    assert "13987654321" not in text and "不同意" not in text  # the number stays where only staff see it
    assert phone == "13987654321" and shared is False
    # A yes that goes on is still a yes, and its words join the report.
    send(client, slug, "青石街道幸福小区西门的路灯不亮了，有三个星期了")
    send(client, slug, "13700001111")
    assert send(client, slug, "可以，西门旁边的井盖也松了").get_json()["receipt"]
    with runtime.sessions() as session:
        text, shared = session.execute(select(Message.text, Message.share_phone).order_by(Message.id.desc())).first()
    assert "井盖也松了" in text and "可以" not in text and shared is True
    # A plain answer adds nothing to the report.
    send(client, slug, "青石街道幸福小区南门的路灯也不亮了，有两个星期了")
    assert "补充" not in send(client, slug, "我的手机号码是 13812345678").get_json()["replies"][-1]
    assert send(client, slug, "同意").get_json()["receipt"]
    with runtime.sessions() as session:
        last = session.scalars(select(Message.text).order_by(Message.id.desc())).first()
    assert last == "青石街道幸福小区南门的路灯也不亮了，有两个星期了"


def test_asking_查询_without_a_number_answers_for_the_citizens_last_receipt(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    assert "例如：查询 MS-" in send(client, slug, "查询").get_json()["replies"][0]  # nothing sent yet
    receipt = report(client, slug, "幸福小区门口路灯坏了")["receipt"]
    answer = send(client, slug, "查询").get_json()["replies"][0]
    assert receipt in answer and "已收到" in answer
    assert "例如：查询 MS-" in send(app.test_client(), slug, "查询").get_json()["replies"][0]  # another phone


def test_nonsense_is_asked_again_kindly_and_loses_nothing_said_before(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for nonsense in ("😀😀😀", "？？！。", "啊啊啊啊", "asdf", "哈"):
        answer = send(client, slug, nonsense)
        assert answer.status_code == 200 and "没有看懂" in answer.get_json()["replies"][-1], nonsense
    assert _count(app) == 0  # no message was started by any of them
    send(client, slug, "路灯坏了")  # asked where
    midway = send(client, slug, "。。。").get_json()["replies"][-1]
    assert "没有看懂" in midway and "都已记下" in midway
    assert "手机号" in send(client, slug, "在青石街道幸福小区东门，晚上一片漆黑").get_json()["replies"][-1]
    assert "没有看懂" in send(client, slug, "qwer").get_json()["replies"][-1]  # still asked for the phone
    assert send(client, slug, "不留").get_json()["receipt"]
    with runtime.sessions() as session:
        (text,) = session.scalars(select(Message.text)).all()
    assert text == "路灯坏了\n在青石街道幸福小区东门，晚上一片漆黑"


def test_a_one_character_no_at_the_detail_question_moves_on_and_a_yes_is_asked_to_go_on(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for no in ("无", "没", "没有", "不", "没了。"):
        assert "什么地方" in send(client, slug, "路灯坏了").get_json()["replies"][-1]  # the detail question
        moved_on = send(client, slug, no).get_json()["replies"][-1]
        assert "没有看懂" not in moved_on and "手机号" in moved_on, no
        assert send(client, slug, "不留").get_json()["receipt"]
    with runtime.sessions() as session:
        assert set(session.scalars(select(Message.text))) == {"路灯坏了"}  # "无" is no part of the report
    # 是 / 有 say there is more: the citizen is asked to write it, not told they were not understood.
    client = app.test_client()  # another citizen: one may send 20 messages a minute
    send(client, slug, "井盖坏了")
    for yes in ("是", "有", "有的"):
        go_on = send(client, slug, yes).get_json()["replies"][-1]
        assert "没有看懂" not in go_on and "请接着" in go_on and "手机号" not in go_on, yes
    assert "手机号" in send(client, slug, "在青石街道幸福小区东门，车开过去哐哐响").get_json()["replies"][-1]
    assert send(client, slug, "不留").get_json()["receipt"]
    with runtime.sessions() as session:
        last = session.scalars(select(Message.text).order_by(Message.id.desc())).first()
    assert last == "井盖坏了\n在青石街道幸福小区东门，车开过去哐哐响"
    # Nonsense at the detail question is still asked again.
    send(client, slug, "树倒了")
    assert "没有看懂" in send(client, slug, "哈").get_json()["replies"][-1]
    assert "没有看懂" in send(client, slug, "。。。").get_json()["replies"][-1]


def test_a_yes_to_the_detail_question_is_not_asked_the_place_already_given(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    assert "能再具体说说" in send(client, slug, "幸福小区有问题").get_json()["replies"][-1]  # the place is known
    go_on = send(client, slug, "好").get_json()["replies"][-1]
    assert "请接着" in go_on and "什么地方" not in go_on
    assert "手机号" in send(client, slug, "东门的路灯坏了一个月，晚上老人出门看不见").get_json()["replies"][-1]
    assert send(client, slug, "不留").get_json()["receipt"]
    # Without a place, going on still asks for it.
    send(client, slug, "井盖坏了")
    assert "什么地方" in send(client, slug, "嗯").get_json()["replies"][-1]




def _texts_and_shares(runtime) -> list[tuple[str, bool | None]]:
    with runtime.sessions() as session:
        return session.execute(select(Message.text, Message.share_phone).order_by(Message.id)).all()


def test_a_short_yes_at_the_phone_offer_asks_for_the_number_and_adds_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    yeses = ("好的", "好", "可以", "行", "嗯", "嗯嗯", "是", "是的", "对", "要", "留", "好的，谢谢", "OK")
    for yes in yeses:
        client = app.test_client()  # a citizen each: one may send 20 messages a minute
        assert "手机号" in send(client, slug, PLACED).get_json()["replies"][-1]
        asked = send(client, slug, yes).get_json()["replies"][-1]
        assert "请发送您的手机号" in asked and "没有看懂" not in asked and "已补充" not in asked, (yes, asked)
        assert "是否同意" in send(client, slug, "13987654321").get_json()["replies"][-1], yes
        assert send(client, slug, "不同意").get_json()["receipt"], yes
    assert _texts_and_shares(runtime) == [(PLACED, False)] * len(yeses)  # no yes became part of a report
    # A yes that goes on keeps its words; the number is still asked for.
    client = app.test_client()
    send(client, slug, PLACED)
    assert "已补充。请发送您的手机号" in send(client, slug, "好的，东门的井盖也松了好几天了").get_json()["replies"][-1]
    send(client, slug, "13987654321")
    send(client, slug, "不同意")
    assert _texts_and_shares(runtime)[-1] == (PLACED + "\n东门的井盖也松了好几天了", False)


def test_a_short_no_at_the_phone_offer_sends_the_report_as_it_was(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    noes = ("不用", "不要", "不了", "没有", "算了", "不留", "不用了，谢谢", "不不不", "不是", "不行")
    for no in noes:
        client = app.test_client()
        send(client, slug, PLACED)
        sent = send(client, slug, no).get_json()
        assert sent["receipt"] and "手机号已记下" not in " ".join(sent["replies"]), no
    assert _texts_and_shares(runtime) == [(PLACED, False)] * len(noes)


def test_a_short_yes_to_the_consent_question_lets_the_deputy_see_the_number(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    answers = {"对": True, "对的": True, "嗯嗯": True, "可以的": True, "好的，谢谢": True, "没问题": True,
               "不要": False, "不用了，谢谢": False, "不可以": False}
    for said, shared in answers.items():
        client = app.test_client()
        send(client, slug, PLACED)
        send(client, slug, "13987654321")
        told = " ".join(send(client, slug, said).get_json()["replies"])
        assert ("代表可以看到" in told) is shared and ("只有工作人员能看到" in told) is not shared, said
    assert _texts_and_shares(runtime) == [(PLACED, shared) for shared in answers.values()]


def test_the_same_yes_and_no_words_answer_the_detail_question(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for yes in ("要", "好的，谢谢", "OK", "嗯嗯，好的"):
        client = app.test_client()
        send(client, slug, "井盖坏了")
        go_on = send(client, slug, yes).get_json()["replies"][-1]
        assert "请接着" in go_on and "手机号" not in go_on and "没有看懂" not in go_on, yes
    for no in ("不用了，谢谢", "不行", "没有了。"):
        client = app.test_client()
        send(client, slug, "树倒了")
        assert "手机号" in send(client, slug, no).get_json()["replies"][-1], no
        assert send(client, slug, "不留").get_json()["receipt"], no
    with runtime.sessions() as session:  # the yes or no is no part of any report
        assert set(session.scalars(select(Message.text))) == {"井盖坏了", "树倒了"}


def test_the_phone_offer_and_the_consent_number_their_choices_and_the_numbers_answer_them(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    offer = send(client, slug, PLACED).get_json()["replies"][-1]
    assert "1. 留手机号" in offer and "2. 不留" in offer
    assert "请发送您的手机号" in send(client, slug, "1").get_json()["replies"][-1]
    consent = send(client, slug, "13987654321").get_json()["replies"][-1]
    assert "1. 同意" in consent and "2. 不同意" in consent
    assert "代表可以看到" in " ".join(send(client, slug, "1").get_json()["replies"])
    client = app.test_client()
    send(client, slug, PLACED)
    sent = send(client, slug, "2").get_json()
    assert sent["receipt"] and "手机号已记下" not in " ".join(sent["replies"])
    client = app.test_client()  # typed on a full-width keyboard
    send(client, slug, PLACED)
    send(client, slug, "13987654321")
    assert "只有工作人员能看到" in " ".join(send(client, slug, "２").get_json()["replies"])
    assert _texts_and_shares(runtime) == [(PLACED, True), (PLACED, False), (PLACED, False)]


def test_thanks_alone_is_answered_politely_at_every_question_and_is_no_part_of_any_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    assert "不客气" in send(client, slug, "谢谢").get_json()["replies"][-1]
    assert _count(app) == 0
    send(client, slug, "路灯坏了")  # asked where
    reminded = send(client, slug, "谢谢您！").get_json()["replies"][-1]
    assert "不客气" in reminded and "补充" in reminded and "没有看懂" not in reminded and "手机号" not in reminded
    assert "手机号" in send(client, slug, "在青石街道幸福小区东门，晚上一片漆黑").get_json()["replies"][-1]
    reminded = send(client, slug, "谢谢").get_json()["replies"][-1]
    assert "不客气" in reminded and "手机号" in reminded and "没有看懂" not in reminded and "已补充" not in reminded
    send(client, slug, "13987654321")
    reminded = send(client, slug, "多谢了").get_json()
    assert not reminded["receipt"] and "是否同意" in reminded["replies"][-1]
    assert send(client, slug, "同意").get_json()["receipt"]
    for thanks in ("谢谢", "谢谢你", "好的，谢谢", "非常感谢！", "辛苦了"):  # after the receipt
        closing = send(client, slug, thanks).get_json()
        assert not closing["receipt"] and "不客气" in closing["replies"][-1], thanks
    assert _texts_and_shares(runtime) == [("路灯坏了\n在青石街道幸福小区东门，晚上一片漆黑", True)]


def test_words_after_a_yes_or_no_are_kept_unless_they_are_only_politeness(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = {"不同意，东门": PLACED + "\n东门", "同意，东门路灯": PLACED + "\n东门路灯", "不同意，谢谢": PLACED,
            "可以，麻烦了": PLACED, "好的吧，辛苦你们了": PLACED}
    for answer in said:
        client = app.test_client()
        send(client, slug, PLACED)
        send(client, slug, "13987654321")
        assert send(client, slug, answer).get_json()["receipt"], answer
    # With the number too: "东门也有" is news, "谢谢" is not.
    for with_number in ("13987654321 东门也有", "13987654321，谢谢"):
        client = app.test_client()
        send(client, slug, PLACED)
        send(client, slug, with_number)
        send(client, slug, "不同意")
    # And after a yes at the phone offer: "麻烦了" adds nothing.
    client = app.test_client()
    send(client, slug, PLACED)
    asked = send(client, slug, "好的，麻烦了").get_json()["replies"][-1]
    assert "请发送您的手机号" in asked and "已补充" not in asked
    send(client, slug, "不留")
    texts = [text for text, _ in _texts_and_shares(runtime)]
    assert texts == list(said.values()) + [PLACED + "\n东门也有", PLACED, PLACED]


def test_a_bare_ok_or_hello_at_the_start_asks_for_the_problem_and_starts_no_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("好的", "嗯", "嗯嗯", "OK", "可以", "不用了", "你好，在吗", "在么", "喂，你好", "收到", "知道了"):
        client = app.test_client()
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert "问题或建议" in reply and "收到。" not in reply and "没有看懂" not in reply, (said, reply)
    assert _count(app) == 0
    # After a receipt too: an ok closes, it opens no new message.
    client = app.test_client()
    assert report(client, slug, PLACED)["receipt"]
    for said in ("好的", "嗯嗯", "没有了", "知道了"):
        assert "问题或建议" in send(client, slug, said).get_json()["replies"][-1], said
    assert _count(app) == 1


def test_a_long_run_of_yeses_is_answered_at_once(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, PLACED)
    started = time.monotonic()
    # Each way of splitting it into yeses was once tried, 2 to the 24th of them; a trailing ？ is still a yes.
    reply = send(client, slug, "好的" * 24 + "？").get_json()["replies"][-1]
    assert time.monotonic() - started < 2 and "请发送您的手机号" in reply and "已补充" not in reply
    send(client, slug, "不留")
    assert _texts_and_shares(runtime) == [(PLACED, False)]  # no 好的 became part of the report



def test_any_no_in_the_consent_answer_keeps_the_number_from_the_deputy(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    refusals = ("好的，不同意", "嗯，不同意", "嗯，不行", "好，不要给代表看", "可以，别给代表看", "2. 不同意", "我不同意，谢谢")
    for said in refusals:
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "只有工作人员能看到" in told and "代表可以看到" not in told, said
    assert _texts_and_shares(runtime) == [(PLACED, False)] * len(refusals)  # the refusal is no part of the report


def test_a_no_after_an_ok_at_the_phone_offer_does_not_ask_for_the_number(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    noes = ("好的，不用了", "嗯，不需要", "好，不留了，谢谢", "2. 不留", "2，谢谢", "我不需要", "我不想留电话")
    for said in noes:
        client = app.test_client()
        send(client, slug, PLACED)
        sent = send(client, slug, said).get_json()
        assert sent["receipt"] and "请发送您的手机号" not in " ".join(sent["replies"]), said
    assert _texts_and_shares(runtime) == [(PLACED, False)] * len(noes)


def test_a_numbered_answer_written_with_its_words_is_read_as_that_number(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    consents = ("1. 同意", "1同意", "1，谢谢", "1号", "选1", "第1个", "１．同意")
    for said in consents:
        assert "代表可以看到" in " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"]), said
    for said in ("1. 留手机号", "1，好的"):
        client = app.test_client()
        send(client, slug, PLACED)
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "请发送您的手机号" in asked and "已补充" not in asked, said
        send(client, slug, "不留")
    # The words after the number are news, and join the report; a 1 that is a building number is no answer.
    send(at_consent(app, slug), slug, "1，东门也坏了")
    client = app.test_client()
    send(client, slug, PLACED)
    assert "已补充" in send(client, slug, "1号楼门口的灯也坏了").get_json()["replies"][-1]
    send(client, slug, "不留")
    assert _texts_and_shares(runtime) == ([(PLACED, True)] * len(consents) + [(PLACED, False)] * 2
                                          + [(PLACED + "\n东门也坏了", True), (PLACED + "\n1号楼门口的灯也坏了", False)])


def test_the_words_introducing_a_phone_number_are_not_added_to_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    written = ("我的号码是13987654321", "号码13987654321", "回访请打13987654321", "留个电话13987654321",
               "好的，我的手机号：13987654321", "可以，打这个13987654321就行")
    for said in written:
        client = app.test_client()
        send(client, slug, PLACED)
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "补充" not in asked, said
        send(client, slug, "2")
    assert _texts_and_shares(runtime) == [(PLACED, False)] * len(written)


def test_a_number_typed_the_ways_people_type_it_is_kept_as_the_contact_phone(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    typed = ("138-1234-5678", "+8613812345678", "１３８１２３４５６７８", "138.1234.5678", "138 - 1234 - 5678",
             "我电话是138 1234 5678")
    for said in typed:
        client = app.test_client()
        send(client, slug, PLACED)
        send(client, slug, "1")
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "补充" not in asked, said
        send(client, slug, "2")
    with runtime.sessions() as session:
        kept = session.execute(select(Message.text, Message.contact_phone).order_by(Message.id)).all()
    assert kept == [(PLACED, "13812345678")] * len(typed)


def test_that_is_all_moves_on_and_goodbye_sends_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("就这些", "就这样吧", "就这些，谢谢"):
        client = app.test_client()
        send(client, slug, "路灯坏了")  # asked where
        assert "1. 留手机号" in send(client, slug, said).get_json()["replies"][-1], said
        assert send(client, slug, "不留").get_json()["receipt"]
    for said in ("再见", "拜拜", "谢谢，再见"):
        client = app.test_client()
        send(client, slug, PLACED)
        sent = send(client, slug, said).get_json()
        assert sent["receipt"] and "不客气" not in " ".join(sent["replies"]), said
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "回执号" in told and "只有工作人员能看到" in told, said
    assert _texts_and_shares(runtime) == [("路灯坏了", False)] * 3 + [(PLACED, False), (PLACED, False)] * 3


def test_each_question_is_asked_again_with_the_numbered_choices_it_was_first_asked_with(app, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, PLACED)
    for said in ("谢谢", "qwer", "东门的井盖也松了好几天了"):  # thanked, not understood, words added
        again = send(client, slug, said).get_json()["replies"][-1]
        assert "1. 留手机号" in again and "2. 不留" in again and "“不留”" not in again, (said, again)
    number = send(client, slug, "好的").get_json()["replies"][-1]
    assert "2" in number and "“不留”" not in number
    send(client, slug, "13987654321")
    again = send(client, slug, "谢谢").get_json()["replies"][-1]
    assert "1. 同意" in again and "2. 不同意" in again and "“同意”" not in again


def test_a_no_with_nothing_open_gets_a_neutral_prompt(app, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("不行", "没有", "算了"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "问题或建议" in reply and not reply.startswith("好的"), (said, reply)
    assert _count(app) == 0


def test_only_an_address_is_asked_what_is_wrong_there_and_the_answer_completes_that_report(app, runtime, tmp_path):
    from datetime import timedelta

    from intake.models import MessageStatus, utcnow
    from intake.services.reception import chat
    slug = first_deputy_slug(app, tmp_path)
    said_back = {"幸福里小区3栋": "幸福里小区3栋", "朝阳路12号": "朝阳路12号", "朝阳路与解放路交叉口": "朝阳路与解放路交叉口",
                 "我家住在青石街道幸福小区3栋2单元。": "青石街道幸福小区3栋2单元",
                 "幸福里小区 3 栋": "幸福里小区3栋", "朝阳路 12 号": "朝阳路12号",  # a phone's keyboard spaces digits
                 "幸福里小区３栋": "幸福里小区3栋"}
    for address, place in said_back.items():
        body = send(app.test_client(), slug, address).get_json()  # a citizen each, who then leaves
        asked = body["replies"][-1]
        assert not body.get("receipt") and f"“{place}”" in asked and "什么问题" in asked, (address, asked)
    client = app.test_client()
    send(client, slug, "幸福里小区12栋")
    assert "手机号" in send(client, slug, "垃圾桶满了三天没人收").get_json()["replies"][-1]
    assert send(client, slug, "不留").get_json()["receipt"]
    with runtime.sessions() as session:
        stored = session.execute(select(Message.text, Message.status).order_by(Message.id)).all()
    # One report and one receipt for the address and what is wrong there; the addresses left alone are kept.
    assert stored[-1] == ("幸福里小区12栋\n垃圾桶满了三天没人收", MessageStatus.RECEIVED)
    assert [status for _, status in stored[:-1]] == [MessageStatus.COLLECTING] * len(said_back)
    with runtime.sessions() as session, session.begin():
        chat.finalize_abandoned(session, utcnow() + timedelta(minutes=1))
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).where(Message.status == MessageStatus.RECEIVED)
                               .order_by(Message.id)).all()[:2] == ["幸福里小区3栋", "朝阳路12号"]


def test_a_building_number_says_where_only_after_a_named_place(app, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("幸福里小区12栋楼下的垃圾桶满了三天没人收", "阳光小区3号楼门口的垃圾三天没人收了",
                 "和平里社区门口的井盖丢了，晚上很危险"):
        asked = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "手机号" in asked and "什么地方" not in asked, (said, asked)
    # A deputy covers many estates: a building's number alone does not say which one.
    for said in ("垃圾桶满了三天没人收，臭气熏天", "开发商交房了7栋，还有两栋一直没动工", "5栋2单元楼道灯坏了一个多月了",
                 "12幢楼下积水很深，下雨就进不了门", "学校数学第3单元作业太多了", "这次停水影响3栋楼"):
        asked = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "哪个" in asked and "手机号" not in asked, (said, asked)
    for said, building in (("3栋", "3栋"), ("小区3栋", "3栋")):
        asked = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert f"哪个小区的{building}" in asked and "您说的地点" not in asked, (said, asked)


def test_at_the_problem_question_a_confirmation_the_address_again_or_an_opening_is_asked_again(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("没错", "对，没错", "对，就是这里", "是这个地址", "是的", "不是，是5栋", "我想反映个问题", "我要投诉",
                 "你好，我有个事想反映一下", "幸福里小区3栋", "3栋2单元", "没有", "就这些", "幸福里小区3栋👍",
                 "幸福里小区3栋 👌"):
        client = app.test_client()
        send(client, slug, "幸福里小区3栋")
        body = send(client, slug, said).get_json()
        asked = body["replies"][-1]
        # Nothing is sent and no number asked for: the problem is still to be told.
        assert not body.get("receipt") and "什么问题" in asked and "手机号" not in asked, (said, asked)
        assert "手机号" in send(client, slug, "楼道灯坏了一个月").get_json()["replies"][-1], said
        assert send(client, slug, "不留").get_json()["receipt"], said
        with runtime.sessions() as session:
            texts = session.scalars(select(Message.text).order_by(Message.id.desc()).limit(2)).all()
        assert texts[0].startswith("幸福里小区3栋") and texts[0].endswith("楼道灯坏了一个月"), (said, texts)
        assert ("5栋" in texts[0]) == (said == "不是，是5栋") and "没错" not in texts[0], (said, texts)
        assert "👍" not in texts[0] and "👌" not in texts[0], (said, texts)
        assert texts[0].count("幸福里小区3栋") == 1 and ("2单元" in texts[0]) == (said == "3栋2单元"), (said, texts)
        assert said not in texts[1:] and not (texts[1:] and texts[1] == "幸福里小区3栋"), (said, texts)


def test_a_number_after_an_address_alone_is_not_said_back_as_the_place(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("幸福里小区3栋 13812345678", "13812345678 幸福里小区3栋"):
        client = app.test_client()
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "“幸福里小区3栋”" in asked and "138" not in asked and "什么问题" in asked, (said, asked)
        send(client, slug, "楼道灯坏了一个月")
        assert send(client, slug, "不同意").get_json()["receipt"], said
        with runtime.sessions() as session:
            text, phone = session.execute(select(Message.text, Message.contact_phone).order_by(Message.id.desc())).first()
        assert text == "幸福里小区3栋\n楼道灯坏了一个月" and phone == "13812345678", (said, text, phone)
    # The number kept, the question is the same: a confirmation is no answer, and the consent comes after the problem.
    client = app.test_client()
    send(client, slug, "幸福里小区3栋 13812345678")
    asked = send(client, slug, "没错").get_json()["replies"][-1]
    assert "什么问题" in asked and "是否同意" not in asked, asked
    assert "是否同意" in send(client, slug, "楼道灯坏了一个月").get_json()["replies"][-1]
    assert send(client, slug, "同意").get_json()["receipt"]
    with runtime.sessions() as session:
        text, shared = session.execute(select(Message.text, Message.share_phone).order_by(Message.id.desc())).first()
    assert text == "幸福里小区3栋\n楼道灯坏了一个月" and shared, text
    # A number sent at that question, alone or with more of the address, is kept (the latest one) and the problem
    # still asked for; a mistyped number is no part of an address.
    for first, then, stored in (("幸福里小区3栋", "13912345678", "幸福里小区3栋"),
                                ("幸福里小区3栋 13812345678", "2单元 13912345678", "幸福里小区3栋\n2单元")):
        client = app.test_client()
        send(client, slug, first)
        asked = send(client, slug, then).get_json()["replies"][-1]
        assert "号码" in asked and "什么问题" in asked and "139" not in asked, (then, asked)
        assert "是否同意" in send(client, slug, "楼道灯坏了一个月").get_json()["replies"][-1], then
        assert send(client, slug, "不同意").get_json()["receipt"], then
        with runtime.sessions() as session:
            text, phone = session.execute(select(Message.text, Message.contact_phone).order_by(Message.id.desc())).first()
        assert text == stored + "\n楼道灯坏了一个月" and phone == "13912345678", (then, text, phone)
    asked = send(app.test_client(), slug, "幸福里小区 3 栋 138 1234 567").get_json()["replies"][-1]
    assert "1381234567" not in asked and "您说的地点" not in asked, asked


def test_a_time_or_here_before_li_xiaoqu_names_no_estate(app, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("半夜里小区有人放鞭炮，吵得睡不着", "昨天夜里小区停电了三个小时", "夜里小区有人放鞭炮，吵得睡不着"):
        asked = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "什么地方" in asked and "手机号" not in asked, (said, asked)
    asked = send(app.test_client(), slug, "和平里小区门口有人放鞭炮，吵得睡不着").get_json()["replies"][-1]
    assert "手机号" in asked, asked


def test_a_receipt_sums_up_the_problem_not_the_words_announcing_it(app, client, runtime, tmp_path):
    # 你好，我们小区那边有点问题想反映一下 says only that a problem follows: the receipt card once showed it as what the
    # receipt was for. The stored message keeps every word the citizen wrote.
    slug = first_deputy_slug(app, tmp_path)
    body = report(client, slug, "你好，我们小区那边有点问题想反映一下", detail="就是楼下老有积水，走路不方便")
    assert body["said"].startswith("就是楼下老有积水"), body
    with runtime.sessions() as session:
        stored = session.scalar(select(Message.text).where(Message.receipt == body["receipt"]))
    assert stored.startswith("你好，我们小区那边有点问题想反映一下") and "楼下老有积水" in stored, stored
