"""Drafts a deputy could submit, from messages written as citizens write them: one problem is one draft
titled with the estate's full name and its problem, a shared generic word makes no draft, a point is said once,
and the unit that handles it follows the problem."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import places, tokenizer

from intake.classifier import taxonomy
from intake.launcher import load_demo_if_empty
from intake.models import Draft, DraftMessage, Message, MessageStatus
from intake.services.drafts import composing, desk, draft_text, drafting, group_index, grouping, names
from intake.services.topics import units
from tests.helpers import deputies, import_roster, send, slug_of, write_roster

TZ = ZoneInfo("Asia/Shanghai")

# One problem told ten ways: with and without the estate's name, a subject line, a long letter, two topics.
ELEVATOR = [
    ("城乡建设", "金桂园滨江苑3栋电梯长期停运\n我们金桂园滨江苑3栋的电梯从上个月起就停运了，老人上下楼非常困难，物业一直推脱。"),
    ("城乡建设", "金桂园滨江苑电梯长期停运，物业不管不问，希望尽快修复。"),
    ("环境保护", "滨江苑的电梯又坏了，已经停运两个多星期，住在高层的老人只能爬楼梯。"),
    ("城乡建设", "电梯长期停运，十八楼的住户每天爬楼梯，物业说没钱维修电梯，请相关部门督促维修。"),
    ("环境保护", "反映金桂园滨江苑电梯停运问题：小区两部电梯停运一个月了，孩子上学、老人看病都要爬楼。"),
    ("城乡建设", "尊敬的领导：您好！我是金桂园滨江苑的业主。我们小区的电梯自今年三月以来长期停运，物业公司以维修资金"
                 "不足为由迟迟不修。小区有很多老人和孕妇，上下楼极不方便。业主多次向物业反映，没有任何结果。恳请领导"
                 "督促物业公司尽快修复电梯，恢复正常运行。谢谢！"),
    ("环境保护", "金桂园滨江苑的电梯停运了，维修资金迟迟批不下来，业主很着急。"),
    ("城乡建设", "我家住金桂园滨江苑九楼，电梯长期停运，我母亲腿脚不好已经一个月没下楼了。"),
    ("环境保护", "电梯停运快两个月了，金桂园滨江苑的物业到底管不管？"),
    ("城乡建设", "金桂园滨江苑电梯长期停运的问题希望政府重视，尽快协调维修资金修好电梯。"),
]
# Ten unrelated complaints that share only 学生 or 小区.
UNRELATED = [
    ("教育", "学生放学后在校门口乱穿马路，很危险。"),
    ("城乡建设", "小区的垃圾桶一直没人清理，臭气熏天。"),
    ("教育", "学生食堂的饭菜价格太贵了，分量还少。"),
    ("交通", "小区停车位太少，晚上车都停到消防通道上。"),
    ("教育", "学生宿舍晚上十一点就断电，没法学习。"),
    ("环境保护", "小区楼下的广场舞音响太吵，影响休息。"),
    ("教育", "学生的校服质量差，穿几天就破了。"),
    ("城乡建设", "小区物业费上涨了却不公示账目。"),
    ("教育", "学生周末补课乱收费，家长负担重。"),
    ("城乡建设", "小区的路灯坏了好几个月没人修。"),
]
# Seven variants of one sentence, each with something of its own around it.
LAMP = [
    "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。",
    "胡书记：您好！幸福小区门口的路灯坏了一个多月，晚上漆黑一片！老人出门不方便。",
    "幸福小区门口的路灯坏了一个多月了，晚上漆黑一片。希望尽快修好路灯。",
    "1、幸福小区门口的路灯坏了一个多月，晚上黑漆漆一片。2、开发商把",
    "幸福小区门口路灯坏了一个多月，晚上漆黑一片，孩子放学回家很害怕。",
    "反映一下：幸福小区门口的路灯坏了一个多月，晚上漆黑一片。物业要求业主自己出钱修路灯。",
    "幸福小区门口的路灯坏了快一个多月，晚上漆黑一片。建议相关部门尽快派人修理路灯。",
]


def _deputy(app, tmp_path) -> int:
    import_roster(app, write_roster(tmp_path))
    return deputies(app)[0]["id"]


def _store(session, deputy_id: int, messages: list[tuple[str, str]], start: int = 0) -> list[int]:
    stored = [Message(deputy_id=deputy_id, channel="web", text=text, topic=topic, terms=grouping.message_terms(text),
                      status=MessageStatus.TAGGED, receipt=f"P{start + i:08d}")
              for i, (topic, text) in enumerate(messages)]
    session.add_all(stored)
    session.flush()
    return [m.id for m in stored]


def _drafts(session, deputy_id: int) -> list[Draft]:
    return session.scalars(select(Draft).where(Draft.deputy_id == deputy_id).order_by(Draft.id)).all()


def _batched(app, runtime, tmp_path, told: list[tuple[str, str]]) -> int:
    """A deputy whose citizens told these, grouped and drafted in one batch."""
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, told)
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    return deputy_id


def _groups(session, deputy_id: int) -> list[list[str]]:
    """Each draft's message texts, the largest draft first."""
    return sorted((sorted(m.text for m in d.messages) for d in _drafts(session, deputy_id)), key=len, reverse=True)


def test_one_problem_told_ten_ways_is_one_draft_titled_with_the_estate_and_its_problem(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    # As they come, one batch each: the estate's name is learned from the messages on the way.
    for index, message in enumerate(ELEVATOR):
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [message], index)
            drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        drafts = _drafts(session, deputy_id)
        assert [(d.status, len(d.messages)) for d in drafts] == [("open", 10)], [(d.title, len(d.messages)) for d in drafts]
        [draft] = drafts
        assert {m.topic for m in draft.messages} == {"城乡建设", "环境保护"}
        assert draft.title == "关于金桂园滨江苑电梯长期停运问题的建议", draft.title
        assert "金桂园滨江苑（" in draft.sections["situation"]
        said = draft_text.generated_text(draft, "problems") + draft_text.generated_text(draft, "proposals")
        assert "您好" not in said and "谢谢" not in said
        assert any("金桂园滨江苑" in m.terms["places"] for m in draft.messages)
        assert "金桂园滨江苑" in session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))).all()


def test_unrelated_complaints_sharing_a_generic_word_make_no_common_draft(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED)
    with runtime.sessions() as session:
        drafts = _drafts(session, deputy_id)
        assert all(len(d.messages) == 1 for d in drafts), [(d.title, [m.text for m in d.messages]) for d in drafts if len(d.messages) > 1]
        assert all(d.status == "collecting" for d in drafts)
        assert not any("学生问题" in d.title or "关于小区问题" in d.title for d in drafts)


def test_seven_variants_of_one_sentence_are_one_point_said_by_seven(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, [("城乡建设", text) for text in LAMP])
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert draft.status == "open" and "幸福小区" in draft.title and "路灯" in draft.title, draft.title
        lamps = [p for p in draft.sections["problems"] if "路灯坏了" in p["text"]]
        assert len(lamps) == 1, draft.sections["problems"]
        [lamp] = lamps
        assert sorted(lamp["message_ids"]) == sorted(ids) and lamp["citizens"] == 7
        assert lamp["text"] == "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。"  # said so by most
        problems = draft_text.generated_text(draft, "problems")
        assert "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。（7位群众反映）" in problems.splitlines()
        # No salutation, list number or fragment is a point; a factual 要求 is no proposal.
        assert "您好" not in problems and "开发商把" not in problems and not problems.startswith("1、")
        proposals = [p["text"] for p in draft.sections["proposals"]]
        assert proposals and all("要求业主" not in text for text in proposals), proposals
        assert any("建议相关部门尽快派人修理路灯" in text for text in proposals)


def test_the_handling_unit_follows_the_problem_not_the_first_level_topic():
    shipped = taxonomy.load()
    sales = "开发商在售楼时承诺的学区和绿化都没兑现，购房合同里也没写，要求退还定金。"
    lending = "有人以低息贷款为名骗取手续费，这是套路贷诈骗，已有几十人上当。"
    assert units.unit_for(shipped, "商贸旅游", sales) == "住建局"
    assert units.unit_for(shipped, "商贸旅游", lending) == "公安分局"
    assert units.unit_for(shipped, "商贸旅游", "商场的电梯扶手坏了") == "商务局"  # nothing more specific said


def test_a_gazetteer_name_stays_whole_and_the_districts_own_names_are_no_place(app, runtime, tmp_path):
    gazetteer = tmp_path / "places.txt"
    gazetteer.write_text("# 本区地名\n幸福新城\n青石湾花园,小区\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["places", "import", str(gazetteer)])
    assert result.exit_code == 0 and "2 个名称" in result.output, result.output
    deputy_id = _deputy(app, tmp_path)
    texts = ["西地省幸福新城的地下车库一下雨就积水。", "幸福新城地下车库积水严重，车都泡了。",
             "西地省幸福新城地下车库积水问题一直没人管。"]
    places.set_district_names(["西地省"])
    try:
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [("城乡建设", text) for text in texts])
            drafting.batch_deputy(session, deputy_id, TZ, 3)
        with runtime.sessions() as session:
            [draft] = _drafts(session, deputy_id)
            assert all(m.terms["places"] == ["幸福新城"] for m in draft.messages)
            assert draft.title == "关于幸福新城地下车库积水问题的建议", draft.title
            assert "西地省" not in draft.sections["situation"]
    finally:
        places.set_district_names(runtime.settings.district_names)


def test_an_answer_pointing_back_at_the_bots_question_is_no_point_of_the_draft(app, runtime, tmp_path):
    # The chat joins a citizen's answers line by line: 就是我家门口那个 answered 在什么地方？ and says nothing alone.
    told = [("城乡建设", "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。"),
            ("城乡建设", "幸福小区门口的路灯坏了，晚上漆黑一片，老人摔过两次。"),
            ("城乡建设", "路灯坏了\n就是我家门口那个\n幸福小区东门往东50米的路灯坏了，晚上一片黑")]
    deputy_id = _batched(app, runtime, tmp_path, told)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        problems = draft_text.generated_text(draft, "problems")
    assert "路灯坏了" in problems and "我家门口那个" not in problems, problems


