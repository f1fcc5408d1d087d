"""What a draft quotes of citizens' messages written as they write in a chat: a sentence ending in an emoji is
quoted (the emoji left out, in the draft and its .docx), an address alone is no problem point, and words on either
side of a phone number stay apart."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import docx
from sqlalchemy import select

from intake.models import Message, utcnow
from intake.services.reception import chat
from tests.helpers import (at_phone_offer, deputies, import_roster, report, send, set_password, sign_in_deputy,
                           slug_of, write_roster)
from workers import queues

# Five citizens on one lamp; three end their sentence in a picture and no full stop, one with the place on the
# next line (the chat's question answered).
FELT = [
    ("幸福小区门口的路灯坏了一个多月，晚上漆黑一片。", None),
    ("幸福小区门口的路灯坏了，孩子放学回家很害怕。", None),
    ("幸福小区门口路灯坏了，老人出门容易摔倒😢", "幸福小区东门"),
    ("幸福小区门口的路灯坏了好久，晚上骑电动车的人看不清路🙏", None),
    ("幸福小区门口的路灯一直没人修，晚上走路心里发慌[流泪]", None),
]


def _slug(app, tmp_path) -> str:
    import_roster(app, write_roster(tmp_path))
    return slug_of(deputies(app)[0])


def _drafts(app) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["drafts", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _points(draft: dict) -> list[dict]:
    return draft["sections"]["problems"] + draft["sections"]["proposals"]


def test_a_sentence_ending_in_an_emoji_is_counted_and_quoted_without_it(app, run_jobs, tmp_path):
    slug = _slug(app, tmp_path)
    for text, place in FELT:
        assert report(app.test_client(), slug, text, detail=place or "幸福小区东门，已经一个多月了。")["receipt"]
    run_jobs()
    [draft] = [d for d in _drafts(app) if len(d["messages"]) == len(FELT)]
    situation = draft["sections"]["situation"]
    assert "共有5位群众" in situation and "共5条意见" in situation, situation
    quoted = "\n".join(point["text"] for point in _points(draft))
    for said in ("老人出门容易摔倒", "看不清路", "心里发慌"):
        assert said in quoted, quoted
    assert not re.search(r"[😢🙏]|\[流泪\]", quoted), quoted
    assert len({i for point in _points(draft) for i in point["message_ids"]}) == len(FELT)

    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft_path = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))[0]
    document = docx.Document(io.BytesIO(deputy.get(f"{draft_path}/document").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "老人出门容易摔倒" in text and not re.search("[😢🙏]", text), text


def test_an_address_alone_is_no_problem_point(app, runtime, run_jobs, tmp_path):
    """Where the chat asked 在什么地方, the answer (幸福里小区 3 栋) is a line of the report, never a point of its own;
    a citizen who sends only that address and leaves when asked what is wrong there is kept, but makes no draft."""
    slug = _slug(app, tmp_path)
    for text in ("门口的路灯坏了一个多月，晚上漆黑一片。", "门口路灯不亮，老人晚上出门容易摔倒。"):
        body = report(app.test_client(), slug, text, detail="幸福里小区 3 栋")
        assert body["receipt"] and body["answers"][0] == "幸福里小区 3 栋", body
    leaving = app.test_client()
    assert "那里出了什么问题" in send(leaving, slug, "幸福里小区 3 栋").get_json()["replies"][-1]
    assert "那里出了什么问题" in send(leaving, slug, "幸福里小区 3 栋").get_json()["replies"][-1]
    with runtime.sessions() as session, session.begin():
        [address] = chat.finalize_abandoned(session, utcnow() + timedelta(minutes=1))
    queues.enqueue_classify(runtime.redis, address)  # as the sweep does once it has waited
    run_jobs()
    with runtime.sessions() as session:
        assert session.get(Message, address).text == "幸福里小区 3 栋"
    drafts = _drafts(app)
    [lamp] = [d for d in drafts if d["status"] == "open"]
    quoted = [point["text"] for point in _points(lamp)]
    assert len(lamp["messages"]) == 2 and any("路灯" in text for text in quoted), lamp
    points = [point["text"] for draft in drafts for point in _points(draft)]
    assert not [text for text in points if re.fullmatch(r"幸福里小区\s*3\s*栋[。]?", text)], points
    [kept] = [d for d in drafts if address in {m["id"] for m in d["messages"]}]
    assert kept["status"] == "collecting", kept


def test_words_on_either_side_of_a_phone_number_stay_apart_in_the_report_and_its_draft(app, runtime, run_jobs,
                                                                                      tmp_path):
    slug = _slug(app, tmp_path)
    client = at_phone_offer(app, slug)
    asked = send(client, slug, "我叫张大妈，电话１３９１２３４５６７８，村口垃圾站").get_json()["replies"][-1]
    assert "是否同意" in asked
    assert send(client, slug, "同意").get_json()["receipt"]
    with runtime.sessions() as session:
        text, phone = session.execute(select(Message.text, Message.contact_phone)).one()
    assert phone == "13912345678" and "1391234" not in text
    assert "妈村口" not in text and "村口垃圾站" in text, text
    run_jobs()
    [draft] = _drafts(app)
    quoted = "\n".join(point["text"] for point in _points(draft)) + draft["sections"]["situation"]
    assert "妈村口" not in quoted, quoted
