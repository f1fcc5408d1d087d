"""A deputy reviews drafts over HTTP: edit, conflicts, merge, move out, co-signers, approve, discard, messages."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from intake.models import Draft, DraftRevision, DraftStatus, HandlingUnit, Message, StaffRole, Suggestion, utcnow
from intake.services.drafts import drafting
from intake.services.drafts.draft_text import text_of
from intake.services.lifecycle import handling
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    report,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)

LIGHTS = [
    "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。",
    "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。",
]
DITCH = [
    "柳河镇桃园村的排污沟堵了，污水漫到路上，臭气熏天。建议环保部门尽快清理排污沟。",
    "桃园村排污沟堵塞，夏天蚊虫很多，污水横流，希望派人疏通。",
]


@pytest.fixture
def desk(app, run_jobs, tmp_path):
    """王秀兰 with two drafts (street lights, a ditch), signed in; returns (client, draft ids by subject)."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in LIGHTS + DITCH:
        report(app.test_client(), slug, text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    client = app.test_client()
    sign_in_deputy(client, "13900000001", "wang-pass-1")
    with app.extensions["mashang"].sessions() as session:
        drafts = {d.title: d.id for d in session.scalars(select(Draft).where(Draft.status == DraftStatus.OPEN))}
    lights = next(i for t, i in drafts.items() if "路灯" in t)
    ditch = next(i for t, i in drafts.items() if "排污沟" in t)
    return client, {"lights": lights, "ditch": ditch}


def _version(client, draft_id: int) -> int:
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/deputy/"), **data})


def _document_text(client, draft_id: int) -> str:
    response = client.get(f"/deputy/drafts/{draft_id}/document")
    assert response.status_code == 200
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)


def test_an_edited_section_shows_on_the_page_and_in_the_document_and_is_kept_as_a_revision(app, desk, run_jobs):
    client, ids = desk
    draft = ids["lights"]
    page = client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    assert page.count('method="post"') == page.count('name="csrf_token"') >= 8  # every form carries a token
    forged = client.post(f"/deputy/drafts/{draft}/sections/title", data={"version": _version(client, draft),
                                                                        "text": "伪造的标题"})
    assert forged.status_code == 400 and "伪造的标题" not in client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    response = _post(client, f"/deputy/drafts/{draft}/sections/proposals", version=_version(client, draft),
                     text="在幸福小区东门加装两盏路灯。\n每月巡查一次路灯。")
    assert response.status_code == 302
    page = client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    assert "已保存修改" in page and "每月巡查一次路灯。" in page
    assert "系统整理的原句及出处" in page  # the generated sentences and their sources are still there
    text = _document_text(client, draft)
    assert "1. 在幸福小区东门加装两盏路灯。" in text and "2. 每月巡查一次路灯。" in text

    # New messages on the same problem still join the draft; they do not overwrite the deputy's words.
    report(app.test_client(), slug_of(deputies(app)[0]), "幸福小区门口的路灯晚上不亮，很不方便。")
    run_jobs()
    page = client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    assert "每月巡查一次路灯。" in page and "晚上不亮" in page
    with app.extensions["mashang"].sessions() as session:
        [revision] = session.scalars(select(DraftRevision).where(DraftRevision.draft_id == draft)).all()
        assert revision.actor.startswith("deputy:") and revision.section == "proposals"
        assert "希望尽快修好路灯" in revision.before["text"] and "每月巡查" in revision.after["text"]


def test_two_tabs_editing_one_draft_the_second_gets_a_conflict_and_neither_text_is_lost(app, desk):
    client, ids = desk
    draft = ids["lights"]
    seen = _version(client, draft)  # both tabs loaded the same version
    first = _post(client, f"/deputy/drafts/{draft}/sections/situation", version=seen, text="第一个页面写的基本情况。")
    assert first.status_code == 302
    second = _post(client, f"/deputy/drafts/{draft}/sections/situation", version=seen, text="第二个页面写的基本情况。")
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "已被修改过" in page and "没有丢失" in page
    assert "第二个页面写的基本情况。" in page  # still in the edit box
    assert "第一个页面写的基本情况。" in page  # what the draft says now
    reloaded = client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    assert "第二个页面写的基本情况。" in reloaded  # in the revision history after a reload
    with app.extensions["mashang"].sessions() as session:
        assert session.get(Draft, draft).edits["situation"] == "第一个页面写的基本情况。"
        actions = [r.action for r in session.scalars(select(DraftRevision).where(DraftRevision.draft_id == draft))]
        assert actions == ["edit", "conflict"]