def test_an_answer_saying_only_where_is_no_point_of_the_draft(app, runtime, tmp_path):
    # 就在幸福小区东门 answered the chat's question (where?) on its own line: a draft's point numbered 3. 就在幸福小区东门
    # said nothing. A line saying where and what stays a point.
    told = [("城乡建设", "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。"),
            ("城乡建设", "幸福小区门口的路灯坏了，晚上漆黑一片，老人摔过两次。\n就在幸福小区东门"),
            ("城乡建设", "路灯坏了一个多月了\n在幸福小区东门口乱停车的也很多，路灯坏了更危险")]
    deputy_id = _batched(app, runtime, tmp_path, told)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        problems = draft_text.generated_text(draft, "problems")
    assert "就在幸福小区东门" not in problems and "在幸福小区东门口乱停车的也很多" in problems, problems


def test_a_sentence_ending_in_了_is_a_point_of_the_draft(app, runtime, tmp_path):
    # 了 ends a sentence (坏了一个多月了。); it was taken for a sentence cut off, and every such complaint was left out.
    told = [("城乡建设", "幸福小区门口的路灯已经坏了一个多月了。"),
            ("城乡建设", "幸福小区门口的路灯已经坏了一个多月了！"),
            ("城乡建设", "幸福小区门口的路灯坏了，晚上漆黑一片，老人摔过两次。")]
    deputy_id = _batched(app, runtime, tmp_path, told)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        problems = draft_text.generated_text(draft, "problems")
    assert "幸福小区门口的路灯已经坏了一个多月了" in problems, problems


def test_a_clerks_gazetteer_from_excel_is_read_and_a_wrong_file_is_explained(app, runtime, tmp_path):
    from openpyxl import Workbook

    from intake.models import PlaceName

    def load(path):
        return app.test_cli_runner().invoke(args=["places", "import", str(path)])

    saved_by_excel = tmp_path / "地名.csv"  # Excel on Chinese Windows writes GBK, under a column title
    saved_by_excel.write_bytes("名称,类型\n东湖湾花园,小区\n东湖二中,学校\n".encode("gbk"))
    book = Workbook()
    for row in (["地名", "备注"], ["金桂园滨江苑", "小区"]):
        book.active.append(row)
    book.save(tmp_path / "地名.xlsx")
    assert "读入 2 个名称" in load(saved_by_excel).output
    assert "读入 1 个名称" in load(tmp_path / "地名.xlsx").output
    with runtime.sessions() as session:
        assert set(session.scalars(select(PlaceName.name).where(PlaceName.known))) == {"东湖湾花园", "东湖二中", "金桂园滨江苑"}
    # A table of several columns: the names are read from the column headed 名称 or 地名, wherever it stands.
    numbered = tmp_path / "编号地名.csv"
    numbered.write_text("序号,名称,类型\n1,枫林湾小区,小区\n2,青石三小,学校\n", encoding="utf-8")
    book = Workbook()
    for row in (["编号", "类型", "地名"], [7, "小区", "桂香苑"]):
        book.active.append(row)
    book.save(tmp_path / "编号地名.xlsx")
    assert "读入 2 个名称" in load(numbered).output and "读入 1 个名称" in load(tmp_path / "编号地名.xlsx").output
    with runtime.sessions() as session:
        known = set(session.scalars(select(PlaceName.name).where(PlaceName.known)))
    assert {"枫林湾小区", "青石三小", "桂香苑"} <= known and not known & {"1", "2", "7", "序号", "编号", "小区"}
    unicode_text = tmp_path / "unicode.txt"
    unicode_text.write_bytes("东湖路\n".encode("utf-16"))
    empty = tmp_path / "empty.txt"
    empty.write_text("# 还没填\n", encoding="utf-8")
    for wrong, said in ((unicode_text, "文件编码无法识别"), (empty, "文件里没有可导入的名称")):
        result = load(wrong)
        assert result.exit_code == 1 and said in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_place_is_a_real_name_never_a_cut_across_words(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    # 车把路都堵死了 is cut 车把|路 (a handlebar and a road): no place, however often it is said.
    texts = ["放学时校门口车把路都堵死了，接孩子的车辆乱停。", "校门口接孩子的车辆乱停，车把路都堵死了。",
             "车把路都堵死了，建议放学时派交警管管校门口乱停的车辆。", "东湖路校门口车辆乱停，车把路都堵死了。"]
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, [("交通", text) for text in texts])
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert "车把路" not in draft.title and "校门口" in draft.title, draft.title
        assert "车把路" not in draft.sections["situation"], draft.sections["situation"]
        assert [m.terms["places"] for m in draft.messages] == [[], [], [], ["东湖路"]]
        assert "车把路" not in session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))).all()


# Ten unrelated complaints that all name the province: its name is no place and no key word.
PROVINCE = [
    ("教育", "西地省某中学学生放学后在校门口乱穿马路，很危险。"),
    ("城乡建设", "西地省的小区垃圾桶一直没人清理，臭气熏天。"),
    ("教育", "西地省学生食堂的饭菜价格太贵了，分量还少。"),
    ("交通", "西地省城区停车位太少，晚上车都停到消防通道上。"),
    ("教育", "西地省高校宿舍晚上十一点就断电，没法学习。"),
    ("环境保护", "西地省广场舞音响太吵，影响休息。"),
    ("卫生计生", "西地省的乡镇卫生院看病排队太久。"),
    ("城乡建设", "西地省物业费上涨了却不公示账目。"),
    ("劳动和社会保障", "西地省社保卡补办要跑三趟，手续太繁琐。"),
    ("交通运输", "西地省高速公路服务区厕所太脏。"),
]


def test_a_province_named_in_ten_unrelated_complaints_makes_no_common_draft(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, PROVINCE)
    with runtime.sessions() as session:
        drafts = _drafts(session, deputy_id)
        assert all(len(d.messages) == 1 for d in drafts), [(d.title, len(d.messages)) for d in drafts]
        assert not any("西地省" in d.title or "西地省" in (d.sections or {}).get("situation", "") for d in drafts)
        messages = session.scalars(select(Message).where(Message.deputy_id == deputy_id)).all()
        assert not any("西地省" in m.terms["places"] or "西地省" in m.terms["words"] for m in messages)


def test_a_place_never_takes_the_first_character_of_the_next_word(app, runtime, tmp_path):
    # jieba cuts 东门路|灯不亮 (both in its dictionary): the demo's draft said 涉及幸福小区（3条）、东门路（1条）.
    deputy_id = _deputy(app, tmp_path)
    texts = ["幸福小区门口的路灯坏了一个月了，晚上很黑。", "幸福小区东门路灯不亮，老人晚上出门容易摔倒。",
             "幸福小区的路灯一直不亮，希望尽快修好路灯。"]
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, [("城乡建设", text) for text in texts])
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert "东门路" not in draft.title and "东门路" not in draft.sections["situation"], draft.sections["situation"]
        assert "涉及幸福小区（3条）" in draft.sections["situation"], draft.sections["situation"]
    # What follows a road keeps it when it is a word of its own (中山路|段, 解放路|灯光); 人民|路|灯不亮 is no road.
    assert places.place_names(tokenizer.tagged_words("中山路段堵车，解放路灯光很暗")) == ["中山路", "解放路"]
    assert places.place_names(tokenizer.tagged_words("人民路灯不亮")) == []


# One road under another, told four ways: jieba cuts 东六|线下|穿长|永|高速, so the letters shared no word of it.
ROAD = ["东六线下穿长永高速的通道迟迟没有开工，附近群众出行很不方便。",
        "请问A7县东六线下穿长永高速什么时候打通？说了好几年了。",
        "走东六线去长永高速要绕很远，希望尽快打通东六线下穿通道。",
        "星沙东六线下穿长永高速工程至今没有动静，群众很失望。"]
# 线 and 高速 end words that name no road.
NOT_ROADS = ["线下办事大厅人太多，建议开通在线办理。", "市长热线一直打不通，线下窗口也排长队。",
             "公交专线停运了，在线客服也不回复。", "经济高速发展，市长热线却没人接听。"]


def test_roads_named_by_line_or_expressway_are_learned_whole(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    for index, text in enumerate(ROAD + NOT_ROADS):
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [("城乡建设", text)], index)
            drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        known = session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))).all()
        assert {"东六线", "长永高速"} <= set(known), known
        assert not [name for name in known if name.endswith(("线", "高速")) and name not in ("东六线", "长永高速")], known
        road = max(_drafts(session, deputy_id), key=lambda d: len(d.messages))
        assert sorted(m.text for m in road.messages) == sorted(ROAD), [(d.title, len(d.messages)) for d in _drafts(session, deputy_id)]
        assert "线下" not in road.title and ("东六线" in road.title or "长永高速" in road.title), road.title
    assert places.road_candidates("拨打12345热线，开通在线服务，公交专线，线下窗口，人行横道线") == []


def test_kinds_of_places_are_no_place_and_other_provinces_and_cities_neither():
    said = "我在网站上查到，城镇和乡镇的高速公路收费标准与广东省、北京、长沙市都不一样，东湖路也一样。"
    assert places.place_names(tokenizer.tagged_words(said)) == ["东湖路"]
    assert not places.is_real_place("城镇") and not places.is_real_place("上海市")
    assert not places.is_district_name("超市") and not places.is_district_name("城市")


def test_a_draft_names_no_kind_of_place_the_dictionary_knows():
    # 学区, 片区, 开发区 and 火车站 end like places; a draft's 基本情况 listed them beside the estate.
    said = "幸福小区的学区划分不合理，片区里的孩子要去开发区的学校，要过火车站。"
    named = [name for name in places.place_names(tokenizer.tagged_words(said)) if places.is_real_place(name)]
    assert named == ["幸福小区"], named
    assert places.is_real_place("东湖路") and places.is_real_place("解放路")


def test_a_draft_names_no_numbered_thing_as_a_place():
    # 身份证号, 手机号 and 车牌号 end in 号 as 幸福路88号 does; a draft's 基本情况 read 涉及青石街道、幸福小区、身份证号.
    said = "幸福小区有人用我的身份证号和手机号办卡，车牌号也被套用了，家住幸福路88号。"
    named = [name for name in places.place_names(tokenizer.tagged_words(said)) if places.is_real_place(name)]
    assert "身份证号" not in named and "手机号" not in named and "车牌号" not in named, named
    assert "幸福小区" in named, named


