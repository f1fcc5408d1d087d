"""Colleagues invited to co-sign are told on their home page, and confirm or decline there."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.models import Draft, DraftRevision
from tests.helpers import deputies, set_password
from tests.test_desk import LIGHTS, MORE_LIGHTS, _deputy, _groups, _post, _send, app, district  # noqa: F401


def _cosigners(app, draft_id: int) -> list[str]:
    with app.extensions["mashang"].sessions() as session:
        return [d.name for d in session.get(Draft, draft_id).cosigners]


def _invitations(client) -> str:
    home = client.get("/deputy/").get_data(as_text=True)
    return home.split('id="invitations"')[1].split("</section>")[0] if 'id="invitations"' in home else ""


def _version(client, draft_id: int) -> str:
    """The draft's version as its page shows it, which every change to the draft must name."""
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_an_invited_colleague_is_told_and_confirms_or_declines(app, run_jobs, district):
    _send(app, district["王"], *LIGHTS)
    _send(app, district["李"], MORE_LIGHTS, "幸福小区门口路灯不亮，晚上看不清路，老人摔倒过。")
    run_jobs()
    wang = _deputy(app, "13900000001", "wang-pass-1")
    li = _deputy(app, "13900000002", "li-pass-1")
    assert _invitations(li) == ""

    lights = _groups(app, "王秀兰")["路灯"]
    _post(wang, f"/deputy/groups/{lights}/draft", invite="yes")
    told = _invitations(li)
    title = re.search(r"<title>(.*?) - 码上说</title>", wang.get(f"/deputy/drafts/{lights}").get_data(as_text=True))
    assert "邀请您附议（1）" in told and "王秀兰" in told and title.group(1) in told
    assert "同意附议" in told and "不参加" in told
    assert "王秀兰代表已先把您列为附议代表" in told  # 您已列为 read as the deputy having listed someone
    assert _invitations(wang) == ""  # the lead is not asked

    # Only the invited deputy answers: the lead (or anyone else) finds nothing there.
    assert _post(wang, f"/deputy/invitations/{lights}", answer="decline").status_code == 404
    refused = _post(li, f"/deputy/invitations/{lights}", answer="maybe")
    assert "请选择同意附议或不参加" in li.get(refused.headers["Location"]).get_data(as_text=True)
    assert _cosigners(app, lights) == ["李建国"]

    declined = _post(li, f"/deputy/invitations/{lights}", answer="decline")
    assert "您已不再是附议代表" in li.get(declined.headers["Location"]).get_data(as_text=True)
    assert _cosigners(app, lights) == [] and _invitations(li) == ""
    assert _post(li, f"/deputy/invitations/{lights}", answer="decline").status_code == 302  # answered: no change
    page = wang.get(f"/deputy/drafts/{lights}").get_data(as_text=True)
    assert "受邀代表不附议" in page and "李建国（已谢绝附议）" in page and "邀请李建国附议" not in page

    # Neither the one-tap invitation (from a page loaded before) nor ticking her lists or asks her again.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    refused = _post(wang, f"/deputy/drafts/{lights}/invite", version=version)
    assert "同站代表已谢绝附议" in wang.get(refused.headers["Location"]).get_data(as_text=True)
    ids = {d["name"]: d["id"] for d in deputies(app)}
    _post(wang, f"/deputy/drafts/{lights}/cosigners", {"cosigners": [ids["李建国"]]}, version=version)
    assert _cosigners(app, lights) == [] and _invitations(li) == ""
    page = wang.get(f"/deputy/drafts/{lights}").get_data(as_text=True)
    ticks = page.split("选择附议代表")[1].split("</fieldset>")[0]
    assert "李建国（" in ticks and "已谢绝" in ticks and f'value="{ids["李建国"]}"' not in ticks

    # She alone may change her mind, from her home page, while the draft is open.
    home = li.get("/deputy/").get_data(as_text=True)
    assert "您已谢绝附议（1）" in home and f'id="recosign-{lights}"' in home
    confirmed = _post(li, f"/deputy/invitations/{lights}", answer="cosign")
    assert "您已同意附议" in li.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert _cosigners(app, lights) == ["李建国"] and _invitations(li) == ""
    assert "您已谢绝附议" not in li.get("/deputy/").get_data(as_text=True)
    with app.extensions["mashang"].sessions() as session:
        actions = list(session.scalars(select(DraftRevision.action).where(DraftRevision.draft_id == lights)
                                       .order_by(DraftRevision.id)))
    assert actions[-3:] == ["decline", "cosigners", "cosign"]


