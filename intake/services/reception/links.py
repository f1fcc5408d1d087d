"""Per-deputy citizen links: random slugs that can be revoked and rotated."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from intake.models import CitizenLink, Deputy, ScanCount, Station, utcnow
from intake.prebuilt import Prebuilt
from intake.services import codes
from intake.services.reception import counters
# People who cannot scan type the link from the poster: no look-alike characters.
SLUG_ALPHABET = codes.ALPHABET
# 31**13 > 2**64: unguessable, yet short enough for a small QR code version.
SLUG_LENGTH = 13


def new_slug() -> str:
    return codes.code(SLUG_LENGTH)


def issue_link(session: Session, deputy: Deputy) -> CitizenLink:
    link = CitizenLink(deputy=deputy, slug=new_slug())
    session.add(link)
    session.flush()
    return link


def current_slug(session: Session, deputy_id: int) -> str | None:
    """The slug citizens reach an active deputy by now (the newest not revoked), if any."""
    return session.scalar(
        select(CitizenLink.slug).join(Deputy, Deputy.id == CitizenLink.deputy_id)
        .where(CitizenLink.deputy_id == deputy_id, CitizenLink.revoked_at.is_(None), Deputy.active.is_(True))
        .order_by(CitizenLink.id.desc()).limit(1))


def citizen_url(base_url: str, slug: str) -> str:
    return f"{base_url}/c/{slug}"


@dataclass(frozen=True)
class DeputyCard:
    """What the citizen's side needs of the deputy behind a link."""

    id: int
    name: str
    level: str
    station_id: int
    station_name: str


@dataclass(frozen=True)
class LinkLookup:
    deputy: DeputyCard | None
    revoked: bool

    @property
    def usable(self) -> bool:
        return self.deputy is not None and not self.revoked


# Every chat turn starts here: one prebuilt statement, no ORM objects.
_RESOLVE = Prebuilt(
    select(CitizenLink.revoked_at, Deputy.active, Deputy.id, Deputy.name, Deputy.level, Deputy.station_id,
           Station.name.label("station_name"))
    .join(Deputy, Deputy.id == CitizenLink.deputy_id)
    .join(Station, Station.id == Deputy.station_id)
    .where(CitizenLink.slug == bindparam("slug"))
)


def resolve(session: Session, slug: str) -> LinkLookup:
    # Typed links often come back capitalised by phone keyboards; slugs are lower case.
    slug = slug.strip().lower()
    if "\x00" in slug:  # no link has one, and PostgreSQL refuses it as a parameter
        return LinkLookup(None, False)
    row = _RESOLVE.first(session, {"slug": slug})
    if row is None:
        return LinkLookup(None, False)
    revoked_at, active, deputy_id, name, level, station_id, station_name = row
    card = DeputyCard(deputy_id, name, level, station_id, station_name)
    return LinkLookup(card, revoked_at is not None or not active)


class LinkCache:
    """Recent lookups for the chat API, where every turn would otherwise repeat the same one.

    A revoked link or a deactivated deputy stops taking messages within `seconds`; pages always look up afresh.
    """

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self._entries: dict[str, tuple[float, LinkLookup]] = {}

    def resolve(self, session: Session, slug: str) -> LinkLookup:
        now = self.clock()
        entry = self._entries.get(slug)
        if entry is not None and now - entry[0] < self.seconds:
            return entry[1]
        lookup = resolve(session, slug)
        if lookup.deputy is not None:  # unknown slugs are not kept: guessing must not fill memory
            if len(self._entries) >= 10_000:
                self._entries.clear()
            self._entries[slug] = (now, lookup)
        return lookup


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