# One company's practice told five ways: its name says which problem it is, however many words differ.
COMPANY = [
    "叶绿集团门店涉嫌传销，拉人头收入门费，请有关部门查处。",
    "举报叶绿集团旗舰店搞传销，市场监管部门查而不处。",
    "叶绿集团打着直销的旗号发展下线，已经有亲戚被骗。",
    "呼吁取缔叶绿集团的传销业务，很多老人被洗脑买产品。",
    "叶绿集团的店还在开，传销组织没人管吗？",
]


def test_a_companys_name_joins_its_complaints_told_in_different_words(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, [("商贸旅游", text) for text in COMPANY] + UNRELATED)
    with runtime.sessions() as session:
        drafts = _drafts(session, deputy_id)
        biggest = max(drafts, key=lambda d: len(d.messages))
        assert sorted(m.text for m in biggest.messages) == sorted(COMPANY), [m.text for m in biggest.messages]
        assert "叶绿集团" in biggest.title, biggest.title


def test_a_subject_line_set_off_by_full_width_spaces_is_a_subject_line():
    letter = "小区电梯长期停运　　我们小区的电梯从上个月起就停运了，老人上下楼非常困难。"
    assert grouping.subject_line(letter) == "小区电梯长期停运"
    assert "停运" in grouping.terms_of(letter)["subject"]


# One province-wide policy told five ways, amid complaints sharing its common words (养老金, 调整, 企业).
PENSION = [
    ("劳动和社会保障", "2013年企业退休人员养老金调整方案迟迟未出台　　全国二十多个省已经公布调整方案，我省至今没有消息。"),
    ("劳动和社会保障", "企业退休职工养老金调整文件何时出台　　别的省份都发了2013年的调整文件，我们还在等。"),
    ("劳动和社会保障", "2013年养老金调整方案难产　　过去半年了，企业退休人员养老金调整方案仍未出台。"),
    ("劳动和社会保障", "请尽快出台2013年企业退休人员养老金调整方案　　退休职工盼了大半年，调整文件还没下来。"),
    ("劳动和社会保障", "企业退休人员养老金调整方案什么时候出台　　全国大部分省份已经出台2013年调整方案。"),
]
OTHER_PENSIONS = [
    ("劳动和社会保障", "养老金每月到账时间不固定，老人取钱要跑好几趟银行。"),
    ("劳动和社会保障", "企业破产后职工的养老保险断缴了，谁来补？"),
    ("劳动和社会保障", "灵活就业人员养老保险缴费基数调整太快，负担不起。"),
]


def test_one_policy_told_in_common_words_is_one_draft_and_other_pension_complaints_stay_apart(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, OTHER_PENSIONS + PENSION)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert groups[0] == sorted(text for _, text in PENSION), groups
        assert all(len(group) == 1 for group in groups[1:]), groups


# One province's pension rise asked after in subject lines whose words (养老金, 调整, 方案, 出台) five villages' other
# complaints use too: no letter of it has a rarer word in common with another.
PENSION_RISE = [
    ("劳动和社会保障", "2013年养老金调整方案迟迟未出台　　我们还在等。"),
    ("劳动和社会保障", "养老金调整方案何时出台　　至今没有下文。"),
    ("劳动和社会保障", "请尽快出台养老金调整方案　　外省都已经补发到位。"),
    ("劳动和社会保障", "养老金调整方案什么时候出台？　　今年拖到现在还没有消息。"),
]
VILLAGES_PENSIONS = [
    ("劳动和社会保障", "桃园村敬老院的护工工资拖欠半年，食堂伙食越来越差，老人反映养老金调整后院里又涨了床位费，收费方案出台前"
                       "没有征求意见。"),
    ("卫生计生", "柳河镇卫生院看病排队太久，医保报销比例调整方案出台后药费更贵，老人的养老金不够买药，希望有慢性病补助。"),
    ("商贸旅游", "青石镇农贸市场摊位费涨价，菜价跟着上涨，靠养老金生活的老人吃不消，摊位费调整方案出台时也没公示。"),
    ("国土资源", "西山村修路占了村民的菜地，补偿款一直没发，村干部说征地补偿调整方案还没出台，老人的养老金也被扣了一部分。"),
    ("城乡建设", "南岭村自来水管网老化，三天两头停水，水费却按新出台的阶梯水价方案调整，老人用养老金交水费很吃力。"),
]


def test_a_policy_named_by_its_subject_lines_common_words_is_one_group_and_the_villages_complaints_stay_apart(
        app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, VILLAGES_PENSIONS + PENSION_RISE)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert groups[0] == sorted(text for _, text in PENSION_RISE), groups
        assert all(len(group) == 1 for group in groups[1:]), groups


# One county's taxi fares, in letters whose punctuation was lost (subject line and body glued), told in words
# (出租车, 涨价, 司机) that five villages' other complaints use too, and the same trouble in another county.
TAXI_FARES = [
    ("交通运输", "M14县出租车翻倍涨价春运期间M14县的出租车司机把车费翻倍乘客没办法只能认了"),
    ("交通运输", "M14县出租车擅自涨价月初以来县城出租车司机擅自涨价物价部门也不制止"),
    ("商贸旅游", "M14县出租车随意涨价乘客敢怒不敢言M14县出租车司机随意要价希望县里管一管"),
]
OTHER_COUNTY_FARES = ("交通运输", "K7县出租车春节涨价太离谱外地回乡的人都不敢打车了K7县的出租车司机宰客")
VILLAGES_FARES = [
    ("交通运输", "石门坎村到镇上的客运班车一天只有两趟，票价还涨价了，老人赶集看病很不方便，出租车司机也不愿意进村，谁来管？"),
    ("商贸旅游", "枫木潭镇菜市场猪肉涨价太快，摊主说饲料和运费都贵了，出租车司机、环卫工人这些低收入家庭都吃不起肉，谁来管？"),
    ("商贸旅游", "乌川湖村液化气站只有一家，一罐涨价二十元还缺斤少两，出租车司机改烧油，村民做饭只能烧柴，谁来管？"),
    ("交通运输", "罗巷村路口每天早上堵车，出租车司机随便掉头拒载短途乘客，还有人私自涨价，交警很少来，谁来管？"),
    ("城乡建设", "杉木桥村自来水费涨价以后水质反而变差，烧开有白色沉淀，出租车司机洗车店也说水浑，谁来管？"),
]


def test_one_countys_taxi_fares_in_glued_letters_are_one_group_and_another_countys_stay_apart(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + OTHER_PENSIONS + VILLAGES_PENSIONS + VILLAGES_FARES
                         + [OTHER_COUNTY_FARES] + TAXI_FARES)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert sorted(text for _, text in TAXI_FARES) in groups, groups
        assert [OTHER_COUNTY_FARES[1]] in groups, groups


def test_one_countys_taxi_fares_told_a_batch_at_a_time_find_the_county_in_the_stored_group(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + OTHER_PENSIONS + VILLAGES_PENSIONS + VILLAGES_FARES
                         + [OTHER_COUNTY_FARES])
    for index, message in enumerate(TAXI_FARES):
        with runtime.sessions() as session, session.begin():
            # As if another worker had changed the groups meanwhile: the index, the county with it, is read back.
            group_index.changed(session, [deputy_id])
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [message], 100 + index)
            drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert sorted(text for _, text in TAXI_FARES) in groups, groups
        assert [OTHER_COUNTY_FARES[1]] in groups, groups


def test_a_letter_whose_punctuation_was_lost_weighs_its_opening_as_a_subject_line():
    glued = TAXI_FARES[2][1]
    assert grouping.subject_line(glued) == ""
    assert {"出租车", "涨价"} <= set(grouping.terms_of(glued)["opening"])
    # A letter with its punctuation has its subject line, or none: its first sentence is long, or nothing follows.
    assert grouping.terms_of("小区电梯长期停运　　我们小区的电梯从上个月起就停运了。")["opening"] == []
    assert grouping.terms_of("出租车涨价。")["opening"] == []


def test_a_place_named_whole_and_short_in_one_message_counts_once(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, [("城乡建设", "桃园村的路灯坏了三个月，桃园这边晚上很黑。")])
        drafting.batch_deputy(session, deputy_id, TZ, 3)
        draft = desk.draft_from_messages(session, deputy_id, ids, TZ)
        # It said 共1条意见，涉及桃园村（2条）: the short name counted again for the whole one.
        assert "共1条意见，涉及桃园村（1条）。" in draft.sections["situation"], draft.sections["situation"]


# One policy told three ways; two of the letters hold a word that only looks like a place (惠及, which the
# dictionary tags as a place name; 重组 of 重组家庭, a verb ending like 组).
REMARRIED = [
    ("卫生计生", "希望生育政策惠及再婚家庭，允许再婚夫妻再生育一个孩子。"),
    ("卫生计生", "重组家庭的再婚夫妻也应允许再生育一个孩子，请修改计划生育条例。"),
    ("卫生计生", "再婚夫妻双方各有一个孩子，能否允许再婚家庭再生育一个共同的孩子？"),
]
TWO_VILLAGES = [
    ("城乡建设", "桃园村的路灯坏了三个月，晚上出门一片漆黑。"),
    ("城乡建设", "柳河村的路灯坏了三个月，晚上出门一片漆黑。"),
]


def test_words_that_only_look_like_places_keep_no_letters_apart_and_two_villages_stay_two(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, REMARRIED + TWO_VILLAGES)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert groups == [sorted(text for _, text in REMARRIED), [TWO_VILLAGES[0][1]], [TWO_VILLAGES[1][1]]], groups


# One problem told by three citizens; only two of them name the estate, which the tokenizer cuts 翠微|佳苑|小区:
# said by two letters, the name is no learned name, yet the title must say it whole.
NIGHT_WORKS = [
    ("环境保护", "翠微佳苑小区对面工地夜间施工噪音扰民\n翠微佳苑小区对面的工地每天夜里施工到凌晨两点，业主无法入睡。"),
    ("城乡建设", "反映翠微佳苑小区对面工地夜间施工噪音问题，多次投诉无果，希望有关部门查处。"),
    ("环境保护", "小区对面工地夜间施工噪音太大，夜里施工到凌晨，业主睡不着觉，请相关部门管一管。"),
]


