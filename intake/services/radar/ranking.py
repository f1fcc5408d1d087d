"""The radar's ranking: the district's problems by heat over a period, for the office or one station's share.

Heat of a problem over the last `days` days (README, "热点雷达"):

    heat = R × reach × √growth
    R      = Σ over its distinct citizens of 0.5 ^ (days since their latest message / RADAR_HALF_LIFE_DAYS)
    reach  = 1 + 0.25 × (deputies − 1) + 0.5 × (stations − 1)
    growth = (citizens this period + 1) / (citizens the period before + 1), kept within [0.5, 2]

Only drafted messages count (held, rejected and withdrawn ones never reach a draft, and one flagged later
leaves the radar); a citizen who writes again counts once, at their latest message.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import (Deputy, Draft, DraftMessage, Message, MessageStatus, RadarDraft, RadarMessage, RadarProblem,
                           Station, Suggestion)
from intake.services.drafts import composing, draft_text
from intake.services.privacy import masking

DEPUTY_REACH, STATION_REACH = 0.25, 0.5
GROWTH_LIMITS = (0.5, 2.0)
WEEKS = 8  # the trend drawn for each problem
REPRESENTATIVES = 3


@dataclass
class Item:
    id: int
    title: str
    topic: str
    heat: float
    citizens: int
    messages: int
    deputies: list[str]
    stations: list[str]
    first: str
    last: str
    message_ids: list[int]
    growth: float
    previous_citizens: int
    weekly: list[int] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    drafts: list[dict] = field(default_factory=list)
    deputy_ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"title": self.title, "topic": self.topic, "heat": self.heat, "citizens": self.citizens,
                "messages": self.messages, "deputies": self.deputies, "stations": self.stations,
                "first": self.first, "last": self.last, "message_ids": self.message_ids}


def heat(ages_in_days: list[float], deputies: int, stations: int, previous_citizens: int, half_life: float) -> float:
    """The score itself, from each distinct citizen's latest message's age (see the module's docstring)."""
    recency = sum(0.5 ** (max(age, 0.0) / half_life) for age in ages_in_days)
    reach = 1 + DEPUTY_REACH * (deputies - 1) + STATION_REACH * (stations - 1)
    growth = (len(ages_in_days) + 1) / (previous_citizens + 1)
    growth = min(max(growth, GROWTH_LIMITS[0]), GROWTH_LIMITS[1])
    return recency * reach * math.sqrt(growth)


def rank(session: Session, now: datetime, days: int, half_life: float, local_tz: tzinfo,
         station_id: int | None = None, topic: str | None = None, limit: int | None = 20,
         details: bool = False) -> list[Item]:
    """The problems raised in the last `days` days, hottest first; with `station_id`, only that station's share
    of each (its messages, deputies and citizens): a station sees nothing another station was told."""
    scored, previous = scores(session, now, days, half_life, station_id, topic)
    if limit is not None:
        scored = scored[:limit]
    return items_of(session, now, scored, previous, local_tz, station_id, details)


def growth_of(entry: tuple, previous: dict) -> float:
    """Citizens of the period against those of the period before (as heat counts it, before its limits)."""
    _, problem_id, _, citizens = entry
    return (citizens + 1) / (len(previous[problem_id]) + 1)


def scores(session: Session, now: datetime, days: int, half_life: float, station_id: int | None = None,
          topic: str | None = None) -> tuple[list[tuple], dict]:
    """Every problem of the period scored, hottest first, as (heat, problem id, its rows, citizens), and the
    citizens of the period before by problem: cheap; `items_of` reads what is shown of the few kept."""
    start, before = now - timedelta(days=days), now - timedelta(days=2 * days)
    # The message's draft and its deputy's station as they are now: staff may have moved the message, and a
    # deputy may have moved to another station, whose staff then see the deputy's messages and no longer the old one.
    query = (select(RadarMessage.problem_id, RadarMessage.message_id, RadarMessage.citizen, RadarMessage.at,
                    RadarMessage.deputy_id, Deputy.station_id, DraftMessage.draft_id)
             .join(Message, Message.id == RadarMessage.message_id)
             .join(DraftMessage, DraftMessage.message_id == RadarMessage.message_id)
             .join(Deputy, Deputy.id == RadarMessage.deputy_id)
             .where(RadarMessage.at >= before, RadarMessage.at <= now, Message.status == MessageStatus.DRAFTED,
                    Message.flag.is_(None)))
    if station_id is not None:
        query = query.where(Deputy.station_id == station_id)
    if topic:
        query = query.join(RadarProblem, RadarProblem.id == RadarMessage.problem_id).where(RadarProblem.topic == topic)
    current: dict[int, list] = defaultdict(list)
    previous: dict[int, set[str]] = defaultdict(set)
    for row in session.execute(query):
        if row.at >= start:
            current[row.problem_id].append(row)
        else:
            previous[row.problem_id].add(row.citizen)
    scored = []
    for problem_id, rows in current.items():
        latest: dict[str, datetime] = {}
        for row in rows:
            if row.citizen not in latest or row.at > latest[row.citizen]:
                latest[row.citizen] = row.at
        ages = [(now - at).total_seconds() / 86400 for at in latest.values()]
        deputies, stations = {row.deputy_id for row in rows}, {row.station_id for row in rows}
        score = heat(ages, len(deputies), len(stations), len(previous[problem_id]), half_life)
        scored.append((round(score, 2), problem_id, rows, len(latest)))
    scored.sort(key=lambda entry: (-entry[0], -entry[3], entry[1]))
    return scored, previous


def items_of(session: Session, now: datetime, scored: list, previous: dict, local_tz: tzinfo,
             station_id: int | None, details: bool) -> list[Item]:
    if not scored:
        return []
    ids = [problem_id for _, problem_id, _, _ in scored]
    topics = dict(session.execute(select(RadarProblem.id, RadarProblem.topic).where(RadarProblem.id.in_(ids))).all())
    spans = select(RadarMessage.problem_id, func.min(RadarMessage.at), func.max(RadarMessage.at)).where(
        RadarMessage.problem_id.in_(ids))
    if station_id is not None:
        spans = spans.join(Deputy, Deputy.id == RadarMessage.deputy_id).where(Deputy.station_id == station_id)
    span = {problem_id: (first, last)
            for problem_id, first, last in session.execute(spans.group_by(RadarMessage.problem_id))}
    deputy_ids = {row.deputy_id for _, _, rows, _ in scored for row in rows}
    deputies = {d.id: d for d in session.scalars(select(Deputy).where(Deputy.id.in_(deputy_ids)))}
    stations = dict(session.execute(select(Station.id, Station.name)).all())
    draft_ids = {row.draft_id for _, _, rows, _ in scored for row in rows}
    drafts = {d.id: d for d in session.scalars(select(Draft).where(Draft.id.in_(draft_ids)))}
    # A problem's title is said of its own messages, as a draft of them would be: a letter the radar took off a
    # deputy's mixed group must not carry that group's title.
    titled = {problem_id: sorted(row.message_id for row in rows)[:composing.TITLE_MESSAGES]
              for _, problem_id, rows, _ in scored}
    told = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(
        {message_id for ids in titled.values() for message_id in ids})))}
    items = []
    for score, problem_id, rows, citizens in scored:
        first, last = span.get(problem_id, (rows[0].at, rows[-1].at))
        problem_deputies = sorted({row.deputy_id for row in rows})
        growth = growth_of((score, problem_id, rows, citizens), previous)
        item = Item(
            id=problem_id, title=composing.problem_of([told[message_id] for message_id in titled[problem_id]],
                                                    topics.get(problem_id, "")), topic=topics.get(problem_id, ""),
            heat=score, citizens=citizens, messages=len(rows),
            deputies=[deputies[d].name for d in problem_deputies],
            stations=sorted({stations.get(row.station_id, "") for row in rows}),
            first=first.astimezone(local_tz).date().isoformat(), last=last.astimezone(local_tz).date().isoformat(),
            message_ids=sorted(row.message_id for row in rows), growth=round(growth, 2),
            previous_citizens=len(previous[problem_id]), deputy_ids=problem_deputies)
        if details:
            _details(session, now, item, rows, drafts, deputies)
        items.append(item)
    return items


