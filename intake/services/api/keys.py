"""API keys: created with a name, scopes and an optional station; only a keyed hash of the key is stored."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from intake.models import ApiKey, AuditEntry, Station, parse_scopes, utcnow
from intake.prebuilt import Prebuilt
from intake.services import codes
from intake.services.console import audit
from intake.services.errors import DomainError, InvalidInput, NotFound

SCOPES = ("read", "submit")
PREFIX_CHARS = 8
KEY_PREFIX = "msk_"  # recognisable in a leaked log or a secret scanner
MAX_KEY_CHARS = 100
NAME_CHARS = 100
_keys = ApiKey.__table__
# Every API call runs these: prebuilt statements and no ORM object, as for the chat turn.
_BY_HASH = Prebuilt(select(_keys.c.id, _keys.c.scopes, _keys.c.station_id, _keys.c.revoked_at, _keys.c.last_used_at)
                    .where(_keys.c.key_hash == bindparam("key_hash")))
_NOTE_USE = Prebuilt(update(_keys).where(_keys.c.id == bindparam("key")).values(last_used_at=bindparam("now")))


class KeyMissing(DomainError):
    """The request carried no key."""

    def __init__(self):
        super().__init__("api_key_missing")


class KeyRefused(DomainError):
    """The key is unknown or revoked (the same answer for both, so a guess learns nothing)."""

    def __init__(self):
        super().__init__("api_key_refused")


class ScopeMissing(DomainError):
    def __init__(self, scope: str):
        super().__init__("api_scope_missing", scope=scope)


@dataclass(frozen=True)
class LiveKey:
    """The key a call came with, as checked: what deciding its scope and its station's data needs."""
    id: int
    scope_set: frozenset[str]
    station_id: int | None
    noted: bool  # its last use was written in the session's transaction: the caller commits it


def key_hash(secret: str, raw: str) -> str:
    return hmac.new(secret.encode(), f"api-key:{raw}".encode(), hashlib.sha256).hexdigest()


def _scopes_text(scopes: frozenset[str]) -> str:
    unknown = set(scopes) - set(SCOPES)
    if not scopes or unknown:
        raise InvalidInput("api_scopes", allowed="、".join(SCOPES))
    return ",".join(scope for scope in SCOPES if scope in scopes)


def create_key(session: Session, *, name: str, scopes: frozenset[str], station_id: int | None, secret: str,
               actor: str = "system:cli") -> tuple[ApiKey, str]:
    """The new key and its raw value, which is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name or len(name) > NAME_CHARS:
        raise InvalidInput("api_key_name", limit=NAME_CHARS)
    scopes_text = _scopes_text(scopes)
    if station_id is not None and session.get(Station, station_id) is None:
        raise NotFound("station_unknown", id=station_id)
    raw = KEY_PREFIX + codes.code(52)  # 257 bits
    key = ApiKey(name=name, prefix=raw[:PREFIX_CHARS], key_hash=key_hash(secret, raw), scopes=scopes_text,
                 station_id=station_id, created_at=utcnow())
    session.add(key)
    session.flush()
    audit.record(session, actor, "api_key.create", f"api_key:{key.id}", None,
                 {"name": name, "scopes": scopes_text, "station_id": station_id, "prefix": key.prefix})
    return key, raw


def authenticate(session: Session, raw: str | None, *, secret: str) -> LiveKey:
    """The live key behind this value; its last use is noted (to the minute, so busy keys write rarely).
    The caller commits it."""
    raw = (raw or "").strip()
    if not raw:
        raise KeyMissing()
    if len(raw) > MAX_KEY_CHARS:
        raise KeyRefused()
    row = _BY_HASH.first(session, {"key_hash": key_hash(secret, raw)})
    if row is None:
        raise KeyRefused()
    key_id, scopes, station_id, revoked_at, last_used_at = row
    if revoked_at is not None:
        raise KeyRefused()
    now = utcnow()
    noted = last_used_at is None or (now - last_used_at).total_seconds() >= 60
    if noted:
        _NOTE_USE.rows(session, {"key": key_id, "now": now})
    return LiveKey(key_id, parse_scopes(scopes), station_id, noted)


def require_scope(key: LiveKey | ApiKey, scope: str) -> None:
    if scope not in key.scope_set:
        raise ScopeMissing(scope)


def sees_station(key: LiveKey | ApiKey, station_id: int | None) -> bool:
    """A key limited to a station sees that station's data only; an unlimited key sees every station's."""
    return key.station_id is None or key.station_id == station_id


def revoke(session: Session, key_id: int, *, actor: str = "system:cli") -> ApiKey:
    """Revoke once; revoking a revoked key changes nothing."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("api_key_unknown", id=key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, actor, "api_key.revoke", f"api_key:{key.id}", {"revoked": False}, {"revoked": True})
        session.flush()
    return key


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, live ones first, newest first within each."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())))


def issuers(session: Session, key_ids: list[int]) -> dict[int, str]:
    """Who made each key, as the audit log names them: two keys of one system's name are told apart by when and by
    whom they were made, not by the first characters of a secret."""
    targets = {f"api_key:{key_id}": key_id for key_id in key_ids}
    rows = session.execute(select(AuditEntry.target, AuditEntry.actor)
                           .where(AuditEntry.action == "api_key.create", AuditEntry.target.in_(targets))).all()
    names = audit.staff_names(session, [actor for _, actor in rows])
    return {targets[target]: audit.person(actor, names) for target, actor in rows}
