"""The reply check: each point of a suggestion answered or 未回应, copies of another suggestion's reply, pure
acknowledgements, lateness; shown to the office before accepting and to the deputy beside the rating; the
share judged 充分 per unit on /staff/stats; and `mashang replies check` over a table of published replies."""

from __future__ import annotations

import csv
import json
import re
from datetime import date

from flask import render_template
from openpyxl import load_workbook

from intake.models import Deputy, HandlingUnit, StaffRole, StaffUser, Station
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import handling
from intake.services.replies import asks, audit, learned, scoring
from tests.conftest import csrf_token
from tests.helpers import add_staff, set_password, sign_in_deputy, sign_in_staff

PROBLEMS = "幸福小区东门路灯损坏，夜间出行不安全\n小区门口下水道堵塞，雨天积水严重"
PROPOSALS = "增设垃圾分类收集点，及时清运垃圾"
TWO_OF_THREE = ("经查，幸福小区东门路灯因线路老化损坏，区城管局已于11月5日更换全部路灯。"
                "区水务局已于11月8日疏通小区门口下水道，积水已排除。")
OTHER_PROBLEMS = "青石街农贸市场油烟扰民\n市场周边占道经营"
ACKNOWLEDGEMENT = "网友：您好！您的留言已收悉，已转相关部门调查处理。感谢您对我们工作的支持！2026年11月2日"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_three_points_and_a_reply_answering_two_names_the_third_unanswered():
    points = scoring.suggestion_points(PROBLEMS, PROPOSALS + "（3位群众反映）")
    assert points == ["幸福小区东门路灯损坏，夜间出行不安全", "小区门口下水道堵塞，雨天积水严重", "增设垃圾分类收集点，及时清运垃圾"]
    check = scoring.check(points, TWO_OF_THREE, category="A")
    assert [a.answered for a in check.answers] == [True, True, False]
    assert "路灯" in check.answers[0].sentence and "下水道" in check.answers[1].sentence
    assert check.answers[2].sentence == ""
    assert check.level == "部分"  # one point in three is not answered
    assert any("第 3 点未回应" in reason for reason in check.reasons)
    assert {"date", "office", "action"} <= set(check.concrete)
    answering_all = scoring.check(points, TWO_OF_THREE + "已在小区增设垃圾分类收集点4处，每日清运垃圾两次。", category="A")
    assert answering_all.level == "充分" and answering_all.answered == 3


def test_a_pure_acknowledgement_is_not_enough_and_a_late_reply_is_said_so():
    check = scoring.check(["幸福小区东门路灯损坏"], ACKNOWLEDGEMENT)
    assert check.level == "不充分" and check.boilerplate == "acknowledgement" and check.answered == 0
    handed_to_court = scoring.check(["幸福小区东门路灯损坏"], "网友：您好！您所反映的问题已移交区法院强制执行。感谢留言！")
    assert handed_to_court.level == "不充分" and handed_to_court.boilerplate == "acknowledgement"
    sent_on = scoring.check(["幸福小区东门路灯损坏"], "您反映的问题，我们已发函交办给青石镇进行办理。办理结果将及时反馈。",
                            asked="幸福小区东门路灯损坏", guessed=True)
    assert sent_on.level == "不充分" and sent_on.boilerplate == "acknowledgement"
    # A leader's instruction to handle it, with the outcome to come later, is still only forwarding.
    instructed = scoring.check(["幸福小区东门路灯损坏"], "网友您好！您的来邮已收悉，县委书记高度重视，已作出批示，交由相关单位"
                               "办理，办理情况我办将在第一时间回复。", asked="幸福小区东门路灯损坏", guessed=True)
    assert instructed.level == "不充分" and instructed.boilerplate == "acknowledgement"
    redirect = scoring.check(["幸福小区东门路灯损坏"], "您好！请您直接致电区城管局咨询，电话：0571-88880000。")
    assert redirect.level == "不充分" and redirect.boilerplate == "redirect"
    terse = scoring.check(["幸福小区东门路灯损坏"], "已修复。")
    assert terse.level == "不充分" and terse.boilerplate == "" and "寥寥数语" in terse.reasons[0]
    late = scoring.check(scoring.suggestion_points(PROBLEMS, PROPOSALS),
                         TWO_OF_THREE + "已在小区增设垃圾分类收集点4处，每日清运垃圾两次。", category="A",
                         deadline=date(2026, 11, 30), replied_on=date(2026, 12, 3))
    assert late.on_time is False and late.level == "部分"
    assert any("超过办理期限" in reason and "2026-11-30" in reason for reason in late.reasons)
    promised = scoring.check(["幸福小区东门路灯损坏"], "区城管局已将幸福小区路灯更换列入改造计划，经费30万元。", category="B")
    assert "B 类答复没有写明完成时间" in promised.reasons and promised.level == "部分"