def _li_invited(app, run_jobs, district):
    """王秀兰 makes a draft of her street-light group and invites 李建国, who had a message on it too."""
    _send(app, district["王"], *LIGHTS)
    _send(app, district["李"], MORE_LIGHTS)
    run_jobs()
    wang = _deputy(app, "13900000001", "wang-pass-1")
    li = _deputy(app, "13900000002", "li-pass-1")
    lights = _groups(app, "王秀兰")["路灯"]
    _post(wang, f"/deputy/groups/{lights}/draft", invite="yes")
    return wang, li, lights


def test_an_invitation_goes_when_the_draft_is_submitted_or_the_lead_takes_the_colleague_off(app, run_jobs, district):
    wang, li, lights = _li_invited(app, run_jobs, district)
    assert "邀请您附议（1）" in _invitations(li)

    version = _version(wang, lights)
    _post(wang, f"/deputy/drafts/{lights}/cosigners", version=version)  # none chosen: 李 taken off
    assert _cosigners(app, lights) == [] and _invitations(li) == ""
    assert _post(li, f"/deputy/invitations/{lights}", answer="cosign").status_code == 404

    version = _version(wang, lights)
    _post(wang, f"/deputy/drafts/{lights}/invite", version=version)
    assert "邀请您附议（1）" in _invitations(li)
    version = _version(wang, lights)
    _post(wang, f"/deputy/drafts/{lights}/approve", version=version, confirm="yes")
    assert _invitations(li) == ""  # submitted: nothing left to answer
    assert _post(li, f"/deputy/invitations/{lights}", answer="decline").status_code == 404
    assert _cosigners(app, lights) == ["李建国"]


def test_colleagues_ticked_as_cosigners_are_asked_like_invited_ones(app, run_jobs, district):
    _send(app, district["王"], *LIGHTS)
    run_jobs()
    set_password(app, "13900000004", "zhang-pass-1")
    wang = _deputy(app, "13900000001", "wang-pass-1")
    li = _deputy(app, "13900000002", "li-pass-1")
    zhang = _deputy(app, "13900000004", "zhang-pass-1")  # of another station: the lead may still tick her
    ids = {d["name"]: d["id"] for d in deputies(app)}
    lights = _groups(app, "王秀兰")["路灯"]
    _post(wang, f"/deputy/groups/{lights}/draft")  # no one invited in one tap

    def tick(*names):
        version = _version(wang, lights)
        _post(wang, f"/deputy/drafts/{lights}/cosigners", {"cosigners": [ids[n] for n in names]}, version=version)

    tick("李建国")
    told = _invitations(li)
    assert "邀请您附议（1）" in told and "王秀兰" in told and "同意附议" in told
    assert _invitations(zhang) == ""
    _post(li, f"/deputy/invitations/{lights}", answer="cosign")
    assert _invitations(li) == ""

    tick("李建国", "张桂芳")  # only the newly ticked colleague is asked; 李 has confirmed already
    assert "邀请您附议（1）" in _invitations(zhang) and _invitations(li) == ""
    declined = _post(zhang, f"/deputy/invitations/{lights}", answer="decline")
    assert declined.status_code == 302 and _cosigners(app, lights) == ["李建国"]


def test_an_answer_sent_twice_is_answered_alike_and_stored_once(app, run_jobs, district):
    wang, li, lights = _li_invited(app, run_jobs, district)

    def actions():
        with app.extensions["mashang"].sessions() as session:
            return list(session.scalars(select(DraftRevision.action).where(DraftRevision.draft_id == lights)))

    # A double tap (or a slow network's resend) on 不附议, then on 改为附议: the second post finds the answer
    # already given, and the deputy sees the same confirmation, not a page saying there is no such thing.
    for reply, told, names in (("decline", "您已不再是附议代表", []), ("cosign", "您已同意附议", ["李建国"])):
        before = len(actions())
        for _ in range(2):
            answered = _post(li, f"/deputy/invitations/{lights}", answer=reply)
            assert answered.status_code == 302 and told in li.get(answered.headers["Location"]).get_data(as_text=True)
        assert _cosigners(app, lights) == names and len(actions()) == before + 1

    # Answered already, but taken off by the lead since: confirming again does not put them back.
    version = _version(wang, lights)
    _post(wang, f"/deputy/drafts/{lights}/cosigners", version=version)
    assert _post(li, f"/deputy/invitations/{lights}", answer="cosign").status_code == 404
    assert _cosigners(app, lights) == []


