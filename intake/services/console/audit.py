"""The audit log: every change staff or deputies make, with before and after. Append-only."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from intake.models import AuditEntry


def record(session: Session, actor: str, action: str, target: str, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    entry = AuditEntry(actor=actor, action=action, target=target, before=before or {}, after=after or {})
    session.add(entry)
    return entry


def search(session: Session, text: str = "", limit: int = 100) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if text.strip():
        like = f"%{text.strip()}%"
        query = query.where(or_(AuditEntry.actor.like(like), AuditEntry.action.like(like), AuditEntry.target.like(like)))
    return list(session.scalars(query))
