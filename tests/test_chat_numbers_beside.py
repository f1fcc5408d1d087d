"""A number run into other words at the chat's questions: someone else's number, or the news itself ("车主159…把车停在
盲道上", "举报电话159…"), stays in the report and is never kept as the citizen's contact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.models import Message
from tests.helpers import (PLACED, finish_report, first_deputy_slug,
                           report, send)

_OWN = "13987654321"
# Words run into the number that are no answer, label, note or self-introduction; some after an answer or a no.
_SOMEONE_ELSES = ("车主15912345678把车停在盲道上", "15912345678骗了我", "举报电话15912345678", "查一下15912345678是谁",
                  "快递员15912345678", "驾校教练15912345678收红包", "负责人 王总 15912345678",
                  "这个人的手机号是15912345678", "不要回电，车主15912345678把车停在盲道上", "好的，15912345678骗了我")


def _stored(runtime) -> list[tuple[str, str | None]]:
    with runtime.sessions() as session:
        return session.execute(select(Message.text, Message.contact_phone).order_by(Message.id)).all()


def _news(words: str) -> str:
    """The words that are news: those after an answer said before them ("好的，")."""
    return words.rsplit("，", 1)[-1]


@pytest.mark.parametrize("words", _SOMEONE_ELSES)
def test_someone_elses_number_at_the_phone_offer_stays_in_the_report_and_the_citizens_is_still_asked_for(
        app, runtime, tmp_path, words):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, PLACED)
    sent = send(client, slug, words).get_json()
    assert "号码已记下" not in " ".join(sent["replies"]), sent
    if not sent["receipt"]:  # the offer put again (or the number asked for after a yes): the citizen's own follows
        told = " ".join(send(client, slug, _OWN).get_json()["replies"])
        assert "号码已记下" in told, told
        assert send(client, slug, "2").get_json()["receipt"]
    [(text, phone)] = _stored(runtime)
    assert _news(words) in text and phone == (None if sent["receipt"] else _OWN)


@pytest.mark.parametrize("words", _SOMEONE_ELSES)
def test_someone_elses_number_at_the_consent_question_keeps_the_citizens_and_joins_the_report(
        app, runtime, tmp_path, words):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, PLACED)
    send(client, slug, _OWN)  # the consent asked
    sent = send(client, slug, words).get_json()
    assert sent["receipt"] and "号码已记下" not in " ".join(sent["replies"]), sent
    [(text, phone)] = _stored(runtime)
    assert _news(words) in text and phone == _OWN


@pytest.mark.parametrize("words", _SOMEONE_ELSES)
def test_someone_elses_number_at_the_consent_for_a_sent_message_replaces_nothing_and_its_words_are_kept(
        app, runtime, tmp_path, words):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    report(client, slug, PLACED)  # sent without a number
    assert "是否同意" in send(client, slug, _OWN).get_json()["replies"][-1]
    sent = send(client, slug, words).get_json()
    assert "号码已记下" not in " ".join(sent["replies"]), sent
    finish_report(client, slug, sent)  # the words are a new message
    (_, phone), (text, _) = _stored(runtime)
    assert phone == _OWN and _news(words) in text


def test_someone_elses_number_at_the_follow_up_question_stays_in_the_report_beside_a_call_back_asked(
        app, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, "城管不作为")  # asked where
    offered = send(client, slug, "回电，城管队的15912345678不作为").get_json()["replies"][-1]
    assert "1. 留手机号" in offered and "号码已记下" not in offered, offered
    send(client, slug, "2")
    assert _stored(runtime) == [("城管不作为\n回电，城管队的15912345678不作为", None)]


# Words run into a number saying it does not answer: news about someone else's number, never a note on the citizen's.
_NOT_ANSWERING = ("15912345678 随时打都不接", "15912345678随时打也不接", "15912345678 随时打都打不通", "15912345678 随时打 也不接")


# A number said to call again and again ("一直打", "还在打"), after a greeting or a time: news about someone's calls,
# never the citizen's number with a time to call.
_CALLING_AGAIN = ("你好，15912345678 晚上一直打", "您好 15912345678 白天打", "你好 15912345678 晚上8点以后还在打",
                  "15912345678 随时都在打", "15912345678 天天打", "15912345678 老是打", "15912345678 总打",
                  "15912345678 随时都打", "15912345678 随时会打", "15912345678 随时打了")


@pytest.mark.parametrize("asked", ("receipt", "progress"))
@pytest.mark.parametrize("words", _NOT_ANSWERING + _CALLING_AGAIN)
def test_a_number_said_not_to_answer_or_to_keep_calling_after_a_sent_message_is_not_kept_as_the_citizens(
        app, runtime, tmp_path, words, asked):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    receipt = report(client, slug, PLACED)["receipt"]
    if asked == "progress":  # the stage told, with the offer to leave a number
        send(client, slug, f"查询 {receipt}")
    sent = send(client, slug, words).get_json()
    assert "号码已记下" not in " ".join(sent["replies"]), sent
    assert _stored(runtime)[0] == (PLACED, None)


# A call back asked for, run into the number: the number is the citizen's, as with a comma between.
_CALL_BACK_RUN_IN = ("麻烦回个电话13987654321", "麻烦给我回个电话13987654321", "希望回个电话13987654321", "请回访13987654321")


@pytest.mark.parametrize("words", _CALL_BACK_RUN_IN)
def test_a_call_back_asked_for_run_into_the_number_after_the_receipt_keeps_it_for_that_message(
        app, runtime, tmp_path, words):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    report(client, slug, PLACED)
    asked = send(client, slug, words).get_json()["replies"][-1]
    assert "号码已记下" in asked and "是否同意" in asked, asked
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, _OWN)]


@pytest.mark.parametrize("words", _CALL_BACK_RUN_IN)
def test_a_call_back_asked_for_run_into_a_corrected_number_at_the_consent_for_a_sent_message_keeps_it(
        app, runtime, tmp_path, words):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    report(client, slug, PLACED)
    send(client, slug, "13812345678")  # the consent asked; then the number corrected
    asked = send(client, slug, words).get_json()["replies"][-1]
    assert "号码已记下" in asked, asked
    send(client, slug, "2")
    assert _stored(runtime) == [(PLACED, _OWN)]


# The citizen's own number with words that only greet, ask a call back, say it is theirs or whose phone it is:
# the number is kept, and none of those words join the report.
_OWN_WITH_WORDS = ("您好 我的电话是13987654321", "你好我手机13987654321", "你好 我的号码13987654321", "在吗 13987654321",
                   "hello 13987654321", "麻烦回个电话13987654321", "请回访13987654321", "13987654321是我本人",
                   "13987654321这个是我的", "这是我儿子的手机13987654321", "我用我儿子的手机13987654321",
                   "我是张大爷的儿子13987654321", "请回访我 13987654321", "请你们工作人员联系我13987654321",
                   "希望有人联系我13987654321", "盼回复13987654321", "等你们电话13987654321", "早上好 13987654321",
                   "同志你好 13987654321", "我女婿电话13987654321", "打我家老二13987654321")
# Where the citizen lives, run into their number: it is theirs, and the address may stay in the report.
_OWN_WITH_ADDRESS = ("3栋13987654321", "3栋2单元13987654321", "3栋王阿姨13987654321", "13987654321（3栋王阿姨）",
                     "我是3栋的张大爷13987654321", "3栋张大爷13987654321", "我是5栋的 13987654321",
                     "3栋2单元502 13987654321", "13987654321（3栋502）")


def _kept_at_the_phone_offer(app, runtime, tmp_path, words) -> str:
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    send(client, slug, PLACED)
    asked = send(client, slug, words).get_json()["replies"][-1]
    assert "号码已记下" in asked and "是否同意" in asked, asked
    assert send(client, slug, "2").get_json()["receipt"]
    [(text, phone)] = _stored(runtime)
    assert phone == _OWN
    return text


@pytest.mark.parametrize("words", _OWN_WITH_WORDS)
def test_own_number_with_words_about_it_at_the_phone_offer_is_kept_and_the_report_unchanged(
        app, runtime, tmp_path, words):
    assert _kept_at_the_phone_offer(app, runtime, tmp_path, words) == PLACED


@pytest.mark.parametrize("words", _OWN_WITH_ADDRESS)
def test_own_number_run_into_a_building_or_unit_at_the_phone_offer_is_kept(app, runtime, tmp_path, words):
    assert _OWN not in _kept_at_the_phone_offer(app, runtime, tmp_path, words)


# A call back asked of staff or the deputy, run into the number: who is to call says nothing about who may see the
# number, so the consent is still asked ("请代表回访159… 天天骚扰我" is no yes to showing it either).
_CALL_BACK_BY_WHOM = ("请工作人员回访13987654321", "麻烦工作人员回个电话13987654321", "需要工作人员回访13987654321",
                      "请工作人员给我回个电话 13987654321", "工作人员回个电话13987654321就行", "希望工作人员尽快联系我13987654321",
                      "请代表回访13987654321", "代表能不能给我回个电话13987654321", "请代表回访 15912345678 天天骚扰我")


def _shared(runtime) -> list[bool]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Message.share_phone).order_by(Message.id)))


@pytest.mark.parametrize("words", _CALL_BACK_BY_WHOM)
@pytest.mark.parametrize("where", ("phone offer", "consent", "receipt"))
def test_a_call_back_asked_of_staff_or_the_deputy_beside_a_number_still_asks_the_consent(
        app, runtime, tmp_path, words, where):
    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    if where == "receipt":
        report(client, slug, PLACED)  # sent without a number
    else:
        send(client, slug, PLACED)
        if where == "consent":
            send(client, slug, _OWN)
    sent = send(client, slug, words).get_json()
    assert not sent["receipt"], sent  # nothing sent, so nothing shown to the deputy, before the consent
    if _OWN in words:  # the harassing number may be news with a question about it first
        assert "是否同意" in sent["replies"][-1], sent
    assert not any(_shared(runtime))


@pytest.mark.parametrize("words", ("15912345678 白天打也不接", "15912345678 晚上打不通"))
def test_words_beside_a_number_at_the_consent_for_a_sent_message_are_not_lost(app, runtime, tmp_path, words):
    from intake.models import AuditEntry

    slug = first_deputy_slug(app, tmp_path)
    client = app.test_client()
    report(client, slug, PLACED)
    send(client, slug, _OWN)  # the consent asked for the number left after the receipt
    send(client, slug, words)
    send(client, slug, "2")
    with runtime.sessions() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.contact")).all()
    assert any(words.split()[-1] in (entry.after.get("note") or "") for entry in logged), [e.after for e in logged]