def test_a_citizens_letter_is_read_question_by_question():
    letter = ("青石街菜市场的油烟问题困扰居民两年了。请问青石街菜市场的排烟管道改造什么时候开工？"
              "青石街菜市场门口占道经营能否清理？青石街菜市场的垃圾为什么每天中午才清运？难道就没有人管吗？"
              "恳请领导在百忙之中为民做主！")
    points = scoring.question_points(letter, "青石街菜市场问题")
    # The three questions; the rhetorical one and the plea ask nothing a reply could answer point by point.
    assert points == ["请问青石街菜市场的排烟管道改造什么时候开工？", "青石街菜市场门口占道经营能否清理？",
                      "青石街菜市场的垃圾为什么每天中午才清运？"]
    reply = ("您好！您的留言已收悉。感谢您对青石街发展的关注，区城管局已于5月3日清理青石街菜市场门口的占道摊位12处，"
             "并安排专人每日巡查。排烟工程将于6月10日开工。感谢您对我们工作的支持！")
    check = scoring.check(points, reply, asked="青石街菜市场问题。" + letter, guessed=True)
    # "When" is answered by the sentence giving a date; the answer after the thanks is read, not dropped with
    # them; the market's name in a sentence about the stalls does not answer the question on rubbish.
    assert [a.sentence for a in check.answers] == [
        "排烟工程将于6月10日开工。", "区城管局已于5月3日清理青石街菜市场门口的占道摊位12处，并安排专人每日巡查。", ""]
    assert "回应了 3 点中的 2 点，第 3 点未回应" in check.reasons


def test_pleas_verdicts_and_repeats_are_not_asks_of_their_own():
    letter = ("幸福小区东门路灯坏了三个月。请问幸福小区东门路灯何时修复？小区门口下水道堵塞能否尽快疏通？"
              "幸福小区东门的路灯到底什么时候能修好？物业这样做合法吗？恳请领导重视，早日解决！")
    # The second question on the lamp asks for the same fact; the verdict asked for and the plea name nothing
    # a unit could answer apart from the two asks.
    assert scoring.question_points(letter, "幸福小区路灯和下水道问题") == [
        "请问幸福小区东门路灯何时修复？", "小区门口下水道堵塞能否尽快疏通？"]


def test_a_reply_saying_the_thing_was_done_answers_the_request_to_do_it(app):
    # "已修复。" is three characters: it was dropped as too short to answer anything.
    fixed = scoring.check(["尽快修复路灯"], "区城管局接到建议后立即派人到现场查看。已修复。")
    assert [a.sentence for a in fixed.answers] == ["已修复。"] and "未回应" not in audit.point_lines(fixed)
    terse = scoring.check(["尽快修复路灯"], "已修复。")
    assert terse.answered == 1 and terse.level == "不充分" and "寥寥数语" in terse.reasons[0]  # still too little
    # Done in other words than the request's: replaced lamps answer a request to repair them, and a point's own
    # verb tells which of two points a bare "已清理完毕" answers.
    replaced = scoring.check(["尽快修复幸福小区东门路灯"], "经现场查看，灯具老化，区城管局已于11月5日全部更换。")
    assert replaced.answers[0].sentence == "经现场查看，灯具老化，区城管局已于11月5日全部更换。"
    two = scoring.check(["尽快修复东门路灯", "清理北门堆放的建筑垃圾"], "区城管局已派人到现场查看。已清理完毕。")
    assert [a.sentence for a in two.answers] == ["", "已清理完毕。"]
    assert "第 1 点未回应" in " ".join(two.reasons)
    # Work still to be done is no answer of that kind.
    undone = scoring.check(["尽快修复幸福小区东门路灯"], "经现场查看，灯具老化，尚未更换，区城管局已上报计划。")
    assert undone.answered == 0
    # Nor is work not finished, planned, asked for or passed on, nor the request's word used as a noun.
    seen = "区城管局接到建议后立即派人到现场查看。"
    for point, said in (("尽快修复路灯", "目前尚未维修完毕。"), ("尽快修复路灯", "还没有修理完毕。"),
                        ("尽快修复路灯", "已列入明年计划维修。"), ("尽快修复路灯", "已报上级部门维修。"),
                        ("尽快修复路灯", "已申请资金维修。"), ("在小区门口安装监控", "已超出安装范围。")):
        assert scoring.check([point], seen + said).answered == 0, said
    for point, said in (("尽快修复路灯", "维修完毕。"), ("在小区门口安装监控", "已于11月5日安装完毕。"),
                        ("在小区门口安装监控", "已完成安装。")):
        assert scoring.check([point], seen + said).answers[0].sentence == said, said


