"""The district's radar: one problem told to several deputies of several stations is one item, and heat counts
citizens, not messages; spam and held messages never count."""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from rq.job import Job
from sqlalchemy import delete, inspect, select

from bot import tokenizer
from intake import migrate
from intake.launcher import load_demo_if_empty
from intake.models import (Citizen, Delivery, Deputy, DraftMessage, Message, MessageStatus, RadarMessage, RadarWord,
                           Station, utcnow)
from intake.services.drafts import drafting, grouping
from intake.services.radar import digest, district, ranking
from intake.services.reminders.milestones import Targets
from tests.conftest import SHARED_DATA, build_app, make_settings
from tests.helpers import (add_staff, deputies, import_roster, set_password, sign_in_deputy, sign_in_page,
                           sign_in_staff, write_roster)
from tests.test_browser import browser, live_server  # noqa: F401  (fixtures)
from tests.test_pages_browser import _tour
from tests.test_problem_drafts import ELEVATOR
from workers import queues

TZ = ZoneInfo("Asia/Shanghai")
ROSTER = """姓名,层级,联络站,手机
王秀兰,区,青石街道人大代表联络站,13900000001
李建国,区,青石街道人大代表联络站,13900000002
张桂芳,区,柳河镇人大代表联络站,13900000004
赵志强,区,柳河镇人大代表联络站,13900000005
"""


def _deputies(app, tmp_path) -> list[dict]:
    # The messages below are cut here, before any batch aligns the process's names with this new database:
    # names an earlier test's database taught the tokenizer would cut them otherwise than a worker would.
    tokenizer.use_names([])
    import_roster(app, write_roster(tmp_path, ROSTER))
    return deputies(app)


def _message(deputy_id: int, text: str, number: int, topic: str = "城乡建设", **more) -> Message:
    return Message(deputy_id=deputy_id, channel="web", text=text, topic=topic, terms=grouping.message_terms(text),
                   status=more.pop("status", MessageStatus.TAGGED), receipt=f"R{number:08d}", **more)


def _batch_and_place(runtime, deputy_ids) -> None:
    for deputy_id in deputy_ids:
        with runtime.sessions() as session, session.begin():
            drafting.batch_deputy(session, deputy_id, TZ, 3)
        with runtime.sessions() as session, session.begin():
            district.place_deputy(session, deputy_id)


def _problems_told(runtime, ids, told, topic: str = "城乡建设", first: int = 0) -> list[list[str]]:
    """Each (deputy, letter) stored, batched and placed: the radar's problems, each as its letters' receipts."""
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(deputy_id, text, number, topic=topic)
                        for number, (deputy_id, text) in enumerate(told, first))
    _batch_and_place(runtime, ids)
    return _problems(runtime)


def _problems(runtime) -> list[list[str]]:
    with runtime.sessions() as session:
        receipts = dict(session.execute(select(Message.id, Message.receipt)).all())
        items = ranking.rank(session, utcnow(), 30, 14.0, TZ, limit=None)
    return sorted(sorted(receipts[message_id] for message_id in item.message_ids) for item in items)


