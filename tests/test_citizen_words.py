"""What a citizen reads in the chat: plain Chinese for every status, loose receipt numbers understood,
a greeting answered as one, and a person's phone number for who asks for a person."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from intake.models import Draft, DraftMessage, DraftStatus, Message, MessageStatus, Station
from tests.helpers import deputies, import_roster, report, send, slug_of, write_roster

_LATIN = re.compile(r"[A-Za-z]{2,}")


def _wang(app, tmp_path) -> str:
    import_roster(app, write_roster(tmp_path))
    return slug_of(deputies(app)[0])


def _words(text: str) -> list[str]:
    """Latin words a citizen would not understand; the receipt number's "MS" prefix is theirs to copy."""
    return _LATIN.findall(re.sub(r"MS-\d{8}-\d{4}", "", text))


def _statuses() -> list[str]:
    return [value for name, value in vars(MessageStatus).items() if name.isupper()]


def test_every_status_a_citizen_can_meet_reads_as_a_chinese_sentence(app, runtime, client, tmp_path):
    slug = _wang(app, tmp_path)
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
    slug = _wang(app, tmp_path)
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
    slug = _wang(app, tmp_path)
    for hello in ("你好", "您好！", "在吗？"):
        reply = send(client, slug, hello).get_json()["replies"][0]
        assert reply.startswith("您好") and "收到" not in reply, reply
    with runtime.sessions() as session:
        assert session.scalars(select(Message)).all() == []


def test_asking_for_a_person_gives_the_station_phone_and_hours_and_is_not_stored(app, client, runtime, tmp_path):
    slug = _wang(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        station = session.scalar(select(Station).where(Station.name == "青石街道人大代表联络站"))
        station.phone, station.opening_hours = "0571-88001234", "工作日 9:00–17:00"
    send(client, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")
    reply = send(client, slug, "我要找人工").get_json()["replies"][0]
    assert "0571-88001234" in reply and "工作日 9:00–17:00" in reply and "青石街道人大代表联络站" in reply
    with runtime.sessions() as session:
        assert session.scalar(select(Message.text)) == "幸福小区门口的路灯坏了一个月了，晚上很黑"


def test_asking_for_a_person_where_the_station_has_no_phone_says_so(app, client, runtime, tmp_path):
    slug = _wang(app, tmp_path)
    reply = send(client, slug, "人工客服").get_json()["replies"][0]
    assert "没有登记联系电话" in reply and "青石街道人大代表联络站" in reply
    with runtime.sessions() as session:
        assert session.scalars(select(Message)).all() == []


def test_a_complaint_starting_with_cha_is_still_a_complaint(app, client, runtime, tmp_path):
    slug = _wang(app, tmp_path)
    send(client, slug, "查一下幸福小区门口的路灯为什么坏了一个月")
    with runtime.sessions() as session:
        assert session.scalar(select(Message.text)) == "查一下幸福小区门口的路灯为什么坏了一个月"


_LAMP = "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑"
_RUBBISH = "青石街道幸福小区北门的垃圾堆了一个星期没人清运"


def test_asking_after_an_earlier_report_in_words_is_answered_for_it_and_stores_nothing(app, client, runtime, tmp_path):
    slug = _wang(app, tmp_path)
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


def test_a_number_sent_after_asking_about_a_receipt_is_added_to_that_message_with_consent(
        app, client, runtime, tmp_path):
    slug = _wang(app, tmp_path)
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