# The demo's street-lamp suggestion: two problems and two proposals, every one of them of 幸福小区's lamps.
LAMP_PROBLEMS = ("幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。\n"
                 "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。")
LAMP_PROPOSALS = "建议在幸福小区东门加装两盏路灯，现在晚上完全看不清路面。\n希望尽快修好路灯。"


def test_lamps_repaired_in_other_words_answer_the_request_to_fix_them_not_the_one_for_new_lamps(app):
    points = scoring.suggestion_points(LAMP_PROBLEMS, LAMP_PROPOSALS)
    assert points[3] == "希望尽快修好路灯。"
    # 修好 is said 更换线路并恢复照明, and the sentence names the doorway of the first two points: it still answers
    # the request to fix the lamps. It repaired lamps, so it does not answer the request for two new ones.
    fixed = "经现场查看，幸福小区门口及东门路灯因线路老化不亮，区城管局已于12月6日更换线路并恢复照明。"
    check = scoring.check(points, f"您好！您的建议已收悉。{fixed}感谢您的监督！", category="A")
    assert [a.sentence for a in check.answers] == [fixed, fixed, "", fixed]
    assert check.level == "部分" and "第 3 点未回应" in " ".join(check.reasons)
    assert audit.point_lines(check).splitlines()[2:] == ["3. 建议在幸福小区东门加装两盏路灯，现在晚上完全看不清路面。 —— 未回应",
                                                       f"4. 希望尽快修好路灯。 —— 答：{fixed}"]
    # A sentence of its own on the new lamps answers that point, and only that one.
    refused = "东门路段照度经测量符合标准，暂不加装路灯。"
    both = scoring.check(points, fixed + refused, category="A")
    assert [a.sentence for a in both.answers] == [fixed, fixed, refused, fixed]
    # Without the lamps' name: the light restored is the lamps fixed (路灯 ~ 照明).
    unnamed = "经查，门口一段线路老化，已于12月6日更换线路并恢复照明。"
    assert [a.sentence for a in scoring.check(points, unnamed, category="A").answers] == [unnamed, unnamed, "", unnamed]


def test_a_reply_naming_the_thing_in_another_common_word_answers_the_point():
    # bot/equivalents.txt, as grouping reads it: 违章建筑 is the 违建 of the letter, 燃气管道 its 煤气管道.
    demolished = "经查，该违章建筑系业主私自搭建，区城管局已于11月5日依法拆除。"
    check = scoring.check(["幸福小区3栋楼顶违建", "小区门口下水道堵塞"], demolished)
    assert [a.sentence for a in check.answers] == [demolished, ""]
    # The gas pipes answer the first point and, naming that point's matter only, not the broken road surface.
    mended = "区住建局已于11月5日对燃气管道进行检修。"
    check = scoring.check(["青石街煤气管道漏气", "青石街路面破损"], mended)
    assert [a.sentence for a in check.answers] == [mended, ""]