def _others(count: int) -> list[str]:
    with (SHARED_DATA / "messages-with-replies.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:count]
    return [f"{row['subject']}\n{row['detail']}" for row in rows]


# Six citizens' letters to one deputy on one policy (naming none of its places), each under its own subject line.
BONUS_LETTERS = [
    "独生子女父母奖励扶助金标准太低\n农村独生子女父母年满六十岁每月奖励扶助金只有八十元，多年未调整，希望提高标准。",
    "独生子女父母奖励扶助金能否提高\n独生子女家庭为国家计划生育作出了贡献，奖励扶助金标准多年不变，建议随物价上涨提高标准。",
    "独生子女父母奖励扶助金什么时候调整标准\n奖励扶助金每月八十元，物价涨了好几倍，标准一直没有调整，独生子女父母年纪大了生活困难。",
    "独生子女父母奖励扶助金发放不及时\n我们村的独生子女父母奖励扶助金今年到现在还没有发到卡上，往年三月就发了，乡里说还在审核，"
    "请督促尽快发放。",
    "独生子女父母奖励扶助金申领手续太复杂\n申领奖励扶助金要开七八个证明，跑村里、乡里、派出所，老人腿脚不便，能不能简化手续、网上办理？",
    "独生子女伤残家庭的特别扶助金能不能和奖励扶助金同时领取\n我家孩子残疾，已经领特别扶助金，到了六十岁还能领独生子女父母奖励扶助金吗？",
]


@pytest.mark.shared("messages-with-replies.csv")
def test_one_problem_told_to_four_deputies_of_two_stations_is_one_item_ranked_first(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    others = _others(500)
    with runtime.sessions() as session, session.begin():
        # The ten ways of telling it, spread over the four deputies, among 500 real letters spread the same way.
        session.add_all(_message(ids[index % 4], text, index) for index, (_, text) in enumerate(ELEVATOR))
        session.add_all(_message(ids[index % 4], text, 100 + index, topic="其他") for index, text in enumerate(others))
    _batch_and_place(runtime, ids)
    with runtime.sessions() as session:
        items = ranking.rank(session, utcnow(), 30, 14.0, TZ, limit=None)
        elevator_ids = set(session.scalars(select(Message.id).where(Message.receipt < "R00000100")))
    holding = [item for item in items if elevator_ids & set(item.message_ids)]
    assert len(holding) == 1, [(item.title, len(elevator_ids & set(item.message_ids))) for item in holding]
    [item] = holding
    assert set(item.message_ids) >= elevator_ids
    assert len(item.deputies) == 4 and len(item.stations) == 2
    assert items[0] is item, [(i.title, i.heat, i.citizens) for i in items[:3]]
    assert "电梯" in item.title, item.title

    result = app.test_cli_runner().invoke(args=["radar", "--days", "7", "--json"])
    assert result.exit_code == 0, result.output
    top = json.loads(result.output)[0]
    assert set(top) == {"title", "topic", "heat", "citizens", "messages", "deputies", "stations", "first", "last",
                        "message_ids"}
    assert top["title"] == item.title and top["deputies"] == item.deputies and top["citizens"] >= 10

    # 王秀兰 opens her draft on it: the three other deputies are named once each, to co-sign with; her station's
    # colleague first, with the invitation.
    with runtime.sessions() as session:
        draft_id = session.scalar(select(DraftMessage.draft_id).join(Message, Message.id == DraftMessage.message_id)
                                  .where(Message.receipt == "R00000000"))
    set_password(app, "13900000001", "pw-wang-123456")
    client = app.test_client()
    sign_in_deputy(client, "13900000001", "pw-wang-123456")
    page = client.get(f"/deputy/drafts/{draft_id}").get_data(as_text=True)
    assert "同站还有 1 位代表收到同一问题（3 条留言）：李建国。" in page and "全区还有 2 位代表收到同一问题：张桂芳、赵志强。" in page, page
    assert page.replace("李建国（", "").count("李建国") == 2, page  # the card and its invitation (and the picker)


def test_the_same_trouble_in_two_counties_is_two_problems_though_one_deputy_grouped_them(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    # Letters name counties by code (A7县), as the shared letters do: the tokenizer keeps no place of them, so
    # 王秀兰's grouping puts the B6县 letter with the A7县 ones. The radar must still tell the counties apart.
    told = [(ids[0], "A7县农村老人的城乡居民养老保险每月只有一百多元，不够生活，希望提高基础养老金。"),
            (ids[0], "A7县的农村老人城乡居民养老保险每月只有一百多元，太少了，希望提高基础养老金。"),
            (ids[0], "B6县农村老人的城乡居民养老保险每月只有一百多元，不够生活，希望提高基础养老金。"),
            (ids[1], "A7县农村老人城乡居民养老保险每月只有一百多元，不够生活，希望提高基础养老金。")]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(deputy_id, text, number) for number, (deputy_id, text) in enumerate(told))
    _batch_and_place(runtime, ids)
    with runtime.sessions() as session:
        receipts = dict(session.execute(select(Message.id, Message.receipt)).all())
        drafts = {session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == message_id))
                  for message_id, receipt in receipts.items() if receipt in ("R00000000", "R00000002")}
        items = ranking.rank(session, utcnow(), 30, 14.0, TZ, limit=None)
    assert len(drafts) == 1  # one deputy's group holds both counties' letters
    found = sorted(sorted(receipts[message_id] for message_id in item.message_ids) for item in items)
    assert found == [["R00000000", "R00000001", "R00000003"], ["R00000002"]], found
    a7 = next(item for item in items if len(item.message_ids) == 3)
    assert (a7.citizens, len(a7.deputies)) == (3, 2)


