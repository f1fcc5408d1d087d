"""A small district for the lifecycle tests: deputies, units and an approved draft in a real database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake.config import LifecycleRules
from intake.db import make_engine, make_session_factory
from intake.models import Deputy, Draft, DraftCosigner, DraftStatus, HandlingUnit, Station, Suggestion, SuggestionEvent, utcnow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    sessions: sessionmaker[Session]
    rules: LifecycleRules
    deputies: list[int]
    units: dict[str, int]
    draft_id: int


def build(database_url: str, folder: Path, *, deputies: int = 3, units=("区住房和城乡建设局", "区交通运输局", "区城市管理局"),
          shorts=("住建局", "交通运输局", "城管局")) -> World:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    rules = LifecycleRules(instance_dir=folder / "instance")
    with sessions() as session, session.begin():
        station = Station(name="青石街道联络站")
        session.add(station)
        people = [Deputy(name=f"代表{i}", level="区", station=station, phone=f"1390000{i:04d}") for i in range(deputies)]
        session.add_all(people)
        handling = [HandlingUnit(name=name, short_name=short) for name, short in zip(units, shorts)]
        session.add_all(handling)
        session.flush()
        draft = Draft(deputy_id=people[0].id, topic="城市建设", handling_unit="住建局", title="关于修复幸福小区路灯的建议",
                      sections={"situation": "幸福小区门口路灯坏了一个月。", "problems": [{"text": "夜间出行不安全"}],
                                "proposals": [{"text": "尽快修复路灯"}], "handling_unit": "住建局"},
                      status=DraftStatus.APPROVED, submitted_at=utcnow())
        session.add(draft)
        session.flush()
        session.add(DraftCosigner(draft_id=draft.id, deputy_id=people[1].id))
        ids, named, draft_id = [d.id for d in people], {u.short_name: u.id for u in handling}, draft.id
    return World(sessions, rules, ids, named, draft_id)


def snapshot(session: Session, suggestion_id: int) -> tuple:
    """The suggestion's row and how many history entries it has: a refused action must change neither."""
    row = session.get(Suggestion, suggestion_id)
    session.refresh(row)
    columns = tuple(getattr(row, c.key) for c in Suggestion.__table__.columns)
    events = session.scalar(select(func.count()).select_from(SuggestionEvent)
                            .where(SuggestionEvent.suggestion_id == suggestion_id))
    return columns, events