def test_a_title_keeps_an_estate_named_in_two_letters_whole(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, NIGHT_WORKS)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert draft.title.startswith("关于翠微佳苑小区"), draft.title
        assert "工地夜间施工噪音" in draft.title, draft.title
        assert "涉及翠微佳苑小区（2条）" in draft.sections["situation"], draft.sections["situation"]
        known = session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))).all()
        assert not any("佳苑" in name for name in known), known  # two letters teach the tokenizer nothing


def test_a_name_cut_by_the_tokenizer_is_a_candidate_whole_and_a_cut_across_words_makes_no_place():
    # 金|地|花园: 地 is tagged a particle; F1|区金: the county's code took the name's first character.
    for said in ("“金地花园”小区位于冷水铺路西侧", "希望早日解决F1区金地花园小区房产证事宜"):
        assert "金地花园" in places.name_candidates(tokenizer.tagged_words(said)), said
    assert "潇楚佳苑小区" in places.name_candidates(tokenizer.tagged_words("我是潇楚佳苑小区的一名业主"))
    assert places.place_names(tokenizer.tagged_words("家住珍珠北路139号")) == ["珍珠北路"]  # not 北路
    # 一下 before 幼儿园, 各 before 乡镇, 能 before 站, a city's code and suffix before 北区: no place.
    said = "了解一下幼儿园的收费，我们是各乡镇的尘肺病人，希望领导能站在基层的角度，整个B9市北区没有一条好路"
    assert places.place_names(tokenizer.tagged_words(said)) == [], places.place_names(tokenizer.tagged_words(said))


# Three letters on one lamp; the last names two estates.
TWO_PLACES = [
    ("城乡建设", "幸福小区门口的路灯坏了一个月了，晚上很黑。"),
    ("城乡建设", "幸福小区门口的路灯坏了很久，希望尽快修好路灯。"),
    ("城乡建设", "幸福小区和阳光花园门口的路灯都坏了，晚上老人出门不方便，建议尽快修好路灯。"),
]


def test_places_named_by_one_letter_are_not_counted_as_if_they_added_up(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, TWO_PLACES)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        situation = draft.sections["situation"]
        # It said 共3条意见，涉及幸福小区（3条）、阳光花园（1条）: four letters out of three.
        assert "共3条意见，涉及幸福小区、阳光花园。" in situation, situation


# One town's planning asked of three ways: beyond the town's name, its letters share only words every planning
# question in the district uses (建设, 规划, 方案, 公开), which find no group by themselves.
TOWN_PLANNING = [
    ("城乡建设", "罗巷集镇建设规划方案\n在外打工的游子想知道罗巷集镇的建设规划方案，请公开。"),
    ("城乡建设", "请求公开罗巷集镇规划，让村民了解集镇规划和建设方案，老街拓宽吗？"),
    ("城乡建设", "罗巷集镇的规划方案和建设方案希望政府早日公开，旅游项目怎么安排？"),
]
OTHER_PLANNING = [
    ("城乡建设", "桃园村安置房建设规划方案公开了吗？拆迁户什么时候能分房？"),
    ("城乡建设", "柳河镇农贸市场建设规划方案公开了吗？摊位怎么分配？"),
    ("交通运输", "东湖路拓宽的建设规划方案请公开，沿街门面要不要拆？"),
    ("教育", "青石中学新校区建设规划方案什么时候公开？"),
    ("城乡建设", "西山村污水处理厂的建设方案和规划请公开，建在哪里？"),
    ("城乡建设", "南岭小区公园的建设规划方案能否公开？"),
]
TOWN_LAMPS = ("城乡建设", "罗巷集镇老街的路灯坏了三个月，晚上出门一片漆黑。")


def test_one_towns_planning_told_in_the_districts_common_words_is_one_group_and_its_other_problem_stays_apart(
        app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, OTHER_PLANNING + TOWN_PLANNING + [TOWN_LAMPS])
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert groups[0] == sorted(text for _, text in TOWN_PLANNING), groups
        assert all(len(group) == 1 for group in groups[1:]), groups


def test_a_government_is_whom_citizens_write_to_never_a_place_name():
    # Learned from three letters, 县政府 and 强烈要求政府 would be named as places in titles and 基本情况.
    said = "A7县政府多次承诺动工，我们强烈要求政府尽快打通东六路，江山府小区的业主也盼着"
    found = places.name_candidates(tokenizer.tagged_words(said))
    assert not any(name.endswith("政府") for name in found), found
    assert "江山府" in found, found


def test_a_character_that_is_no_word_alone_opens_the_name_after_it():
    # 怡|海星|城: 怡 is tagged a bound verb morpheme; the estate is 怡海星城, not 海星城 (nor 海星城社区怡海星城).
    for said in ("我是暮云怡海星城的一名业主，小区一直不通公交", "解决龙湾国际社区，怡海星城社区公交车问题"):
        assert "怡海星城" in places.name_candidates(tokenizer.tagged_words(said)), said


def test_a_villages_name_is_learned_where_its_last_character_runs_into_the_next_word():
    # jieba cuts 桃园|村村|道 (it knows 村村 of 村村通): the village is 桃园村, never 桃园村村.
    for said, village in (("桃园村村道年久失修，建议列入改造计划", "桃园村"), ("河湾村村民反映水渠漏水", "河湾村")):
        found = places.name_candidates(tokenizer.tagged_words(said))
        assert village in found and not any(name.endswith("村村") for name in found), found


def test_the_demo_villages_letters_about_one_road_and_one_channel_are_grouped(app, runtime, run_jobs):
    # `mashang up --demo`: 桃园村's potholed road told twice (once as 桃园村村道), 河湾村's channel twice (once as
    # its 灌溉水渠): each pair was two groups, as the first letter's words held 桃园 and 灌溉水, not the names.
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    with runtime.sessions() as session:
        for first, second in (("村道坑坑洼洼", "桃园村村道年久失修"), ("灌溉水渠", "河湾村的水渠漏水")):
            one, other = (session.scalar(select(Message).where(Message.text.contains(said)))
                          for said in (first, second))
            drafts = [session.scalar(select(DraftMessage.draft_id).where(DraftMessage.message_id == message.id))
                      for message in (one, other)]
            assert drafts[0] == drafts[1], (one.terms, other.terms)


# One road's crossing told by three citizens of the city's economic development zone, which jieba's dictionary
# does not know: its word model cut A市经开区 as A|市经|开区, and drafts were titled 关于开区….
ZONE = [
    ("交通运输", "A市经开区东六路下穿长永高速的通道迟迟未打通\n经开区东六路被长永高速截断多年，居民出行很不方便，请尽快打通。"),
    ("城乡建设", "请求打通A7县经开区东六路，东六路被长永高速截断，泉塘居民出行很不方便。"),
    ("交通运输", "星沙经开区东六路下穿长永高速什么时候开工？东六路被长永高速截断，居民盼了多年。"),
]


def test_a_development_zone_is_a_place_named_whole(app, runtime, tmp_path):
    for said, zone in (("A市经开区管委会", "经开区"), ("A7县经开区的居民", "经开区"), ("关于经开区的问题", "经开区"),
                       ("家住经济技术开发区", "经济技术开发区")):
        assert places.place_names(tokenizer.tagged_words(said)) == [zone], said
    deputy_id = _batched(app, runtime, tmp_path, ZONE)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        # All three name the zone, the road and the expressway it crosses (a road's name too, learned whole): the
        # title names one of them, whole.
        assert any(place in draft.title for place in ("经开区", "东六路", "长永高速")), draft.title
        assert "开区" not in draft.title.replace("经开区", ""), draft.title
        assert "涉及经开区、" in draft.sections["situation"], draft.sections["situation"]
        assert "开区" not in draft.sections["situation"].replace("经开区", ""), draft.sections["situation"]


def test_a_name_is_never_learned_from_its_last_characters_that_other_names_share(app, runtime, tmp_path):
    # 绿林|苑|小区, 枫林|苑|小区: a character that goes on from the word before it opens no name (苑小区 and
    # 城小区 were learned from the estates of a city that end so).
    estates = ["绿林苑小区", "枫林苑小区", "松林苑小区"] * 3
    said = [("城乡建设", f"我是{estate}的业主，小区门口的路灯坏了。") for estate in estates]
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, said)
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        known = set(session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))))
    assert {"绿林苑小区", "枫林苑小区", "松林苑小区"} <= known and "苑小区" not in known, known


# Four questions about different projects, sharing only how they ask (咨询, 具体位置); and three estates each
# against a waste station by its own, sharing only a template's words (出于…考量).
ASKING = [
    "咨询新建小学的具体位置\n听说明年要新建两所小学，请问选址的具体位置在哪里？",
    "咨询新建公园的具体位置\n报纸上说要新建三个公园，请问具体位置在哪？什么时候开工？",
    "关于地铁站出口具体位置的咨询\n请问规划中的地铁站出口具体位置在哪条路上？",
    "咨询菜市场搬迁后的具体位置\n菜市场要搬迁了，请问新址的具体位置在哪里？",
]
TEMPLATE = [
    "反对在金桂园建垃圾站\n不知道是出于何种考量，要在金桂园小区门口建垃圾站，我们坚决反对垃圾站考量不周。",
    "反对在幸福里建垃圾站\n不知道是出于何种考量，要在幸福里小区旁边建垃圾站，垃圾站考量不周，居民反对。",
    "反对在东湖苑建垃圾站\n不知道出于什么考量，要在东湖苑小区后面建垃圾站，垃圾站考量欠妥。",
]


def _told(texts: list[str]) -> list[Message]:
    return [Message(id=i + 1, text=text, terms=grouping.message_terms(text), topic="城乡建设",
                    created_at=datetime(2026, 11, 2 + i, tzinfo=timezone.utc)) for i, text in enumerate(texts)]


def test_how_letters_ask_is_no_problem_and_a_title_never_ends_in_a_word_that_names_no_thing():
    asking = composing.text_of(_told(ASKING), "城乡建设", None, TZ)
    assert not asking.one_problem, asking.title
    assert "具体位置" not in asking.title and "咨询" not in asking.title, asking.title
    title = composing.title_of(_told(TEMPLATE), "城乡建设")
    assert "垃圾站" in title and "考量" not in title, title


