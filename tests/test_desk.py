"""Every message reaches the deputy's desk: problems still collecting, drafts from them or from ticked messages,
colleagues of the same station on the same problem, and the staff's page of collecting groups."""

from __future__ import annotations

import html
import json
import re
import threading

import pytest
from sqlalchemy import func, select

from intake.models import AuditEntry, Deputy, Draft, DraftMessage, DraftRevision, DraftStatus, Message, StaffRole
from intake.services.drafts import composing, desk, drafting
from intake.services.errors import InvalidInput, NotFound
from intake.web import wording
from workers import context
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    report,
    send,
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
DITCH = "柳河镇桃园村的排污沟堵了，污水漫到路上，臭气熏天。建议环保部门尽快清理排污沟。"
MORE_LIGHTS = "幸福小区门口的路灯晚上不亮，很不方便，希望修一修路灯。"


@pytest.fixture
def app(tmp_path, database_url, redis_conn, redis_url):
    """The app with the default threshold: three citizens before a group becomes a draft by itself."""
    app = build_app(make_settings(tmp_path, database_url, redis_url, DRAFT_MIN_CITIZENS="3"))
    yield app
    app.extensions["mashang"].close()
    context.use(None)


@pytest.fixture
def district(app, run_jobs, tmp_path):
    """王秀兰 and 李建国 (one station) and 张桂芳 (another); a citizen link for each, by surname."""
    import_roster(app, write_roster(tmp_path))
    links = {d["name"][0]: slug_of(d) for d in deputies(app)}
    for phone, password in (("13900000001", "wang-pass-1"), ("13900000002", "li-pass-1")):
        set_password(app, phone, password)
    return links


def _send(app, slug: str, *texts: str) -> None:
    for text in texts:  # each from another citizen: never enough to become a draft by itself
        report(app.test_client(), slug, text)


def _deputy(app, phone: str, password: str):
    client = app.test_client()
    sign_in_deputy(client, phone, password)
    return client


def _post(client, path: str, data: dict | None = None, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, "/deputy/"), **(data or {}), **fields})


def _groups(app, name: str) -> dict[str, int]:
    """A deputy's collecting groups by their key subject."""
    with app.extensions["mashang"].sessions() as session:
        groups = list(session.scalars(select(Draft).where(Draft.status == DraftStatus.COLLECTING)))
        titles = drafting.titles(session, groups)  # a group of one message is titled where it is shown
        owners = {d.id: d.deputy.name for d in session.scalars(select(Draft))}
    return {("排污沟" if "排污沟" in title else "路灯"): draft_id for draft_id, title in titles.items()
            if owners[draft_id] == name}


def _message_ids(app, *texts: str) -> list[int]:
    with app.extensions["mashang"].sessions() as session:
        return [session.scalar(select(Message.id).where(Message.text == text)) for text in texts]


def test_the_home_lists_problems_still_collecting_and_the_deputy_makes_a_draft_of_one(app, run_jobs, district):
    _send(app, district["王"], *LIGHTS, DITCH)
    run_jobs()
    wang = _deputy(app, "13900000001", "wang-pass-1")
    home = wang.get("/deputy/").get_data(as_text=True)
    assert "建议草稿（0）" in home and "收集中的问题（2）" in home
    listed = home.split('id="collecting"')[1]
    assert "<span>2 位群众</span><span>2 条留言</span>" in listed and "<span>1 位群众</span><span>1 条留言</span>" in listed
    assert listed.index("排污沟") < listed.index("路灯")  # the latest message first
    shown = html.unescape(re.sub(r"<[^>]+>", "", home))  # the text a reader sees
    assert not re.search(r"[A-Za-z]{3,}", shown.split("</title>")[-1])  # no model name, no stage name

    lights = _groups(app, "王秀兰")["路灯"]
    page = wang.get(f"/deputy/groups/{lights}").get_data(as_text=True)
    assert all(text in page for text in LIGHTS) and DITCH not in page

    li = _deputy(app, "13900000002", "li-pass-1")
    assert li.get(f"/deputy/groups/{lights}").status_code == 404  # another deputy's group
    assert _post(li, f"/deputy/groups/{lights}/draft").status_code == 404

    made = _post(wang, f"/deputy/groups/{lights}/draft")
    assert made.status_code == 302 and made.headers["Location"].endswith(f"/deputy/drafts/{lights}")
    page = wang.get(f"/deputy/drafts/{lights}").get_data(as_text=True)
    assert "已整理成建议草稿" in page and "路灯" in page and "由收集中的问题整理成草稿" in page
    home = wang.get("/deputy/").get_data(as_text=True)
    assert "建议草稿（1）" in home and "收集中的问题（1）" in home
    # The old link of the group now leads to its draft; the batch leaves the deputy's draft open.
    assert wang.get(f"/deputy/groups/{lights}").headers["Location"].endswith(f"/deputy/drafts/{lights}")
    _send(app, district["王"], MORE_LIGHTS)
    run_jobs()
    with app.extensions["mashang"].sessions() as session:
        draft = session.get(Draft, lights)
        assert draft.status == DraftStatus.OPEN and len(draft.links) == 3
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "draft.from_group"))
        assert entry.actor.startswith("deputy:") and entry.target == f"draft:{lights}"


