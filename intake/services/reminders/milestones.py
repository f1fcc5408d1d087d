"""Which reminders are due today, written once each, with their deliveries queued in the outbox.

A unit and the office are reminded 30, 7 and 1 days before a suggestion's deadline and on the first day it has
passed; the lead deputy when an accepted reply has waited more than 7 days for their rating. `run` takes
"now", so a test can walk a suggestion's 90 days; the scheduled job passes the real clock. When a run is
missed, the next one writes the milestone reached by then (not the ones passed over).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake.config import LifecycleRules, Settings
from intake.models import Assignment, Delivery, Reminder, Reply, Suggestion
from intake.services.lifecycle.states import S, WITH_UNIT
from intake.services import upserts
from intake.services.reminders import outbox

MILESTONES = (("d1", 1), ("d7", 7), ("d30", 30))  # the nearest first
FIRST_NOTICE_DAYS = 30
RATING_WAIT = timedelta(days=7)
_MARKUP = re.compile(r"[`*_#<>\[\]\s]+")  # what could turn a title into WeCom markdown or break a line


@dataclass(frozen=True)
class Targets:
    """Where reminders go besides the pages: the robot and e-mail only when configured."""

    wecom: bool = False
    email: bool = False
    office_email: str = ""
    base_url: str = ""

    @classmethod
    def of(cls, settings: Settings) -> "Targets":
        return cls(wecom=bool(settings.wecom_webhook_url), email=settings.smtp is not None,
                   office_email=settings.office_email, base_url=settings.base_url)


def milestone(deadline: date, today: date) -> str | None:
    """The milestone a deadline has reached today, or None while it is more than 30 days away."""
    left = (deadline - today).days
    if left < 0:
        return "overdue"
    return next((name for name, days in MILESTONES if left <= days), None)


def _plain(text: str) -> str:
    return _MARKUP.sub(" ", text).strip()


def _when(deadline: date, today: date) -> str:
    left = (deadline - today).days
    if left < 0:
        return f"已超过办理期限 {-left} 天"
    return "今天到期" if left == 0 else f"还有 {left} 天到期"


def _units(suggestion: Suggestion) -> str:
    return "、".join(f"{a.unit.short_name or a.unit.name}（{'主办' if a.role == 'lead' else '协办'}）"
                    for a in suggestion.active_assignments)


def _lines(suggestion: Suggestion, today: date, link: str) -> list[str]:
    return [f"第 {suggestion.number} 号建议《{_plain(suggestion.title)}》",
            f"办理期限：{suggestion.deadline.isoformat()}，{_when(suggestion.deadline, today)}",
            f"承办单位：{_units(suggestion)}", f"查看：{link}"]


def _subject(suggestion: Suggestion, today: date) -> str:
    return f"建议办理提醒：第 {suggestion.number} 号建议{_when(suggestion.deadline, today)}"


def unit_email_key(key: str, unit_id: int) -> str:
    """The outbox key of a unit's reminder e-mail, by which its unit's page finds the ones that failed."""
    return f"reminder:{key}:unit:{unit_id}:email"


def undelivered_to_unit(session: Session, unit_id: int) -> list[Delivery]:
    """The unit's reminder e-mails that failed (given up on, or waiting to be tried again), newest first: its page
    shows them, so staff see the address that did not work and correct it."""
    return list(session.scalars(select(Delivery).where(
        Delivery.channel == "email", Delivery.dedupe_key.like(unit_email_key("%", unit_id)),
        Delivery.state != "sent", Delivery.last_error != "").order_by(Delivery.id.desc()).limit(outbox.SHOWN)))


def last_written(session: Session) -> datetime | None:
    """When reminders were last written: the operations page's word for the daily run when its own record is gone
    (it is kept in Redis) or older, so the page never says 还没有运行过 above the reminders the run wrote."""
    return session.scalar(select(func.max(Reminder.created_at)))


def _remember(session: Session, suggestion_id: int, anchor: str, name: str, recipient: str, now: datetime) -> bool:
    return upserts.insert_if_absent(session, Reminder.__table__, {
        "suggestion_id": suggestion_id, "anchor": anchor, "milestone": name, "recipient": recipient,
        "created_at": now})


def _deadline_reminders(session: Session, today: date, now: datetime, targets: Targets) -> int:
    found = session.scalars(select(Suggestion).options(
        selectinload(Suggestion.assignments).selectinload(Assignment.unit),
    ).where(Suggestion.status.in_(WITH_UNIT), Suggestion.deadline.is_not(None),
            Suggestion.deadline <= today + timedelta(days=FIRST_NOTICE_DAYS)).order_by(Suggestion.id))
    made = 0
    for suggestion in found:
        name = milestone(suggestion.deadline, today)
        anchor, key = suggestion.deadline.isoformat(), f"{suggestion.id}:{suggestion.deadline.isoformat()}:{name}"
        subject = _subject(suggestion, today)
        for assignment in suggestion.active_assignments:
            if not _remember(session, suggestion.id, anchor, name, f"unit:{assignment.unit_id}", now):
                continue
            made += 1
            if targets.email and assignment.unit.email:
                link = f"{targets.base_url}/unit/suggestions/{suggestion.id}"
                outbox.enqueue(session, channel="email", recipient=assignment.unit.email, subject=subject,
                               body="\n".join(_lines(suggestion, today, link)), now=now,
                               dedupe_key=unit_email_key(key, assignment.unit_id))
        if not _remember(session, suggestion.id, anchor, name, "office", now):
            continue
        made += 1
        lines = _lines(suggestion, today, f"{targets.base_url}/staff/suggestions/{suggestion.id}")
        if targets.email and targets.office_email:
            outbox.enqueue(session, channel="email", recipient=targets.office_email, subject=subject,
                           body="\n".join(lines), dedupe_key=f"reminder:{key}:office:email", now=now)
        if targets.wecom:  # one post to the group per milestone, naming every unit
            colour = "warning" if name == "overdue" else "info"
            body = "\n".join([f'**<font color="{colour}">{subject}</font>**', *(f"> {line}" for line in lines)])
            outbox.enqueue(session, channel="wecom", recipient="", subject=subject, body=body, now=now,
                           dedupe_key=f"reminder:{key}:wecom")
    return made


def _rating_reminders(session: Session, now: datetime) -> int:
    waiting = session.execute(select(Suggestion.id, Suggestion.lead_deputy_id, Reply.id, Reply.decided_at).join(
        Reply, Reply.suggestion_id == Suggestion.id,
    ).where(Suggestion.status == S.ANSWERED, Reply.state == "accepted", Reply.round == Suggestion.round))
    made = 0
    for suggestion_id, deputy_id, reply_id, decided_at in waiting:
        if decided_at is not None and now - decided_at > RATING_WAIT:
            made += _remember(session, suggestion_id, f"reply:{reply_id}", "rating", f"deputy:{deputy_id}", now)
    return made


def run(session: Session, *, now: datetime, rules: LifecycleRules, targets: Targets) -> int:
    """Write today's reminders that are not written yet and queue their deliveries; returns how many were new."""
    today = now.astimezone(ZoneInfo(rules.timezone)).date()
    return _deadline_reminders(session, today, now, targets) + _rating_reminders(session, now)