def test_a_citizen_writing_again_counts_once_and_spam_or_held_messages_never(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    with runtime.sessions() as session, session.begin():
        citizen = Citizen(channel="web", channel_user_hash="h1")
        session.add(citizen)
        session.flush()
        lamp = "幸福小区门口的路灯坏了一个多月，晚上漆黑一片，希望尽快修好路灯。"
        # One citizen tells two deputies three times; two other citizens once each.
        session.add_all([_message(ids[0], lamp, 1, citizen_id=citizen.id),
                         _message(ids[1], lamp, 2, citizen_id=citizen.id),
                         _message(ids[2], "幸福小区门口的路灯坏了一个多月，晚上黑漆漆的。", 3, citizen_id=citizen.id),
                         _message(ids[0], "幸福小区门口路灯坏了，晚上漆黑一片，老人出门不方便。", 4),
                         _message(ids[2], "幸福小区的路灯坏了一个多月还没人修。", 5),
                         # Held as possible spam: it waits for staff and reaches no deputy, nor the radar.
                         _message(ids[3], "幸福小区门口的路灯坏了一个多月，加微信领红包。", 6, status=MessageStatus.HELD)])
    _batch_and_place(runtime, ids)
    with runtime.sessions() as session:
        [item] = ranking.rank(session, utcnow(), 30, 14.0, TZ)
    assert (item.citizens, item.messages, len(item.deputies)) == (3, 5, 3)
    # Staff flag one of the messages as spam afterwards: it leaves the count.
    with runtime.sessions() as session, session.begin():
        session.scalar(select(Message).where(Message.receipt == "R00000005")).flag = "spam"
    with runtime.sessions() as session:
        [item] = ranking.rank(session, utcnow(), 30, 14.0, TZ)
        assert (item.citizens, item.messages) == (2, 4)
        # Placing again finds nothing to do: the job may run twice.
        assert district.place_deputy(session, ids[0]) == 0


def test_heat_follows_the_documented_worked_example():
    # README: 6 citizens, two of them a week old, three deputies of two stations, 4 citizens the period before.
    ages = [0, 0, 0, 0, 7, 7]
    assert ranking.heat(ages, 3, 2, 4, 14.0) == pytest.approx(12.81, abs=0.01)
    assert ranking.heat(ages, 3, 2, 4, 14.0) == pytest.approx((4 + 2 * 0.5 ** 0.5) * 2.0 * (7 / 5) ** 0.5)


def test_the_office_sees_the_whole_problem_and_a_station_only_its_own_share(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    told = [(ids[0], "幸福小区门口的路灯坏了一个多月，晚上漆黑一片，我的电话13812345678。"),
            (ids[1], "幸福小区门口的路灯坏了一个多月了，晚上漆黑一片，老人出门摔倒。"),
            (ids[2], "幸福小区门口路灯坏了一个多月，晚上漆黑一片，柳河这边的孩子放学害怕。"),
            (ids[3], "幸福小区门口的路灯坏了一个多月，晚上漆黑一片，柳河镇的居民也走这条路。")]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(deputy_id, text, number) for number, (deputy_id, text) in enumerate(told))
    _batch_and_place(runtime, ids)
    add_staff(app, "office1", "office", None)
    add_staff(app, "qingshi", "station", "青石街道人大代表联络站")
    office = sign_in_staff(app, "office1").get("/staff/radar?days=7").get_data(as_text=True)
    assert "幸福小区" in office and "4 位群众" in office
    assert all(name in office for name in ("王秀兰", "李建国", "张桂芳", "赵志强")), office
    assert "13812345678" not in office and "<svg" in office
    # Four letters, three quoted (one per deputy, three at most): the page says so, not 4 条留言 above three quotes.
    assert "群众原话（共 4 条，显示其中 3 条；电话等已隐去）：" in office and office.count("<li>幸福小区门口") == 3
    station = sign_in_staff(app, "qingshi").get("/staff/radar").get_data(as_text=True)
    assert "王秀兰" in station and "2 位群众" in station
    # Its intro speaks of the station it shows, not of the whole district.
    intro = station.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert intro.startswith("本站各代表收到的") and "全区" not in intro and "联络站越多" not in intro, intro
    assert office.split('<p class="muted">', 1)[1].startswith("全区各代表、各联络站收到的")
    # The number each problem carries says what it counts, in one line (热度 12.3 stood unexplained).
    meaning = office.split('id="heat-meaning">', 1)[1].split("</p>", 1)[0]
    assert meaning == "热度：每位群众记 1 分，14 天前反映的记 0.5 分，再按涉及的代表、联络站多少和人数增减加权。", meaning
    assert "联络站" not in station.split('id="heat-meaning">', 1)[1].split("</p>", 1)[0]
    # The office looking at one station reads that station's name where it read 全区.
    with runtime.sessions() as session:
        qingshi = session.scalar(select(Station.id).where(Station.name == "青石街道人大代表联络站"))
    one = sign_in_staff(app, "office1").get(f"/staff/radar?days=7&station={qingshi}").get_data(as_text=True)
    intro = one.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert intro.startswith("青石街道人大代表联络站各代表收到的") and "全区" not in intro and "联络站越多" not in intro, intro
    assert "<h1>热点雷达（青石街道人大代表联络站）</h1>" in one and "2 位群众" in one
    assert "张桂芳" not in station and "赵志强" not in station and "柳河" not in station, station


def test_a_problems_days_are_the_districts_days_not_utcs(app, runtime, tmp_path):
    # Letters received at 01:30 Beijing time: still the day before in UTC, which the page once showed.
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    night = (utcnow() - timedelta(days=3)).replace(hour=17, minute=30, second=0, microsecond=0)
    told = ["幸福小区门口的路灯坏了一个多月，晚上漆黑一片。", "幸福小区门口路灯坏了一个多月，晚上漆黑一片，老人出门摔倒。",
            "幸福小区门口的路灯坏了一个多月了，晚上漆黑一片，孩子放学害怕。"]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(ids[0], text, number, created_at=night + timedelta(minutes=number))
                        for number, text in enumerate(told))
    _batch_and_place(runtime, ids)
    beijing = night.astimezone(TZ).date().isoformat()
    assert beijing != night.date().isoformat()
    add_staff(app, "office1", "office", None)
    office = sign_in_staff(app, "office1").get("/staff/radar?days=7").get_data(as_text=True)
    assert f"时间：{beijing}</p>" in office, office
    result = app.test_cli_runner().invoke(args=["radar", "--days", "7", "--json"])
    [item] = json.loads(result.output)
    assert item["first"] == item["last"] == beijing, item


