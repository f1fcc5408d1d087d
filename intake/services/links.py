"""Per-deputy citizen links: random slugs that can be revoked and rotated."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from intake.models import CitizenLink, Deputy, ScanCount, utcnow
from intake.services import counters

# No 0/o, 1/l/i: people who cannot scan type the link from the poster.
SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# 31**13 > 2**64: unguessable, yet short enough for a small QR code version.
SLUG_LENGTH = 13


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def issue_link(session: Session, deputy: Deputy) -> CitizenLink:
    link = CitizenLink(deputy=deputy, slug=new_slug())
    session.add(link)
    session.flush()
    return link


def citizen_url(base_url: str, slug: str) -> str:
    return f"{base_url}/c/{slug}"


@dataclass(frozen=True)
class LinkLookup:
    deputy: Deputy | None
    revoked: bool

    @property
    def usable(self) -> bool:
        return self.deputy is not None and not self.revoked


def resolve(session: Session, slug: str) -> LinkLookup:
    # Typed links often come back capitalised by phone keyboards; slugs are lower case.
    link = session.scalar(
        select(CitizenLink)
        .options(joinedload(CitizenLink.deputy).joinedload(Deputy.station))
        .where(CitizenLink.slug == slug.strip().lower())
    )
    if link is None:
        return LinkLookup(None, False)
    deputy = link.deputy
    return LinkLookup(deputy, link.revoked_at is not None or not deputy.active)


def revoke(session: Session, deputy: Deputy) -> int:
    """Retire every live link of the deputy; returns how many were live."""
    live = [link for link in deputy.links if link.revoked_at is None]
    for link in live:
        link.revoked_at = utcnow()
    session.flush()
    return len(live)


def rotate(session: Session, deputy: Deputy) -> CitizenLink:
    """Retire the current link and issue a new one (e.g. after a poster was defaced or misused)."""
    revoke(session, deputy)
    return issue_link(session, deputy)


def count_scan(session: Session, deputy_id: int, day: str) -> int:
    return counters.increment(session, ScanCount, {"deputy_id": deputy_id, "day": day}, "count")


def scan_totals(session: Session) -> dict[int, int]:
    """All-time scans per deputy, in one query."""
    rows = session.execute(select(ScanCount.deputy_id, func.sum(ScanCount.count)).group_by(ScanCount.deputy_id))
    return {deputy_id: int(total) for deputy_id, total in rows}