def test_merge_move_out_cosign_approve_and_the_worker_leaves_the_submitted_suggestion_alone(app, desk, run_jobs):
    client, ids = desk
    lights, ditch = ids["lights"], ids["ditch"]
    assert _post(client, f"/deputy/drafts/{ditch}/sections/proposals", version=_version(client, ditch),
                 text="请环保部门每季度疏通一次排污沟。").status_code == 302
    # Nothing is chosen for the deputy: the form starts at 请选择…, and sent so it merges nothing.
    form = client.get(f"/deputy/drafts/{lights}").get_data(as_text=True).split('id="other"')[1].split("</select>")[0]
    assert form.startswith(' name="other" required><option value="">请选择…</option>') and "selected" not in form
    unchosen = _post(client, f"/deputy/drafts/{lights}/merge", version=_version(client, lights), other="")
    assert unchosen.status_code == 422 and "请选择另一份草稿。" in unchosen.get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        assert session.get(Draft, ditch).status == DraftStatus.OPEN
    merged = _post(client, f"/deputy/drafts/{lights}/merge", version=_version(client, lights), other=ditch)
    assert merged.status_code == 302
    said = client.get(merged.headers["Location"]).get_data(as_text=True)
    assert "正文按这份草稿；另一份草稿里您改过的文字（如有）在下方“修改记录”里。" in said
    history = client.get(f"/deputy/drafts/{lights}").get_data(as_text=True).split("修改记录")[1]
    assert "具体建议（您在被并入的草稿中写的）：请环保部门每季度疏通一次排污沟。" in history  # not lost with the merge
    home = client.get("/deputy/").get_data(as_text=True)
    assert "建议草稿（1）" in home and "4 条留言" in home
    merged = client.get(f"/deputy/drafts/{ditch}", follow_redirects=True)  # an old link leads to where it went
    assert merged.request.path == f"/deputy/drafts/{lights}" and "已并入这份草稿" in merged.get_data(as_text=True)
    set_password(app, "13900000002", "li-pass-1")
    other = app.test_client()
    sign_in_deputy(other, "13900000002", "li-pass-1")
    assert other.get(f"/deputy/drafts/{ditch}").status_code == 404  # nor does it lead another deputy anywhere

    with app.extensions["mashang"].sessions() as session:
        ditch_message = session.scalar(select(Message.id).where(Message.text == DITCH[1]))
    moved = _post(client, f"/deputy/drafts/{lights}/messages/{ditch_message}/move-out",
                  version=_version(client, lights))
    new_id = int(re.search(r"/deputy/drafts/(\d+)", moved.headers["Location"]).group(1))
    assert new_id not in (lights, ditch)
    assert DITCH[1][:10] in client.get(f"/deputy/drafts/{new_id}").get_data(as_text=True)
    assert DITCH[1][:10] not in client.get(f"/deputy/drafts/{lights}").get_data(as_text=True)

    li = deputies(app)[1]
    assert _post(client, f"/deputy/drafts/{lights}/cosigners", version=_version(client, lights),
                 cosigners=str(li["id"])).status_code == 302
    refused = _post(client, f"/deputy/drafts/{lights}/approve", version=_version(client, lights) - 1, confirm="yes")
    assert refused.status_code == 409  # an old page cannot approve either
    assert _post(client, f"/deputy/drafts/{lights}/approve", version=_version(client, lights),
                 confirm="yes").status_code == 302
    page = client.get(f"/deputy/drafts/{lights}").get_data(as_text=True)
    assert "已于" in page and "提交代表工委，内容不再改动" in page and 'name="version"' not in page  # nothing left to change
    text = _document_text(client, lights)
    for part in ("领衔代表：王秀兰", "附议代表：李建国", "案由：", "一、基本情况", "二、存在问题", "三、具体建议",
                 "四、建议承办单位", "附件"):
        assert part in text
    home = client.get("/deputy/").get_data(as_text=True).replace("<wbr>", "")  # where the tile's words may break
    assert re.search(r"<b>1</b>待答复", home)

    with app.extensions["mashang"].sessions() as session:
        before = session.get(Draft, lights)
        before_sections, before_links = dict(before.sections), len(before.links)
    report(app.test_client(), slug_of(deputies(app)[0]), LIGHTS[0])  # the same complaint again, after approval
    run_jobs()
    with app.extensions["mashang"].sessions() as session:
        after = session.get(Draft, lights)
        assert after.sections == before_sections and len(after.links) == before_links
        follow_up = session.scalar(select(Draft).where(Draft.follows_id == lights))
        assert follow_up is not None and len(follow_up.links) == 1

    # Registered, assigned and answered, the draft no longer waits for its answer: the tile counts it no more (it
    # said 1 待答复 beside the same suggestion under 待您评价的答复).
    with app.extensions["mashang"].sessions() as session, session.begin():
        unit = HandlingUnit(name="区住房和城乡建设局")
        session.add(unit)
        session.flush()
        found = handling.register_from_draft(session, lights, actor="staff:office")
        handling.assign(session, [found.id], lead_unit_id=unit.id, actor="staff:office")
    home = client.get("/deputy/").get_data(as_text=True).replace("<wbr>", "")
    # The draft's line says which suggestion it became and where that stands, with a link to it.
    assert re.search(r"<b>1</b>待答复", home)
    assert re.search(rf'href="/deputy/suggestions/{found.id}">已形成第 {found.number} 号建议</a></span><span>已交办', home), home
    # Her messages say the same of each message in it (they said 所在草稿（已提交）, nothing of the suggestion).
    messages = client.get("/deputy/messages").get_data(as_text=True)
    became = f'<a href="/deputy/suggestions/{found.id}">已形成第 {found.number} 号建议</a></span><span>已交办</span>'
    assert messages.count(became) == before_links and "所在草稿（已提交）" not in re.sub(r"<[^>]+>", "", messages)
    number = found.number
    with app.extensions["mashang"].sessions() as session, session.begin():
        handling.submit_reply(session, found.id, unit_id=unit.id, text="已修复路灯。", category="A",
                              actor=f"unit:{unit.id}")
        handling.accept_reply(session, found.id, actor="staff:office")
    home = client.get("/deputy/").get_data(as_text=True).replace("<wbr>", "")
    assert re.search(r"<b>0</b>待答复", home) and "待您评价的答复（1）" in home, home
    assert re.search(rf"已形成第 {number} 号建议</a></span><span>已答复", home), home
    assert re.search(rf"已形成第 {number} 号建议</a></span><span>已答复", client.get("/deputy/messages").get_data(as_text=True))
    # A suggestion she handed in on paper and staff assigned waits for its answer too (it counted 0: only drafts did).
    with app.extensions["mashang"].sessions() as session, session.begin():
        paper = handling.register_by_hand(session, title="关于增设公交站台的建议", lead_deputy_id=found.lead_deputy_id,
                                          actor="staff:office")
        handling.assign(session, [paper.id], lead_unit_id=unit.id, actor="staff:office")
    assert re.search(r"<b>1</b>待答复", client.get("/deputy/").get_data(as_text=True).replace("<wbr>", ""))