def test_a_group_of_one_message_is_named_where_it_is_shown_as_writing_it_would(app, run_jobs, district, runtime):
    """The job leaves a group of one message unwritten (nearly every message starts one): the deputy's and the
    staff's pages and the export name it as writing it does; a second message joining writes it for good."""
    _send(app, district["王"], DITCH)
    run_jobs()
    ditch = _groups(app, "王秀兰")["排污沟"]
    [message_id] = _message_ids(app, DITCH)
    with app.extensions["mashang"].sessions() as session:
        group = session.get(Draft, ditch)
        assert (group.title, group.sections, group.composed_messages, group.pending_messages) == ("", {}, 0, 0)
        written = composing.text_of(group.messages, group.topic, group.handling_unit, runtime.local_tz)
    label = "柳河镇排污沟问题"
    assert written.title == f"关于{label}的建议"

    wang = _deputy(app, "13900000001", "wang-pass-1")
    assert label in wang.get("/deputy/").get_data(as_text=True).split('id="collecting"')[1]
    assert label in wang.get("/deputy/groups").get_data(as_text=True)
    assert f"<h1>{label}</h1>" in wang.get(f"/deputy/groups/{ditch}").get_data(as_text=True)
    add_staff(app, "office1", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office1")
    assert label in office.get("/staff/groups").get_data(as_text=True)
    assert f"<h1>{label}</h1>" in office.get(f"/staff/groups/{ditch}").get_data(as_text=True)
    assert f"在收集中的一组：{written.title}" in office.get(f"/staff/messages/{message_id}").get_data(as_text=True)
    listed = app.test_cli_runner().invoke(args=["drafts", "list", "--json"])
    [row] = [row for row in json.loads(listed.output) if row["id"] == ditch]
    assert (row["title"], row["sections"], row["handling_unit"]) == (written.title, written.sections,
                                                                     written.handling_unit)

    _send(app, district["王"], "柳河镇桃园村的排污沟又堵了，污水漫到路上。建议尽快清理排污沟。")
    run_jobs()
    with app.extensions["mashang"].sessions() as session:
        group = session.get(Draft, ditch)
        assert len(group.links) == 2 and group.composed_messages == 2
        assert group.title == composing.text_of(group.messages, group.topic, None, runtime.local_tz).title


def test_a_draft_of_ticked_messages_and_ticked_messages_added_to_an_open_draft(app, run_jobs, district):
    neighbour = app.test_client()  # writes twice: the lights stay two citizens' problem, still collecting
    for text in (LIGHTS[0], MORE_LIGHTS):
        report(neighbour, district["王"], text)
    _send(app, district["王"], LIGHTS[1], DITCH)
    _send(app, district["李"], "青石街道菜市场门口占道经营，交通堵塞。")
    run_jobs()
    first, second, ditch, more = _message_ids(app, *LIGHTS, DITCH, MORE_LIGHTS)
    [theirs] = _message_ids(app, "青石街道菜市场门口占道经营，交通堵塞。")
    wang = _deputy(app, "13900000001", "wang-pass-1")
    page = wang.get("/deputy/messages").get_data(as_text=True)
    # the words as read: the link's closing bracket is drawn by a span of its own
    assert page.count('name="messages"') == 4 and "所在问题（收集中）" in re.sub(r"<[^>]+>", "", page)

    # A refusal answers with the list as it was (its search kept), the ticks still there and what was refused said.
    nothing = _post(wang, "/deputy/messages/draft", {"back": "/deputy/messages?q=路灯"})
    assert nothing.status_code == 422 and "无法新建草稿：请先勾选留言。" in nothing.get_data(as_text=True)
    assert 'value="路灯"' in nothing.get_data(as_text=True)
    # A message ticked that is no longer the deputy's (another's, or moved away): said so, nothing of it shown.
    gone = _post(wang, "/deputy/messages/draft", {"messages": [first, theirs]})
    assert gone.status_code == 422 and "已不在您这里" in gone.get_data(as_text=True)
    assert f'value="{first}" checked' in gone.get_data(as_text=True) and "菜市场" not in gone.get_data(as_text=True)
    made = _post(wang, "/deputy/messages/draft", {"messages": [first, ditch]})
    draft_id = int(re.search(r"/deputy/drafts/(\d+)", made.headers["Location"]).group(1))
    with app.extensions["mashang"].sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft.status == DraftStatus.OPEN and sorted(m.id for m in draft.messages) == [first, ditch]
        revision = session.scalar(select(DraftRevision).where(DraftRevision.draft_id == draft_id))
        assert revision.action == "from_messages" and revision.after["messages"] == [first, ditch]
    home = wang.get("/deputy/").get_data(as_text=True)
    assert "建议草稿（1）" in home and "收集中的问题（1）" in home  # the ditch's group is gone: its message moved
    # The picker of open drafts names each by its problem: on a phone's narrow select, "关于" alone says nothing.
    problem = re.fullmatch(r"关于(.+)的建议", draft.title).group(1)
    assert f'<option value="{draft_id}">{problem}</option>' in wang.get("/deputy/messages").get_data(as_text=True)

    added = _post(wang, "/deputy/messages/add", {"messages": [second, more], "draft": draft_id})
    assert added.headers["Location"].endswith(f"/deputy/drafts/{draft_id}")
    assert "收集中的问题（0）" in wang.get("/deputy/").get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        draft = session.get(Draft, draft_id)
        assert sorted(m.id for m in draft.messages) == sorted([first, second, ditch, more]) and draft.version == 2
    refused = _post(wang, "/deputy/messages/add", {"messages": [second], "draft": draft_id})
    assert refused.status_code == 422 and "无法加入草稿：勾选的留言都已在这份草稿里。" in refused.get_data(as_text=True)
    assert f'value="{second}" checked' in refused.get_data(as_text=True)
    assert f'<option value="{draft_id}" selected>' in refused.get_data(as_text=True)
    emptied = _post(wang, "/deputy/messages/draft", {"messages": [first, second, ditch, more]})
    assert emptied.status_code == 422 and "全部留言" in emptied.get_data(as_text=True)

    li = _deputy(app, "13900000002", "li-pass-1")
    others = _post(li, "/deputy/messages/add", {"messages": [theirs], "draft": draft_id})
    assert others.status_code == 422 and "不能再加入留言" in others.get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        assert theirs not in [m.id for m in session.get(Draft, draft_id).messages]
    no_draft = _post(wang, "/deputy/messages/add", {"messages": [second]})
    assert no_draft.status_code == 422 and "请选择要加入的草稿" in no_draft.get_data(as_text=True)

    version = re.search(r'name="version" value="(\d+)"', wang.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True))
    _post(wang, f"/deputy/drafts/{draft_id}/approve", version=version.group(1), confirm="yes")
    page = wang.get("/deputy/messages").get_data(as_text=True)
    # submitted: no longer movable
    assert page.count('name="messages"') == 0 and "所在草稿（已提交）" in re.sub(r"<[^>]+>", "", page)
    sealed = _post(wang, "/deputy/messages/draft", {"messages": [first]})
    assert sealed.status_code == 422 and "已提交或已放弃" in sealed.get_data(as_text=True)