def test_what_a_company_does_is_no_name_and_whom_a_letter_blames_is_no_part_of_one():
    cut = places.name_candidates(tokenizer.tagged_words("开发商湖星湾置业有限公司拖延交房，开发商九岳置业有限公司也一样。"))
    assert "置业有限公司" not in cut and "开发商湖星湾置业有限公司" not in cut, cut
    assert {"湖星湾置业有限公司", "九岳置业有限公司"} <= set(cut), cut


def test_what_is_wrong_comes_before_what_citizens_ask():
    told = ["幸福小区东门的路灯坏了一个多月，晚上出门很不方便。请问幸福小区东门的路灯什么时候修好？",
            "幸福小区东门路灯坏了，老人摔倒过。请问幸福小区东门的路灯什么时候修好？",
            "幸福小区东门的路灯坏了，孩子害怕。"]
    problems = composing.text_of(_told(told), "城乡建设", None, TZ).sections["problems"]
    asked = [i for i, point in enumerate(problems) if point["text"].endswith("？")]
    told_as_fact = [i for i, point in enumerate(problems) if not point["text"].endswith("？")]
    assert asked and told_as_fact and max(told_as_fact) < min(asked), [p["text"] for p in problems]


def test_a_question_many_citizens_asked_is_kept_among_many_statements():
    asked = "请问幸福小区东门的路灯什么时候修好？"
    told = [f"幸福小区东门的路灯坏了，{what}。{asked}" for what in (
        "老人晚上摔倒了", "孩子放学回家很害怕", "电动车撞到了石墩", "外卖员找不到楼栋", "夜跑的人只能绕路走",
        "快递车晚上进不来", "晚上遛狗看不见路", "下夜班回家很危险", "停车时刮了别人的车", "摊贩收摊时摔了一跤")]
    problems = composing.text_of(_told(told), "城乡建设", None, TZ).sections["problems"]
    assert problems[-1]["text"] == asked and problems[-1]["count"] == 10, [p["text"] for p in problems]


def test_a_line_that_only_leaves_a_number_is_no_problem():
    told = ["幸福小区东门的路灯坏了一个多月，晚上出门很不方便。\n我的电话13812345678",
            "幸福小区东门路灯坏了，老人摔倒过。有事请联系我，手机：139 8765 4321。",
            "幸福小区东门的路灯坏了，孩子害怕。联系方式 0731-84123456，邮箱zhang.san@example.com",
            "幸福小区东门的路灯坏了，我打了电话138****5678也没人接。"]
    problems = [p["text"] for p in composing.text_of(_told(told), "城乡建设", None, TZ).sections["problems"]]
    assert not any("****" in point and "没人接" not in point for point in problems), problems
    assert any("没人接" in point for point in problems), problems  # a number said as part of the problem stays


def test_the_agency_a_letter_writes_to_is_no_problem():
    told = ["教育局为什么不回复我们？学校食堂的饭菜太贵了。",
            "我们多次找教育局反映校车超载，教育局一直没有处理。",
            "教育局能不能管一管补课乱收费？"]
    written = composing.text_of(_told(told), "教育文体", None, TZ)
    assert "教育局" not in written.title and not written.one_problem, written.title


# Citizens write to the deputy whose code they scanned, and many open by naming them or greeting the reader.
ADDRESSED = [
    ("张伟代表：您好！我们小区门口的路灯坏了一个多月，晚上出门很不方便。", "路灯"),
    ("尊敬的张伟代表，您好！村里的自来水经常停水，希望尽快解决。", "自来水"),
    ("张伟代表您好，公交车班次太少，等车要一个小时。", "公交车"),
    ("尊敬的领导：\n您好！学校门口的斑马线被车挡住，孩子过马路很危险。", "斑马线"),
    ("各位领导好！幸福小区电梯经常停运，老人上下楼很困难。", "幸福小区电梯"),
]


def test_whom_a_message_is_written_to_is_no_part_of_its_title_or_its_subject():
    for text, problem in ADDRESSED:
        title = composing.title_of(_told([text]), "城乡建设")
        assert title == f"关于{problem}问题的建议", (text, title)


def test_a_drafts_dates_are_written_as_official_documents_write_them(app, runtime, tmp_path):
    """基本情况 goes into the suggestion the office registers: 2026年11月3日至2026年12月5日, as the yearly report writes
    its date, not 2026年11月03日至2026年12月05日."""
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        ids = _store(session, deputy_id, [("城乡建设", text) for text in LAMP[:3]])
        for message_id, (month, day) in zip(ids, ((11, 3), (11, 20), (12, 5))):  # noon in Beijing
            session.get(Message, message_id).created_at = datetime(2026, month, day, 4, tzinfo=timezone.utc)
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert draft.sections["situation"].startswith("2026年11月3日至2026年12月5日，共有"), draft.sections["situation"]


# Four fares that charge a baby in arms as an adult: every letter says 收费, a word the language uses everywhere;
# what they share that other letters do not is 全票.
FULL_FARES = [
    "K3县的中巴车对抱在手上的婴儿也收全票，乱收费。",
    "坐城乡班车抱着婴儿也要买全票，这种收费合理吗？",
    "客车对婴幼儿收全票，收费标准在哪里？",
    "县里的大巴一岁以内的小孩都收全票，收费没有依据。",
]
# Noise at three places, each said to be near homes: 居民区 is a kind of place, no problem of its own.
NEAR_HOMES = [
    "江北夜宵店的音响到凌晨还在唱，居民区里没法睡觉。",
    "东江文化广场的露天卡拉OK声音很大，附近就是居民区。",
    "紫云小区的移动机房噪音很大，就在居民区中间。",
]
# Village clinics, written as letters are when their spaces were lost: 村卫生室村卫生室 is cut 村|卫生室村|卫生室,
# and one letter's 卫生室村 is no place that makes 卫生室 a place's name.
VILLAGE_CLINICS = [
    "我们村卫生室村卫生室补贴太少，村医生活困难。",
    "村卫生室的公共卫生经费一直没有发到卫生室。",
    "请问卫生院所在地还要不要设村卫生室？",
    "乡村医生在卫生室量血压测血糖，没有任何补贴。",
]


def test_a_word_every_letter_uses_or_a_kind_of_place_is_no_title_alone():
    fares = composing.title_of(_told(FULL_FARES), "交通运输")
    assert fares == "关于全票问题的建议", fares
    homes = composing.text_of(_told(NEAR_HOMES), "环境保护", None, TZ)
    assert "居民区" not in homes.title, homes.title
    clinics = composing.title_of(_told(VILLAGE_CLINICS), "卫生计生")
    assert clinics == "关于卫生室问题的建议", clinics
    # After a place a common word still says which problem: the estate's 收费 is not every estate's.
    assert composing.title_of(_told([f"幸福小区物业乱收费，{said}" for said in ("收费不公示。", "收费太高。")]),
                              "城乡建设").startswith("关于幸福小区"), "a place and a common word"


def test_a_pronoun_an_adverb_or_a_common_verb_never_titles_a_draft():
    # Were 关于这俩问题的建议 and 关于开始问题的建议: the letter's first words that were no place.
    for letter, problem in (("这俩月开始一直停水，做饭都没水。", "停水"), ("开始上涨的菜价这俩月没人管。", "菜价")):
        title = composing.title_of(_told([letter]), "城乡建设")
        assert title == f"关于{problem}问题的建议", title


# A place's name is rarely one character before its suffix: the tokenizer's 万家|丽|北路, 石马|山镇 and K1|区珠|山镇
# (the county's code took the town's first character) are cut across names; 绕路, 沿街 and 半路 are no places.
CUT_PLACES = [  # a letter, the place it names whole (or none), and the piece of a word that is no place
    ("建议在万家丽北路沿线增开公交车。", "万家丽北路", "丽北路"),
    ("市石马山镇木灵村的水渠堵了。", "石马山镇", "山镇"),
    ("K1区珠山镇上田村的工厂排放废气。", "珠山镇", "区珠山镇"),
    ("K9县火市乡水家渡村的养猪场污染水源。", "水家渡村", "渡村"),
    ("司机明明走环线，乘客却质疑绕路。", None, "绕路"),
    ("一楼沿街门面违规搭建棚子。", None, "沿街"),
    ("公交车开到半路就坏了。", None, "半路"),
]
STREETLIGHTS = [
    ("城乡建设", "万家丽北路安沙段的路灯坏了一个多月，晚上漆黑一片。"),
    ("城乡建设", "万家丽北路的路灯坏了，晚上骑车很危险。"),
    ("城乡建设", "请尽快修好万家丽北路安沙段的路灯。"),
]
FACTORY = [
    "K1区珠山镇上田村的炉料公司排放废气，村民头晕。",
    "K1区珠山镇上田村炉料公司污染环境，臭味刺鼻。",
    "K1区珠山镇上田村的炉料公司晚上偷排废气。",
]


def test_a_place_is_named_whole_never_from_its_last_character_and_suffix(app, runtime, tmp_path):
    for text, whole, piece in CUT_PLACES:
        named = [place for place in places.place_names(tokenizer.tagged_words(text)) if places.is_real_place(place)]
        assert piece not in named and (whole is None or whole in named), (text, named)
    deputy_id = _batched(app, runtime, tmp_path, STREETLIGHTS)
    with runtime.sessions() as session:
        [draft] = _drafts(session, deputy_id)
        assert draft.title == "关于万家丽北路路灯问题的建议", draft.title
        assert "涉及万家丽北路（3条）" in draft.sections["situation"], draft.sections["situation"]
    factory = composing.title_of(_told(FACTORY), "环境保护")
    assert factory.startswith("关于珠山镇") and "区珠" not in factory, factory


# The demo's two problems at one place, each with another problem's report there, as the chat stores it: the
# description, then the place answered on the next line.
LAMPS = [("城乡建设", "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。"),
         ("城乡建设", "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。"),
         ("城乡建设", "建议在幸福小区东门加装两盏路灯，现在晚上完全看不清路面。")]
SEWER_AT_THE_LAMPS = ("城乡建设", "我们小区门口的下水道堵了一个多星期，污水漫到路上\n幸福小区东门")
SEWAGE = [("环境保护", "东湖路菜市场旁边的污水沟夏天臭味很大，蚊子也多。"),
          ("环境保护", "东湖路那条水沟里的污水直接排到河里，建议尽快整治。"),
          ("环境保护", "菜市场边上的排污沟堵了，污水漫到路面上，居民进出很不方便。")]
