"""The chat page shown afresh (a reload, Back): the open question is put again, a new report never joins an
unfinished one, and the private progress links given to this browser are given again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from intake.models import Message, MessageStatus, ProgressLink, utcnow
from tests.conftest import ARTIFACTS
from tests.helpers import PLACED, at_phone_offer, first_deputy_slug, report, send
from tests.test_browser import _say, browser, live_server, screenshot  # noqa: F401  (fixtures)

_LAMP = "路灯不亮了，晚上很黑"
_RUBBISH = "幸福里小区12栋楼下的垃圾桶满了三天没人收"
_LINK = re.compile(r'href="(http://[^"]+/p/[0-9a-z]+)"')


def _page(client, slug: str) -> str:
    return re.sub(r"\s+", " ", client.get(f"/c/{slug}").get_data(as_text=True))


def _stored(runtime) -> list[tuple[str, str]]:
    with runtime.sessions() as session:
        return [tuple(row) for row in session.execute(select(Message.text, Message.status).order_by(Message.id))]


def test_after_a_reload_the_open_question_is_shown_and_a_new_report_is_never_glued_to_it(app, client, runtime,
                                                                                         tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    assert "什么地方" in send(client, slug, _LAMP).get_json()["replies"][-1]
    page = _page(client, slug)
    assert f"您上次说的“{_LAMP}”还没有记完" in page and "请问具体在什么地方" in page
    # The citizen starts afresh anyway: the unfinished message is sent as it is, with its receipt and link, and the
    # greeting is no part of any message.
    body = send(client, slug, "你好，我想反映个问题").get_json()
    said = " ".join(body["replies"])
    assert body["receipt"] and body["receipt"] in said and _LAMP in said and "请直接说说是什么问题" in said, said
    assert body["progress"] and body["progress"] in said
    assert "已补充" not in " ".join(send(client, slug, _RUBBISH).get_json()["replies"])
    assert _stored(runtime) == [(_LAMP, MessageStatus.RECEIVED), (_RUBBISH, MessageStatus.COLLECTING)]
    # A page with nothing open puts no question; at the phone offer the offer is put again.
    assert "还没有记完" not in _page(app.test_client(), slug)
    offered = at_phone_offer(app, slug)
    assert "需要有人回访吗" in _page(offered, slug)
    send(offered, slug, "您好，我有个事想反映一下")
    assert _stored(runtime)[-1][1] == MessageStatus.RECEIVED


def test_the_chat_page_and_its_answers_carrying_progress_links_are_never_cached(app, client, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    answer = send(client, slug, _RUBBISH)
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/c/{slug}").headers["Cache-Control"] == "private, no-store"


_DETAILS = "就在东门口，已经一个星期了"


@pytest.mark.parametrize("explaining", ("我想说一下情况", "我想讲一下情况", "我想说个事情", "我想提个建议"))
def test_starting_to_explain_with_a_question_open_joins_the_open_report(app, client, runtime, tmp_path, explaining):
    slug = first_deputy_slug(app, tmp_path)
    send(client, slug, _LAMP)
    assert not send(client, slug, explaining).get_json().get("receipt")
    send(client, slug, _DETAILS)
    offered = at_phone_offer(app, slug)
    assert not send(offered, slug, explaining).get_json().get("receipt")
    send(offered, slug, _DETAILS)
    assert [text for text, _ in _stored(runtime)] == [f"{_LAMP}\n{_DETAILS}", f"{PLACED}\n{_DETAILS}"]


@pytest.mark.parametrize("another", ("我还想反映个问题", "我想再反映一个问题", "另外还有个问题", "还有一件事要反映",
                                     "我要举报", "我想投诉"))
def test_another_report_announced_with_a_question_open_starts_a_new_one(app, client, runtime, tmp_path, another):
    slug = first_deputy_slug(app, tmp_path)
    send(client, slug, _LAMP)
    first = send(client, slug, another).get_json()
    assert first["receipt"] and "请直接说说是什么问题" in first["replies"][-1], first
    send(client, slug, _RUBBISH)
    offered = at_phone_offer(app, slug)
    assert send(offered, slug, another).get_json()["receipt"]
    send(offered, slug, _RUBBISH)
    assert _stored(runtime) == [(_LAMP, MessageStatus.RECEIVED), (_RUBBISH, MessageStatus.COLLECTING),
                                (PLACED, MessageStatus.RECEIVED), (_RUBBISH, MessageStatus.COLLECTING)]


def test_the_private_progress_link_is_given_again_to_the_same_browser_only(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    body = report(client, slug, "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑")
    link = body["progress"]
    assert link and link in " ".join(body["replies"])
    # After a reload the receipt card links to it, and 查询 gives it again.
    assert _LINK.findall(_page(client, slug)) == [link]
    again = send(client, slug, f"查询 {body['receipt']}").get_json()
    assert again["progress"] == link and link in " ".join(again["replies"]), again
    assert app.test_client().get(link.removeprefix("http://mashang.test")).status_code == 200
    # Another browser has no receipts and no links; a revoked link is not given again.
    assert not _LINK.findall(_page(app.test_client(), slug))
    with runtime.sessions() as session, session.begin():
        session.execute(update(ProgressLink).values(revoked_at=utcnow()))
    assert not _LINK.findall(_page(client, slug))
    assert "/p/" not in " ".join(send(client, slug, f"查询 {body['receipt']}").get_json()["replies"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1366])
def test_a_reload_on_a_phone_shows_the_open_question_and_the_progress_link(app, live_server, browser, tmp_path,
                                                                          request, width):  # noqa: F811
    slug = first_deputy_slug(app, tmp_path)
    page = browser.new_context(viewport={"width": width, "height": 720}, is_mobile=width < 1000,
                               has_touch=width < 1000).new_page()
    page.goto(f"{live_server}/c/{slug}")
    _say(page, _LAMP)
    page.reload()
    bubbles = page.locator(".bubble.bot")
    assert "还没有记完" in bubbles.nth(1).inner_text() and "什么地方" in bubbles.nth(2).inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"chat-reload-open-{request.node.callspec.id}.png")
    _say(page, "你好，我想反映个问题")
    link = page.locator("#receipts a.progress").first
    link.wait_for()
    href = link.get_attribute("href")
    assert "/p/" in href and page.locator(".bubble.bot a").last.get_attribute("href") == href
    screenshot(page, ARTIFACTS / f"chat-reload-sent-{request.node.callspec.id}.png")
    page.reload()
    assert page.locator("#receipts a.progress").first.get_attribute("href") == href
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, ARTIFACTS / f"chat-reload-link-{request.node.callspec.id}.png")


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1366])
def test_only_an_address_is_asked_what_is_wrong_there_on_a_phone_and_after_a_reload(app, live_server, browser,
                                                                                    tmp_path, request, width):  # noqa: F811
    slug = first_deputy_slug(app, tmp_path)
    page = browser.new_context(viewport={"width": width, "height": 720}, is_mobile=width < 1000,
                               has_touch=width < 1000).new_page()
    page.goto(f"{live_server}/c/{slug}")
    assert "“幸福里小区3栋”" in _say(page, "幸福里小区3栋") and "什么问题" in page.locator(".bubble.bot").last.inner_text()
    page.reload()
    bubbles = page.locator(".bubble.bot")
    assert "还没有记完" in bubbles.nth(1).inner_text() and "“幸福里小区3栋”" in bubbles.nth(2).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"chat-address-only-{request.node.callspec.id}.png")
    assert "需要有人回访吗" in _say(page, "垃圾桶满了三天没人收")


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1366])
def test_two_receipt_numbers_asked_after_at_once_link_each_page(app, live_server, browser, tmp_path, request,  # noqa: F811
                                                                width):
    slug = first_deputy_slug(app, tmp_path)
    page = browser.new_context(viewport={"width": width, "height": 720}, is_mobile=width < 1000,
                               has_touch=width < 1000).new_page()
    page.goto(f"{live_server}/c/{slug}")
    for said in (PLACED, "不留", "幸福里小区12栋楼下的垃圾桶满了三天没人收，臭得很", "不留"):
        _say(page, said)
    links = page.locator("#receipts a.progress")
    hrefs = [links.nth(i).get_attribute("href") for i in range(2)]
    receipts = page.locator("#receipts .receipt").all_inner_texts()
    _say(page, f"{receipts[0]} 和 {receipts[1]} 进度")
    answers = page.locator(".bubble.bot").all()[-2:]
    # Each answer names its number and links its own page in Chinese; no bare address is shown.
    for answer, receipt, href in zip(answers, receipts, hrefs):
        assert receipt in answer.inner_text() and "http" not in answer.inner_text(), answer.inner_text()
        assert answer.locator("a").get_attribute("href") == href and answer.locator("a").inner_text() == "打开我的办理进度页"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"chat-two-receipts-{request.node.callspec.id}.png")