def _tick_form(client, ids: list[int]) -> dict:
    """The messages page's form with these messages ticked, as the browser sends it (where each was shown too)."""
    page = client.get("/deputy/messages").get_data(as_text=True)
    shown = [value for value in re.findall(r'name="shown" value="([^"]*)"', page)
             if int(value.split(":")[0]) in ids]
    return {"csrf_token": csrf_token(client, "/deputy/"), "messages": ids, "shown": shown}


def _at_once(client, path: str, form: dict) -> list:
    """The same form sent twice at the same moment (a double tap), as two real concurrent requests."""
    start, answers = threading.Barrier(2), []

    def send():
        start.wait()
        answers.append(client.post(path, data=form))

    sending = [threading.Thread(target=send) for _ in range(2)]
    for thread in sending:
        thread.start()
    for thread in sending:
        thread.join(60)
    return sorted(answers, key=lambda answer: answer.status_code)


def test_新建草稿_or_加入已有草稿_sent_twice_at_once_is_done_once_and_the_second_told_so(app, run_jobs, district):
    """Two taps on 新建草稿 once made the draft and crashed the second request with a 500 (SQLite: a message's old
    group read before the first tap's change committed); on PostgreSQL the second was told the messages were all of
    another draft. Now the second is told the same was just done, with the list as it is now, never a 500."""
    neighbour = app.test_client()
    for text in (LIGHTS[0], MORE_LIGHTS):
        report(neighbour, district["王"], text)
    _send(app, district["王"], LIGHTS[1], DITCH)
    run_jobs()
    first, second, ditch, more = _message_ids(app, *LIGHTS, DITCH, MORE_LIGHTS)
    wang = _deputy(app, "13900000001", "wang-pass-1")

    made, told = _at_once(wang, "/deputy/messages/draft", _tick_form(wang, [first, second]))
    assert made.status_code == 302, re.findall(r'role="(?:alert|status)"[^>]*>([^<]*)', made.get_data(as_text=True))
    page = told.get_data(as_text=True)
    assert told.status_code == 409 and "无法新建草稿：刚才有人同时做了同样的操作" in page
    assert 'checked' not in page.split('id="chosen"')[1]  # the list as it is now, nothing ticked to send again
    draft_id = int(re.search(r"/deputy/drafts/(\d+)", made.headers["Location"]).group(1))
    with app.extensions["mashang"].sessions() as session:
        opened = session.scalars(select(Draft).where(Draft.status == DraftStatus.OPEN)).all()
        assert [(d.id, sorted(m.id for m in d.messages)) for d in opened] == [(draft_id, sorted([first, second]))]
        linked = session.scalars(select(DraftMessage.message_id)).all()
        assert sorted(linked) == sorted([first, second, ditch, more])  # each message in one place, once

    added, told = _at_once(wang, "/deputy/messages/add", {**_tick_form(wang, [ditch, more]), "draft": draft_id})
    assert added.status_code == 302 and added.headers["Location"].endswith(f"/deputy/drafts/{draft_id}")
    assert told.status_code == 409 and "无法加入草稿：刚才有人同时做了同样的操作" in told.get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        draft = session.get(Draft, draft_id)
        assert sorted(m.id for m in draft.messages) == sorted([first, second, ditch, more]) and draft.version == 2
        assert session.scalar(select(func.count()).select_from(DraftMessage)) == 4
    # A page shown after the change sends what it showed: the same ticks are refused for what they are now.
    again = _post(wang, "/deputy/messages/add", _tick_form(wang, [ditch]), draft=draft_id)
    assert again.status_code == 422 and "勾选的留言都已在这份草稿里" in again.get_data(as_text=True)


