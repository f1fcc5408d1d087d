"""Per-deputy citizen links: random slugs that can be revoked and rotated."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import CitizenLink, Deputy, utcnow

# 9 random bytes = 72 bits, 12 URL-safe characters: unguessable, yet short enough
# for a small QR code version.
SLUG_BYTES = 9


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


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
    link = session.scalar(select(CitizenLink).where(CitizenLink.slug == slug))
    if link is None:
        return LinkLookup(None, False)
    deputy = link.deputy
    return LinkLookup(deputy, link.revoked_at is not None or not deputy.active)


def revoke(session: Session, deputy: Deputy) -> None:
    for link in deputy.links:
        if link.revoked_at is None:
            link.revoked_at = utcnow()
    session.flush()