def test_discarding_needs_a_reason_and_another_deputys_draft_cannot_be_merged_in(app, desk, run_jobs):
    client, ids = desk
    draft = ids["ditch"]
    response = _post(client, f"/deputy/drafts/{draft}/discard", version=_version(client, draft), reason="  ")
    assert response.status_code == 422  # the draft's page itself, the discard form as it was sent
    assert "请写明放弃的理由" in response.get_data(as_text=True)

    zhang = deputies(app)[2]
    report(app.test_client(), slug_of(zhang), "柳河镇村道坑坑洼洼，下雨天没法走")
    run_jobs()
    with app.extensions["mashang"].sessions() as session:
        theirs = session.scalar(select(Draft.id).where(Draft.deputy_id == zhang["id"]))
    assert _post(client, f"/deputy/drafts/{ids['lights']}/merge", version=_version(client, ids["lights"]),
                 other=theirs).status_code == 404
    with app.extensions["mashang"].sessions() as session:
        assert len(session.get(Draft, theirs).links) == 1

    # A reason pasted with an invisible control character in it (PostgreSQL stores no NUL) is kept without it.
    assert _post(client, f"/deputy/drafts/{draft}/discard", version=_version(client, draft),
                 reason="已由镇政府\x00处理完毕").status_code == 302
    page = client.get(f"/deputy/drafts/{draft}").get_data(as_text=True)
    assert "已放弃。理由：已由镇政府处理完毕" in page