def test_colleagues_of_the_station_on_the_same_problem_are_shown_and_invited_in_one_tap(app, run_jobs, district):
    _send(app, district["王"], *LIGHTS)
    _send(app, district["李"], MORE_LIGHTS, "幸福小区门口路灯不亮，晚上看不清路，老人摔倒过。")
    _send(app, district["张"], "幸福小区门口的路灯坏了，晚上很黑。")  # another station: not a colleague
    _send(app, district["王"], DITCH)
    run_jobs()
    wang = _deputy(app, "13900000001", "wang-pass-1")
    home = wang.get("/deputy/").get_data(as_text=True)
    assert home.count("同站代表也收到") == 1 and "同站代表也收到 2 条" in home
    lights = _groups(app, "王秀兰")["路灯"]
    page = wang.get(f"/deputy/groups/{lights}").get_data(as_text=True)
    assert "同站还有 1 位代表收到同一问题（2 条留言）：李建国。" in page and "张桂芳" not in page
    li = _deputy(app, "13900000002", "li-pass-1")
    assert "同站代表也收到 2 条" in li.get("/deputy/").get_data(as_text=True)  # each of them sees the other

    _post(wang, f"/deputy/groups/{lights}/draft", invite="yes")
    page = wang.get(f"/deputy/drafts/{lights}").get_data(as_text=True)
    assert "附议代表</h2>\n  <p>李建国</p>" in page and "都已是附议代表" in page
    with app.extensions["mashang"].sessions() as session:
        assert [d.name for d in session.get(Draft, lights).cosigners] == ["李建国"]

    # On a draft: one tap on the draft page.
    theirs = _groups(app, "李建国")["路灯"]
    _post(li, f"/deputy/groups/{theirs}/draft")
    page = li.get(f"/deputy/drafts/{theirs}").get_data(as_text=True)
    assert "同站还有 1 位代表收到同一问题（2 条留言）：王秀兰。" in page and "邀请王秀兰附议" in page
    # The radar found the same problem at 王秀兰 too, and at 张桂芳 of another station: one card names each once,
    # the station's colleague with the invitation first.
    [card] = re.findall(r'<div class="flash" id="colleagues">(.*?)</div>', page, re.S)
    assert "全区还有 1 位代表收到同一问题：张桂芳。" in card and card.index("邀请") < card.index("张桂芳")
    assert card.count("王秀兰") == 2 and "王秀兰" not in page.replace(card, "").replace("王秀兰（", "")
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert _post(wang, f"/deputy/drafts/{theirs}/invite", version=version).status_code == 404
    assert _post(li, f"/deputy/drafts/{theirs}/invite", version=version).status_code == 302
    with app.extensions["mashang"].sessions() as session:
        assert [d.name for d in session.get(Draft, theirs).cosigners] == ["王秀兰"]
    ditch = _groups(app, "王秀兰")["排污沟"]
    _post(wang, f"/deputy/groups/{ditch}/draft")
    page = wang.get(f"/deputy/drafts/{ditch}").get_data(as_text=True)
    assert "同站还有" not in page