def test_a_point_answered_only_by_a_promise_is_not_enough(app):
    points = scoring.suggestion_points(PROBLEMS, "")
    promised = scoring.check(points, "区城管局已于11月5日到现场检查。幸福小区东门路灯需要更换线路，区城管局将协调供电公司，"
                                     "争取尽快更换。区水务局已于11月8日疏通小区门口下水道，积水已排除。", category="A")
    assert [a.answered for a in promised.answers] == [True, True]
    assert [a.promised for a in promised.answers] == [True, False]
    assert promised.level == "部分" and "第 1 点只有承诺或还在办，没有写明何时办成" in promised.reasons
    assert "答：幸福小区东门路灯需要更换线路" in audit.point_lines(promised)
    assert "（只有承诺或还在办，没有写明何时办成）" in audit.point_lines(promised).splitlines()[0]
    with app.test_request_context():
        shown = re.sub(r"\s+", " ", render_template("suggestions/_reply_check.html", reply_check=promised))
    assert ("争取尽快更换。</span><span class=\"check-promise\">只有承诺或还在办，没有写明何时办成</span>" in shown
            and shown.count("check-promise") == 1)
    dated = scoring.check(points, TWO_OF_THREE, category="A")
    assert not any(a.promised for a in dated.answers) and dated.level == "充分"
    # A study that reached its conclusion is an answer, and 虚拟 holds no 拟 (planned).
    assert not asks.promised("经区城管局研究，认为幸福小区东门路灯应由开发商负责维修。")
    assert not asks.promised("幸福小区东门路灯改用虚拟电表后由物业负责抄表。")


def test_a_point_the_deputy_numbered_keeps_its_one_number_in_the_check(app):
    points = scoring.suggestion_points("", "1. 请区城管局尽快修复幸福小区东门路灯\n（2）请区水务局疏通小区门口下水道")
    checked = scoring.check(points, TWO_OF_THREE, category="A")
    lines = audit.point_lines(checked).splitlines()
    assert [line[:4] for line in lines] == ["1. 请", "（2）请"], lines
    with app.test_request_context():
        shown = render_template("suggestions/_reply_check.html", reply_check=checked)
    listed = re.findall(r'<span class="check-point">([^<]*)</span>', shown)
    assert [point[:4] for point in listed] == ["1. 请", "（2）请"] and "<ol" not in shown, listed


def test_an_unanswered_point_ending_in_its_own_full_stop_is_not_given_a_second(app):
    # A draft's proposals keep the citizen's 。, and the summary read 希望尽快修好路灯。。
    points = scoring.suggestion_points(PROBLEMS, PROPOSALS + "。")
    checked = scoring.check(points, TWO_OF_THREE, category="A")
    assert [a.answered for a in checked.answers] == [True, True, False]
    with app.test_request_context():
        shown = render_template("suggestions/_reply_check.html", reply_check=checked)
    summary = re.search(r'<p id="reply-check-summary">([^<]*)</p>', shown).group(1)
    assert summary == "答复没有回应建议中的这一点：增设垃圾分类收集点，及时清运垃圾。", summary


def test_a_plain_answer_to_a_citizens_question_gets_the_level_readers_gave_such_replies():
    """A citizen's letter is judged by the model learned on replies read by people: a plain yes with how to do
    it is 充分 (the rules alone asked for dates or figures). The model's view is said with why, and the rules'
    reason against it is then told as something to watch (请留意), not as what holds the level down."""
    subject, letter = "咨询离职提取公积金", "请问离职以后住房公积金能不能全部取出来？"
    reply = "您好！离职后可以申请提取住房公积金账户全部余额。"
    points = scoring.question_points(letter, subject)
    check = scoring.check(points, reply, asked=f"{subject}。{letter}", guessed=True)
    assert check.level == "充分" and check.reasons == ("没有日期、数量、具体措施或责任单位",)
    said = next(merit for merit in check.merits if merit.startswith("与人工判读过的同类答复相比，整体已像“充分”："))
    assert set(said.split("：", 1)[1].split("，")) <= set(learned.FOR.values())
    assert audit.reason_text(check).startswith("请留意：没有日期、数量、具体措施或责任单位；可取之处：")
    assert scoring.check(points, reply, asked=f"{subject}。{letter}", guessed=True, rules_only=True).level == "部分"
    # Boilerplate stays 不充分 whatever the model would say; a suggestion's own points keep the rules' level.
    assert scoring.check(points, ACKNOWLEDGEMENT, asked=letter, guessed=True).level == "不充分"
    assert scoring.check(["离职后住房公积金全部提取"], reply).level == "部分"
    # What ships is numbers learned from the judged replies, never their texts.
    model = json.loads(learned.MODEL.read_text(encoding="utf-8"))
    assert set(model) == {"about", "features", "mean", "scale", "classes", "coef", "intercept"}
    assert all(isinstance(v, float) for key in ("mean", "scale", "intercept") for v in model[key])
    assert all(isinstance(v, float) for row in model["coef"] for v in row)
    assert model["features"] == list(learned.features(letter, reply, scoring.read_substance(reply), "部分",
                                                      check.answers, check.concrete, 0.0))


