"""Every number of the yearly report, read once from the stored rows: the .docx, its charts and the .xlsx
all print this one dictionary, so they cannot disagree.

Suggestions count by their year (the year of their number); citizens' messages and drafts by the local
calendar year they were written in. Messages that were withdrawn, held, rejected or flagged, and messages
still being written, are not counted: they never reached a deputy as an opinion; nor are drafts that never
reached the deputy as one (a group still collecting, a draft merged into another).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake.config import LifecycleRules
from intake.models import Assignment, Deputy, Draft, Message, MessageStatus, Station, Suggestion, SuggestionCosigner
from intake.services.drafts.drafting import VISIBLE_TO_DEPUTY
from intake.services.lifecycle import figures
from intake.services.lifecycle.handling import rules_or_default, today
from intake.services.lifecycle.states import LABELS, WITH_UNIT

COUNTED_MESSAGES = (MessageStatus.RECEIVED, MessageStatus.TAGGED, MessageStatus.DRAFTED)
UNTAGGED = "未分类"
RATES = (("办复率", "reply_rate"), ("面商率", "face_to_face_rate"), ("满意率", "satisfaction_rate"),
         ("办结率", "completion_rate"))


def _year_bounds(year: int, timezone: str) -> tuple[datetime, datetime]:
    """The local calendar year as the aware UTC instants the tables keep."""
    zone = ZoneInfo(timezone)
    return (datetime.combine(date(year, 1, 1), time(), zone).astimezone(ZoneInfo("UTC")),
            datetime.combine(date(year + 1, 1, 1), time(), zone).astimezone(ZoneInfo("UTC")))


def _messages_in(year: int, rules: LifecycleRules):
    start, end = _year_bounds(year, rules.timezone)
    return (Message.created_at >= start, Message.created_at < end, Message.status.in_(COUNTED_MESSAGES),
            Message.flag.is_(None))


def _topics(session: Session, year: int, rules: LifecycleRules) -> dict:
    """Messages per topic (most first) and per station, each station with the topic its citizens raised most."""
    rows = session.execute(
        select(Station.name, Message.topic, func.count())
        .select_from(Message).join(Deputy, Deputy.id == Message.deputy_id).join(Station, Station.id == Deputy.station_id)
        .where(*_messages_in(year, rules)).group_by(Station.name, Message.topic)).all()
    per_topic: dict[str, int] = {}
    per_station: dict[str, dict[str, int]] = {}
    for station, topic, count in rows:
        topic = topic or UNTAGGED
        per_topic[topic] = per_topic.get(topic, 0) + count
        per_station.setdefault(station, {})[topic] = per_station.get(station, {}).get(topic, 0) + count
    total = sum(per_topic.values())
    topics = [{"name": name, "messages": count, "share": figures.percent(count, total)}
              for name, count in sorted(per_topic.items(), key=lambda item: (-item[1], item[0]))]
    stations = []
    for name, counts in per_station.items():
        top = min(counts.items(), key=lambda item: (-item[1], item[0]))
        stations.append({"name": name, "messages": sum(counts.values()), "top_topic": top[0],
                         "top_topic_messages": top[1]})
    stations.sort(key=lambda item: (-item["messages"], item["name"]))
    return {"messages": total, "topics": topics, "stations": stations}


def _participation(session: Session, year: int, rules: LifecycleRules) -> list[dict]:
    """Per deputy: messages received, drafts written from them, suggestions led and co-signed; deputies with
    none of these are left out. Drafts are those the deputy's own page lists under 建议草稿 (to review,
    submitted, discarded): not a group of messages still collecting, nor one merged into another draft."""
    start, end = _year_bounds(year, rules.timezone)
    received = dict(session.execute(select(Message.deputy_id, func.count()).where(*_messages_in(year, rules))
                                    .group_by(Message.deputy_id)).all())
    drafted = dict(session.execute(select(Draft.deputy_id, func.count()).where(
        Draft.created_at >= start, Draft.created_at < end, Draft.status.in_(VISIBLE_TO_DEPUTY))
        .group_by(Draft.deputy_id)).all())
    led = dict(session.execute(select(Suggestion.lead_deputy_id, func.count()).where(Suggestion.year == year)
                               .group_by(Suggestion.lead_deputy_id)).all())
    cosigned = dict(session.execute(
        select(SuggestionCosigner.deputy_id, func.count()).join(Suggestion, Suggestion.id == SuggestionCosigner.suggestion_id)
        .where(Suggestion.year == year).group_by(SuggestionCosigner.deputy_id)).all())
    ids = set(received) | set(drafted) | set(led) | set(cosigned)
    if not ids:
        return []
    people = session.execute(select(Deputy.id, Deputy.name, Station.name).join(Station, Station.id == Deputy.station_id)
                             .where(Deputy.id.in_(ids))).all()
    rows = [{"name": name, "station": station, "messages": received.get(deputy_id, 0),
             "drafts": drafted.get(deputy_id, 0), "led": led.get(deputy_id, 0),
             "cosigned": cosigned.get(deputy_id, 0)} for deputy_id, name, station in people]
    return sorted(rows, key=lambda r: (-r["led"], -r["messages"], -r["drafts"], r["name"]))


def _key_suggestions(session: Session, year: int, on: date) -> list[dict]:
    """The year's 重点督办 suggestions, in number order, with their lead unit, state and the category of their
    current round's accepted reply (none while a round reopened by 不满意 runs, as the figures count it)."""
    found = session.scalars(
        select(Suggestion).where(Suggestion.year == year, Suggestion.key_supervision.is_(True))
        .options(selectinload(Suggestion.lead_deputy), selectinload(Suggestion.replies),
                 selectinload(Suggestion.assignments).selectinload(Assignment.unit))
        .order_by(Suggestion.seq, Suggestion.number)).all()
    rows = []
    for s in found:
        lead = next((a.unit.name for a in s.active_assignments if a.role == "lead"), "未交办")
        accepted = [r for r in s.replies if r.state == "accepted" and r.round == s.round]
        latest = max(accepted, key=lambda r: (r.round, r.id)) if accepted else None
        rows.append({"number": s.number, "title": s.title, "deputy": s.lead_deputy.name, "unit": lead,
                     "supervisor": s.supervisor, "state": LABELS.get(s.status, s.status),
                     "category": latest.category if latest else "",
                     "overdue": s.status in WITH_UNIT and s.deadline is not None and s.deadline < on})
    return rows


def report_numbers(session: Session, year: int, *, rules: LifecycleRules | None = None) -> dict:
    """{"year", "figures", "units", "key", "topics", "participation"}: what the yearly report prints."""
    rules = rules_or_default(rules)
    found = figures.overview(session, year, rules=rules)
    units = [row for row in found["unit"] if row["name"] != "未交办"]
    return {"year": year, "figures": found["figures"], "units": units,
            "key": _key_suggestions(session, year, today(rules)), "topics": _topics(session, year, rules),
            "participation": _participation(session, year, rules)}
