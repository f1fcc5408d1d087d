"""What a draft quotes of citizens' messages written as they write in a chat: words on either side of a phone
number stay apart."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from intake.models import Message
from tests.helpers import at_phone_offer, deputies, import_roster, send, slug_of, write_roster


def _slug(app, tmp_path) -> str:
    import_roster(app, write_roster(tmp_path))
    return slug_of(deputies(app)[0])


def _drafts(app) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["drafts", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _points(draft: dict) -> list[dict]:
    return draft["sections"]["problems"] + draft["sections"]["proposals"]


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
