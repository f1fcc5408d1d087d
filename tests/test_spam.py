"""Spam needs evidence: a citizen citing a notice by its link reaches the deputy; adverts with links do not."""

from __future__ import annotations

from sqlalchemy import select

from intake.models import Message, MessageStatus
from intake.services.reception.spam import links_in
from tests.helpers import deputies, import_roster, report, slug_of, write_roster

CITED = [
    "幸福小区旁的工地夜间施工，区里公示的夜间施工许可（https://www.example.gov.cn/gs/2026/1120.html）早就过期了，"
    "晚上十一点还在打桩，请督促整改。",
    "青石街道的公交站牌被撤了，公交公司网站上的线路图 http://bus.example.com/line/12 还显示有这一站，老人不知道去哪坐车。",
    "幸福小区的垃圾站臭味很大，新闻（https://news.example.com/a/1 ，https://news.example.com/a/1 ）报道过，至今没人管。",
]
ADVERTS = [
    "幸福小区的朋友们，点击链接 www.fuli-example.cn 领取红包补贴，名额有限",
    "兼职刷单日赚三百，加微信了解 http://job.example.top 幸福小区",
]


def test_a_link_counts_once_however_it_is_written():
    assert links_in("地址:https://baidu.com/.但现在") == {"https://baidu.com"}
    assert links_in("(https://baidu.com/,https://baidu.com/)") == {"https://baidu.com"}
    assert len(links_in("见https://a.gov.cn/x.html和https://b.com/、www.c.cn")) == 3
    assert links_in("幸福小区3栋2单元，每平米2.5元") == set()


def test_messages_citing_a_link_reach_the_deputy_and_adverts_with_links_are_held(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in CITED + ADVERTS:
        report(app.test_client(), slug, text)
    run_jobs()
    with runtime.sessions() as session:
        statuses = dict(session.execute(select(Message.text, Message.status)).all())
    assert len(statuses) == len(CITED + ADVERTS)
    held = {text for text, status in statuses.items() if status == MessageStatus.HELD}
    assert held == set(ADVERTS), held
