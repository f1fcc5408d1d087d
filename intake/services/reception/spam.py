"""A rule-based spam and abuse score; flagged messages wait for staff instead of reaching a deputy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Message, MessageStatus

THRESHOLD = 0.5
# On the compact text (see `compact`), so "ｗｗｗ．", "hxxp://" and "h t t p : //" are links too.
_LINK = re.compile(r"h[tx]{2}ps?://|www\.|\.(?:com|cn|net|org|top|xyz|cc)(?![a-z])", re.IGNORECASE)
# A link runs over these characters; a scheme starts the next one even without a gap ("…/,http://…").
_LINK_RUN = re.compile(r"[a-z0-9\-._~:/?#@!$&'*+;=%]+")
_NEXT_SCHEME = re.compile(r"(?=h[tx]{2}ps?://)")
LINK_POINTS, LINK_POINTS_MOST = 0.2, 0.6
# Words of advertising and fraud: with a link they are spam, alone they are only a hint (citizens report
# 刷单 fraud too). Matched on the compact text.
ADVERTS = ("领取", "领补贴", "免费领", "扫码领", "红包", "加微信", "加v", "加qq", "兼职", "刷单", "返利", "返现",
           "日赚", "中奖", "博彩", "优惠券", "点击链接", "代开发票")
ADVERT_POINTS = 0.35
# Kept short and plain on purpose; districts extend it. Matched on the compact text: "傻 逼", "去-死" too.
INSULTS = ("傻逼", "煞笔", "sb政府", "操你", "草你", "妈的", "他妈", "滚蛋", "去死", "狗官", "王八蛋", "畜生", "废物政府")
# Reasons stored before counts were spaced read "含3个链接", "10分钟内发送了6条": a count touching a Chinese character.
_UNSPACED_COUNT = re.compile(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])")


def readable_reasons(text: str) -> str:
    """The stored reasons a message was held for, with counts spaced as pages write them (含 3 个链接)."""
    return _UNSPACED_COUNT.sub(" ", text)


BURST_WINDOW = timedelta(minutes=10)
BURST_COUNT = 5
# The same text to the same deputy from this many senders within the window is a campaign of copies;
# a fresh cookie per message makes a fresh "citizen" each time, so the text and the deputy are the key.
COPIES_COUNT = 3
COPIES_LOOKED_AT = 500
_SPACING = re.compile(r"[\s\-_*·.,，。、~～|/\\]+")


def compact(text: str) -> str:
    """Width folded (NFKC), lower case, spacing and filler punctuation gone: the text as rules compare it."""
    return _SPACING.sub("", unicodedata.normalize("NFKC", text).lower())


def _link_text(text: str) -> str:
    """Width folded and spaces gone, dots kept (they are what makes a link)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower()).replace("。", ".")


def links_in(text: str) -> set[str]:
    """The distinct links in a text: "https://a.com/" is one link, and the same link twice is still one."""
    found = set()
    for run in _LINK_RUN.findall(_link_text(text)):
        for piece in _NEXT_SCHEME.split(run):
            if _LINK.search(piece):
                found.add(piece.strip(".,/:;!?"))
    return found


@dataclass
class SpamScore:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str) -> None:
        self.score = min(1.0, self.score + points)
        self.reasons.append(reason)

    @property
    def held(self) -> bool:
        return self.score >= THRESHOLD


def score(session: Session, message: Message) -> SpamScore:
    result = SpamScore()
    # One link is how citizens cite a notice or a news report: it takes more than that to hold a message.
    links = len(links_in(message.text))
    if links:
        result.add(min(LINK_POINTS_MOST, LINK_POINTS * links), f"含 {links} 个链接")
    compacted = compact(message.text)
    if any(word in compacted for word in ADVERTS):
        result.add(ADVERT_POINTS, "含广告用语")
    if any(word in compacted for word in INSULTS):
        result.add(0.6, "含侮辱性词语")
    copies = _copies_to_deputy(session, message, compacted)
    if copies >= COPIES_COUNT - 1:
        result.add(0.5, f"10 分钟内收到 {copies + 1} 条相同内容")
    if message.citizen_id is not None:
        earlier = select(func.count()).select_from(Message).where(
            Message.citizen_id == message.citizen_id, Message.id != message.id,
            Message.status != MessageStatus.WITHDRAWN,
        )
        if session.scalar(earlier.where(Message.text == message.text)):
            result.add(0.5, "同一人重复发送相同内容")
        recent = session.scalar(earlier.where(Message.created_at >= message.created_at - BURST_WINDOW))
        if recent >= BURST_COUNT:
            result.add(0.5, f"10 分钟内发送了 {recent + 1} 条")
    return result


def _copies_to_deputy(session: Session, message: Message, compacted: str) -> int:
    """Earlier messages to the same deputy in the burst window whose compact text is the same."""
    texts = session.scalars(
        select(Message.text).where(
            Message.deputy_id == message.deputy_id, Message.id != message.id,
            Message.status != MessageStatus.WITHDRAWN, Message.created_at >= message.created_at - BURST_WINDOW,
            Message.created_at <= message.created_at,
        ).order_by(Message.id.desc()).limit(COPIES_LOOKED_AT)
    )
    return sum(compact(text) == compacted for text in texts)
