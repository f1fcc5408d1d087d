"""What a citizen reads in the chat: plain Chinese for every status, loose receipt numbers understood,
a greeting answered as one, and a person's phone number for who asks for a person."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from intake.models import AuditEntry, Draft, DraftMessage, DraftStatus, Message, MessageStatus, Station
from tests.conftest import csrf_token
from tests.helpers import finish_report, first_deputy_slug, report, send

_LATIN = re.compile(r"[A-Za-z]{2,}")


def _words(text: str) -> list[str]:
    """Latin words a citizen would not understand; the receipt number's "MS" prefix is theirs to copy, and the
    progress page's address is shown as a link in Chinese (打开我的办理进度页)."""
    return _LATIN.findall(re.sub(r"MS-\d{8}-\d{4}|http://mashang\.test/p/[0-9a-z]+", "", text))


def _statuses() -> list[str]:
    return [value for name, value in vars(MessageStatus).items() if name.isupper()]


def test_every_status_a_citizen_can_meet_reads_as_a_chinese_sentence(app, runtime, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    receipt = report(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")["receipt"]
    seen = []
    for status in _statuses():
        with runtime.sessions() as session, session.begin():
            session.execute(update(Message).values(status=status))
        seen.append(send(client, slug, f"查询 {receipt}").get_json()["replies"][0])
    # and every state of the draft the message went into
    with runtime.sessions() as session, session.begin():
        message = session.scalar(select(Message))
        message.status = MessageStatus.DRAFTED
        draft = Draft(deputy_id=message.deputy_id, topic="路灯", title="路灯", status=DraftStatus.OPEN)
        session.add(draft)
        session.flush()
        session.add(DraftMessage(draft_id=draft.id, message_id=message.id))
    for status in [value for name, value in vars(DraftStatus).items() if name.isupper()]:
        with runtime.sessions() as session, session.begin():
            session.execute(update(Draft).values(status=status))
        seen.append(send(client, slug, f"查询 {receipt}").get_json()["replies"][0])
    for reply in seen:
        assert receipt in reply
        assert not _words(reply), reply
        assert re.search(r"[\u4e00-\u9fff]{4,}", reply), reply


@pytest.mark.parametrize("written", [
    "查询 {r}。", "查询 {r}.", "查询{r}", "查 {r}", "查询：{r}", "{r}", "{r}。", " {r_lower} ",
    "查询 {r_full}", "查询 {digits}", "{digits}", "查询 {day}-{n}", "查询 {day} {n}",
    "查询 MS-{day}-{short}号", "查询 MS - {day} - {short}", "{r}号", "查询 MS {year} {month_day} {n}",
])
def test_a_receipt_number_is_found_however_it_is_written(app, client, runtime, tmp_path, written):
    slug = first_deputy_slug(app, tmp_path)
    receipt = report(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")["receipt"]
    day, n = receipt.split("-")[1:]
    full_width = receipt.translate({ord(c): ord(c) + 0xFEE0 for c in "MS-0123456789"})
    text = written.format(r=receipt, r_lower=receipt.lower(), r_full=full_width, digits=day + n, day=day, n=n,
                          short=int(n), year=day[:4], month_day=day[4:])
    body = send(client, slug, text).get_json()
    assert body["replies"] and receipt in body["replies"][0], (text, body)
    assert "已收到" in body["replies"][0], (text, body)
    with runtime.sessions() as session:
        assert session.scalar(select(Message.text).order_by(Message.id.desc())) != text  # no new complaint
        assert len(session.scalars(select(Message)).all()) == 1


def test_a_bare_hello_gets_a_greeting_not_a_receipt_or_a_follow_up(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for hello in ("你好", "您好！", "在吗？"):
        reply = send(client, slug, hello).get_json()["replies"][0]
        assert reply.startswith("您好") and "收到" not in reply, reply
    with runtime.sessions() as session:
        assert session.scalars(select(Message)).all() == []


def test_asking_for_a_person_gives_the_station_phone_and_hours_and_is_not_stored(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        station = session.scalar(select(Station).where(Station.name == "青石街道人大代表联络站"))
        station.phone, station.opening_hours = "0571-88001234", "工作日 9:00–17:00"
    send(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")
    reply = send(client, slug, "我要找人工").get_json()["replies"][0]
    assert "0571-88001234" in reply and "工作日 9:00–17:00" in reply and "青石街道人大代表联络站" in reply
    with runtime.sessions() as session:
        assert session.scalar(select(Message.text)) == "幸福小区门口的路灯坏了一个月了，晚上很黑"


def test_asking_for_a_person_where_the_station_has_no_phone_says_so(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    reply = send(client, slug, "人工客服").get_json()["replies"][0]
    assert "没有登记联系电话" in reply and "青石街道人大代表联络站" in reply
    with runtime.sessions() as session:
        assert session.scalars(select(Message)).all() == []


def test_a_complaint_starting_with_cha_is_still_a_complaint(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    send(client, slug, "查一下幸福小区门口的路灯为什么坏了一个月")
    with runtime.sessions() as session:
        assert session.scalar(select(Message.text)) == "查一下幸福小区门口的路灯为什么坏了一个月"


_LAMP = "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑"
_RUBBISH = "青石街道幸福小区北门的垃圾堆了一个星期没人清运"


def test_asking_after_an_earlier_report_in_words_is_answered_for_it_and_stores_nothing(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    asked = "我想问一下我上次反映的路灯有没有人管"
    # No earlier message from this browser: the receipt number is asked for, and nothing is stored.
    reply = send(app.test_client(), slug, asked).get_json()["replies"][-1]
    assert "回执号" in reply and "什么地方" not in reply, reply
    lamp = report(client, slug, _LAMP)["receipt"]
    rubbish = report(client, slug, _RUBBISH)["receipt"]
    # With earlier messages: the one the question names, or the last one, and its stage.
    for said, receipt in ((asked, lamp), ("上次反映的路灯修了没有？", lamp), ("我之前反映的垃圾问题怎么样了", rubbish),
                          ("前几天跟你们说的那个事有人管没", rubbish)):
        answer = send(client, slug, said).get_json()["replies"][0]
        assert receipt in answer and "已收到" in answer, (said, answer)
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).order_by(Message.id)).all() == [_LAMP, _RUBBISH]
    # The same words in a report that names no earlier one are news.
    other = app.test_client()
    assert "1. 留手机号" in send(other, slug, "青石街道幸福小区门口的路灯坏了一个月了，到底有没有人管？").get_json()["replies"][-1]


def test_my_thing_asked_after_without_a_word_of_reporting_is_a_progress_question(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]
    # "我的" left out, as the walk's citizen wrote it: their own lamp all the same.
    for said in ("我的路灯修了没有", "我的路灯修好了没", "我的路灯怎么样了？", "路灯修了没有", "路灯修好了吗？"):
        answer = send(client, slug, said).get_json()["replies"][0]
        assert lamp in answer and "什么地方" not in answer, (said, answer)
    # Reports that only sound like it stay reports, each a message of its own; so does the question from someone who
    # reported no lamp.
    for news in ("路灯修了没多久又坏了", "我的路灯修了没多久又坏了", "路灯修了没有"):
        assert "什么地方" in send(app.test_client(), slug, news).get_json()["replies"][-1], news
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).order_by(Message.id)).all() == [
            _LAMP, "路灯修了没多久又坏了", "我的路灯修了没多久又坏了", "路灯修了没有"]


def test_two_receipt_numbers_in_one_question_are_both_answered(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]
    rubbish = report(client, slug, _RUBBISH)["receipt"]
    for said in (f"{lamp} 和 {rubbish} 进度", f"查询 {lamp}、{rubbish}", f"{lamp}，{rubbish}",
                 f"请帮我查一下{lamp}和{rubbish}的进度，谢谢"):
        replies = send(client, slug, said).get_json()["replies"]
        assert any(lamp in reply and "已收到" in reply for reply in replies), (said, replies)
        assert any(rubbish in reply and "已收到" in reply for reply in replies), (said, replies)
        # Two messages asked after: a number sent next is for neither.
        assert "号码没有记下" in send(client, slug, "13912345678").get_json()["replies"][-1], said
    # Someone else's among them is not found; their own is answered.
    stranger = app.test_client()
    mine = report(stranger, slug, "青石街道幸福小区南门的井盖松了")["receipt"]
    replies = send(stranger, slug, f"{mine} 和 {lamp} 进度").get_json()["replies"]
    assert any(mine in reply and "已收到" in reply for reply in replies), replies
    assert any(lamp in reply and "没有找到" in reply for reply in replies), replies
    with runtime.sessions() as session:
        assert session.scalars(select(Message.contact_phone)).all() == [None] * 3


def test_each_of_several_receipt_numbers_answered_gives_its_progress_link(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp, rubbish = report(client, slug, _LAMP), report(client, slug, _RUBBISH)
    said = f"{lamp['receipt']} 和 {rubbish['receipt']} 进度"
    body = send(client, slug, said).get_json()
    for asked in (lamp, rubbish):
        (answer,) = [reply for reply in body["replies"] if asked["receipt"] in reply]
        assert asked["progress"] in answer and "办理进度" in answer, (asked, answer)
    assert sorted(body["links"]) == sorted([lamp["progress"], rubbish["progress"]]), body  # each shown as a link
    # Without scripts the page shows each as a link to tap, no bare address.
    page = client.post(f"/c/{slug}", data={"text": said, "csrf_token": csrf_token(client, f"/c/{slug}")})
    answers = page.get_data(as_text=True).split('id="latest"')[1]
    for asked in (lamp, rubbish):
        assert answers.count(f'<a href="{asked["progress"]}">打开我的办理进度页</a>') == 1, answers
    assert "http://" not in answers.replace('href="http://', ""), answers
    # Another browser was given neither link: none is told, as for one number.
    stranger = app.test_client()
    assert "/p/" not in " ".join(send(stranger, slug, said).get_json()["replies"])


def test_the_same_receipt_number_pasted_twice_is_asked_after_once(app, runtime, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)
    receipt = lamp["receipt"]
    for said in (f"{receipt} {receipt}", f"{receipt}，{receipt}进度", f"{receipt}{receipt}", f"{receipt}\n{receipt}"):
        body = send(client, slug, said).get_json()
        assert not body.get("receipt"), (said, body)
        (answer,) = body["replies"]
        assert answer.count(receipt) == 1 and "已收到" in answer and lamp["progress"] in answer, (said, answer)
        assert body["progress"] == lamp["progress"], (said, body)
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text)).all() == [_LAMP]  # no new report


def test_a_new_problem_beside_the_same_receipt_number_twice_is_a_new_report(app, runtime, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    receipt = report(client, slug, _LAMP)["receipt"]
    # 及 inside 及时 joins no numbers, and 和 between them leaves the words beside them a problem told, too long to
    # only ask after the number.
    for said, told in ((f"{receipt} 物业没及时处理漏水问题 {receipt}", "物业没及时处理漏水问题"),
                       (f"{receipt}和{receipt}楼道灯坏了一直没处理", "楼道灯坏了一直没处理")):
        body = send(client, slug, said).get_json()
        assert not any("已收到" in reply for reply in body["replies"]), (said, body)
        sent = finish_report(client, slug, body)
        assert sent["receipt"] and sent["receipt"] != receipt, (said, sent)
        with runtime.sessions() as session:
            text = session.scalars(select(Message.text).order_by(Message.id.desc()).limit(1)).one()
        assert told in text, (said, text)


def test_a_number_sent_after_asking_about_a_receipt_is_added_to_that_message_with_consent(
        app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]  # sent without a number
    rubbish = report(client, slug, _RUBBISH)["receipt"]
    with runtime.sessions() as session, session.begin():
        session.execute(update(Message).where(Message.receipt == lamp).values(status=MessageStatus.DRAFTED))
    replies = send(client, slug, f"查询 {lamp}").get_json()["replies"]
    assert lamp in replies[0] and "发送手机号" in replies[-1], replies
    assert "请直接发送手机号" in send(client, slug, "好的").get_json()["replies"][-1]  # a yes to the offer
    asked = send(client, slug, "13812345678").get_json()["replies"][-1]
    assert "是否同意" in asked, asked
    done = " ".join(send(client, slug, "1").get_json()["replies"])
    assert lamp in done and "代表可以看到" in done, done
    # In one go, with the answer about the deputy, after a question in words.
    send(client, slug, "我反映的垃圾问题怎么样了")
    done = " ".join(send(client, slug, "我电话13700001111，别给代表看").get_json()["replies"])
    assert rubbish in done and "只有工作人员能看到" in done, done
    with runtime.sessions() as session:
        stored = session.execute(select(Message.text, Message.status, Message.contact_phone, Message.share_phone,
                                        Message.phone_shared_with_id, Message.deputy_id).order_by(Message.id)).all()
    assert [row[:5] for row in stored] == [
        (_LAMP, MessageStatus.DRAFTED, "13812345678", True, stored[0].deputy_id),
        (_RUBBISH, MessageStatus.RECEIVED, "13700001111", False, None)]
    # Without a question about a receipt first, a number alone still adds to nothing; nor after other words.
    assert "号码没有记下" in send(client, slug, "13912345678").get_json()["replies"][-1]
    send(client, slug, f"查询 {lamp}")
    send(client, slug, "谢谢")
    assert "号码没有记下" in send(client, slug, "13912345678").get_json()["replies"][-1]
    # Someone else's receipt takes no number.
    stranger = app.test_client()
    send(stranger, slug, f"查询 {lamp}")
    assert "号码没有记下" in send(stranger, slug, "13600000000").get_json()["replies"][-1]
    with runtime.sessions() as session:
        assert session.scalars(select(Message.contact_phone).order_by(Message.id)).all() == ["13812345678",
                                                                                             "13700001111"]


# Complaints that name an earlier report and ask whether anyone will act, with what happened since: news.
_NEWS_ABOUT_EARLIER = (
    "我上次投诉的那家饭店今天又在排油烟了有没有人管", "上次反映的路灯又坏了有没有人管", "之前反映的那条路修了一半就停了有没有人管",
    "我去年反映的拆迁补偿到现在也没有结果", "上次反映的噪音问题还是没解决，晚上根本睡不着", "之前投诉的工地又在半夜施工了，有没有人管",
    "我上次说的那个垃圾站今天又满了，臭得不行，有没有人处理", "上回反映的下水道又堵了，污水都流到路上了",
    "之前反映的小区电梯又坏了，老人上不了楼有没有人管", "我前几天反映的广场舞噪音现在还在吵有没有人管",
    "上个月投诉的违章搭建依然没拆，有没有结果", "之前反映的路面塌陷还在，昨天又有人摔倒了", "上次举报的黑加油站今天还在营业有没有人管",
    "我之前反映的井盖到现在还没盖上，有没有人处理", "上次反映的自来水又停了，三天了有没有人管", "前段时间反映的菜市场占道经营又出现了",
    "上周反映的那家KTV最近每天都吵到凌晨，有没有人管", "之前说的公交站台修了一半就不管了", "我上次反映的垃圾桶一直没人清理有没有结果",
    "之前反映的停车难问题越来越严重了，有没有人管", "上次提的小区绿化被毁再次发生了，有没有人管", "我们之前反映的养殖场臭味这几天又严重了",
    "我去年反映的工资拖欠到现在还没结果", "上次反映的物业乱收费依旧没有处理结果", "之前投诉的渣土车今天还在撒土有没有人管",
    "上次反映的路灯这两天又不亮了，有没有人处理", "我前阵子反映的楼道堆物又堆满了有没有人管", "之前反映的河道污染最近又变严重了，有没有处理",
    "以前反映过的学校门口拥堵问题还是老样子有没有人管", "上次反映的化粪池又满溢了有没有人处理", "我之前投诉的那家餐馆还在往下水道倒油有没有人管",
    "上次反映的桥面裂缝越来越大了有没有人管", "我先前反映的路口红绿灯又坏了有没有人修", "上个月反映的供暖到今天还不热有没有结果",
    "之前提的老旧小区改造到现在还没动静", "我上次反映的小区门禁又坏了有没有人管", "前几天反映的积水今天又淹到膝盖了，有没有人处理",
    "上次投诉的电动车充电乱拉线还在，有没有人管", "之前反映的占用消防通道的车今天又停在那里了，有没有人管",
    "我上次反映的路边摊夜里还在烧烤，烟很大有没有人管", "之前反映的医保报销到现在也没有结果", "上次反映的燃气管道又漏气了有没有人处理",
    "去年反映的宅基地纠纷到现在还是没处理", "之前说的校车超载今天又看到了有没有人管", "我之前反映的楼上漏水现在还在漏有没有人管",
    "上次反映的垃圾分类点又被占了有没有人处理", "早前反映的危房一直没人处理有没有结果", "上回投诉的噪音扰民老是半夜发生，有没有人管",
    "我上个月反映的低保申请到现在还没有结果", "之前反映的道路施工修了一半停了两个月了有没有人管", "上次反映的路灯修好了又坏了有没有人管",
    "我之前反映的小区停水总是发生有没有人处理")


def test_news_about_an_earlier_report_is_stored_as_a_new_message(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    # After a sent report on another matter, what happened since is stored, never answered with that report's stage.
    for said in _NEWS_ABOUT_EARLIER[:4]:
        client = app.test_client()
        receipt = report(client, slug, "幸福小区门口的垃圾堆了一个星期没人清理")["receipt"]
        reply = " ".join(send(client, slug, said).get_json()["replies"])
        assert receipt not in reply and "回执号" not in reply, (said, reply)
        with runtime.sessions() as session:
            assert session.scalars(select(Message.text).order_by(Message.id.desc())).first() == said
    for said in _NEWS_ABOUT_EARLIER[4:]:
        reply = " ".join(send(app.test_client(), slug, said).get_json()["replies"])
        assert "回执号" not in reply, (said, reply)
    with runtime.sessions() as session:
        stored = session.scalars(select(Message.text)).all()
    assert len(_NEWS_ABOUT_EARLIER) >= 50 and set(_NEWS_ABOUT_EARLIER) <= set(stored)


def test_a_question_after_a_report_the_citizen_never_sent_here_is_stored(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    rubbish = report(client, slug, _RUBBISH)["receipt"]
    # The thing named by a place the message words otherwise ("门口那边的垃圾") is found by what it is (垃圾).
    assert rubbish in send(client, slug, "上次反映的门口那边的垃圾怎么样了").get_json()["replies"][0]
    # The thing named is in none of this citizen's messages: not answered with the last one's stage, but kept.
    said = "我之前投诉的饭店油烟有没有人管"
    reply = " ".join(send(client, slug, said).get_json()["replies"])
    assert rubbish not in reply and "回执号" not in reply, reply
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).order_by(Message.id)).all() == [_RUBBISH, said]


def test_news_about_an_earlier_report_while_a_question_is_open_joins_the_open_message(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    report(client, slug, _RUBBISH)
    assert "什么地方" in send(client, slug, "井盖丢了").get_json()["replies"][-1]
    reply = send(client, slug, "上次反映的路灯又坏了有没有人管").get_json()["replies"][-1]
    assert "1. 留手机号" in reply, reply  # the follow-up is answered, the next question asked
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).order_by(Message.id)).all() == [
            _RUBBISH, "井盖丢了\n上次反映的路灯又坏了有没有人管"]


def test_a_number_a_sent_message_has_is_never_replaced_from_the_chat(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP, phone="13812345678")["receipt"]
    # Someone on the same browser asks after it: the number it has is said, masked, and no other is offered.
    asked = send(client, slug, "我上次反映的路灯有没有人管").get_json()["replies"][-1]
    assert lamp in asked and "已留号码 138****5678" in asked and "直接发送手机号" not in asked, asked
    assert "号码没有记下" in send(client, slug, "13900000000").get_json()["replies"][-1]
    send(client, slug, "2")
    with runtime.sessions() as session:
        assert session.execute(select(Message.contact_phone, Message.share_phone)).one() == ("13812345678", True)
    # A message sent without one takes one, and the clerk sees in the audit log that the citizen added it.
    rubbish = report(client, slug, _RUBBISH)["receipt"]
    send(client, slug, "我之前反映的垃圾怎么样了")
    send(client, slug, "13700001111")
    assert rubbish in " ".join(send(client, slug, "2").get_json()["replies"])
    with runtime.sessions() as session:
        rubbish_id = session.scalar(select(Message.id).where(Message.receipt == rubbish))
        logged = session.scalars(select(AuditEntry).where(AuditEntry.target == f"message:{rubbish_id}")).all()
        assert session.scalar(select(Message.contact_phone).where(Message.id == rubbish_id)) == "13700001111"
    assert logged and {entry.actor for entry in logged} == {"citizen"}, logged
    assert logged[0].before["phone"] == "" and logged[-1].after == {"phone": "137****1111", "share_phone": False}


def test_no_number_is_offered_or_taken_for_a_rejected_or_closed_message(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]
    with runtime.sessions() as session, session.begin():
        message = session.scalar(select(Message))
        message.status = MessageStatus.REJECTED  # staff took it for spam
    asked = send(client, slug, f"查询 {lamp}").get_json()["replies"][-1]
    assert lamp in asked and "发送手机号" not in asked, asked
    assert "号码没有记下" in send(client, slug, "13812345678").get_json()["replies"][-1]
    with runtime.sessions() as session, session.begin():
        message = session.scalar(select(Message))
        message.status = MessageStatus.DRAFTED
        draft = Draft(deputy_id=message.deputy_id, topic="路灯", title="路灯", status=DraftStatus.DISCARDED)
        session.add(draft)
        session.flush()
        session.add(DraftMessage(draft_id=draft.id, message_id=message.id))
    asked = send(client, slug, "我上次反映的路灯有没有人管").get_json()["replies"][-1]
    assert lamp in asked and "发送手机号" not in asked, asked
    assert "号码没有记下" in send(client, slug, "13812345678").get_json()["replies"][-1]
    with runtime.sessions() as session:
        assert session.scalar(select(Message.contact_phone)) is None


def test_a_yes_asks_for_the_number_once_and_only_after_the_offer(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]
    assert "发送手机号" in send(client, slug, f"查询 {lamp}").get_json()["replies"][-1]
    assert "请直接发送手机号" in send(client, slug, "好").get_json()["replies"][-1]
    again = send(client, slug, "好").get_json()["replies"][-1]
    assert "请直接发送手机号" not in again and "问题或建议" in again, again
    assert "是否同意" in send(client, slug, "13812345678").get_json()["replies"][-1]  # the number still joins it
    assert lamp in " ".join(send(client, slug, "2").get_json()["replies"])
    # With the message's number given before, a yes after its stage is asked for nothing either.
    rubbish = report(client, slug, _RUBBISH, phone="13700001111")["receipt"]
    assert "已留号码" in send(client, slug, f"查询 {rubbish}").get_json()["replies"][-1]
    for yes in ("好", "是", "对"):
        reply = send(client, slug, yes).get_json()["replies"][-1]
        assert "请直接发送手机号" not in reply, (yes, reply)
    with runtime.sessions() as session:
        assert session.scalars(select(Message.contact_phone).order_by(Message.id)).all() == ["13812345678",
                                                                                             "13700001111"]


def test_how_to_ask_after_a_receipt_is_said_one_way_in_the_chat_and_on_every_page(app, client, runtime, tmp_path):
    """发送“查询 回执号” everywhere (“查询”和回执号, 输入“查询 回执号” and 在“查询”后面加上回执号 once said it three more
    ways): a citizen told it twice meets the same words."""
    slug = first_deputy_slug(app, tmp_path)
    told = [send(client, slug, "帮助").get_json()["replies"][-1], send(client, slug, "查询").get_json()["replies"][-1]]
    told.append(re.sub(r"<[^>]+>|&nbsp;", lambda tag: " " if tag.group(0) == "&nbsp;" else "",
                       client.get("/p/no-such-token").get_data(as_text=True)))
    for text in told:
        assert "发送“查询 回执号”" in text and "和回执号" not in text and "后面加上回执号" not in text, text


_LAMP_NOWHERE = "路灯不亮了，晚上很黑"
_MY_NEWS = ("我的车被人划了有没有人管", "我的电动车被偷了有人管吗", "我的房子漏水了有人管吗", "我的工资被拖欠了有人管吗",
            "我的孩子被打了有没有人管", "我的孩子上学问题怎么样了", "我的地被占了有没有人管", "我的车位被占了没人管吗",
            "我的补偿款有没有人管")


def test_my_thing_named_in_no_earlier_message_is_news_first_or_in_the_middle_of_a_report(app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    for news in _MY_NEWS:  # the first words in a new browser
        replies = send(app.test_client(), slug, news).get_json()["replies"]
        assert "回执" not in replies[-1] and "什么地方" in replies[-1], (news, replies)
    with runtime.sessions() as session:
        assert session.scalars(select(Message.text).order_by(Message.id)).all() == list(_MY_NEWS)
    for news in _MY_NEWS:  # said while a report waits for its place: part of that report
        browser = app.test_client()
        assert "什么地方" in send(browser, slug, _LAMP_NOWHERE).get_json()["replies"][-1]
        assert "回执" not in send(browser, slug, news).get_json()["replies"][0], news
    with runtime.sessions() as session:
        joined = session.scalars(select(Message.text).order_by(Message.id)).all()[len(_MY_NEWS):]
    assert len(joined) == len(_MY_NEWS), joined
    assert all(_LAMP_NOWHERE in text and news in text for text, news in zip(joined, _MY_NEWS)), joined


def test_a_new_report_opened_at_the_consent_for_a_sent_message_says_the_number_stays_private(
        app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    lamp = report(client, slug, _LAMP)["receipt"]  # sent without a number
    assert "发送手机号" in send(client, slug, f"查询 {lamp}").get_json()["replies"][-1]
    assert "是否同意" in send(client, slug, "13812345678").get_json()["replies"][-1]
    replies = send(client, slug, "我有个事想反映一下").get_json()["replies"]
    assert lamp in replies[0] and "只有工作人员能看到" in replies[0] and "请直接说说是什么问题" in replies[-1], replies
    with runtime.sessions() as session:
        assert session.execute(select(Message.contact_phone, Message.share_phone)).one() == ("13812345678", False)


def test_a_progress_answer_ending_in_the_offices_own_full_stop_is_not_stopped_twice():
    """The office's summary for citizens ends its sentence itself (…预计2027年2月底前完成更换。): 查询 read 。。."""
    from bot import engine

    said = engine.status_reply("MS-20261207-0003", "第 1 号代表建议，区住建局已答复：问题已列入计划逐步解决。"
                                                   "预计2027年2月底前完成更换。")
    assert said == "回执号 MS-20261207-0003：第 1 号代表建议，区住建局已答复：问题已列入计划逐步解决。预计2027年2月底前完成更换。"
    assert engine.status_reply("MS-20261207-0003", "已收到，等待整理").endswith("等待整理。")