def _elevator_and_lamps(app, runtime, tmp_path) -> None:
    """Ten letters on one estate's lifts and two on its street lamps, sent to four deputies and placed."""
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(ids[index % 4], text, index) for index, (_, text) in enumerate(ELEVATOR))
        # 城乡建设, as the classifier tags street lamps: 其他 made the radar's shots show a lamp problem under 其他.
        session.add_all(_message(ids[index % 4], text, 50 + index)
                        for index, text in enumerate(["幸福小区门口的路灯坏了一个多月，晚上漆黑一片。",
                                                      "幸福小区门口路灯坏了，晚上漆黑一片，老人出门不方便。"]))
    _batch_and_place(runtime, ids)


def test_every_problems_weekly_bars_share_one_scale_and_an_empty_week_is_marked_not_drawn(app, runtime, tmp_path):
    _elevator_and_lamps(app, runtime, tmp_path)
    add_staff(app, "office1", "office", None)
    page = sign_in_staff(app, "office1").get("/staff/radar").get_data(as_text=True)
    charts = re.findall(r'<svg class="trend".*?</svg>', page, re.S)
    assert len(charts) == 2, page
    per_letter = set()
    for chart in charts:
        weeks = re.findall(r"<g><title>倒数第 \d+ 周：(.*?)</title>(.*?)</g>", chart, re.S)
        assert len(weeks) == ranking.WEEKS, chart
        for said, drawn in weeks:
            # Each week is a grey column; an empty one stays empty (a one-pixel bar read as an underscore, a small
            # ring as a full stop).
            assert 'height="28" fill="#eef1f4"' in drawn, drawn
            if said == "没有留言":
                assert drawn.count("<rect") == 1 and "<circle" not in drawn, drawn
            else:
                height = float(re.search(r'height="([\d.]+)" fill="#c0392b"', drawn)[1])
                per_letter.add(round(height / int(said.removesuffix(" 条")), 1))
        assert re.search(r'aria-label="近 8 周每周留言数，由远及近：无、(无、){6}\d+ 条"', chart), chart
    # 10 letters and 2 letters were each drawn as a full bar, each chart scaled to its own week
    assert len(per_letter) == 1, per_letter


@pytest.mark.browser
def test_the_radar_page_fits_a_phone_and_a_laptop_in_chinese(app, runtime, live_server, browser,  # noqa: F811
                                                              tmp_path):
    _elevator_and_lamps(app, runtime, tmp_path)
    add_staff(app, "office1", "office", None)
    add_staff(app, "qingshi", "station", "青石街道人大代表联络站")
    with runtime.sessions() as session:
        qingshi = session.scalar(select(Station.id).where(Station.name == "青石街道人大代表联络站"))
    # Shot under names of its own: as staff-radar they replaced the page tour's, whose queue tells of other letters.
    problems = _tour(browser, live_server, [("radar", "/staff/radar"), ("radar-week", "/staff/radar?days=7"),
                                            ("radar-one-station", f"/staff/radar?station={qingshi}")],
                     lambda page: sign_in_page(page, live_server, "office1"), "lifts-staff")
    problems += _tour(browser, live_server, [("radar", "/staff/radar")],
                      lambda page: sign_in_page(page, live_server, "qingshi"), "lifts-station")
    assert not problems, "\n".join(problems)