def test_an_invited_colleague_reads_the_draft_before_answering_and_nobody_else_does(app, run_jobs, district):
    wang, li, lights = _li_invited(app, run_jobs, district)
    set_password(app, "13900000004", "zhang-pass-1")
    zhang = _deputy(app, "13900000004", "zhang-pass-1")
    with app.extensions["mashang"].sessions() as session:
        title = session.get(Draft, lights).title
    # The card says whose draft it is (his own of the same problem may bear the same title) and links to it.
    told = _invitations(li)
    assert re.search(rf'<a href="/deputy/invitations/{lights}"[^>]*>王秀兰代表的草稿《{title}》</a>', told), told
    page = li.get(f"/deputy/invitations/{lights}")
    text = re.sub(r"<[^>]+>", "", page.get_data(as_text=True))
    assert page.status_code == 200 and title in text and "领衔代表王秀兰" in text.replace("\n", "").replace(" ", "")
    assert "幸福小区门口的路灯坏了快一个月了" in text  # the text she would co-sign
    assert "同意附议" in text and "不参加" in text
    assert "群众留言（" not in text  # the citizens wrote to 王秀兰: their messages stay hers
    # Nobody else reads it there: not a deputy she did not invite, nor the lead (her draft has its own page).
    assert zhang.get(f"/deputy/invitations/{lights}").status_code == 404
    assert wang.get(f"/deputy/invitations/{lights}").status_code == 404
    # Declined, 李建国 may still read it, to change his mind; once it is submitted, there is nothing to answer.
    _post(li, f"/deputy/invitations/{lights}", answer="decline")
    assert f'href="/deputy/invitations/{lights}"' in li.get("/deputy/").get_data(as_text=True)
    assert "改为附议" in li.get(f"/deputy/invitations/{lights}").get_data(as_text=True)
    _post(li, f"/deputy/invitations/{lights}", answer="cosign")
    _post(wang, f"/deputy/drafts/{lights}/approve", version=_version(wang, lights), confirm="yes")
    assert li.get(f"/deputy/invitations/{lights}").status_code == 404


ASKS_ONLY = "幸福小区门口的路灯坏了一个多月，晚上老人出门很不方便，希望尽快修好路灯。"


def _lights_told_to_both(app, run_jobs, district):
    """王秀兰's citizens and 李建国's one (who only asks) tell of the lamps, drafted: the two deputies signed in."""
    _send(app, district["李"], ASKS_ONLY)
    _send(app, district["王"], *LIGHTS)
    run_jobs()
    return _deputy(app, "13900000001", "wang-pass-1"), _deputy(app, "13900000002", "li-pass-1")


def test_an_invitation_says_who_asks_what_and_what_each_button_does_and_reads_as_a_document(app, run_jobs, district):
    # 李建国's only citizen asks for something in her one sentence: his draft has no 存在问题 of its own.
    wang, li = _lights_told_to_both(app, run_jobs, district)
    theirs = _groups(app, "李建国")["路灯"]
    _post(li, f"/deputy/groups/{theirs}/draft", invite="yes")
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", wang.get(f"/deputy/invitations/{theirs}").get_data(as_text=True)))
    # Who asks, what 附议 is, and what each of the two buttons does: “您已被列为附议代表” then
    # “确认附议，或选择不附议” left all three to guess.
    # and who hands it in: she need not submit it herself.
    assert "李建国代表邀请您附议这条建议" in text
    assert "和李建国代表联名提出这条建议，草稿由李建国代表定稿并提交，您不用另外提交。" in text
    assert "点“同意附议”，提交时您的名字留在附议代表中" in text and "点“不参加”，您的名字从附议代表中去掉" in text
    assert "同意附议" in text and "不参加" in text and "确认附议" not in text
    # The text she would put her name to reads as the document: no section headed and then （无）.
    assert "（无）" not in text and "存在问题" not in text and "具体建议1." in text
    told = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", _invitations(wang)))
    assert "和李建国代表联名提出这条建议" in told and "点“不参加”" in told
    refused = _post(wang, f"/deputy/invitations/{theirs}", answer="maybe")
    assert "请选择同意附议或不参加" in wang.get(refused.headers["Location"]).get_data(as_text=True)


def test_the_home_tells_a_colleagues_draft_from_ones_own_of_the_same_title(app, run_jobs, district):
    wang, li = _lights_told_to_both(app, run_jobs, district)
    _post(wang, f"/deputy/groups/{_groups(app, '王秀兰')['路灯']}/draft")
    _post(li, f"/deputy/groups/{_groups(app, '李建国')['路灯']}/draft", invite="yes")
    home = wang.get("/deputy/").get_data(as_text=True)
    asked = re.sub(r"\s+", "", re.sub(r"<[^>]+>", " ", _invitations(wang)))
    # The colleague's draft is marked as his, with its size and when he asked; her own says its size and date too.
    assert "李建国代表邀请您附议" in asked and "1条留言" in asked and re.search(r"\d\d:\d\d邀请", asked), asked
    own = re.sub(r"\s+", "", re.sub(r"<[^>]+>", " ", home.split('<ul class="drafts">')[1].split("</ul>")[0]))
    assert "2条留言" in own and re.search(r"\d\d:\d\d更新", own) and "邀请" not in own, own