LAMPS_AT_THE_SEWAGE = ("城乡建设", "东湖路菜市场门口的路灯坏了好几盏\n东湖路菜市场旁边")


def test_two_problems_at_one_place_stay_apart_however_many_place_words_they_share(app, runtime, tmp_path):
    # 幸福小区, 门口 and 东门 (or 东湖路, 菜市场, 门口 and 旁边) say where; 下水道 and 路灯 say what.
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, LAMPS + SEWAGE)
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session, session.begin():
        _store(session, deputy_id, [SEWER_AT_THE_LAMPS, LAMPS_AT_THE_SEWAGE], len(LAMPS + SEWAGE))
        drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        told = {text: [m.text for m in d.messages] for d in _drafts(session, deputy_id) for text in [
            m.text for m in d.messages]}
        assert told[SEWER_AT_THE_LAMPS[1]] == [SEWER_AT_THE_LAMPS[1]], told[SEWER_AT_THE_LAMPS[1]]
        assert told[LAMPS_AT_THE_SEWAGE[1]] == [LAMPS_AT_THE_SEWAGE[1]], told[LAMPS_AT_THE_SEWAGE[1]]
        lamps, sewage = (next(d for d in _drafts(session, deputy_id) if LAMPS[0][1] in [m.text for m in d.messages]),
                         next(d for d in _drafts(session, deputy_id) if SEWAGE[0][1] in [m.text for m in d.messages]))
        assert "共有3位群众" in lamps.sections["situation"] and "路灯" in lamps.title, lamps.sections["situation"]
        assert "共有3位群众" in sewage.sections["situation"] and "污水" in sewage.title, sewage.title
    # A place that jieba glued to the next word's first character (东门路|灯不亮) still says 路灯.
    assert "路灯" in grouping.message_terms("幸福小区东门路灯不亮，老人晚上出门容易摔倒。")["words"]


def test_every_message_a_draft_counts_is_said_in_it_and_a_place_alone_is_no_point_nor_title(app, runtime, tmp_path):
    deputy_id = _deputy(app, tmp_path)
    with runtime.sessions() as session, session.begin():
        lamp_ids = _store(session, deputy_id, LAMPS + [SEWER_AT_THE_LAMPS])
        sewage_ids = _store(session, deputy_id, SEWAGE + [LAMPS_AT_THE_SEWAGE], 10)
        short_ids = _store(session, deputy_id, [("城乡建设", "幸福小区东门")], 20)
        # Staff make drafts of exactly these messages, as they may of any.
        by_id = {m.id: m for m in session.scalars(select(Message).where(Message.deputy_id == deputy_id))}
        lamps = drafting.draft_from(session, [by_id[i] for i in lamp_ids + short_ids], TZ)
        sewage = drafting.draft_from(session, [by_id[i] for i in sewage_ids], TZ)
        lamps_id, sewage_id = lamps.id, sewage.id
    with runtime.sessions() as session:
        lamps, sewage = session.get(Draft, lamps_id), session.get(Draft, sewage_id)
        # A chat's report says its problem on its first line, the place on the next: that line is its point.
        said = draft_text.generated_text(lamps, "problems") + draft_text.generated_text(lamps, "proposals")
        assert "我们小区门口的下水道堵了一个多星期，污水漫到路上" in said, said
        # 幸福小区东门 alone says nothing: it is no point, and 基本情况 counts only the four messages it says.
        assert "共有4位群众" in lamps.sections["situation"] and "共4条意见" in lamps.sections["situation"], \
            lamps.sections["situation"]
        points = [p for section in ("problems", "proposals") for p in sewage.sections[section]]
        assert "东湖路菜市场旁边" not in [p["text"] for p in points], points
        assert any("路灯坏了好几盏" in p["text"] for p in points), points
        assert "旁边" not in sewage.title, sewage.title
        assert {i for p in points for i in p["message_ids"]} == set(sewage_ids)
        assert "共有4位群众" in sewage.sections["situation"], sewage.sections["situation"]


@pytest.mark.parametrize("turns, thing", [
    (("我们小区门口的下水道堵了一个多星期，污水漫到路上", "幸福小区东门", "不用了"), "下水道"),
    # It shares the lamps' old people going out (老人出门很不安全), not their problem.
    (("幸福小区3号楼前一下雨就积水，老人出门很不方便", "不用了"), "积水"),
])
def test_the_demos_sewer_reported_at_the_lamps_estate_joins_no_lamp_draft(app, runtime, run_jobs, client, turns, thing):
    # `mashang up --demo`, then a citizen chats with 王秀兰: the sewer at 幸福小区东门, where the lamps are out, or
    # the water standing at one of its buildings.
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    wang = next(deputy for deputy in deputies(app) if deputy["name"] == "王秀兰")
    for said in turns:
        body = send(client, slug_of(wang), said).get_json()
    assert body["receipt"], body
    run_jobs()
    with runtime.sessions() as session:
        sewer = session.scalar(select(Message).where(Message.text.contains(thing)))
        lamps = next(d for d in _drafts(session, wang["id"]) if "路灯" in d.title)
        assert sewer not in lamps.messages, lamps.sections
        assert lamps.title == "关于幸福小区路灯问题的建议", lamps.title
        assert "共有3位群众" in lamps.sections["situation"], lamps.sections["situation"]
        assert not [d for d in _drafts(session, wang["id"]) if sewer in d.messages and len(d.messages) > 1]


# Two towns whose names begin alike, each with a paper mill that pollutes: three letters from each name the town in
# full, then citizens of both write its name without 镇 (枫木潭纸厂, 枫木桥纸厂).
MILLS = [f"{letter.format(town=town)}" for town in ("枫木潭镇", "枫木桥镇") for letter in (
    "{town}纸厂偷排污水\n{town}的纸厂每天晚上偷排污水，沟渠里的鱼都死了。",
    "{town}纸厂晚上偷偷排放黑水，整条水沟都是臭味，希望环保部门查处。",
    "反映{town}纸厂污染：纸厂的废水直接排进水沟，下游村民不敢用水。")] + [
    "枫木潭纸厂又在半夜排污，水沟发黑发臭，请尽快处理。",
    "枫木桥纸厂又在半夜排污，水沟发黑发臭，请尽快处理。",
    "枫木潭那家纸厂废水直排水沟，鱼虾死光了。",
    "枫木桥那家纸厂废水直排水沟，鱼虾死光了。",
]


def test_a_town_said_without_its_suffix_is_that_town_and_not_another_beginning_alike(app, runtime, tmp_path):
    assert places.short_forms(["白石渡镇", "枫木桥镇", "桃园村", "榔梨街道", "柳河镇", "新镇"]) == ["枫木桥", "榔梨", "白石渡"]
    deputy_id = _batched(app, runtime, tmp_path, [("环境保护", text) for text in MILLS])
    with runtime.sessions() as session:
        drafts = {d.title: sorted(m.text for m in d.messages) for d in _drafts(session, deputy_id)}
        known = set(session.scalars(select(names.NAMES.name).where(names.NAMES.known.is_(True))))
    assert {"枫木潭镇", "枫木桥镇"} <= known, known
    # Before, 枫木 alone was the short letters' place: all four joined the first town's draft, titled 关于纸厂问题的建议.
    assert drafts == {f"关于{town}纸厂问题的建议": sorted(text for text in MILLS if town[:3] in text)
                      for town in ("枫木潭镇", "枫木桥镇")}, drafts



def test_an_adverb_or_an_amount_before_a_place_is_no_part_of_its_name():
    # The word model glued 可 (but) to the town's first character (可含|浦镇), and 好多年 is tagged a numeral's word
    # as 万家 of 万家丽北路 is; 月 alone may begin a name (月|山镇).
    for said, place, wrong in (("新区已成立一年了，可含浦镇发展缓慢", "含浦镇", "可含浦镇"),
                               ("天然气说了好多年四区还没开通", "四区", "好多年四区"),
                               ("公路涉及月山镇白田村", "月山镇", "")):
        tagged = tokenizer.tagged_words(said)
        assert place in places.place_names(tagged), (said, places.place_names(tagged))
        assert not wrong or wrong not in places.place_names(tagged) + places.name_candidates(tagged), said


# Four couples asking where to get a birth permit: jieba tagged 准生证 a verb, so the title took the nouns around it.
PERMIT = [
    "办理准生证太难了\n我们夫妻去计生办办理准生证，计生办说户口不在本地不给办。",
    "计生办办理准生证要求户口所在地开证明，来回跑了五趟还没办下来。",
    "外地户口在本地办理准生证，计生办让我们回老家开证明，太折腾了。",
    "准生证到底在哪里办？计生办和户口所在地互相推诿。",
]


def test_birth_permits_and_second_children_are_things_a_title_names():
    # Was 关于户口所在地问题的建议; 二孩 was cut 二|孩 and 二胎 tagged a numeral, so neither could title a draft.
    assert "准生证" in composing.title_of(_told(PERMIT), "卫生计生"), composing.title_of(_told(PERMIT), "卫生计生")
    for word in ("准生证", "二孩", "二胎"):
        assert (word, "n") in tokenizer.tagged_words(f"我们想办{word}的手续")


# Letters asking whether something 符合国家政策: 县镇 (county and town) names no place, and jieba's dictionary word
# 符合国家 (a verb and 国家) names no thing; a draft was titled 关于县镇符合国家问题的建议.
TUTORING_FEES = ["我们县镇的中学收补课费，符合国家政策吗？", "我们县镇的学校暑假强制补课，收补课费符合国家政策吗？",
                 "请问我们县镇的中学收取补课费符合国家规定吗？"]
FEES_ANYWHERE = ["我们县镇的医院收费乱，符合国家政策吗", "我们县镇的学校乱收费符合国家政策吗", "我们县镇的物业收费符合国家政策吗"]