def test_the_weekly_digest_goes_through_the_outbox_once_a_week_when_configured_else_on_the_office_home(
        app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(ids[index % 4], text, index) for index, (_, text) in enumerate(ELEVATOR))
    _batch_and_place(runtime, ids)
    add_staff(app, "office1", "office", None)
    home = sign_in_staff(app, "office1").get("/staff/").get_data(as_text=True)
    assert "近 7 天热点问题" in home and "金桂园滨江苑电梯" in home and "10 位群众" in home
    robot, tz = Targets(wecom=True, base_url="https://rd.example.cn"), "Asia/Shanghai"
    with runtime.sessions() as session, session.begin():
        assert digest.send(session, utcnow(), 14.0, Targets(), tz) == 0  # nothing configured: the home page has it
        assert digest.send(session, utcnow(), 14.0, robot, tz) == 1
        assert digest.send(session, utcnow(), 14.0, robot, tz) == 0  # once a week, however often the job runs
    with runtime.sessions() as session:
        [sent] = session.scalars(select(Delivery)).all()
    assert sent.channel == "wecom" and "全区热点问题周报" in sent.subject
    # Sent on a Monday about the 7 days before, its subject names their dates, so one week's mail is told from
    # another's (本周 and 第 49 周 named the week just begun; 近 7 天 was the same every week).
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    first, last = today - timedelta(days=7), today - timedelta(days=1)
    assert sent.subject == f"全区热点问题周报（{first.month}月{first.day}日—{last.month}月{last.day}日）", sent.subject
    assert "近 7 天全区群众反映最多的问题" in sent.body and "本周" not in sent.body, sent.body
    assert "1. 金桂园滨江苑电梯" in sent.body and "4 位代表，2 个联络站" in sent.body, sent.body
    assert "https://rd.example.cn/staff/radar?days=7" in sent.body


def test_the_demos_digest_and_radar_say_the_same_of_the_same_letters_and_each_its_period(app, runtime, run_jobs):
    # The demo district as `mashang up --demo` loads it: a letter a day for 36 days, placed by the workers.
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    add_staff(app, "office1", "office", None)
    office = sign_in_staff(app, "office1")
    home = office.get("/staff/").get_data(as_text=True)
    box = home.split('id="radar-digest"', 1)[1].split("</details>", 1)[0]
    assert "<h2>近 7 天热点问题（4 个）</h2>" in box, box
    said = re.findall(r'<li>(.+?) <span class="muted meta"><span>(\d+) 位群众</span>', box)
    assert ("卫生院问题", "2") in said, said

    def figures(path: str) -> dict[str, str]:
        page = office.get(path).get_data(as_text=True)
        return dict(re.findall(r'<h2>(.+?)</h2>\s*<p class="radar-figures meta"><strong>[^<]*</strong>'
                               r'<span>(近 \d+ 天 \d+ 位群众)</span>', page))

    # The digest's link shows its problems with its figures, the period said beside them.
    week = figures("/staff/radar?days=7")
    assert all(week[title] == f"近 7 天 {citizens} 位群众" for title, citizens in said), (said, week)
    # The menu's radar looks back 30 days and says so: 3 citizens of 卫生院问题 there are no contradiction of 2.
    assert figures("/staff/radar")["卫生院问题"] == "近 30 天 3 位群众"


def test_the_radar_follows_messages_staff_move_and_deputies_who_change_station(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    told = [(ids[0], "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。"),
            (ids[0], "幸福小区门口的路灯坏了一个多月了，晚上漆黑一片，老人出门摔倒。"),
            (ids[0], "幸福小区门口路灯坏了一个多月，晚上漆黑一片，孩子放学害怕。"),
            (ids[2], "幸福小区门口的路灯坏了一个多月，晚上漆黑一片，柳河镇的居民也走这条路。")]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(deputy_id, text, number) for number, (deputy_id, text) in enumerate(told))
    _batch_and_place(runtime, ids)
    add_staff(app, "office1", "office", None)
    add_staff(app, "qingshi", "station", "青石街道人大代表联络站")
    office = sign_in_staff(app, "office1")
    # Staff make a draft of all of 王秀兰's messages: the group they were in is emptied and deleted.
    with runtime.sessions() as session, session.begin():
        moved = list(session.scalars(select(Message).where(Message.deputy_id == ids[0]).order_by(Message.id)))
        drafting.draft_from(session, moved, TZ)
    page = office.get("/staff/radar?days=7")
    assert page.status_code == 200 and "幸福小区" in page.get_data(as_text=True)
    with runtime.sessions() as session, session.begin():
        district.lock(session)
        district.place(session, district.pending(session))
    assert "4 位群众" in office.get("/staff/radar?days=7").get_data(as_text=True)
    # 张桂芳 moves to 青石's station: its staff now see her citizens' share, as every other station page does.
    with runtime.sessions() as session, session.begin():
        zhang, wang = session.get(Deputy, ids[2]), session.get(Deputy, ids[0])
        zhang.station_id = wang.station_id
    station = sign_in_staff(app, "qingshi").get("/staff/radar?days=7").get_data(as_text=True)
    assert "张桂芳" in station and "4 位群众" in station, station


