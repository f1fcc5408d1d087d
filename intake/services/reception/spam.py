"""A rule-based spam and abuse score; flagged messages wait for staff instead of reaching a deputy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Message, MessageStatus

THRESHOLD = 0.5
_LINK = re.compile(r"https?://|www\.|\.com\b|\.cn\b", re.IGNORECASE)
# Kept short and plain on purpose; districts extend it. Matching is on the text as typed.
INSULTS = ("傻逼", "煞笔", "sb政府", "操你", "草你", "妈的", "他妈", "滚蛋", "去死", "狗官", "王八蛋", "畜生", "废物政府")
BURST_WINDOW = timedelta(minutes=10)
BURST_COUNT = 5


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
    links = len(_LINK.findall(message.text))
    if links:
        result.add(min(0.8, 0.4 * links), f"含{links}个链接")
    lowered = message.text.lower()
    if any(word in lowered for word in INSULTS):
        result.add(0.6, "含侮辱性词语")
    if message.citizen_id is not None:
        earlier = select(func.count()).select_from(Message).where(
            Message.citizen_id == message.citizen_id, Message.id != message.id,
            Message.status != MessageStatus.WITHDRAWN,
        )
        if session.scalar(earlier.where(Message.text == message.text)):
            result.add(0.5, "同一人重复发送相同内容")
        recent = session.scalar(earlier.where(Message.created_at >= message.created_at - BURST_WINDOW))
        if recent >= BURST_COUNT:
            result.add(0.5, f"10分钟内发送了{recent + 1}条")
    return result