def test_staff_see_the_collecting_groups_of_their_station_and_office_staff_all(app, run_jobs, district):
    _send(app, district["王"], *LIGHTS)
    _send(app, district["张"], DITCH)
    run_jobs()
    add_staff(app, "office1", StaffRole.OFFICE, None)
    add_staff(app, "liuhe", StaffRole.STATION, "柳河镇人大代表联络站")
    lights, ditch = _groups(app, "王秀兰")["路灯"], _groups(app, "张桂芳")["排污沟"]

    office = sign_in_staff(app, "office1")
    page = office.get("/staff/groups").get_data(as_text=True)
    assert "收集中的问题（2）" in page and "王秀兰" in page and "张桂芳" in page
    page = office.get(f"/staff/groups/{lights}").get_data(as_text=True)
    assert all(text in page for text in LIGHTS) and "/staff/messages/" in page
    assert "把这 2 条留言整理成草稿" in page

    station = sign_in_staff(app, "liuhe")
    page = station.get("/staff/groups").get_data(as_text=True)
    assert "收集中的问题（1）" in page and "张桂芳" in page and "王秀兰" not in page
    assert station.get(f"/staff/groups/{lights}").status_code == 404
    page = station.get(f"/staff/groups/{ditch}").get_data(as_text=True)
    assert DITCH in page and "把这条留言整理成草稿" in page and "这些" not in page  # one message, said so