def test_units_said_together_are_no_place_and_a_verb_before_a_generic_word_is_no_problem():
    for units in ("县镇", "村组", "镇村", "街镇"):
        assert not places.is_real_place(units), units
    # Nor the problem: L9县县98%快递公司 (cut L9|县县|98%) was titled 关于…县县问题.
    parcels = composing.title_of(_told(["投诉L9县县98%快递公司向收件人收费\n我县98%的快递公司在各乡镇设立代办点，"
                                        "箩卜田乡的代办点向收件人收取快递费用。"]), "交通运输")
    assert "县县" not in parcels, parcels
    assert places.is_real_place("柳河镇") and places.is_real_place("十三组")
    fees = composing.text_of(_told(TUTORING_FEES), "教育", None, TZ)
    assert fees.title == "关于补课费问题的建议", fees.title
    assert "县镇" not in fees.sections["situation"], fees.sections["situation"]
    # Fees at a hospital, a school and an estate share only 收费 and how they ask: no one problem, no such title.
    anywhere = composing.text_of(_told(FEES_ANYWHERE), "教育", None, TZ)
    assert not anywhere.one_problem, anywhere.title
    assert "县镇" not in anywhere.title and "符合国家" not in anywhere.title, anywhere.title


# One estate's lifts; the last letter lost its punctuation: a list of whom it asked (小区物业社区业委会) was read as a
# place, 物业社区, so the draft said it concerned 青松名苑、物业社区; an idiom jieba's dictionary tags as a place
# (马耳东风) kept letters apart as if it were a site.
GLUED_LIFTS = [
    "青松名苑电梯存在安全隐患\n电梯多年没有年检，存在安全隐患，物业不管。",
    "青松名苑电梯年检\n电梯经常困人，物业说没钱，安全隐患谁负责？",
    "青松名苑55栋电梯多年未搞年检存在多处质量安全隐患小区物业社区业委会开发商镇政府反映无动于衷马耳东风",
]


def test_whom_a_glued_letter_asked_and_an_idiom_are_no_place_of_the_draft():
    told = places.place_names(tokenizer.tagged_words(GLUED_LIFTS[2]))
    assert "物业社区" not in told and "青松名苑" in told, told
    assert not places.names_a_site("马耳东风") and places.names_a_site("青松名苑")
    assert places.places_agree({"青松名苑"}, {"青松名苑", "马耳东风"})
    # Nor are they names to learn: 安全隐患小区 and 物业社区 recurred in a city's letters (an idiom or set phrase,
    # 安全隐患, is no part of a name).
    assert places.name_candidates(tokenizer.tagged_words(GLUED_LIFTS[2])) == ["青松名苑"]
    assert places.place_names(tokenizer.tagged_words("光明小区的物业")) == ["光明小区"]
    draft = composing.text_of(_told(GLUED_LIFTS), "城乡建设", None, TZ)
    assert "涉及青松名苑（3条）" in draft.sections["situation"], draft.sections["situation"]


# One town's bottled gas, called 液化气 by some and 煤气 by others (bot/equivalents.txt), beside another town's gas.
GAS_PRICES = [
    ("商贸旅游", "桃川镇液化气太贵\n一罐液化气要一百三十元，老百姓做饭都用不起了。"),
    ("商贸旅游", "桃川镇煤气涨价\n充一次煤气比县城多花三十块，只有一家店，谁来管管？"),
    ("商贸旅游", "煤气太贵了\n我们桃川镇的煤气比别处贵得多，希望物价部门查一查。"),
]
GAS_LEAK = ("城乡建设", "柳河镇燃气管道漏气\n柳河镇新街的燃气管道漏气好几天了，没人来修。")


def _one_group_and_one_alone(app, runtime, tmp_path, told, together, alone) -> None:
    """Told in this order after UNRELATED, in one batch: `together` are one group, `alone` a group of its own."""
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + told)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert sorted(text for _, text in together) in groups, groups
        assert [alone[1]] in groups, groups


def test_one_towns_gas_called_by_two_names_is_one_group(app, runtime, tmp_path):
    _one_group_and_one_alone(app, runtime, tmp_path, [GAS_LEAK] + GAS_PRICES, GAS_PRICES, GAS_LEAK)


def test_one_towns_gas_told_a_batch_at_a_time_finds_the_stored_group_by_its_other_name(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + [GAS_LEAK] + GAS_PRICES[:1])
    for index, message in enumerate(GAS_PRICES[1:]):
        with runtime.sessions() as session, session.begin():
            group_index.changed(session, [deputy_id])  # the stored index is read back, its words as they were folded
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [message], 100 + index)
            drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert sorted(text for _, text in GAS_PRICES) in groups, groups
        assert [GAS_LEAK[1]] in groups, groups


# A pyramid scheme at one estate: another place's scheme is its own problem.
OTHER_ESTATE_SCHEME = ("商贸旅游", "金桂园小区传销窝点\n金桂园小区里有传销窝点，拉人头听课洗脑，请公安严厉打击。")


# A city said without its name (an anonymised A市 as 市) glues to the place after it in the cut (市泉塘): the letter
# still names 泉塘 and joins the others on its pyramid scheme.
GLUED_CITY = [
    ("商贸旅游", "泉塘传销泛滥\n泉塘一带传销人员聚集，天天拉人头听课洗脑，举报无人查处。"),
    ("商贸旅游", "市泉塘传销泛滥成灾\n市泉塘常年传销人员聚集，拉人头听课洗脑，举报无人查处。"),
    ("商贸旅游", "泉塘传销窝点\n泉塘的传销窝点拉人头听课洗脑，希望查处。"),
]


def test_a_city_glued_to_the_place_after_it_keeps_the_letter_with_that_places_others(app, runtime, tmp_path):
    assert "泉塘" in grouping.terms_of(GLUED_CITY[1][1])["words"]
    _one_group_and_one_alone(app, runtime, tmp_path, [OTHER_ESTATE_SCHEME] + GLUED_CITY, GLUED_CITY, OTHER_ESTATE_SCHEME)


# 我县 and 本市 end their word: the tokenizer's 我|县易|市镇 glued the county to the town (易市镇) that follows.
OUR_COUNTY = ["我县易市镇的垃圾站没人清运，垃圾堆成山，臭气熏天。",
              "我县易市镇街上的垃圾站好几天没人清运了。",
              "我县易市镇垃圾站的垃圾没人清运，苍蝇很多。"]
# Letters naming a county or city by code (as anonymised mailboxes do): the cut glues its level to what follows
# (G8|县易|市镇, E4|县团|山, K2|区华邦小区); a title says the place whole and the problem, never such a fragment.
CODED = [("G8县易市镇申通快递取包裹强行收费两元", "申通", "县易"), ("E4县团山镇快递物流中心取件强行收费", "团山镇物流", "县团"),
         ("K2区华邦小区物业违规加建车库", "华邦小区违规", "区华邦"), ("A市中心医院住院收费不透明", "中心医院住院", "市中心"),
         ("C5县县医院药房缺药", "县医院药房", "县县")]
# A norm a letter cites is no problem: what breaks it is.
CITED = ["我们小区的供暖温度不符合国家标准，屋里只有十几度。",
         "小区供暖温度太低，不符合国家标准，老人孩子都感冒了。",
         "供暖温度达不到国家标准，按照规定应该退还部分供暖费。"]


@pytest.mark.parametrize("letter, said, cut", CODED)
def test_a_title_names_no_cut_of_a_coded_county(letter, said, cut):
    title = composing.title_of(_told([letter]), "城乡建设")
    assert said in title and cut not in title, title


def test_a_title_names_no_cut_of_our_county_and_no_norm_a_letter_cites():
    county = composing.title_of(_told(OUR_COUNTY), "城乡建设")
    assert "县易" not in county and "垃圾" in county, county
    alone = composing.title_of(_told(OUR_COUNTY[:1]), "城乡建设")
    assert "县易" not in alone, alone
    cited = composing.title_of(_told(CITED), "城乡建设")
    assert "国家标准" not in cited and "规定" not in cited, cited
    assert "国家标准" not in composing.title_of(_told(CITED[:1]), "城乡建设")
    # A standard said as what is wrong stays the problem: 收费标准过高 is not 符合收费标准.
    fees = composing.title_of(_told(["幸福小区的物业收费标准过高，比周边小区贵一倍。",
                                     "幸福小区物业收费标准过高，业主意见很大。"]), "城乡建设")
    assert "收费标准" in fees, fees


# Substitute teachers' pay, called 代课老师 by some and 代课教师 or 民办代课教师 by others: 老师 and 教师 are one word
# (bot/equivalents.txt), inside a compound too.
SUBSTITUTE_TEACHERS = [
    ("教育", "代课老师补贴问题\n我父亲七十年代当过两年代课老师，到现在也没领到代课老师补贴，请问怎么申请？"),
    ("教育", "原代课教师补贴何时发\n我母亲当过代课教师，同村的人都领了补贴，为什么她没有？"),
    ("教育", "民办代课教师的补贴\n原民办代课教师年纪都大了，补贴一直没发，希望落实。"),
]
TEACHERS_NIGHT_CLASSES = ("教育", "教师节收礼\n学校有的班主任教师节暗示家长送礼，不送就不理孩子。")


def test_one_pay_of_substitute_teachers_called_by_two_names_is_one_group(app, runtime, tmp_path):
    _one_group_and_one_alone(app, runtime, tmp_path, [TEACHERS_NIGHT_CLASSES] + SUBSTITUTE_TEACHERS,
                             SUBSTITUTE_TEACHERS, TEACHERS_NIGHT_CLASSES)


# One county's schools said by number (二中) and by kind (职业中专) are two schools: the same complaint of each is two
# problems.
SECOND_SCHOOL_TUTORING = [
    ("教育", "投诉县二中强制补课\n县二中暑假强制学生补课，不补课就不给报名，违背学生意愿。"),
    ("教育", "县二中变相强制补课收费\n县二中以不给报名威胁学生补课，还收补课费。"),
]
VOCATIONAL_SCHOOL_TUTORING = ("教育", "投诉县职业中专强制补课\n县职业中专暑假强制学生补课，不补课就不给报名，违背学生意愿。")


def test_one_complaint_of_two_schools_of_one_county_is_two_groups(app, runtime, tmp_path):
    _one_group_and_one_alone(app, runtime, tmp_path, SECOND_SCHOOL_TUTORING + [VOCATIONAL_SCHOOL_TUTORING],
                             SECOND_SCHOOL_TUTORING, VOCATIONAL_SCHOOL_TUTORING)


# A title is listed wherever the draft is, to staff and units too: it never names a person (the points mask them).
PRINCIPAL_LETTERS = [
    ("教育", "校长王友明架空副校长\n县三中校长王友明暑假组织补课，每人收一千元。"),
    ("教育", "校长王友明架空副校长乱收费\n县三中校长王友明不让学生放假，补课收费。"),
    ("教育", "县三中校长王友明架空副校长\n县三中暑假补课收费，说是自愿的。"),
]