def _details(session: Session, now: datetime, item: Item, rows: list, drafts: dict, deputies: dict) -> None:
    """What the page shows beside the figures: the weekly trend, three messages masked, the drafts made from it."""
    weekly = [0] * WEEKS
    for row in rows:
        week = int((now - row.at).total_seconds() // (7 * 86400))
        if week < WEEKS:
            weekly[WEEKS - 1 - week] += 1
    item.weekly = weekly
    # The latest message of each of its first citizens, from as many deputies as there are.
    chosen, seen_deputies = [], set()
    for row in sorted(rows, key=lambda r: r.at, reverse=True):
        if row.deputy_id not in seen_deputies:
            chosen.append(row.message_id)
            seen_deputies.add(row.deputy_id)
        if len(chosen) == REPRESENTATIVES:
            break
    texts = dict(session.execute(select(Message.id, Message.text).where(Message.id.in_(chosen))).all())
    item.samples = [masking.mask(composing.told(texts[message_id])) for message_id in chosen]
    own = sorted({row.draft_id for row in rows})
    made = {s.draft_id: s for s in session.scalars(select(Suggestion).where(Suggestion.draft_id.in_(own)))}
    for draft_id in own:
        draft = drafts[draft_id]
        if draft.status == "collecting":
            continue
        suggestion = made.get(draft_id)
        # named with its deputy: two deputies' drafts of one problem often share a title
        deputy = deputies.get(draft.deputy_id) or session.get(Deputy, draft.deputy_id)
        item.drafts.append({"id": draft.id, "title": draft_text.text_of(draft, "title"), "status": draft.status, "deputy_id": draft.deputy_id,
                            "deputy": deputy.name,
                            "suggestion": None if suggestion is None else
                            {"id": suggestion.id, "number": suggestion.number, "status": suggestion.status}})


def others_on_problem(session: Session, draft_id: int, besides: Sequence[Deputy] = ()) -> list[str]:
    """The names of the other deputies whose citizens raised the problem of this draft (to co-sign with), but for
    `besides` (the station's colleagues the draft page names already, with their invitation)."""
    problem_id = session.scalar(select(RadarDraft.problem_id).where(RadarDraft.draft_id == draft_id))
    if problem_id is None:
        return []
    own = session.scalar(select(Draft.deputy_id).where(Draft.id == draft_id))
    ids = (select(RadarMessage.deputy_id).join(Message, Message.id == RadarMessage.message_id)
           .where(RadarMessage.problem_id == problem_id, RadarMessage.deputy_id != own,
                  Message.status == MessageStatus.DRAFTED, Message.flag.is_(None)).distinct())
    named = [deputy.id for deputy in besides]
    return list(session.scalars(select(Deputy.name).where(Deputy.id.in_(ids), Deputy.id.not_in(named))
                                .order_by(Deputy.id)))