def test_the_use_cases_check_every_object_and_refuse_with_codes_that_have_sentences(app, run_jobs, district, runtime):
    _send(app, district["王"], *LIGHTS)
    _send(app, district["张"], DITCH)
    run_jobs()
    lights, ditch = _groups(app, "王秀兰")["路灯"], _groups(app, "张桂芳")["排污沟"]
    [theirs] = _message_ids(app, DITCH)
    with runtime.sessions() as session:
        wang = session.scalar(select(Deputy).where(Deputy.name == "王秀兰"))
        zhang = session.scalar(select(Deputy).where(Deputy.name == "张桂芳"))
        with pytest.raises(NotFound):
            desk.group_of(session, wang.id, ditch)
        with pytest.raises(NotFound):
            desk.draft_from_group(session, wang.id, ditch, runtime.local_tz)
        with pytest.raises(NotFound):
            desk.draft_from_messages(session, wang.id, [theirs], runtime.local_tz)
        refusals = []
        for attempt in (lambda: desk.draft_from_messages(session, wang.id, [], runtime.local_tz),
                        lambda: desk.add_to_draft(session, wang.id, None, [theirs], runtime.local_tz)):
            with pytest.raises(InvalidInput) as refused:
                attempt()
            refusals.append(refused.value.code)
        assert refusals == ["nothing_selected", "draft_target_missing"]
        assert all(wording.sentence(code) != code for code in refusals + ["message_not_ready", "message_sealed",
                                                                            "already_in_draft", "draft_emptied",
                                                                            "no_colleagues", "group"])
        assert [line.group.id for line in desk.collecting_for_staff(session, zhang.station_id).lines] == [ditch]
        assert {line.group.id for line in desk.collecting_for_staff(session, None).lines} == {lights, ditch}
        with pytest.raises(NotFound):
            desk.group_for_staff(session, zhang.station_id, lights)
        assert desk.label_of(session, desk.group_for_staff(session, None, lights)) == "幸福小区路灯问题"


def test_the_deputy_pages_write_a_message_time_one_way(app, run_jobs, district):
    """The message list once wrote 2026-12-05 20:53 while the group and draft pages wrote 12-05 20:52: this
    year's times are 12-05 20:53 on every deputy page."""
    _send(app, district["王"], DITCH)
    run_jobs()
    ditch = _groups(app, "王秀兰")["排污沟"]
    wang = _deputy(app, "13900000001", "wang-pass-1")
    shown = {}
    for path in ("/deputy/messages", f"/deputy/groups/{ditch}"):
        page = wang.get(path).get_data(as_text=True)
        assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page), path
        shown[path] = re.findall(r">(\d{2}-\d{2} \d{2}:\d{2})<", page)
    assert shown["/deputy/messages"] and shown["/deputy/messages"][0] in shown[f"/deputy/groups/{ditch}"]


def test_a_collecting_problems_page_shows_its_citizens_photos(app, run_jobs, district):
    # The deputy saw a citizen's photo only once the problem was a draft: the group's page said nothing of it.
    from tests.test_photos import _photo_with_location, _upload

    citizen = app.test_client()
    send(citizen, district["王"], LIGHTS[0])
    assert "图片已收到" in _upload(citizen, district["王"], _photo_with_location()).get_json()["replies"][0]
    report(citizen, district["王"], "就在东门口")
    run_jobs()
    wang = _deputy(app, "13900000001", "wang-pass-1")
    group = re.findall(r'href="(/deputy/groups/\d+)', wang.get("/deputy/").get_data(as_text=True))[0]
    [src] = re.findall(r'<img class="photo" src="([^"]+)"', wang.get(group).get_data(as_text=True))
    shown = wang.get(src)
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