@pytest.mark.shared("messages-with-replies.csv")
def test_the_radar_rebuilt_page_by_page_holds_every_drafted_message_once(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(ids[index % 4], text, index) for index, (_, text) in enumerate(ELEVATOR))
        session.add_all(_message(ids[index % 4], text, 100 + index, topic="其他")
                        for index, text in enumerate(_others(100)))
    _batch_and_place(runtime, ids)
    with runtime.sessions() as session, session.begin():
        # Pages of 7: the problems one page starts are met again, as stored ones, by the next.
        rebuilt = district.rebuild(session, batch=7)
    with runtime.sessions() as session:
        items = ranking.rank(session, utcnow(), 30, 14.0, TZ, limit=None)
        drafted = set(session.scalars(select(Message.id).where(Message.status == MessageStatus.DRAFTED)))
        assert district.pending(session) == []
    on_radar = [message_id for item in items for message_id in item.message_ids]
    assert rebuilt == len(drafted) == len(on_radar) and set(on_radar) == drafted


def test_a_letter_copied_to_a_deputy_of_another_station_joins_its_first_copys_problem(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    # The same letter about a policy (naming none of its places) reaches 王秀兰 among six others on it, and later, word
    # for word but for its spacing and punctuation, 张桂芳 of another station: one problem, however many others
    # dilute its words there.
    letter = ("请求提高独生子女父母奖励扶助金\n我父亲是退伍老兵，母亲患糖尿病和高血压，女儿在深圳打工，家里三亩稻田"
              "靠邻居帮忙耕种，冬天烧柴取暖，每月奖励扶助金八十元连药费零头都不够，恳请提高标准。")
    told = [*((ids[0], text) for text in BONUS_LETTERS),
            (ids[0], letter),
            (ids[2], letter.replace("，", ", ").replace("？", "?"))]
    found = _problems_told(runtime, ids, told, topic="劳动和社会保障")
    holding = [receipts_ for receipts_ in found if "R00000006" in receipts_]
    assert holding and "R00000007" in holding[0], found
    assert len(holding[0]) >= 3, found  # the first copy is on the problem, not alone on one of its own


def test_letters_sharing_a_town_and_a_paragraph_but_no_subject_are_two_problems(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    # Citizens of one town copy one paragraph about it under their own subject lines: a hospital, a bus route.
    paragraph = "我们柳河镇近年人口增长很快，新建小区一个接一个，配套设施却跟不上，群众出行就医都很不方便，恳请领导重视。"
    told = [(ids[0], f"柳河镇急需建一所公立医院\n{paragraph}镇上只有一个卫生院，看病要跑到城里。"),
            (ids[1], f"柳河镇盼望早日建成公立医院\n{paragraph}老人看病排队要一上午。"),
            (ids[2], f"柳河镇的公交线路希望延长\n{paragraph}早上等公交车要半个小时。"),
            (ids[3], f"柳河镇公交线路太少\n{paragraph}末班车七点就停了。")]
    found = _problems_told(runtime, ids, told)
    assert found == [["R00000000", "R00000001"], ["R00000002", "R00000003"]], found


def test_a_letter_under_nearly_the_same_subject_line_joins_the_problem_though_it_names_other_places(
        app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    # Citizens oppose one bridge's demolition; a later letter, to a deputy of another station, says why in words
    # and places of its own, under the campaign's subject line.
    told = [(ids[0], "县城人民反对拆除五一桥来建商业廊桥\n我们通过正常渠道向你们反映广大干部群众的舆情民意：坚决叫停拆桥工程，"
                     "保护六孔石拱桥。"),
            (ids[1], "反对拆五一桥建商铺廊桥\n五一桥是六孔纯石拱桥，建成六十年了，是难得的景观，拆掉建商铺廊桥劳民伤财。"),
            (ids[2], "反对拆除五一桥建商铺廊桥\n为什么历来县里的工程项目没有这么多人反对？沿河老街的风貌不能毁在我们手里，"
                     "请尊重民意。")]
    found = _problems_told(runtime, ids, told)
    assert found == [["R00000000", "R00000001", "R00000002"]], found


def test_the_office_rebuilds_an_emptied_or_broken_radar_into_the_problems_placement_made(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    lamp = ["幸福小区门口的路灯坏了一个多月，晚上漆黑一片，希望尽快修好路灯。", "幸福小区门口路灯坏了，晚上漆黑一片，老人出门不方便。"]
    paragraph = "我们柳河镇近年人口增长很快，新建小区一个接一个，配套设施却跟不上，群众出行就医都很不方便，恳请领导重视。"
    town = [f"柳河镇急需建一所公立医院\n{paragraph}镇上只有一个卫生院，看病要跑到城里。",
            f"柳河镇的公交线路希望延长\n{paragraph}早上等公交车要半个小时。",
            f"柳河镇盼望早日建成公立医院\n{paragraph}老人看病排队要一上午。",
            f"柳河镇公交线路太少\n{paragraph}末班车七点就停了。"]
    told = ([(ids[index % 4], text) for index, (_, text) in enumerate(ELEVATOR)]
            + [(ids[1], text) for text in lamp] + [(ids[index], text) for index, text in enumerate(town)])
    placed = _problems_told(runtime, ids, told)
    assert [len(problem) for problem in placed] == [10, 2, 2, 2], placed
    runner = app.test_cli_runner()
    # A clerk's radar lost its word counts and the messages of its largest problem: the page shows less.
    with runtime.sessions() as session, session.begin():
        session.execute(delete(RadarWord))
        session.execute(delete(RadarMessage).where(RadarMessage.message_id.in_(
            select(Message.id).where(Message.receipt < "R00000010"))))
    assert _problems(runtime) != placed
    for _ in range(2):  # run again, it changes nothing
        result = runner.invoke(args=["radar", "rebuild", "--batch", "7"])
        assert result.exit_code == 0, result.output
        assert "已归入 7 / 16 条意见" in result.output and "已归入 16 / 16 条意见" in result.output, result.output
        assert "雷达已重建：16 条意见，4 个问题。" in result.output, result.output
        assert _problems(runtime) == placed, result.output
    listed = runner.invoke(args=["radar", "--days", "7", "--limit", "1"])
    assert listed.exit_code == 0 and listed.output.startswith("1. 金桂园滨江苑电梯") and "10 位群众" in listed.output, \
        listed.output
    with runtime.sessions() as session, session.begin():
        session.execute(delete(RadarMessage))
    assert runner.invoke(args=["radar", "rebuild"]).exit_code == 0
    assert _problems(runtime) == placed


def test_a_radar_job_meeting_a_rebuild_waits_for_it_and_places_nothing_twice(app, runtime, tmp_path, run_jobs,
                                                                             redis_conn):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    _problems_told(runtime, ids, [(ids[index % 4], text) for index, (_, text) in enumerate(ELEVATOR)])
    # 赵志强's new letters are drafted, and their radar job queued, as the office starts a rebuild.
    with runtime.sessions() as session, session.begin():
        session.add_all(_message(ids[3], text, 50 + number) for number, text in enumerate(
            ["幸福小区门口的路灯坏了一个多月，晚上漆黑一片。", "幸福小区门口路灯坏了，晚上漆黑一片，老人出门不方便。"]))
    with runtime.sessions() as session, session.begin():
        drafting.batch_deputy(session, ids[3], TZ, 1)
    queues.enqueue_radar(redis_conn, ids[3])
    holding, failed = threading.Event(), []

    def rebuild():
        def progress(placed: int, total: int) -> None:
            if holding.is_set():
                return
            holding.set()
            # Hold the rebuild open until the worker has taken the job, then a moment more: the job meets it.
            for _ in range(600):
                if Job.fetch(f"radar-{ids[3]}", connection=redis_conn).get_status() == "started":
                    break
                time.sleep(0.05)
            time.sleep(1)
        try:
            with runtime.sessions() as session, session.begin():
                district.rebuild(session, batch=4, progress=progress)
        except Exception as error:  # noqa: BLE001 (reported by the test's thread below)
            failed.append(error)

    office = threading.Thread(target=rebuild)
    office.start()
    assert holding.wait(30)
    run_jobs()  # fails on a job that failed or waits to be retried
    office.join(60)
    assert not failed and not office.is_alive(), failed
    assert Job.fetch(f"radar-{ids[3]}", connection=redis_conn).return_value() == 0  # the rebuild placed its letters
    with runtime.sessions() as session:
        on_radar = list(session.scalars(select(RadarMessage.message_id)))
        drafted = set(session.scalars(select(Message.id).where(Message.status == MessageStatus.DRAFTED)))
    assert sorted(on_radar) == sorted(drafted) and len(drafted) == 12
    assert [problem for problem in _problems(runtime) if "R00000050" in problem] == [["R00000050", "R00000051"]]


def test_rebuilding_the_radar_without_its_database_says_so_in_chinese(tmp_path, redis_url):
    from intake.cli import main

    app = build_app(make_settings(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/mashang", redis_url))
    try:
        for args in (["radar", "rebuild"], ["radar"]):
            result = app.test_cli_runner().invoke(main, args=args)
            assert result.exit_code == 1, result.output
            assert "无法连接数据库，请检查 DATABASE_URL" in result.output and "Traceback" not in result.output, \
                result.output
    finally:
        app.extensions["mashang"].close()


def test_a_copy_of_a_letter_placed_before_fingerprints_joins_its_problem_after_the_upgrade(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    # No subject line (its first sentence is a greeting): only the fingerprint tells its copy is the same letter.
    letter = ("您好！农村独生子女父母年满六十岁，每月奖励扶助金只有八十元，多年未调整，物价涨了好几倍，独生子女父母"
              "年纪大了生活困难，我父亲是退伍老兵，母亲患糖尿病，恳请提高奖励扶助金标准。")
    told = [*((ids[0], text) for text in BONUS_LETTERS), (ids[0], letter)]
    placed = _problems_told(runtime, ids, told, topic="劳动和社会保障")
    assert any("R00000006" in problem and len(problem) >= 3 for problem in placed), placed
    # The district's database as it was before migration 0071, these letters on its radar; then upgraded.
    migrate.downgrade(runtime.engine, "0070")
    try:
        assert migrate.current(runtime.engine) == "0070"
        with runtime.engine.connect() as connection:
            columns = {column["name"] for column in inspect(connection).get_columns("radar_messages")}
        assert "fingerprint" not in columns
    finally:
        migrate.upgrade(runtime.engine)
    found = _problems_told(runtime, ids, [(ids[2], letter.replace("，", ", ").replace("！", "!"))],
                           topic="劳动和社会保障", first=7)
    holding = [problem for problem in found if "R00000006" in problem]
    assert holding and "R00000007" in holding[0] and len(holding[0]) >= 3, found


def test_a_citizen_asking_again_under_another_subject_line_stays_on_their_problem(app, runtime, tmp_path):
    ids = [deputy["id"] for deputy in _deputies(app, tmp_path)]
    question = ("本人小孩现就读于柳河镇中学，属于非城区的学生，成绩优异，想咨询目前市二中的录取政策是什么，分数线是否与城区"
                "一致，名额如何分配，大约录取多少人，有没有优先录取政策，盼复！")
    with runtime.sessions() as session, session.begin():
        parent, other = Citizen(channel="web", channel_user_hash="parent"), Citizen(channel="web", channel_user_hash="o")
        session.add_all([parent, other])
        session.flush()
        # A parent asks 王秀兰, and a month later, unanswered, asks 张桂芳 of another station under a subject of
        # their own; another citizen asks something else of the school.
        session.add_all([
            _message(ids[0], f"咨询市二中录取非城区学生的政策\n尊敬的领导：{question}", 0, topic="教育", citizen_id=parent.id),
            _message(ids[2], f"前次留言近一月无人答复\n尊敬的领导：前次留言已近一月，杳无音讯，现再次咨询：{question}", 1,
                     topic="教育", citizen_id=parent.id),
            _message(ids[1], "柳河镇中学门口的路灯坏了一个多月\n晚上学生放学漆黑一片，希望尽快修好路灯。", 2, topic="教育",
                     citizen_id=other.id)])
    _batch_and_place(runtime, ids)
    assert _problems(runtime) == [["R00000000", "R00000001"], ["R00000002"]]


def test_odd_filters_in_the_radars_address_show_the_whole_district_never_an_error(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office1", "office", None)
    office = sign_in_staff(app, "office1")
    for query in ("station=9223372036854775808", "station=-1", "station=abc", "topic=%00", "topic=城乡建设%00",
                  "days=99999999999999999999"):
        page = office.get(f"/staff/radar?{query}")
        assert page.status_code == 200 and "热点" in page.get_data(as_text=True), (query, page.status_code)