def test_a_drafts_title_never_names_the_person_its_letters_name(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + PRINCIPAL_LETTERS)
    with runtime.sessions() as session:
        drafts = [d for d in _drafts(session, deputy_id) if len(d.messages) == 3]
        assert drafts, _groups(session, deputy_id)
        assert "王友明" not in drafts[0].title and "三中" in drafts[0].title, drafts[0].title


# An estate built in phases is named with its phase, however its name ends (嘉都): the same trouble at two such
# estates is two problems, and the title names the estate.
CAIZI_LIFTS = [
    ("城乡建设", "才子嘉都二期电梯经常停运\n才子嘉都二期的电梯三天两头停运，老人上下楼很困难，物业一直不修。"),
    ("城乡建设", "才子嘉都二期电梯坏了没人修\n我们才子嘉都二期电梯又停了，物业说没有维修资金。"),
]
YINGFENG_LIFTS = ("城乡建设", "盈峰翠邸四期电梯经常停运\n盈峰翠邸四期的电梯三天两头停运，老人上下楼很困难，物业一直不修。")


def test_the_same_trouble_at_two_estates_named_with_their_phases_is_two_groups(app, runtime, tmp_path):
    assert places.place_names(tokenizer.tagged_words(CAIZI_LIFTS[0][1])) == ["才子嘉都"]
    assert places.place_names(tokenizer.tagged_words("项目一期已经完工，分三期付款，我们小区二期还没交房")) == []
    _one_group_and_one_alone(app, runtime, tmp_path, CAIZI_LIFTS + [YINGFENG_LIFTS], CAIZI_LIFTS, YINGFENG_LIFTS)


def test_what_of_an_estate_a_phase_is_said_of_is_no_part_of_its_name():
    # One estate said with 洋房 and with 楼盘 is one place, so its letters are not kept apart.
    found = [places.place_names(tokenizer.tagged_words(said))
             for said in ("我是星湖湾洋房二期业主，地下车库漏水", "我是星湖湾楼盘二期业主，地下车库漏水")]
    assert found[0] == found[1] and len(found[0]) == 1 and "湖湾" in found[0][0], found
    assert places.place_names(tokenizer.tagged_words("父亲尘肺二期，矽肺三期的工友也没人管")) == []


def test_how_a_letter_asks_is_never_a_title_nor_part_of_a_place():
    # 查一查 and 修一修 ask someone to act (the word model takes them for a person's name); 建议 before a place asks.
    assert composing.title_of(_told(["希望修一修河湾村的灌溉水渠，不然庄稼要减产。"]), "农业农村") == "关于河湾村灌溉水渠问题的建议"
    checked = composing.title_of(_told(["建议环保部门查一查柳河上游的排污问题，现在河里的鱼都死了。"]), "环境保护")
    assert "排污" in checked and "查一查" not in checked, checked
    bus = composing.title_of(_told(["建议23路公交末班车延长到晚上十点。", "23路公交车晚上八点就停运了，下夜班的人回不了家。"]),
                             "交通运输")
    assert bus == "关于23路公交问题的建议", bus


def test_idioms_and_verbs_that_end_like_a_place_name_no_place():
    letters = ["这条路是孩子们上学的必经之路，青石中学门口的路灯坏了一个月，晚上很黑。",
               "青石中学门口路灯坏了，很多人下乡返乡都走这里，希望尽快修好。",
               "青石中学门口的路灯不亮，孩子放学一路摸黑回家。"]
    text = composing.text_of(_told(letters), "城乡建设", None, TZ)
    for word in ("必经之路", "下乡", "返乡", "一路"):
        assert word not in text.title and word not in text.sections["situation"], (word, text.sections["situation"])
    assert "青石中学" in text.sections["situation"]
    assert all(places.is_place_name(name) for name in ("五一路", "中山路", "河湾村", "青石中学"))


def test_the_demos_titles_name_no_verb_said_twice_and_no_asking_word(app, runtime, run_jobs):
    # What a new district sees first (`mashang up --demo`): the demo's citizens write 建议23路公交…, 查一查柳河…
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    with runtime.sessions() as session:
        drafts = session.scalars(select(Draft)).all()
        titles = drafting.titles(session, drafts)
    assert len(titles) >= 10
    for title in titles.values():
        assert not re.search(r"(.)[一了]\1", title) and not title.startswith(("关于建议", "关于希望")), sorted(titles.values())


def test_a_new_districts_first_three_citizens_on_one_lamp_make_one_draft_as_they_come(app, runtime, tmp_path):
    """A district's first messages, one batch each as the chat sends them: in so few every shared word looked common
    (路灯 in one message of one weighed less than 到底 in none), the lamp's third letter was cut 路|灯不亮, and the
    three stayed apart, one tagged 教育文体 for its child coming home from school."""
    deputy_id = _deputy(app, tmp_path)
    told = [("城乡建设", "王代表您好，青石路幸福小区东门口的路灯已经坏了一个多月了，晚上特别黑，老人小孩出门很不安全，希望尽快修好。"),
            ("城乡建设", "还有一个事，幸福小区后面那条小路（青石路到和平街）一下雨就积水，有半尺深，电动车都过不去，能不能把下水道疏通一下。"),
            ("教育文体", "幸福小区东门那个路灯到底什么时候修？天黑了我家孩子放学回来都看不清路"),
            ("城乡建设", "青石路幸福小区东门口路灯不亮，已经反映过好几次了，物业说不归他们管")]
    for index, message in enumerate(told):
        with runtime.sessions() as session, session.begin():
            _store(session, deputy_id, [message], index)
            drafting.batch_deputy(session, deputy_id, TZ, 3)
    with runtime.sessions() as session:
        drafts = _drafts(session, deputy_id)
        shown = [(d.status, sorted(m.text[:6] for m in d.messages)) for d in drafts]
        assert sorted(shown) == [("collecting", ["还有一个事，"]),
                                 ("open", ["幸福小区东门", "王代表您好，", "青石路幸福小"])], shown
        [lamp] = [d for d in drafts if d.status == "open"]
        assert lamp.title == "关于幸福小区路灯问题的建议", lamp.title


# One policy complaint written from three towns: the pick-up fee every town's parcel point charges is the same
# problem wherever it is charged (no town sets it), so the three letters are one draft.
PARCEL_FEES = [
    ("商贸旅游", "蒋家桥镇快递代收点另收取件费\n蒋家桥镇的快递代收点每取一个快递都要另收两元取件费，网上买东西明明已经付了运费。"),
    ("商贸旅游", "龙潭镇快递代收点另收取件费\n我们龙潭镇快递代收点取件还要收取件费，一个件收两块钱，包邮的也要收。"),
    ("交通运输", "洋溪镇快递代收点乱收取件费\n洋溪镇所有快递都放在代收点，取件时另收取件费，每件两到五元，希望管一管。"),
]
# The same trouble at two estates is two problems: each estate's lamps are fixed on their own.
LAMPS_AT_TWO_ESTATES = [
    ("城乡建设", "金桂园路灯坏了\n金桂园的路灯坏了一个多月，晚上漆黑一片，老人出门很不方便。"),
    ("城乡建设", "明珠花园路灯坏了\n明珠花园的路灯坏了一个多月，晚上漆黑一片，老人出门很不方便。"),
]


def test_one_policy_complaint_from_three_towns_is_one_draft(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + PARCEL_FEES)
    with runtime.sessions() as session:
        drafts = [d for d in _drafts(session, deputy_id) if len(d.messages) > 1]
        assert [sorted(m.text for m in d.messages) for d in drafts] == [sorted(text for _, text in PARCEL_FEES)], \
            _groups(session, deputy_id)


def test_the_same_trouble_at_two_estates_stays_two_problems_when_a_policy_is_grouped_across_towns(
        app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, UNRELATED + LAMPS_AT_TWO_ESTATES + PARCEL_FEES)
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert [LAMPS_AT_TWO_ESTATES[0][1]] in groups and [LAMPS_AT_TWO_ESTATES[1][1]] in groups, groups
        assert sorted(text for _, text in PARCEL_FEES) in groups, groups


# A school sets its own charges: the same tutoring fee at two schools is two problems, though a fee is a policy's word.
VOCATIONAL_SCHOOL_FEES = ("教育", "投诉县职业中专强制补课收费\n县职业中专暑假强制学生补课，不补课就不给报名，还收补课费。")


def test_the_same_fee_at_two_schools_is_two_groups(app, runtime, tmp_path):
    deputy_id = _batched(app, runtime, tmp_path, SECOND_SCHOOL_TUTORING + [VOCATIONAL_SCHOOL_FEES])
    with runtime.sessions() as session:
        groups = _groups(session, deputy_id)
        assert sorted(text for _, text in SECOND_SCHOOL_TUTORING) in groups, groups
        assert [VOCATIONAL_SCHOOL_FEES[1]] in groups, groups


def test_a_clause_announcing_a_problem_is_no_point_and_what_follows_it_is():
    # 我们小区那边有点问题想反映一下 was point 3 of a draft's 存在问题: it says only that a problem follows. A clause
    # naming the problem (想反映一下…积水问题) is one, and what follows an announcement (…：电梯坏了三天) is a point.
    told = ["你好，我们小区那边有点问题想反映一下\n就是楼下老有积水，走路不方便",
            "幸福小区3号楼前面的路面下雨就积水，老人孩子出门要蹚水。",
            "打扰一下。我想反映个问题。幸福小区楼下的积水两个多月了，物业说归市政管。",
            "想咨询一下，幸福小区积水的事情到底归谁管？",
            "有个事情\n小区有个问题：电梯坏了三天",
            "想反映一下幸福小区的积水问题"]
    sections = composing.text_of(_told(told), "城乡建设", None, TZ).sections
    points = [p["text"] for p in sections["problems"] + sections["proposals"]]
    announcing = ("有点问题想反映", "想反映个问题", "打扰一下", "想咨询一下", "有个事情", "小区有个问题")
    assert not [point for point in points if any(words in point for words in announcing)], points
    assert "就是楼下老有积水，走路不方便。" in points and "电梯坏了三天。" in points, points
    assert "想反映一下幸福小区的积水问题。" in points, points
    assert "幸福小区积水的事情到底归谁管？" in points, points