def test_what_a_reply_does_well_is_never_a_reason_against_it():
    """An acknowledgement sent in time is 不充分: being in time is said apart, as a point in its favour."""
    check = scoring.check(["幸福小区东门路灯损坏"], ACKNOWLEDGEMENT, deadline=date(2026, 11, 30),
                          replied_on=date(2026, 11, 2))
    assert check.level == "不充分" and check.merits == ("在办理期限内答复",)
    assert not any("期限内" in reason for reason in check.reasons)
    good = scoring.check(scoring.suggestion_points(PROBLEMS, PROPOSALS),
                         TWO_OF_THREE + "已在小区增设垃圾分类收集点4处，每日清运垃圾两次。", category="A")
    assert good.level == "充分" and "所提的问题都有回应" in good.merits and "写明了已经做了什么" in good.merits
    assert any(merit.startswith("有具体内容：") for merit in good.merits)
    assert not any(reason in good.merits for reason in good.reasons)


def _world(app):
    """Two suggestions of one deputy, both assigned to 区城管局 (with an account), the office and the deputy."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        station = Station(name="青石街道人大代表联络站")
        deputy = Deputy(name="王秀兰", level="区", station=station, phone="13900000001")
        session.add(deputy)
        unit = HandlingUnit(name="区城管局")
        session.add(unit)
        session.flush()
        session.add(StaffUser(username="chengguan", password_hash=hash_password("pw-chengguan"), role=StaffRole.UNIT,
                              unit_id=unit.id))
        ids = []
        for title, problems, proposals in (("关于幸福小区环境整治的建议", PROBLEMS, PROPOSALS),
                                           ("关于青石街农贸市场整治的建议", OTHER_PROBLEMS, "加强市场管理")):
            found = handling.register_by_hand(session, title=title, lead_deputy_id=deputy.id, cosigner_ids=[],
                                              kind="recess", topic="城乡建设", problems=problems, proposals=proposals,
                                              actor="staff:office", rules=rules)
            handling.assign(session, [found.id], lead_unit_id=unit.id, co_unit_ids=[], actor="staff:office",
                            rules=rules)
            ids.append((found.id, found.number))
    add_staff(app, "office", StaffRole.OFFICE, None)
    set_password(app, "13900000001", "wang-pass-1")
    return ids


def _reply(unit, suggestion_id: int, text: str) -> None:
    page = f"/unit/suggestions/{suggestion_id}"
    answered = unit.post(page + "/reply", data={"text": text, "category": "A", "csrf_token": csrf_token(unit, page)})
    assert answered.status_code == 302


def test_the_office_and_the_deputy_see_the_check_and_a_copied_reply_is_flagged(app):
    (first, first_number), (second, _) = _world(app)
    unit, office = sign_in_staff(app, "chengguan"), sign_in_staff(app, "office")
    _reply(unit, first, TWO_OF_THREE)

    staff_page = f"/staff/suggestions/{first}"
    shown = _text(office.get(staff_page))
    assert 'id="reply-check"' in shown and "答复核查：" in shown and ">部分</span>" in shown
    assert "增设垃圾分类收集点，及时清运垃圾</span> <span class=\"check-missing\">未回应</span>" in shown
    assert "答复：经查，幸福小区东门路灯因线路老化损坏" in shown
    # First, in a sentence, what the reply leaves unanswered.
    assert '<p id="reply-check-summary">答复没有回应建议中的这一点：增设垃圾分类收集点，及时清运垃圾。</p>' in shown
    assert shown.index('id="reply-check"') < shown.index('id="accept"')  # read before accepting
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    assert 'id="reply-check"' not in _text(deputy.get(f"/deputy/suggestions/{first}"))  # not accepted yet
    assert office.post(staff_page + "/accept", data={"csrf_token": csrf_token(office, staff_page)}).status_code == 302

    rating = _text(deputy.get(f"/deputy/suggestions/{first}"))
    section = rating[rating.index('id="rate"'):]
    assert 'id="reply-check"' in section and "未回应" in section
    assert "答复没有回应建议中的这一点：增设垃圾分类收集点，及时清运垃圾。" in section
    assert section.index('id="reply-check"') < section.index('name="level"')  # beside the rating buttons
    assert "代表工委已采用这份答复" in section  # the check advises the rating; the reply stands accepted
    # Once accepted, the office reads what the suggestion waits for first, and why a check still shows: a 部分 or
    # 不充分 beside 已采用 once read as a contradiction.
    accepted = _text(office.get(staff_page))
    assert accepted.index("答复已采用，等待领衔代表评价") < accepted.index('id="reply-check"')
    assert "这份答复已经采用，下面的自动核查不改变采用" in accepted

    # The same words sent for another suggestion: a copy of the first suggestion's reply.
    _reply(unit, second, TWO_OF_THREE)
    copied = _text(office.get(f"/staff/suggestions/{second}"))
    assert ">不充分</span>" in copied and f"与另一件的答复（{first_number}）几乎相同" in copied
    assert "几乎相同" not in _text(deputy.get(f"/deputy/suggestions/{first}"))  # the first one copied nothing

    stats = _text(office.get("/staff/stats"))
    assert ('<td data-label="承办单位">区城管局</td><td data-label="答复件数">2</td>'
            '<td data-label="判为充分">0</td><td data-label="充分比例">0%</td>') in stats


def test_the_cli_checks_a_table_of_published_replies(app, tmp_path):
    table = tmp_path / "答复.csv"
    copied = "经核查，该路段路灯由区城管局负责维护，已于3月2日更换灯具12盏，并安排专人每周巡查。"
    late = "区教育局已于4月1日在学校门口增设交通协管员2名，早高峰疏导车辆。"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "留言", "答复", "留言时间", "答复时间"])
        writer.writerow(["1", "青石路的路灯坏了，晚上出行不安全，希望尽快修好。", copied, "2026/3/1 9:30:00",
                         "2026/3/5 10:00:00"])
        writer.writerow(["2", "=HYPERLINK(\"http://x\")幸福小区噪音扰民，请求查处。", ACKNOWLEDGEMENT, "2026/3/1", "2026/3/2"])
        writer.writerow(["3", "学校门口早高峰拥堵，建议增设交通协管员。", copied, "2026/3/1", "2026/3/3"])
        writer.writerow(["4", "学校门口早高峰拥堵，建议增设交通协管员。", late, "2026/3/1", "2026/4/2"])
    out = tmp_path / "核查.xlsx"
    result = app.test_cli_runner().invoke(args=["replies", "check", str(table), "--question-col", "留言",
                                                "--reply-col", "答复", "--asked-col", "留言时间",
                                                "--replied-col", "答复时间", "--days", "15", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("第 2 行\t充分") and "在办理期限内答复" in lines[0]
    assert lines[1].startswith("第 3 行\t不充分")
    assert lines[2].startswith("第 4 行\t不充分") and "与另一件的答复（第 2 行）几乎相同" in lines[2]
    assert lines[3].startswith("第 5 行\t部分") and "超过办理期限（期限 2026-03-16，答复于 2026-04-02）" in lines[3]
    assert "共核查 4 条答复：充分 1，部分 1，不充分 2；用时" in result.output
    cells = list(load_workbook(out).active.iter_rows())
    assert cells[2][1].data_type == "s" and cells[2][1].quotePrefix  # a citizen's text never runs as a formula
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["编号", "留言", "答复", "留言时间", "答复时间", "等级", "理由", "逐点回应"]
    assert rows[2][1].startswith("=HYPERLINK")  # shown as written, no quote in front
    assert [row[5] for row in rows[1:]] == ["充分", "不充分", "不充分", "部分"]
    assert "答：" in rows[1][7] and "未回应" in rows[2][7]

    missing = app.test_cli_runner().invoke(args=["replies", "check", str(table), "--question-col", "问题",
                                                 "--reply-col", "答复"])
    assert missing.exit_code == 1 and "文件里没有“问题”这一列。" in missing.output
