"""What a worker keeps in memory between batches, kept only while the database's stamp for it is unchanged.

Whatever changes the kept thing writes a new random stamp in the same transaction (`bump`, or a flush of a
changed unit or unit choice): another worker, or this one after a restart or on another database, then sees
a stamp it does not hold and reads it again.
A stamp is random, not a count, so a database made anew never repeats one a worker still holds."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from intake.models import CacheStamp, HandlingUnit, UnitChoice
from intake.services import upserts

NAMES, UNIT_CHOICES = "names", "unit_choices"
STAMPS = CacheStamp.__table__.c
_READ = select(STAMPS.name, STAMPS.stamp)
_KEPT: dict[tuple[int, str], tuple[str, object]] = {}  # (engine, name) -> (stamp, value)
Value = TypeVar("Value")


def bump(session: Session, name: str) -> None:
    """`name` changed in this transaction: every worker reads it again once this commits."""
    statement = upserts.insert_into(session, CacheStamp.__table__).values(name=name, stamp=uuid.uuid4().hex)
    session.execute(statement.on_conflict_do_update(index_elements=[STAMPS.name],
                                                    set_={"stamp": statement.excluded.stamp}))


@event.listens_for(Session, "before_flush")
def _units_changed(session: Session, _context, _instances) -> None:
    # Drafts name a unit as it is now, and only while it takes suggestions: any change to a unit or a choice,
    # wherever it is made, is a new stamp.
    if any(isinstance(item, (HandlingUnit, UnitChoice))
           for item in (*session.new, *session.dirty, *session.deleted)):
        bump(session, UNIT_CHOICES)


def read(session: Session) -> dict[str, str]:
    """Every stamp, in one statement: read once at the start of a batch."""
    return dict(session.connection().execute(_READ).all())


def kept(session: Session, stamps: dict[str, str], name: str, load: Callable[[Session], Value]) -> Value:
    """The kept value of `name` when its stamp is unchanged, else `load`ed now and kept under the stamp."""
    stamp = stamps.get(name)
    if stamp is None:  # never stamped yet: stamped now, so the next batch can keep what this one loads
        upserts.insert_if_absent(session, CacheStamp.__table__, {"name": name, "stamp": uuid.uuid4().hex})
        stamp = stamps[name] = session.scalar(select(STAMPS.stamp).where(STAMPS.name == name))
    key = (id(session.get_bind()), name)
    found = _KEPT.get(key)
    if found is not None and found[0] == stamp:
        return found[1]
    value = load(session)
    _KEPT[key] = (stamp, value)
    return value
