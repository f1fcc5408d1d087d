"""The deputy's draft page: approving asks for confirmation, messages show without blank gaps, a phone the
citizen agreed to share is a tel: link, co-signers are checkboxes."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from intake.models import Draft, DraftStatus
from intake.services.lifecycle import handling
from tests.helpers import deputies, import_roster, report, send, set_password, sign_in_deputy, slug_of, write_roster
from tests.test_review import _post, _version

SHARED = "幸福小区东门的路灯坏了一个多月，晚上很黑。\n建议尽快修好路灯。"
PRIVATE = "幸福小区东门路灯不亮，老人晚上出门容易摔倒。"


def _draft(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    report(app.test_client(), slug, SHARED, phone="13912345678")
    private = app.test_client()
    for answer in (PRIVATE, "13987654321", "不同意"):  # a phone kept for staff only
        body = send(private, slug, answer).get_json()
    assert body["receipt"]
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    client = app.test_client()
    sign_in_deputy(client, "13900000001", "wang-password-1")
    path = re.findall(r'href="(/deputy/drafts/\d+)"', client.get("/deputy/").get_data(as_text=True))[0]
    return client, int(path.rsplit("/", 1)[1])


def test_approving_needs_a_confirmation_that_shows_the_final_text(app, runtime, run_jobs, tmp_path):
    client, draft_id = _draft(app, run_jobs, tmp_path)
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    step = page[page.index('id="approve-step"'):]
    assert "提交后不能修改" in step and 'name="confirm"' in step and "具体建议" in step
    # The step's name says it all: a trailing … (同意并提交代表工委…) read as words cut off.
    assert "同意并提交代表工委" in step and "（先核对最终文本）" in step and "…</summary>" not in page
    one_tap = _post(client, f"/deputy/drafts/{draft_id}/approve", version=_version(client, draft_id))
    with runtime.sessions() as session:
        assert session.get(Draft, draft_id).status == DraftStatus.OPEN
    assert "请先核对最终文本" in client.get(one_tap.headers["Location"]).get_data(as_text=True)
    _post(client, f"/deputy/drafts/{draft_id}/approve", version=_version(client, draft_id), confirm="yes")
    with runtime.sessions() as session:
        assert session.get(Draft, draft_id).status == DraftStatus.APPROVED
    # The registered suggestion's page numbers its points as the preview did.
    with runtime.sessions() as session, session.begin():
        suggestion_id = handling.register_from_draft(session, draft_id, actor="staff:office").id
    shown = client.get(f"/deputy/suggestions/{suggestion_id}").get_data(as_text=True)
    for preview, page in ((r"<h4>存在问题</h4>(.*?)<h4>", r"<h2>存在问题</h2>(.*?)<h2>"),
                          (r"<h4>具体建议</h4>(.*?)<h4>", r"<h2>具体建议</h2>(.*?)<h2>")):
        checked = re.findall(r"<p>(.*?)</p>", re.search(preview, step, re.S).group(1))
        assert checked and checked[0].startswith("1. ")
        assert re.findall(r"<p[^>]*>(.*?)</p>", re.search(page, shown, re.S).group(1)) == checked


def test_the_message_list_has_no_blank_gaps_and_a_shared_phone_is_a_tel_link(app, runtime, run_jobs, tmp_path):
    client, draft_id = _draft(app, run_jobs, tmp_path)
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    texts = [html.unescape(t) for t in re.findall(r'<p class="message-text">(.*?)</p>', page, re.S)]
    assert sorted(texts) == sorted([SHARED, PRIVATE])  # exactly the words, no whitespace from the template
    assert '<a href="tel:13912345678">13912345678</a>' in page
    assert "13987654321" not in page
    with runtime.sessions() as session:
        assert session.scalar(select(Draft.id)) == draft_id


def test_cosigners_are_checkboxes(app, run_jobs, tmp_path):
    client, draft_id = _draft(app, run_jobs, tmp_path)
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    assert "<select" not in page[page.index("选择附议代表"):page.index("保存附议代表")]
    assert re.search(r'<input type="checkbox" name="cosigners" value="\d+"> 李建国', page)


def test_moving_a_message_out_keeps_the_drafts_name(app, runtime, run_jobs, tmp_path):
    client, draft_id = _draft(app, run_jobs, tmp_path)
    with runtime.sessions() as session:
        draft = session.get(Draft, draft_id)
        title, moved = draft.title, draft.links[0].message_id
    _post(client, f"/deputy/drafts/{draft_id}/messages/{moved}/move-out", version=_version(client, draft_id))
    with runtime.sessions() as session:
        draft = session.get(Draft, draft_id)
        assert len(draft.links) == 1 and draft.title == title
