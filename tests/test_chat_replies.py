"""Replies as citizens really type them (an elderly person on WeChat: voice-to-text, emoji, 嗯嗯, 不要, 算了),
read at every question as they were meant: what joins the report, what is kept, what the deputy may see."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from intake.models import Message
from tests.helpers import (PLACED, at_consent, at_phone_offer, finish_report, first_deputy_slug,
                           report, send)



def _stored(runtime) -> list[tuple[str, str | None, bool | None]]:
    with runtime.sessions() as session:
        return session.execute(select(Message.text, Message.contact_phone, Message.share_phone)
                               .order_by(Message.id)).all()


def _count(runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_a_number_with_do_not_show_the_deputy_is_kept_private_and_those_words_are_no_part_of_the_report(
        app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    refusals = ("13812345678，不用给代表看", "13812345678 不要给代表看", "13812345678不公开",
                "嗯嗯，13812345678，别让代表看", "13812345678，不同意", "不要给代表看，13812345678")
    for said in refusals:
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        told = " ".join(sent["replies"])
        # The citizen has answered the consent question already: not asked it again, told who sees the number.
        assert sent["receipt"] and "只有工作人员能看到" in told and "代表可以看到" not in told, (said, told)
        assert "补充" not in told, said
    assert _stored(runtime) == [(PLACED, "13812345678", False)] * len(refusals)
    # A number with "show it to the deputy" is consent; a number with other words still asks.
    for said in ("13812345678，可以给代表看", "13812345678 同意"):
        told = " ".join(send(at_phone_offer(app, slug), slug, said).get_json()["replies"])
        assert "代表可以看到" in told, (said, told)
    asked = send(at_phone_offer(app, slug), slug, "13812345678，谢谢").get_json()["replies"][-1]
    assert "是否同意" in asked
    assert _stored(runtime)[-3:] == [(PLACED, "13812345678", True)] * 2 + [(PLACED, "13812345678", False)]


def test_a_consent_followed_by_news_consents_and_keeps_the_news(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = {"同意，东门看不清路": True, "同意东门看不清路": True, "同意。东门看不清路。": True,
            "好的👌，东门看不清路": True, "不同意，东门看不清路": False, "不同意东门看不清路": False,
            "嗯嗯，不要，东门看不清路": False}
    for answer, shared in said.items():
        told = " ".join(send(at_consent(app, slug), slug, answer).get_json()["replies"])
        assert ("代表可以看到" in told) is shared and ("只有工作人员能看到" in told) is not shared, (answer, told)
    assert _stored(runtime) == [(PLACED + "\n东门看不清路", "13987654321", shared) for shared in said.values()]


def test_emoji_beside_an_answer_do_not_change_it(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("同意👍", "好的👌", "可以的🙏🙏"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "代表可以看到" in told, (said, told)
    sent = send(at_phone_offer(app, slug), slug, "不用了谢谢👍").get_json()
    assert sent["receipt"] and "已补充" not in " ".join(sent["replies"])
    asked = send(at_phone_offer(app, slug), slug, "好的👌").get_json()["replies"][-1]
    assert "请发送您的手机号" in asked and "已补充" not in asked
    client = app.test_client()
    send(client, slug, "路灯坏了")  # asked where
    assert "手机号" in send(client, slug, "没有了👌").get_json()["replies"][-1]
    send(client, slug, "2")
    # With nothing open: thanks and a greeting with an emoji start no message.
    for said in ("谢谢🙏", "在吗😊", "好的，谢谢🙏🙏", "拜拜👋"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "收到。" not in reply and "没有看懂" not in reply, (said, reply)
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == [PLACED] * 5 + ["路灯坏了"]


def test_a_phone_number_written_loosely_is_read_and_a_mistyped_one_is_asked_again(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("+8613812345678", "86 13812345678", "138-1234-5678", "１３８１２３４５６７８",
                 "幺三八一二三四五六七八", "一三八 一二三四 五六七八。", "幺三八两三四五六七八九",  # said to voice typing
                 "我的手机号是 138、1234、5678"):
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "补充" not in asked, (said, asked)
    for said in ("1381234567", "138123456789", "+86 1381234567", "幺三八两三四五六七八"):  # a digit short or too many
        client = at_phone_offer(app, slug)
        again = send(client, slug, said).get_json()["replies"][-1]
        assert "11 位" in again and "已补充" not in again, (said, again)
        assert "是否同意" in send(client, slug, "13812345678").get_json()["replies"][-1]
    texts = {text for text, _, _ in _stored(runtime)}
    assert texts == {PLACED}  # no number, right or wrong, became part of a report


def test_a_number_corrected_at_the_consent_question_replaces_the_first(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = at_consent(app, slug)
    asked = send(client, slug, "电话打错了，是13812345679").get_json()["replies"][-1]
    assert "是否同意" in asked
    assert send(client, slug, "不同意").get_json()["receipt"]
    assert _stored(runtime) == [(PLACED, "13812345679", False)]


def test_a_number_given_at_the_detail_question_is_kept_apart_from_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "路灯坏了")  # asked where
    asked = send(client, slug, "幸福小区东门，我电话13812345678").get_json()["replies"][-1]
    assert "是否同意" in asked
    send(client, slug, "2")
    assert _stored(runtime) == [("路灯坏了\n幸福小区东门", "13812345678", False)]


def test_more_ways_of_saying_no_at_the_phone_offer(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    noes = ("电话不留了", "号码就不留了", "不方便", "免了", "算了吧", "不要了")
    for said in noes:
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        assert sent["receipt"] and "手机号已记下" not in " ".join(sent["replies"]), said
    assert _stored(runtime) == [(PLACED, None, False)] * len(noes)


def test_that_is_all_said_in_more_ways_at_the_detail_question(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("就这么多", "说完了", "没啥了", "没什么了", "没别的了", "暂时没有", "嗯嗯，就这些"):
        client = app.test_client()
        send(client, slug, "路灯坏了")  # asked where
        moved_on = send(client, slug, said).get_json()["replies"][-1]
        assert "1. 留手机号" in moved_on, (said, moved_on)
        send(client, slug, "2")
    assert {text for text, _, _ in _stored(runtime)} == {"路灯坏了"}


def test_a_yes_glued_to_the_answer_at_the_detail_question_is_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "路灯坏了")
    send(client, slug, "嗯嗯幸福小区东门口")
    send(client, slug, "2")
    assert [text for text, _, _ in _stored(runtime)] == ["路灯坏了\n幸福小区东门口"]


def test_a_receipt_lookup_written_as_people_say_it(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    for said in (f"查一下 {receipt}", f"查下{receipt}", f"帮我查一下{receipt}", f"查询回执号{receipt}",
                 f"回执号：{receipt}", f"查询 {receipt} 谢谢", "查询进度", "查一下进度"):
        answer = send(client, slug, said).get_json()["replies"][0]
        assert receipt in answer and "已收到" in answer, (said, answer)
    assert _count(runtime) == 1


def test_greetings_commands_and_addresses_with_punctuation_start_no_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("代表您好", "王代表你好", "您好，王代表", "王代表，你好！", "尊敬的王代表：", "尊敬的王秀兰代表，您好！", "各位领导："):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "您好" in reply and "收到。" not in reply, (said, reply)
    assert "查询" in send(app.test_client(), slug, "帮助。").get_json()["replies"][-1]
    client = app.test_client()
    send(client, slug, "路灯坏了")
    assert "重新开始" in send(client, slug, "重新开始。").get_json()["replies"][-1]
    assert _count(runtime) == 1  # the one withdrawn by 重新开始


def test_a_refusal_after_a_yes_keeps_the_number_from_the_deputy(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("同意，但别让代表看", "可以，不过要保密", "好的，号码不要公开"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "只有工作人员能看到" in told and "代表可以看到" not in told, (said, told)
    assert all(shared is False for _, _, shared in _stored(runtime))


def test_a_question_back_or_wait_a_moment_keeps_the_question_open_and_adds_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("什么意思", "看不懂", "啥意思？", "不明白"):
        client = at_consent(app, slug)
        explained = send(client, slug, said).get_json()
        assert not explained["receipt"] and "1" in explained["replies"][-1] and "代表" in explained["replies"][-1], said
        assert "代表可以看到" in " ".join(send(client, slug, "1").get_json()["replies"]), said
        client = at_phone_offer(app, slug)
        explained = send(client, slug, said).get_json()["replies"][-1]
        assert "手机号" in explained and "已补充" not in explained, (said, explained)
        assert send(client, slug, "2").get_json()["receipt"], said
    for said in ("等一下", "稍等", "等等我找一下"):
        client = at_consent(app, slug)
        waited = send(client, slug, said).get_json()
        assert not waited["receipt"] and "不着急" in waited["replies"][-1], said
        assert send(client, slug, "2").get_json()["receipt"], said
    client = app.test_client()
    send(client, slug, "路灯坏了")
    assert "不着急" in send(client, slug, "稍等").get_json()["replies"][-1]
    assert "手机号" in send(client, slug, "在幸福小区东门").get_json()["replies"][-1]
    send(client, slug, "2")
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == [PLACED] * 11 + ["路灯坏了\n在幸福小区东门"]


def test_an_answer_said_after_the_news_at_the_consent_question_is_read(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = {"东门看不清路，同意": True, "东门晚上看不清路，同意。": True, "东门看不清路，不同意": False,
            "代表可以看": True, "代表能看，东门看不清路": True}
    for answer, shared in said.items():
        told = " ".join(send(at_consent(app, slug), slug, answer).get_json()["replies"])
        assert ("代表可以看到" in told) is shared, (answer, told)
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == [PLACED + "\n东门看不清路", PLACED + "\n东门晚上看不清路", PLACED + "\n东门看不清路", PLACED,
                     PLACED + "\n东门看不清路"]


def test_more_greetings_and_how_do_i_start_no_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("早上好", "晚上好！", "领导好", "王代表好", "打扰了", "在不"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "您好" in reply and "收到。" not in reply, (said, reply)
    for said in ("怎么用", "怎么反映问题？", "这个怎么弄"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "直接输入" in reply, (said, reply)
    assert _count(runtime) == 0


def test_a_number_that_is_the_news_at_the_detail_question_stays_in_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "天天有骚扰电话")  # asked where
    asked = send(client, slug, "13812345678这个号码天天打过来骚扰老人").get_json()["replies"][-1]
    assert "1. 留手机号" in asked and "是否同意" not in asked
    send(client, slug, "2")
    assert _stored(runtime) == [("天天有骚扰电话\n13812345678这个号码天天打过来骚扰老人", None, False)]


def test_a_letter_sent_in_parts_past_the_limit_says_this_part_was_not_added_and_how_to_go_on(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    parts = [f"第{n}段：" + "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑。" * 76 for n in range(1, 7)]  # 1,904 each
    for part in parts[:5]:
        send(client, slug, part)  # 9,520 characters so far, one message's limit is 2,000
    refused = send(client, slug, parts[5]).get_json()["replies"][-1]
    assert "这段没有加上" in refused and "9524" in refused and "另起一条" in refused, refused
    assert "11428" not in refused  # not a length the citizen never sent
    assert send(client, slug, "2").get_json()["receipt"]  # the question above still answers
    assert "是否同意" not in send(client, slug, parts[5]).get_json()["replies"][-1]  # the part now starts a message
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == ["\n".join(parts[:5]), parts[5]]


def test_taking_a_message_back_withdraws_the_open_one_and_says_whom_to_ask_for_a_sent_one(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = at_phone_offer(app, slug)
    assert send(client, slug, "2").get_json()["receipt"]
    for said in ("我要撤回刚才的留言", "撤销刚才的投诉。", "留言不要了"):
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert "不能在这里撤回" in reply and "回执号" in reply and "联络站" in reply, (said, reply)
    assert _count(runtime) == 1  # the wish is no new message to the deputy
    send(client, slug, "村口的桥栏杆断了")
    reply = send(client, slug, "撤回").get_json()["replies"][-1]
    assert "已撤回" in reply and "不会转给代表" in reply, reply
    with runtime.sessions() as session:
        statuses = session.scalars(select(Message.status).order_by(Message.id)).all()
    assert [str(status) for status in statuses][1:] == ["withdrawn"], statuses


def test_giving_up_and_taking_a_message_back_with_nothing_open_asks_after_the_one_already_sent(app, runtime, tmp_path):
    # "算了，撤回吧" at the phone or consent question withdraws the open one (below); with nothing open, it asks after
    # the one already sent.
    slug = first_deputy_slug(app, tmp_path)
    client = at_phone_offer(app, slug)
    assert send(client, slug, "2").get_json()["receipt"]
    assert "不能在这里撤回" in send(client, slug, "算了，撤回吧").get_json()["replies"][-1]
    assert _count(runtime) == 1


# Ways of taking it back at the follow-up, phone and consent questions (each but the first four was sent at some of
# them with a receipt and those words in the report until 2026-12-07).
_MORE_WITHDRAWALS = ("算了，撤回吧", "算了算了 取消这条留言", "算啦，我还是撤回刚才的留言吧。", "算了，撤回吧，谢谢",
                     "那算了，撤回吧", "唉，算了，撤回吧", "不要了，撤回", "算了，不说了，撤回吧", "算了，不提交了",
                     "不投诉了", "算了，能不能撤回", "算了，撤回吧，我再想想", "能撤回吗", "能取消这条留言吗", "算了，能取消吗",
                     "算了，取消吗", "能删除吗", "发错了，能撤回吗")


@pytest.mark.parametrize("first", range(0, len(_MORE_WITHDRAWALS), 6))  # six at a time: within the chat's rate limit
def test_more_ways_of_taking_it_back_withdraw_the_open_message_and_say_how_to_start_again(app, runtime, tmp_path,
                                                                                          first):
    slug = first_deputy_slug(app, tmp_path)
    ways = _MORE_WITHDRAWALS[first:first + 6]
    for said in ways:
        at_detail = app.test_client()
        send(at_detail, slug, "路灯坏了")
        for client in (at_detail, at_phone_offer(app, slug), at_consent(app, slug)):
            body = send(client, slug, said).get_json()
            reply = body["replies"][-1]
            # Told plainly that it is gone, and how to send it after all: there is no undoing a withdrawal.
            assert not body.get("receipt") and "已撤回" in reply and "不会转给代表" in reply, (said, body)
            assert "撤错了" in reply and "重新发" in reply, (said, reply)
    assert _count(runtime) == 3 * len(ways)
    with runtime.sessions() as session:
        statuses = session.scalars(select(Message.status)).all()
    assert {str(status) for status in statuses} == {"withdrawn"}, statuses


def test_not_sending_is_a_no_to_the_question_asked_and_at_the_follow_up_takes_the_report_back(app, runtime, tmp_path):
    # What is not to be sent is what the question is about: the number at the phone offer, the number shown to the
    # deputy at the consent (both: the report goes, with no words added), the report at the follow-up.
    slug = first_deputy_slug(app, tmp_path)
    for said in ("算了，不发了", "算了，别发了", "那算了，不要发了"):
        body = send(at_phone_offer(app, slug), slug, said).get_json()
        assert body["receipt"] and "已撤回" not in " ".join(body["replies"]), (said, body)
        body = send(at_consent(app, slug), slug, said).get_json()
        assert body["receipt"] and "已撤回" not in " ".join(body["replies"]), (said, body)
        at_detail = app.test_client()
        send(at_detail, slug, "路灯坏了")
        assert "已撤回" in send(at_detail, slug, said).get_json()["replies"][-1], said
    assert _stored(runtime) == [(PLACED, None, False), (PLACED, "13987654321", False), ("路灯坏了", None, False)] * 3


def test_asking_for_the_thing_reported_to_be_cancelled_or_kept_is_news(app, runtime, tmp_path):
    # Not a withdrawal nor a "keep it": "能不能取消" asks for the fee to go, "别撤啊" for the bus stop to stay.
    slug = first_deputy_slug(app, tmp_path)
    for first, said in (("停车费又涨了", "能不能取消"), ("小区门口摆了很多摊位，堵路", "能不能撤掉"),
                        ("停车费又涨了", "能取消吗"), ("路边摊太多", "可以撤掉吗？"),
                        ("停车费又涨了", "能取消吗。"), ("停车费又涨了", "取消吗"), ("停车费又涨了", "能取消吗，谢谢"),
                        ("听说12路公交站要撤了", "别撤啊"), ("小区里天天有人发小广告", "别再发了！")):
        client = app.test_client()
        send(client, slug, first)
        body = send(client, slug, said).get_json()
        assert "已撤回" not in " ".join(body["replies"]) and "不撤回" not in " ".join(body["replies"]), (said, body)
        assert [text for text, _, _ in _stored(runtime)][-1] == f"{first}\n{said}", said


def test_not_taking_it_back_puts_the_same_question_again_and_adds_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("算了，不撤回了", "不撤回了"):
        at_detail = app.test_client()
        send(at_detail, slug, PLACED.replace("青石街道幸福小区门口的", ""))  # no place: the follow-up is asked
        reply = send(at_detail, slug, said).get_json()["replies"][-1]
        assert "请接着写下来" in reply and "已撤回" not in reply, (said, reply)
        assert "1. 留手机号" in send(at_detail, slug, "在青石街道幸福小区门口").get_json()["replies"][-1]
        assert send(at_detail, slug, "2").get_json()["receipt"]
        client = at_phone_offer(app, slug)
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert "不撤回" in reply and "1. 留手机号" in reply and "已补充" not in reply, (said, reply)
        assert send(client, slug, "2").get_json()["receipt"]
        client = at_consent(app, slug)
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert "不撤回" in reply and "是否同意" in reply, (said, reply)
        assert "代表可以看到" in " ".join(send(client, slug, "1").get_json()["replies"])
    assert _stored(runtime) == [("路灯坏了一个月了，晚上很黑\n在青石街道幸福小区门口", None, False),
                                (PLACED, None, False), (PLACED, "13987654321", True)] * 2
    # Said after the withdrawal: it cannot be undone, and the citizen is told to send it again; nothing is stored.
    client = at_phone_offer(app, slug)
    send(client, slug, "撤回")
    reply = send(client, slug, "算了，不撤回了").get_json()["replies"][-1]
    assert "不能恢复" in reply and "重新发" in reply and "具体" not in reply, reply
    assert _count(runtime) == 7


def test_a_report_that_merely_contains_words_of_taking_it_back_is_kept_as_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    news = ("小区门口的垃圾不要了也没人收，撤回了的整改又来了", "楼下天天有人发小广告，我跟他们说别发了传单还是到处贴",
            "别发了传单又贴小广告，物业也不管", "不投诉了也没用，路灯还是不亮", "能不能撤回那个拆迁通知",
            "撤回吧，这个收费通知不合理", "唉，算了算了，不要了的旧家具堆在楼道里没人管")
    for said in news:
        client = at_phone_offer(app, slug)
        body = send(client, slug, said).get_json()
        assert "已撤回" not in " ".join(body["replies"]), (said, body)
        # Added to the report, or (after 算了, a no to the offer) sent with it.
        assert body.get("receipt") or send(client, slug, "2").get_json()["receipt"], said
        body = send(at_consent(app, slug), slug, said).get_json()
        assert body["receipt"] and "已撤回" not in " ".join(body["replies"]), (said, body)
        # As a first message it is a report, not a question about one already sent.
        assert "不能在这里撤回" not in send(app.test_client(), slug, said).get_json()["replies"][-1], said
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == [text for said in news for text in (f"{PLACED}\n{said}", f"{PLACED}\n{said}", said)], texts
    with runtime.sessions() as session:
        assert "withdrawn" not in {str(status) for status in session.scalars(select(Message.status))}


def test_a_very_long_run_of_giving_up_is_answered_at_once(app, runtime, tmp_path):
    # 75,000 characters: read by every pattern before the length is checked, so each must stay linear.
    slug = first_deputy_slug(app, tmp_path)
    for said in ("算了，" * 24_999 + "撤回的", "不要了，" * 18_750, "唉，" * 37_500, "算了，不" * 18_750,
                 "撤回吧" + "！" * 74_996 + "灯", "算了，不撤" + "吧" * 74_994 + "灯", "唉，" + "算了，" * 24_998 + "撤回吧。"):
        client = at_phone_offer(app, slug)
        started = time.monotonic()
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert time.monotonic() - started < 2, said[:20]
        assert ("已撤回" in reply) is said.endswith("撤回吧。"), (said[:20], reply)
    with runtime.sessions() as session:
        assert [str(status) for status in session.scalars(select(Message.status).order_by(Message.id))][-1] == \
            "withdrawn"


def test_the_citizens_own_number_in_the_first_message_is_kept_apart_and_the_consent_asked(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    own = {"幸福小区门口垃圾没人清运，我电话13812345678": "幸福小区门口垃圾没人清运",
           "我电话13812345678，幸福小区门口垃圾没人清运": "幸福小区门口垃圾没人清运",
           "幸福小区门口垃圾没人清运有事打我电话13812345678": "幸福小区门口垃圾没人清运",
           "幸福小区门口垃圾没人清运。联系电话：138 1234 5678": "幸福小区门口垃圾没人清运"}
    for said, news in own.items():
        client = app.test_client()
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "1. 留手机号" not in asked, (said, asked)
        assert send(client, slug, "2").get_json()["receipt"], said
    assert _stored(runtime) == [(news, "13812345678", False) for news in own.values()]
    # Too vague to act on: the follow-up first, then the consent, never the phone offer again.
    client = app.test_client()
    send(client, slug, "路灯坏了，我手机13812345678")
    asked = send(client, slug, "幸福小区东门").get_json()["replies"][-1]
    assert "是否同意" in asked and "1. 留手机号" not in asked, asked
    assert "代表可以看到" in " ".join(send(client, slug, "1").get_json()["replies"])
    assert _stored(runtime)[-1] == ("路灯坏了\n幸福小区东门", "13812345678", True)


def test_someone_elses_number_in_the_first_message_stays_in_it(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    news = ("我电话被13812345678骚扰了好几天，幸福小区好多老人都接到过",
            "幸福小区物业电话13812345678一直打不通，电梯坏了没人修")
    for said in news:
        client = app.test_client()
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "1. 留手机号" in asked, (said, asked)
        send(client, slug, "2")
    assert _stored(runtime) == [(said, None, False) for said in news]


def test_no_phone_at_home_or_an_old_phone_is_a_no_at_the_phone_offer(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    noes = ("家里没电话", "老人机不会发", "没有手机", "我用的老人机，不会发短信", "我是老年人不会用手机")
    for said in noes:
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        assert sent["receipt"] and "已补充" not in " ".join(sent["replies"]), (said, sent["replies"])
    assert _stored(runtime) == [(PLACED, None, False)] * len(noes)


def test_i_do_not_mind_is_a_yes_at_the_consent_question_and_a_refusal_still_wins(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = {"不介意": True, "没关系": True, "无所谓": True, "可以给": True, "不介意代表看": True, "给他看没关系": True,
            "不想给": False, "别给": False, "不可以": False, "不介意，但别让代表看": False, "没关系，不过要保密": False}
    for answer, shared in said.items():
        told = " ".join(send(at_consent(app, slug), slug, answer).get_json()["replies"])
        assert ("代表可以看到" in told) is shared and ("只有工作人员能看到" in told) is not shared, (answer, told)
    assert _stored(runtime) == [(PLACED, "13987654321", shared) for shared in said.values()]


def test_remarks_about_who_sees_the_number_are_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("同意，但别让代表看", "可以，不过要保密", "好的，只给工作人员看", "1，但是别告诉别人"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "只有工作人员能看到" in told, (said, told)
    assert _stored(runtime) == [(PLACED, "13987654321", False)] * 4


def test_dialect_yeses_noes_and_acknowledgements_are_answers_not_news(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("没得", "没得了", "莫得", "算咯", "冇得"):
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        assert sent["receipt"] and "已补充" not in " ".join(sent["replies"]), (said, sent["replies"])
    for said in ("要得", "得行", "可以嘛"):
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "请发送您的手机号" in asked and "已补充" not in asked, (said, asked)
    assert "代表可以看到" in " ".join(send(at_consent(app, slug), slug, "要得").get_json()["replies"])
    for said in ("晓得了", "知道了"):
        client = app.test_client()
        send(client, slug, "路灯坏了")  # asked where
        assert "接着写" in send(client, slug, said).get_json()["replies"][-1], said
        send(client, slug, "在幸福小区东门")
        send(client, slug, "2")
        client = at_consent(app, slug)
        asked = send(client, slug, said).get_json()
        assert not asked["receipt"] and "是否同意" in asked["replies"][-1], (said, asked)
        send(client, slug, "2")
    assert "问题或建议" in send(app.test_client(), slug, "晓得了").get_json()["replies"][-1]
    assert "直接输入" in send(app.test_client(), slug, "咋个反映问题").get_json()["replies"][-1]
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == [PLACED] * 9 + ["路灯坏了\n在幸福小区东门", PLACED] * 2


def test_asking_after_an_earlier_message_in_words_is_a_progress_question(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    for said in ("进度怎么样了", "我反映的问题有结果了吗", "帮我查下我上次反映的问题", "上次说的事情怎么样了？",
                 f"{receipt}怎么样了", f"查寻 {receipt}", f"我的{receipt}办得咋样了",
                 f"我的回执号是 {receipt}，麻烦查一下进度", f"您好，回执号{receipt}，请帮我查一下办理进度，谢谢"):
        answer = send(client, slug, said).get_json()["replies"][0]
        assert receipt in answer and "已收到" in answer, (said, answer)
    assert _count(runtime) == 1


def test_news_beside_a_receipt_number_is_news(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said, news in (("请帮我查一下{}，另外门口垃圾没人收", "门口垃圾没人收"),
                       ("回执{}，楼道灯又坏了，请帮忙处理一下，谢谢", "楼道灯又坏了")):
        client = app.test_client()
        receipt = report(client, slug, PLACED)["receipt"]
        answer = send(client, slug, said.format(receipt)).get_json()["replies"][0]
        assert "已收到，正在整理" not in answer and "在什么地方" in answer, (said, answer)
        with runtime.sessions() as session:
            latest = session.scalars(select(Message.text).order_by(Message.id.desc())).first()
        assert news in latest, (said, latest)


def test_a_number_alone_as_the_first_message_starts_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # A number a digit or two short or long, as at the phone question ("138 1234 56", 9 digits) starts nothing either.
    for said in ("13812345678", "1381234567", "我电话13812345678", "138 1234 56", "+86 138123456", "幺三八两三四五六七"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "号码没有记下" in reply and "是什么情况" in reply, (said, reply)
    assert _count(runtime) == 0
    # After the receipt, an answer about the number said once more is no new message either.
    client = app.test_client()
    report(client, slug, PLACED)
    for said in ("不留电话了", "电话就不留了", "不用留了"):
        reply = send(client, slug, said).get_json()["replies"][-1]
        assert "收到。" not in reply, (said, reply)
    assert _count(runtime) == 1


def test_voice_typing_run_on_answers_are_read(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    told = " ".join(send(at_phone_offer(app, slug), slug, "留吧我电话13812345678你们可以给代表看的").get_json()["replies"])
    assert "代表可以看到" in told and "补充" not in told, told
    reply = send(app.test_client(), slug, "喂喂喂能听到吗").get_json()["replies"][-1]
    assert "您好" in reply and "收到。" not in reply, reply
    client = app.test_client()
    send(client, slug, "路灯坏了")  # asked where
    assert "1. 留手机号" in send(client, slug, "不晓得").get_json()["replies"][-1]
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, "13812345678", True), ("路灯坏了", None, False)]


def test_a_report_that_declines_a_call_back_is_sent_without_the_phone_offer_or_those_words(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in (f"{PLACED}，不用回访", f"{PLACED}。我不需要回电话。"):
        sent = send(app.test_client(), slug, said).get_json()
        assert sent["receipt"] and "留手机号" not in " ".join(sent["replies"]), (said, sent["replies"])
    client = app.test_client()
    asked = send(client, slug, "路灯坏了，不用回访").get_json()["replies"][-1]  # too vague: asked where first
    assert "什么地方" in asked, asked
    assert _stored(runtime) == [(PLACED, None, False)] * 2 + [("路灯坏了", None, False)]


def test_done_at_the_phone_offer_sends_the_report_without_a_number(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # 好了 / 行了 there mean "that is all": never a yes to leaving a number, nor to showing one to the deputy.
    for said in ("好了", "好了，谢谢", "好了好了", "行了", "就这样", "没了"):
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        told = " ".join(sent["replies"])
        assert sent["receipt"] and "请发送您的手机号" not in told, (said, told)
    for said in ("好了", "行了"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "只有工作人员能看到" in told and "代表可以看到" not in told, (said, told)
    client = app.test_client()
    send(client, slug, "路灯坏了")  # asked where
    assert "1. 留手机号" in send(client, slug, "好了").get_json()["replies"][-1]
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, None, False)] * 6 + [(PLACED, "13987654321", False)] * 2 + [
        ("路灯坏了", None, False)]


def test_where_asked_back_at_a_question_is_explained_and_not_added(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "路灯坏了一个多月了，晚上黑乎乎的")  # asked where
    for said in ("在哪儿？", "在哪里填？", "哪里？", "什么地方？", "写在哪里", "啥地方啊", "要写什么", "怎么填"):
        sent = send(client, slug, said).get_json()
        reply = sent["replies"][-1]
        assert "地点" in reply and "小区" in reply and "1. 留手机号" not in reply, (said, reply)
    assert "1. 留手机号" in send(client, slug, "幸福小区东门").get_json()["replies"][-1]
    reply = send(client, slug, "在哪里填？").get_json()["replies"][-1]  # at the phone offer: how to leave it
    assert "直接发送手机号" in reply and "补充" not in reply, reply
    assert send(client, slug, "2").get_json()["receipt"]
    assert _stored(runtime) == [("路灯坏了一个多月了，晚上黑乎乎的\n幸福小区东门", None, False)]


def test_no_call_back_anywhere_in_the_first_report_means_no_phone_offer(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("不用回访，青石街道幸福小区门口的路灯坏了一个月了，晚上很黑",
                 "青石街道幸福小区门口的路灯坏了一个月了，不用回访，晚上很黑",
                 "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑，不需要联系我，谢谢",
                 "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑。不用给我回电话了，谢谢！",
                 "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑，不用回访了谢谢"):
        sent = send(app.test_client(), slug, said).get_json()
        assert sent["receipt"] and "留手机号" not in " ".join(sent["replies"]), (said, sent["replies"])
    # Too vague: asked where first, and the answer sends it, still without the offer.
    client = app.test_client()
    send(client, slug, "路灯坏了，不用回访")
    sent = send(client, slug, "在幸福小区东门").get_json()
    assert sent["receipt"] and "留手机号" not in " ".join(sent["replies"]), sent["replies"]
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == ["青石街道幸福小区门口的路灯坏了一个月了，晚上很黑"] * 5 + ["路灯坏了\n在幸福小区东门"]
    # Someone else's words about a call back are the news, and the offer is made.
    client = app.test_client()
    said = "青石街道幸福小区的物业说不用回访就把工单关了，路灯还是不亮"
    assert "1. 留手机号" in send(client, slug, said).get_json()["replies"][-1]


def test_giving_up_at_the_problem_question_stores_no_words_and_says_what_happens(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("不想说了", "算了", "不说了", "算了，不想说了", "我不想说了"):
        client = app.test_client()
        send(client, slug, "幸福里小区3栋")
        body = send(client, slug, said).get_json()
        reply = body["replies"][-1]
        # Not sent (an address alone tells the deputy nothing), not asked for a number, and told how to go on or leave.
        assert not body.get("receipt") and "手机号" not in reply and "地点已经记下" in reply and "撤回" in reply, (said, reply)
    # Still open: the problem may follow after all, or the citizen leaves.
    assert "1. 留手机号" in send(client, slug, "楼道灯坏了一个月").get_json()["replies"][-1]
    assert send(client, slug, "2").get_json()["receipt"]
    client = app.test_client()
    send(client, slug, "幸福里小区3栋")
    send(client, slug, "不想说了")
    assert "已撤回" in send(client, slug, "撤回").get_json()["replies"][-1]
    # At the detail question the report is there already: giving up is the 没有 it means, and the offer follows.
    client = app.test_client()
    send(client, slug, "路灯坏了")
    assert "1. 留手机号" in send(client, slug, "不想说了").get_json()["replies"][-1]
    assert send(client, slug, "2").get_json()["receipt"]
    texts = [text for text, _, _ in _stored(runtime)]
    assert texts == ["幸福里小区3栋"] * 4 + ["幸福里小区3栋\n楼道灯坏了一个月", "幸福里小区3栋", "路灯坏了"], texts


def test_more_turns_as_citizens_type_them(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # Only the wish to report, after a greeting or not: the problem is asked for, and nothing is stored.
    for said in ("我想反映个问题", "你好，在吗？我想反映个问题", "我要投诉", "有个事想反映一下", "喂喂你好我要投诉"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "什么问题" in reply and "收到。" not in reply, (said, reply)
    # Thanks naming the deputy are thanks, not a greeting.
    assert "不客气" in send(app.test_client(), slug, "谢谢代表").get_json()["replies"][-1]
    # Progress asked after without a subject or a receipt number: no new message.
    for said in ("我想问下进度", "有结果了吗", "我的问题处理了吗", "处理得怎么样了"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "回执号" in reply and "什么地方" not in reply, (said, reply)
    assert _count(runtime) == 0
    # 中 (Henan) is a yes; 没事 at the phone offer is "no need", not words for the report.
    assert "请发送您的手机号" in send(at_phone_offer(app, slug), slug, "中").get_json()["replies"][-1]
    for said in ("没事", "没事了"):
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        assert sent["receipt"] and "已补充" not in " ".join(sent["replies"]), (said, sent)
    assert _stored(runtime)[1:] == [(PLACED, None, False)] * 2


def test_a_number_with_its_consent_and_nothing_to_report_starts_no_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("13812345678 同意", "13812345678，同意", "13812345678 不同意", "我电话13812345678，可以给代表看"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "号码没有记下" in reply and "是什么情况" in reply, (said, reply)
    assert _count(runtime) == 0
    # Right after a receipt it is meant for the message just sent, the consent with it.
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    told = " ".join(send(client, slug, "13812345678 同意").get_json()["replies"])
    assert receipt in told and "代表可以看到" in told, told
    assert _stored(runtime) == [(PLACED, "13812345678", True)]


def test_a_number_sent_right_after_the_receipt_is_offered_to_the_message_just_sent(app, runtime, tmp_path):
    from intake.models import AuditEntry

    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]  # the phone offer declined
    asked = send(client, slug, "13812345678").get_json()["replies"][-1]
    assert "是否同意" in asked and "没有记下" not in asked, asked
    told = " ".join(send(client, slug, "2").get_json()["replies"])
    assert receipt in told and "只有工作人员能看到" in told, told
    assert _stored(runtime) == [(PLACED, "13812345678", False)]
    with runtime.sessions() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.contact")).all()
    assert logged and logged[-1].actor == "citizen" and logged[-1].after == {"phone": "138****5678", "share_phone": False}
    # A message sent with its number keeps it: another number right after the receipt replaces nothing.
    client = app.test_client()
    report(client, slug, PLACED, phone="13900001111")
    kept = send(client, slug, "13700002222").get_json()["replies"][-1]
    assert "139****1111" in kept and "13700002222" not in kept, kept
    # Only right after the receipt: a yes there asks for no number, and after other words a number adds to nothing.
    client = app.test_client()
    report(client, slug, PLACED)
    assert "请直接发送手机号" not in send(client, slug, "好的").get_json()["replies"][-1]
    assert "号码没有记下" in send(client, slug, "13600003333").get_json()["replies"][-1]
    assert [phone for _, phone, _ in _stored(runtime)] == ["13812345678", "13900001111", None]


def test_typed_noes_and_ok_emoji_answer_the_phone_offer_and_the_consent(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("布留", "不留了", "算了", "布用了", "布要"):
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        told = " ".join(sent["replies"])
        assert sent["receipt"] and "已补充" not in told and "手机号已记下" not in told, (said, told)
    for said in ("👌", "好的👌", "👍", "👌👌"):
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "请发送您的手机号" in asked and "没有看懂" not in asked, (said, asked)
    for said, shared in {"👌": True, "好的👌": True, "布同意": False, "布要给代表看": False}.items():
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert ("代表可以看到" in told) is shared and ("只有工作人员能看到" in told) is not shared, (said, told)
    assert {text for text, _, _ in _stored(runtime)} == {PLACED}


def test_news_at_the_consent_question_is_kept_and_shares_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("对了，路灯今天又坏了", "路灯今天又坏了", "哦对了，东门井盖也丢了"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "代表可以看到" not in told, (said, told)
    stored = _stored(runtime)
    assert [share for _, _, share in stored] == [False] * 3, stored
    assert [text for text, _, _ in stored] == [PLACED + "\n路灯今天又坏了", PLACED + "\n路灯今天又坏了",
                                               PLACED + "\n东门井盖也丢了"]


def test_a_number_left_late_the_stations_number_and_a_forgotten_receipt_are_understood(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # The words introducing a number left late are no news, right after the receipt or at the phone offer.
    for said in ("刚才忘了留电话，13812345678", "补充一下电话13812345678", "忘了说了，我电话是13812345678"):
        client = app.test_client()
        receipt = report(client, slug, PLACED)["receipt"]
        assert "是否同意" in send(client, slug, said).get_json()["replies"][-1], said
        assert receipt in " ".join(send(client, slug, "2").get_json()["replies"]), said
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "补充" not in asked, (said, asked)
    # 匿名 at the phone offer leaves no number.
    sent = send(at_phone_offer(app, slug), slug, "匿名").get_json()
    assert sent["receipt"] and "已补充" not in " ".join(sent["replies"])
    # The station's number asked for is given, and starts no message.
    for said in ("你们电话多少", "联系电话是多少？"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "请致电" in reply or "联络站" in reply, (said, reply)
        assert "收到。" not in reply, (said, reply)
    # The receipt just given, asked for again, is told.
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    assert receipt in send(client, slug, "回执号多少来着").get_json()["replies"][0]
    with runtime.sessions() as session:
        stored = session.execute(select(Message.text, Message.contact_phone).order_by(Message.id)).all()
    assert {text for text, _ in stored} == {PLACED}
    assert [phone for _, phone in stored].count("13812345678") == 6


def test_a_number_sent_twice_in_one_line_is_kept_once_and_is_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("13812345678 13812345678", "13812345678，13812345678"):
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "补充" not in asked, (said, asked)
    assert _stored(runtime) == [(PLACED, "13812345678", False)] * 2


def _notes(runtime) -> list[str]:
    from intake.models import AuditEntry

    with runtime.sessions() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.contact")
                                 .order_by(AuditEntry.id)).all()
    return [entry.after.get("note") for entry in logged if entry.after.get("note")]


def test_words_about_reaching_the_citizen_beside_the_number_are_a_note_for_staff_not_the_report(
        app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = {"手机：13812345678 张先生": "张先生", "我是张大爷，电话13812345678": "我是张大爷",
            "我没有手机，打我儿子电话13812345678": "打我儿子", "13812345678（微信同号）": "微信同号",
            "13812345678，白天打不通晚上打": "白天打不通晚上打", "13812345678 下午方便": "下午方便"}
    for words in said:
        client = at_phone_offer(app, slug)
        asked = send(client, slug, words).get_json()["replies"][-1]
        # The number is kept and the consent asked; the citizen is told the note was kept, not "added to the report".
        assert "是否同意" in asked and "加入留言" not in asked and "备注" in asked, (words, asked)
        assert send(client, slug, "2").get_json()["receipt"]
    assert _stored(runtime) == [(PLACED, "13812345678", False)] * len(said)
    assert [note.strip("（）()") for note in _notes(runtime)] == list(said.values())
    # Staff see the note with the number in the message's history.
    from intake.models import StaffRole
    from tests.helpers import add_staff, sign_in_staff

    add_staff(app, "office", StaffRole.OFFICE, None)
    page = sign_in_staff(app, "office").get("/staff/messages/1").get_data(as_text=True)
    assert "群众补留电话" in page and '备注：<span class="text">张先生</span>' in page and "138****5678" in page
    # News beside the number still joins the report.
    send(at_phone_offer(app, slug), slug, "13812345678，东门口的井盖也松了")
    assert _stored(runtime)[-1][0] == PLACED + "\n东门口的井盖也松了"


def test_a_number_with_a_note_right_after_the_receipt_joins_the_message_just_sent(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    asked = send(client, slug, "13812345678，白天打不通晚上打").get_json()["replies"][-1]
    assert "是否同意" in asked and "回执" not in asked, asked
    told = " ".join(send(client, slug, "2").get_json()["replies"])
    assert receipt in told, told
    assert _stored(runtime) == [(PLACED, "13812345678", False)]
    assert _notes(runtime) == ["白天打不通晚上打"]


def test_a_praying_hands_at_the_phone_offer_is_thanks_and_the_choice_is_repeated(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for sign in ("🙏", "🙏🙏", "🙏🏻"):
        reply = send(at_phone_offer(app, slug), slug, sign).get_json()["replies"][-1]
        assert "没有看懂" not in reply and "不客气" in reply and "1. 留手机号" in reply, (sign, reply)
    assert [text for text, _, _ in _stored(runtime)] == [PLACED] * 3


def test_a_landline_beside_the_mobile_or_without_its_area_code_is_a_number_not_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    asked = send(at_phone_offer(app, slug), slug, "手机13812345678，座机0731-84123456").get_json()["replies"][-1]
    assert "是否同意" in asked and "加入留言" not in asked, asked
    for said in ("固话84123456", "座机 8412 3456"):
        asked = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "是否同意" in asked and "加入留言" not in asked, (said, asked)
    assert _stored(runtime) == [(PLACED, "13812345678", False), (PLACED, "84123456", False),
                                (PLACED, "84123456", False)]
    assert _notes(runtime) == ["座机0731-84123456"]  # the second number kept with the first, for staff


def test_a_number_first_then_who_the_citizen_is_keeps_the_number_out_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    asked = send(client, slug, "13812345678，我是幸福小区的").get_json()["replies"][-1]
    assert "号码也已记下" in asked, asked
    send(client, slug, "东门口的路灯坏了一个月了，晚上很黑")
    send(client, slug, "2")
    (text, phone, shared), = _stored(runtime)
    assert "13812345678" not in text and "我是幸福小区的" in text and (phone, shared) == ("13812345678", False)


def test_a_number_long_after_the_receipt_joins_nothing_and_one_right_after_names_its_message(app, runtime, tmp_path):
    from datetime import timedelta

    from intake.models import Conversation

    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    # Right after the receipt the consent question says which message the number is for.
    asked = " ".join(send(client, slug, "13812345678").get_json()["replies"])
    assert receipt in asked and "是否同意" in asked, asked
    send(client, slug, "2")
    # Hours later (a family's shared phone, another person): a number alone no longer joins that message.
    client = app.test_client()
    report(client, slug, PLACED)
    with runtime.sessions() as session, session.begin():
        for conversation in session.scalars(select(Conversation)):
            conversation.updated_at -= timedelta(hours=3)
    told = " ".join(send(client, slug, "13700001111").get_json()["replies"])
    assert "是否同意" not in told and "已加到" not in told, told
    assert [phone for _, phone, _ in _stored(runtime)] == ["13812345678", None]


def test_a_non_answer_at_the_consent_question_is_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("我想想", "代表是谁", "都行", "代表是谁？", "请给我回个电话"):
        told = " ".join(send(at_consent(app, slug), slug, said).get_json()["replies"])
        assert "代表可以看到" not in told, (said, told)
    # A typed 布 for 不 is read as a no, never written into the citizen's own words (公布, 瀑布).
    send(at_consent(app, slug), slug, "公布要求没人执行，青石街道")
    assert [text for text, _, _ in _stored(runtime)] == [PLACED] * 5 + [PLACED + "\n公布要求没人执行，青石街道"]


def test_a_call_back_asked_for_right_after_the_receipt_is_for_the_message_just_sent(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # The number with "call me", either way round: the consent for the message just sent, no second report.
    for said in ("13812345678 打我电话", "打我电话13812345678", "13812345678，请回电", "13812345678，给我回个电话"):
        client = app.test_client()
        receipt = report(client, slug, PLACED)["receipt"]
        asked = " ".join(send(client, slug, said).get_json()["replies"])
        assert "是否同意" in asked and receipt in asked and "什么地方" not in asked, (said, asked)
        assert receipt in " ".join(send(client, slug, "2").get_json()["replies"]), said
    assert _stored(runtime) == [(PLACED, "13812345678", False)] * 4
    # Only the wish for a call back: the number is asked for, and it joins the message just sent.
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    asked = send(client, slug, "需要回电").get_json()["replies"][-1]
    assert "请直接发送手机号" in asked and "什么地方" not in asked, asked
    asked = " ".join(send(client, slug, "13812345678").get_json()["replies"])
    assert "是否同意" in asked and receipt in asked, asked
    told = " ".join(send(client, slug, "1").get_json()["replies"])
    assert receipt in told and "代表可以看到" in told, told
    # A message sent with its number: the wish is answered with the number kept, and nothing is stored.
    client = app.test_client()
    report(client, slug, PLACED, phone="13900001111")
    told = " ".join(send(client, slug, "请给我回电话").get_json()["replies"])
    assert "139****1111" in told and "什么地方" not in told, told
    assert _stored(runtime)[4:] == [(PLACED, "13812345678", True), (PLACED, "13900001111", True)]
    # At the phone offer the same words are a yes, and never words of the report.
    asked = send(at_phone_offer(app, slug), slug, "需要回电").get_json()["replies"][-1]
    assert "请发送您的手机号" in asked and "已补充" not in asked, asked
    asked = send(at_phone_offer(app, slug), slug, "13812345678 打我电话").get_json()["replies"][-1]
    assert "是否同意" in asked and "加入留言" not in asked, asked
    assert [text for text, _, _ in _stored(runtime)[6:]] == [PLACED] * 2
    # In the first message, with a report around it, a call back asked for makes no number the citizen's: it may be
    # the one complained about, so it stays in the message and the phone offer is made.
    for said in (PLACED + "，请联系我，13812345678", PLACED + "，13812345678 打我电话"):
        client = app.test_client()
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "号码也已记下" not in asked and "1. 留手机号" in asked, (said, asked)
        send(client, slug, "2")
    assert _stored(runtime)[8:] == [(PLACED + "，请联系我，13812345678", None, False),
                                    (PLACED + "，13812345678 打我电话", None, False)]
    # The number with only the call back asked for, and nothing to report yet: nothing is stored.
    reply = send(app.test_client(), slug, "13812345678 打我电话").get_json()["replies"][-1]
    assert "号码没有记下" in reply, reply
    # With no message sent to call back about, the problem is asked for first and nothing is stored.
    reply = send(app.test_client(), slug, "需要回电").get_json()["replies"][-1]
    assert "先说说是什么情况" in reply and "什么地方" not in reply, reply
    assert _count(runtime) == 10


def test_who_the_citizen_is_and_their_number_in_the_first_message_are_a_contact_not_the_report(
        app, runtime, tmp_path):
    from tests.helpers import set_password, sign_in_deputy

    slug = first_deputy_slug(app, tmp_path)
    said = {"我们小区路灯坏了三个月，我是张大爷，电话13812345678": ("我们小区路灯坏了三个月", "我是张大爷"),
            "我们小区路灯坏了三个月，我是张大爷，手机13812345678": ("我们小区路灯坏了三个月", "我是张大爷"),
            "我们小区路灯坏了三个月。我姓李，13812345678": ("我们小区路灯坏了三个月", "我姓李")}
    for words in said:
        client = app.test_client()
        asked = send(client, slug, words).get_json()["replies"][-1]
        assert "号码也已记下" in asked and "备注" in asked and "1. 留手机号" not in asked, (words, asked)
        sent = finish_report(client, slug, send(client, slug, "青石街道幸福小区东门").get_json())
        assert sent["answers"] == ["同意"], (words, sent)
    assert _stored(runtime) == [(news + "\n青石街道幸福小区东门", "13812345678", True)
                                for news, _ in said.values()]
    assert _notes(runtime) == [note for _, note in said.values()]
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    page = deputy.get("/deputy/messages").get_data(as_text=True)
    assert "我们小区路灯坏了三个月" in page and "张大爷" not in page and "我姓李" not in page
    # Someone else's number after a self-introduction, with news between them, stays in the report.
    client = app.test_client()
    words = "我是幸福小区的，王经理说没钱修路灯，电话13812345678"
    assert "1. 留手机号" in send(client, slug, words).get_json()["replies"][-1]
    send(client, slug, "2")
    assert _stored(runtime)[-1] == (words, None, False)
    # Who the citizen is without a name makes the number theirs too, and those words stay in the report.
    client = app.test_client()
    asked = send(client, slug, "青石街道幸福小区的路灯坏了三个月，我是业主，电话13812345678").get_json()["replies"][-1]
    assert "号码也已记下" in asked and "备注" not in asked, asked
    send(client, slug, "2")
    assert _stored(runtime)[-1] == ("青石街道幸福小区的路灯坏了三个月，我是业主", "13812345678", False)


def test_a_number_described_after_a_self_introduction_stays_in_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("我是张大爷，13812345678这个号码天天骚扰我", "我是张大爷。13812345678给我打了十几个骚扰电话",
            "我是李阿姨，13812345678一直发诈骗短信，幸福小区好多人收到", "我姓王，13812345678这个人收了钱不办事",
            "我是张大爷，13812345678（骗子）", "我是张大爷，电话13812345678，是物业的", "我是业主，13812345678天天打电话推销",
            "我在幸福小区，13812345678收了钱不办事", "我是业主，13812345678是物业经理的电话", "我姓李，13812345678是骗子的号码",
            "我住幸福小区，13812345678是楼下烧烤店老板的", "楼下烧烤店老板，13812345678，我住青石街道幸福小区",
            # Words after the number: it may be the one the citizen goes on to complain about, labelled or not,
            # and an introduction after a number may follow a scammer's.
            "我是张大爷，13812345678，他天天骚扰我", "我是老王，电话13812345678，他天天骚扰我",
            "我是张大爷，电话13812345678，冒充公安", "我叫王建国，电话13812345678，中介",
            "我是张大爷，电话：13812345678。骚扰", "电话13812345678，我姓李，天天骚扰",
            "有人冒充公安诈骗，电话13812345678，我是张大爷", "我是业主，电话13812345678，物业不作为",
            "我是张大爷，电话13812345678，我们小区路灯坏了三个月")
    stored = []
    for words in said:
        client = app.test_client()
        asked = send(client, slug, words).get_json()["replies"][-1]
        assert "号码也已记下" not in asked and "号码没有记下" not in asked, (words, asked)
        if "1. 留手机号" not in asked:
            asked = send(client, slug, "青石街道幸福小区东门").get_json()["replies"][-1]
            words += "\n青石街道幸福小区东门"
        assert "1. 留手机号" in asked, (words, asked)
        assert send(client, slug, "2").get_json()["receipt"], words
        stored.append((words, None, False))
    assert _stored(runtime) == stored


def test_by_the_way_alone_is_no_yes_at_any_question(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("对了", "哦对了", "对了。", "对了对了", "对了哈", "对了嘛"):
        reply = send(at_phone_offer(app, slug), slug, said).get_json()["replies"][-1]
        assert "请发送您的手机号" not in reply and "已补充" not in reply, (said, reply)
        client = at_consent(app, slug)
        sent = send(client, slug, said).get_json()
        assert not sent.get("receipt") and "代表可以看到" not in " ".join(sent["replies"]), (said, sent)
        told = " ".join(send(client, slug, "东门井盖也丢了").get_json()["replies"])
        assert "代表可以看到" not in told, (said, told)
    stored = _stored(runtime)
    assert [share for _, _, share in stored[1::2]] == [False] * 6, stored
    assert {text for text, _, _ in stored[::2]} == {PLACED} and {text for text, _, _ in stored[1::2]} == {
        PLACED + "\n东门井盖也丢了"}, stored
    # After a progress answer's offer it asks for no number either.
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    send(client, slug, f"查询 {receipt}")
    assert "请直接发送手机号" not in send(client, slug, "对了").get_json()["replies"][-1]


def test_a_second_number_in_the_contact_note_is_readable_to_staff_until_retention_removes_the_contact(
        app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # At the phone offer and right after a receipt, each not shown to the deputy (2) and shown (1).
    for consent in ("2", "1"):
        client = at_phone_offer(app, slug)
        told = " ".join(send(client, slug, "手机13812345678，座机0731-84123456").get_json()["replies"])
        assert "只给工作人员看" in told, told  # the citizen is told staff will see it: they can read it
        send(client, slug, consent)
        client = app.test_client()
        report(client, slug, PLACED)
        send(client, slug, "13812345678，打我儿子13900001111")
        send(client, slug, consent)
    assert [shared for _, _, shared in _stored(runtime)] == [False, False, True, True]
    assert _notes(runtime) == ["座机0731-84123456", "打我儿子13900001111"] * 2
    from intake.models import StaffRole
    from tests.helpers import add_staff, sign_in_staff

    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    # Whatever the deputy may see, staff call the citizen back: the second number is whole for them.
    for message_id, shown in ((1, "0731-84123456"), (2, "打我儿子13900001111"), (3, "0731-84123456"),
                              (4, "打我儿子13900001111")):
        page = office.get(f"/staff/messages/{message_id}").get_data(as_text=True)
        assert "群众补留电话" in page and shown in page, (message_id, page)
    log = office.get("/staff/audit").get_data(as_text=True)
    assert [log.count(shown) for shown in ("0731-84123456", "13900001111")] == [2, 2]
    # Once retention removes a long-closed message's personal data, its note's numbers are masked too: the log
    # outlives the message's contact.
    from datetime import timedelta

    from intake.models import MessageStatus, utcnow
    from intake.services.privacy import retention

    with runtime.sessions() as session, session.begin():
        session.get(Message, 3).status = MessageStatus.WITHDRAWN
        retention.remove_personal_data(session, now=utcnow() + timedelta(days=800), months=24)
    log = office.get("/staff/audit").get_data(as_text=True)
    assert [log.count(shown) for shown in ("0731-****3456", "0731-84123456", "13900001111")] == [1, 1, 2]


def test_a_number_complained_about_or_after_someone_elses_label_stays_in_the_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("13812345678打我电话，骚扰了一个星期，不说话", "有人用13812345678打给我，说是中奖诈骗",
            "物业不开门，你们打这个电话13812345679问问他们", "小区物业不管事，物业电话13812345678，请回电",
            "物业王经理13812345678，请回电", "物业电话13812345678，回电话给我", "物业电话13812345678，是我的电话")
    for words in said:
        client = app.test_client()
        asked = send(client, slug, words).get_json()["replies"][-1]
        assert "号码也已记下" not in asked, (words, asked)
        offered = send(client, slug, "青石街道幸福小区东门").get_json()["replies"][-1]
        assert "1. 留手机号" in offered, (words, offered)
        assert send(client, slug, "2").get_json()["receipt"], words
    assert _stored(runtime) == [(words + "\n青石街道幸福小区东门", None, False) for words in said]


def test_natural_call_back_asks_after_the_receipt_make_no_second_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("能给我回个电话吗", "回个电话给我好吗", "希望能回个电话", "你们能打电话给我吗？"):
        client = app.test_client()
        receipt = report(client, slug, PLACED)["receipt"]
        asked = send(client, slug, said).get_json()["replies"][-1]
        assert "请直接发送手机号" in asked and "什么地方" not in asked, (said, asked)
        asked = " ".join(send(client, slug, "13812345678").get_json()["replies"])
        assert receipt in asked, (said, asked)
        send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, "13812345678", False)] * 4


def test_only_a_clear_name_beside_the_number_is_a_note_and_other_words_stay_in_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("我是万达，电话13812345678，广场东门路灯坏了一个月", "我是王家湾，电话13812345678，路灯坏了一个月",
            "我是邵阳，电话13812345678，路灯坏了一个月", "我是付款了，电话13812345678，商家不发货")
    for words in said:
        client = app.test_client()
        asked = send(client, slug, words).get_json()["replies"][-1]
        assert "备注" not in asked, (words, asked)
        finish_report(client, slug, send(client, slug, "青石街道幸福小区东门").get_json())
    kept = [text for text, _, _ in _stored(runtime)]
    for words, text in zip(said, kept):
        assert text.startswith(words.split("，")[0]), (words, text)
    assert _notes(runtime) == []
    # The clear name forms are a note for staff, never the report.
    named = {"我是王先生": "我是王先生", "我姓李": "我姓李", "我叫王建国": "我叫王建国", "我是老王": "我是老王",
             "我是张阿姨": "我是张阿姨"}
    for words in named:
        client = app.test_client()
        asked = send(client, slug, "我们小区路灯坏了三个月，" + words + "，电话13812345678").get_json()["replies"][-1]
        assert "备注" in asked, (words, asked)
        finish_report(client, slug, send(client, slug, "青石街道幸福小区东门").get_json())
    assert _notes(runtime) == list(named.values())
    assert [text for text, _, _ in _stored(runtime)[len(said):]] == ["我们小区路灯坏了三个月\n青石街道幸福小区东门"] * 5


def test_someone_elses_number_right_after_the_receipt_is_never_added_to_the_sent_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # Words saying whose the number is, or naming someone else before it: the number is the news of a new report.
    said = ("我姓李，电话13812345678，号码是骗子的", "我姓李，电话13812345678，号码不是我的", "我是骗子，13812345678",
            "物业王经理13812345678，是我的电话", "13812345678，我是骗子")
    for words in said:
        client = app.test_client()
        receipt = report(client, slug, PLACED)["receipt"]
        asked = " ".join(send(client, slug, words).get_json()["replies"])
        assert "是否同意" not in asked and "号码也已记下" not in asked and receipt not in asked, (words, asked)
        finish_report(client, slug, send(client, slug, "青石街道幸福小区东门").get_json())
    stored = _stored(runtime)
    assert stored[::2] == [(PLACED, None, False)] * len(said), stored
    assert [(text.split("\n")[0], phone) for text, phone, _ in stored[1::2]] == [(words, None) for words in said]
    # In the first message too.
    for words in said[2:]:
        client = app.test_client()
        asked = send(client, slug, words).get_json()["replies"][-1]
        assert "号码也已记下" not in asked, (words, asked)


def test_a_label_before_a_number_said_to_be_the_citizens_is_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    asked = send(client, slug, PLACED + "，电话13812345678是我的电话").get_json()["replies"][-1]
    assert "是否同意" in asked, asked
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, "13812345678", False)]


def test_a_call_back_asked_for_at_the_follow_up_question_asks_for_the_number(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "路灯坏了")
    asked = send(client, slug, "需要回电").get_json()["replies"][-1]
    assert "请发送您的手机号" in asked, asked
    assert "是否同意" in send(client, slug, "13812345678").get_json()["replies"][-1]
    assert send(client, slug, "2").get_json()["receipt"]
    assert _stored(runtime) == [("路灯坏了", "13812345678", False)]


def test_more_to_say_at_the_consent_question_keeps_it_open(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said_more = ("对了，还有一件事", "还有一件事", "我还有个问题", "还有两件事", "还有几点", "我还没说完", "再加一句", "另外",
                 "我还有话说", "还有其他问题")
    for said in said_more:
        client = at_consent(app, slug)
        sent = send(client, slug, said).get_json()
        assert not sent.get("receipt") and sent["replies"][-1] == "好的，请说。", (said, sent)
        assert send(client, slug, "东门井盖也丢了").get_json()["receipt"], said
    assert _stored(runtime) == [(PLACED + "\n东门井盖也丢了", "13987654321", False)] * len(said_more)


def test_more_to_say_at_the_phone_offer_is_no_part_of_the_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("还有两件事", "我还没说完", "再加一句"):
        client = at_phone_offer(app, slug)
        sent = send(client, slug, said).get_json()
        assert sent["replies"][-1] == "好的，请说。", (said, sent)
        assert send(client, slug, "2").get_json()["receipt"], said
    assert _stored(runtime) == [(PLACED, None, False)] * 3


def test_no_call_back_at_the_phone_offer_is_a_no(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("不用回电", "不需要回电话，谢谢"):
        sent = send(at_phone_offer(app, slug), slug, said).get_json()
        assert sent.get("receipt") and "已补充" not in " ".join(sent["replies"]), (said, sent)
    assert _stored(runtime) == [(PLACED, None, False)] * 2


def test_a_call_back_asked_for_twice_after_the_receipt_is_answered_for_the_same_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    report(client, slug, PLACED, phone="13900001111")
    for _ in range(2):
        told = " ".join(send(client, slug, "需要回电").get_json()["replies"])
        assert "139****1111" in told and "先说说" not in told, told
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    assert "请直接发送手机号" in send(client, slug, "需要回电").get_json()["replies"][-1]
    told = send(client, slug, "需要回电").get_json()["replies"][-1]
    assert "等您发送手机号" in told and "先说说" not in told, told
    assert receipt in " ".join(send(client, slug, "13812345678").get_json()["replies"])
    send(client, slug, "2")
    assert [phone for _, phone, _ in _stored(runtime)] == ["13900001111", "13812345678"]


def test_a_name_and_a_number_with_only_a_call_back_asked_for_store_nothing(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("我是张大爷，电话13812345678，请回电", "我姓李，13812345678，打我电话"):
        reply = send(app.test_client(), slug, said).get_json()["replies"][-1]
        assert "号码没有记下" in reply, (said, reply)
    assert _count(runtime) == 0
    # Right after a receipt too, and the message sent is still the one a number alone goes to.
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    reply = send(client, slug, "我是张大爷，电话13812345678，请回电").get_json()["replies"][-1]
    assert "号码没有记下" in reply and "只发送您的手机号" in reply, reply
    assert receipt in " ".join(send(client, slug, "13812345678").get_json()["replies"])
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, "13812345678", False)]


def test_no_call_back_before_someone_elses_number_right_after_the_receipt_adds_nothing_to_the_sent_message(
        app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("不用回电，物业王师傅13800001111", "不用联系我，骗子张先生13800001111", "不要回电，房东王阿姨13800001111",
            "不用回电，他电话13800001111")
    for words in said:
        client = app.test_client()
        report(client, slug, PLACED)
        told = " ".join(send(client, slug, words).get_json()["replies"])
        assert "是否同意" not in told and "联系备注" not in told, (words, told)
    assert all(phone is None for _, phone, _ in _stored(runtime))


def test_someone_named_before_the_number_at_the_phone_offer_makes_it_no_number_of_the_citizen(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("物业王师傅13800001111", "对了，骗子张先生13800001111", "骗子电话13800001111，王师傅", "他电话13800001111")
    for words in said:
        told = " ".join(send(at_phone_offer(app, slug), slug, words).get_json()["replies"])
        assert "是否同意" not in told and "号码已记下" not in told, (words, told)
    assert all(phone is None for _, phone, _ in _stored(runtime))


def test_words_after_the_number_that_name_no_one_else_leave_it_the_citizens(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    said = ("13912345678，是自己的号码", "13912345678，是家里的电话", "13912345678，是老伴的", "13912345678，是微信同号的")
    for words in said:
        asked = send(at_phone_offer(app, slug), slug, words).get_json()["replies"][-1]
        assert "是否同意" in asked, (words, asked)
    # The number named at the questions: an answer, not the news.
    assert "请发送您的手机号" in send(at_phone_offer(app, slug), slug, "号码是要留的").get_json()["replies"][-1]
    assert send(at_phone_offer(app, slug), slug, "电话不是必须的吧").get_json()["receipt"]
    for words in ("号码是可以给代表看的", "号码是保密的"):
        assert send(at_consent(app, slug), slug, words).get_json()["receipt"], words
    assert _stored(runtime)[-3:] == [(PLACED, None, False), (PLACED, "13987654321", True), (PLACED, "13987654321", False)]


def test_busy_or_still_a_problem_is_no_more_to_say(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for said in ("我还有事", "还有问题"):
        sent = send(at_consent(app, slug), slug, said).get_json()
        assert sent["replies"][-1] != "好的，请说。", (said, sent)