def test_messages_page_searches_filters_and_shows_a_phone_only_when_the_citizen_agreed(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    report(app.test_client(), slug, LIGHTS[0], phone="13912345678")  # agrees to share it
    client = app.test_client()
    from tests.helpers import send
    send(client, slug, DITCH[0] + "村委会电话13987654321打不通")
    for answer in ("就在柳河镇桃园村", "13911112222", "不同意"):
        body = send(client, slug, answer).get_json()
        if body.get("receipt"):
            break
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    assert re.search(r"<b>2</b>新留言", deputy.get("/deputy/").get_data(as_text=True))
    page = deputy.get("/deputy/messages").get_data(as_text=True)
    assert "13912345678" in page  # shared
    assert "13911112222" not in page and "群众未同意公开" in page
    assert "13987654321" not in page and "139****4321" in page  # typed into the text: masked
    assert re.search(r"<b>0</b>新留言", deputy.get("/deputy/").get_data(as_text=True))  # seen now

    found = deputy.get("/deputy/messages?q=排污沟").get_data(as_text=True)
    assert "排污沟" in found and "路灯坏了" not in found
    assert "没有找到" in deputy.get("/deputy/messages?q=9876").get_data(as_text=True)  # masked digits are not searchable
    with app.extensions["mashang"].sessions() as session:
        topic = session.scalar(select(Message.topic).where(Message.text == LIGHTS[0]))
    by_topic = deputy.get(f"/deputy/messages?topic={topic}").get_data(as_text=True)
    assert "路灯坏了" in by_topic


def test_a_one_time_sign_in_link_works_once_and_expires_after_15_minutes(app, tmp_path, monkeypatch):
    from intake.services.console import accounts

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    wang = deputies(app)[0]
    token = csrf_token(staff, f"/staff/deputies/{wang['id']}")

    def new_link() -> str:
        page = staff.post(f"/staff/deputies/{wang['id']}/sign-in-link", data={"csrf_token": token})
        assert page.status_code == 200
        return re.search(r'id="link" aria-label="一次性登录链接">http://mashang\.test(/deputy/signin/[^<]+)<', page.get_data(as_text=True)).group(1)

    link = new_link()
    deputy = app.test_client()
    opened = deputy.get(link)
    assert opened.status_code == 200 and "只能用一次" in opened.get_data(as_text=True)
    assert deputy.get("/deputy/").status_code == 302  # opening the link alone signs nobody in
    signed = deputy.post(link, data={"csrf_token": csrf_token(deputy, link)})
    assert signed.status_code == 302 and deputy.get("/deputy/").status_code == 200
    again = app.test_client()
    assert again.post(link, data={"csrf_token": csrf_token(again, "/deputy/login")}).status_code == 410
    assert "已失效" in again.get(link).get_data(as_text=True)

    # Two links issued now; the clock the links are checked against moves on.
    issued = utcnow()
    in_time, late = new_link(), new_link()
    monkeypatch.setattr(accounts, "utcnow", lambda: issued + timedelta(minutes=14, seconds=50))
    client = app.test_client()
    assert "只能用一次" in client.get(in_time).get_data(as_text=True)
    assert client.post(in_time, data={"csrf_token": csrf_token(client, in_time)}).status_code == 302
    assert client.get("/deputy/").status_code == 200
    monkeypatch.setattr(accounts, "utcnow", lambda: issued + timedelta(minutes=15, seconds=10))
    client = app.test_client()
    assert "已失效" in client.get(late).get_data(as_text=True)
    assert client.post(late, data={"csrf_token": csrf_token(client, "/deputy/login")}).status_code == 410
    assert client.get("/deputy/").status_code == 302


def test_a_title_is_a_line_not_a_letter(app, desk):
    client, ids = desk
    draft = ids["lights"]
    long = "关于修复幸福小区门口路灯" * 9  # 108 characters: 5,000 were accepted, and a suggestion keeps 200
    refused = _post(client, f"/deputy/drafts/{draft}/sections/title", version=_version(client, draft), text=long)
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "标题最多 100 字，现在是 108 字。" in shown and long in shown  # given back
    with app.extensions["mashang"].sessions() as session:
        assert "title" not in (session.get(Draft, draft).edits or {})
    assert _post(client, f"/deputy/drafts/{draft}/sections/title", version=_version(client, draft),
                 text=long[:100]).status_code == 302


def test_a_title_pasted_with_a_control_character_is_kept_without_it_and_the_office_can_register_it(app, desk):
    client, ids = desk
    draft = ids["lights"]
    # PostgreSQL keeps a NUL in the draft's edits but not in the suggestion's title the office makes of it.
    assert _post(client, f"/deputy/drafts/{draft}/sections/title", version=_version(client, draft),
                 text="修复幸福小区\x00门口路灯").status_code == 302
    assert _post(client, f"/deputy/drafts/{draft}/approve", version=_version(client, draft),
                 confirm="yes").status_code == 302
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    done = office.post(f"/staff/drafts/{draft}/register",
                       data={"csrf_token": csrf_token(office, "/staff/suggestions"), "kind": "recess"})
    assert done.status_code == 302
    assert "修复幸福小区门口路灯" in office.get(done.headers["Location"]).get_data(as_text=True)


def test_opening_a_draft_leaves_its_place_in_the_deputys_list(app, desk):
    """Opening a draft wrote its updated_at, so the list (latest change first) reordered on every look."""
    client, ids = desk

    def changed() -> dict:
        with app.extensions["mashang"].sessions() as session:
            return {name: session.get(Draft, draft_id).updated_at for name, draft_id in ids.items()}

    before = changed()
    for draft_id in [*ids.values(), ids["lights"]]:
        assert client.get(f"/deputy/drafts/{draft_id}").status_code == 200
    assert changed() == before
    with app.extensions["mashang"].sessions() as session:  # still noted as seen: what joins later is marked new
        assert all(session.get(Draft, draft_id).viewed_at > before["lights"] for draft_id in ids.values())
    assert _post(client, f"/deputy/drafts/{ids['ditch']}/discard", version=_version(client, ids["ditch"]),
                 reason="已由镇政府处理完毕").status_code == 302
    discarded = changed()
    assert discarded["ditch"] > before["ditch"]
    assert client.get(f"/deputy/drafts/{ids['ditch']}").status_code == 200
    assert changed() == discarded


def test_a_change_made_while_a_draft_is_opened_keeps_its_time(app, desk):
    """Opening wrote back the updated_at it had read: a worker's change meanwhile lost its 更新 time."""
    _, ids = desk
    sessions = app.extensions["mashang"].sessions
    with sessions() as viewing:
        shown = viewing.get(Draft, ids["lights"])  # the page has read the draft
        with sessions() as worker, worker.begin():
            worker.get(Draft, ids["lights"]).title = "关于幸福小区路灯长期不亮的建议"
        with sessions() as reading:
            changed_at = reading.get(Draft, ids["lights"]).updated_at
        drafting.mark_viewed(viewing, shown)
        viewing.commit()
    with sessions() as session:
        assert session.get(Draft, ids["lights"]).updated_at == changed_at


def test_the_office_reads_a_submitted_draft_before_registering_it(app, desk):
    """建议办理 listed a submitted draft's title as plain words: a clerk had no way to read the draft before 登记.
    The title opens it as its deputy signed it, with the same 登记; a draft not yet submitted stays its deputy's."""
    client, ids = desk
    lights, ditch = ids["lights"], ids["ditch"]
    assert _post(client, f"/deputy/drafts/{lights}/approve", version=_version(client, lights),
                 confirm="yes").status_code == 302
    with app.extensions["mashang"].sessions() as session:
        signed = session.get(Draft, lights)
        title, situation, proposals = (text_of(signed, key) for key in ("title", "situation", "proposals"))
    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    office = sign_in_staff(app, "office")
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    assert f'<a href="/staff/drafts/{lights}">{title}</a>' in listed, listed
    assert f"/staff/drafts/{ditch}\"" not in listed
    page = office.get(f"/staff/drafts/{lights}")
    shown = page.get_data(as_text=True)
    assert page.status_code == 200 and title in shown and situation in shown and "王秀兰" in shown
    assert all(point.strip() in shown for point in proposals.splitlines() if point.strip()), shown
    assert f'action="/staff/drafts/{lights}/register"' in shown
    # a draft its deputy is still writing is theirs alone; a station's clerk registers nothing
    assert office.get(f"/staff/drafts/{ditch}").status_code == 404
    assert sign_in_staff(app, "qingshi").get(f"/staff/drafts/{lights}").status_code in (403, 404)
    done = office.post(f"/staff/drafts/{lights}/register",
                       data={"csrf_token": csrf_token(office, f"/staff/drafts/{lights}"), "kind": "recess"})
    assert done.status_code == 302
    with app.extensions["mashang"].sessions() as session:
        registered = session.scalar(select(Suggestion.id).where(Suggestion.draft_id == lights))
    # registered, the draft is the suggestion: its old address leads there
    assert office.get(f"/staff/drafts/{lights}").headers["Location"] == f"/staff/suggestions/{registered}"
