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


def history(session: Session, target: str, limit: int = 100) -> list[AuditEntry]:
    """What was done to exactly this target (e.g. "message:1"), newest first; never "message:10"."""
    query = select(AuditEntry).where(AuditEntry.target == target)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def search(session: Session, text: str = "", limit: int = 100) -> list[AuditEntry]:
    """Entries whose actor, action or target contains the text literally (% and _ match only themselves)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    text = text.strip()
    if text:
        query = query.where(or_(*(column.contains(text, autoescape=True)
                                  for column in (AuditEntry.actor, AuditEntry.action, AuditEntry.target))))
    return list(session.scalars(query))
