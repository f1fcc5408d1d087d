"""The office's weekly radar digest: the top ten problems of the week and the fastest growing, sent through the
reminder outbox when the WeCom robot or e-mail is configured (else the office reads it on its home page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from intake.services.radar import ranking
from intake.services.reminders import outbox
from intake.services.reminders.milestones import Targets

DAYS = 7
TOP, GROWING = 10, 3
MIN_GROWING_CITIZENS = 2  # one new citizen is no trend


@dataclass
class Digest:
    top: list[ranking.Item]
    growing: list[ranking.Item]


def build(session: Session, now: datetime, half_life: float, local_tz: tzinfo) -> Digest:
    scored, previous = ranking.scores(session, now, DAYS, half_life)
    growing = sorted((entry for entry in scored if entry[3] >= MIN_GROWING_CITIZENS
                      and ranking.growth_of(entry, previous) > 1),
                     key=lambda entry: (-ranking.growth_of(entry, previous), -entry[0], entry[1]))[:GROWING]
    # Only the problems shown are read in full: the office's home shows this on every visit.
    top = {entry[1] for entry in scored[:TOP]}
    kept = scored[:TOP] + [entry for entry in growing if entry[1] not in top]
    shown = {item.id: item for item in ranking.items_of(session, now, kept, previous, local_tz, None, False)}
    return Digest([shown[entry[1]] for entry in scored[:TOP]], [shown[entry[1]] for entry in growing])


def lines(digest: Digest, base_url: str) -> list[str]:
    found = [f"近 {DAYS} 天全区群众反映最多的问题："]
    found += [f"{number}. {item.title}：{item.citizens} 位群众，{len(item.deputies)} 位代表，"
              f"{len(item.stations)} 个联络站，热度 {item.heat:.1f}" for number, item in enumerate(digest.top, 1)]
    if digest.growing:
        found.append("增长最快：")
        # the period the office's home page says (近 7 天): sent on a Monday, 本周 named a week just begun
        found += [f"· {item.title}：近 {DAYS} 天 {item.citizens} 位群众，此前 {DAYS} 天 {item.previous_citizens} 位"
                  for item in digest.growing]
    found.append(f"详见 {base_url}/staff/radar?days={DAYS}")
    return found


def sent_elsewhere(targets: Targets) -> bool:
    """The robot or the office's e-mail is configured: the digest goes there, not onto the office's home page."""
    return bool(targets.wecom or targets.email and targets.office_email)


def for_home(session: Session, now: datetime, half_life: float, targets: Targets, local_tz: tzinfo) -> Digest | None:
    """The digest the office reads on its home page, when it is not sent elsewhere."""
    return None if sent_elsewhere(targets) else build(session, now, half_life, local_tz)


def subject(now: datetime, timezone: str) -> str:
    """全区热点问题周报（11月30日—12月6日）: the local days the 7 days before `now` fall on, to the day before it (sent on
    Monday morning, the week before), so each week's mail is told from the others'."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    first, last = today - timedelta(days=DAYS), today - timedelta(days=1)
    return f"全区热点问题周报（{first.month}月{first.day}日—{last.month}月{last.day}日）"


def send(session: Session, now: datetime, half_life: float, targets: Targets, timezone: str) -> int:
    """Queue this week's digest once per ISO week and channel; 0 when nothing is configured or nothing was raised."""
    if not sent_elsewhere(targets):
        return 0
    digest = build(session, now, half_life, ZoneInfo(timezone))
    if not digest.top:
        return 0
    year, week, _ = now.isocalendar()
    title = subject(now, timezone)
    body, queued = lines(digest, targets.base_url), 0
    if targets.email and targets.office_email:
        queued += outbox.enqueue(session, channel="email", recipient=targets.office_email, subject=title,
                                 body="\n".join(body), dedupe_key=f"radar-digest:{year}-{week}:email", now=now)
    if targets.wecom:
        queued += outbox.enqueue(session, channel="wecom", recipient="", subject=title,
                                 body="\n".join([f"**{title}**", *(f"> {line}" for line in body)]),
                                 dedupe_key=f"radar-digest:{year}-{week}:wecom", now=now)
    return queued
