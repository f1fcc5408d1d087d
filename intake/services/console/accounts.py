"""Passwords and sign-in for deputies and staff."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from intake.models import Deputy, EndedSignIn, SignInLink, StaffUser, utcnow
from intake.models.people import AWAITED_PASSWORD
from intake.services import codes
from intake.services.console import audit
# Hashing a throwaway password when the account does not exist keeps the timing the same,
# so sign-in does not reveal which phone numbers belong to deputies.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def new_password() -> str:
    return codes.code(15)  # 74 bits, typed by hand


def end_sessions(account: Deputy | StaffUser) -> None:
    """Every signed-in copy of this account's session stops working (each carries the old version)."""
    account.session_version = (account.session_version or 1) + 1


def end_sign_in(session: Session, sid: str, lifetime: timedelta) -> None:
    """Every copy of this one sign-in's cookie stops working; the account's other sign-ins go on. Ends older than a
    cookie lives are let go here, so the table holds one sign-in lifetime of them."""
    session.execute(delete(EndedSignIn).where(EndedSignIn.ended_at < utcnow() - lifetime))
    if session.get(EndedSignIn, sid) is None:
        session.add(EndedSignIn(sid=sid))


def sign_in_ended(session: Session, sid: str) -> bool:
    return session.get(EndedSignIn, sid) is not None


def normalise_phone(text: str) -> str:
    """A deputy's phone as stored, however it was typed: "139-0000-0005", "+86 139 0000 0005", full-width."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text or ""))
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def authenticate_deputy(session: Session, phone: str, password: str) -> Deputy | None:
    phone = normalise_phone(phone)
    deputy = session.scalar(select(Deputy).where(Deputy.phone == phone, Deputy.active.is_(True))) if phone else None
    stored = deputy.password_hash if deputy is not None and deputy.password_hash else _DUMMY_HASH
    if check_password_hash(stored, password or "") and deputy is not None and deputy.password_hash:
        return deputy
    return None


def login_key(username: str) -> str:
    """A login as it is compared: letters' case aside, since a phone capitalises a field's first letter (Admin)."""
    return (username or "").strip().lower()


def staff_by_login(session: Session, username: str) -> StaffUser | None:
    """The account of this login in any case of its letters; the exact spelling first, for two accounts made before
    creation refused names differing only in case, on a database not yet at migration 0081 (one is renamed first)."""
    found = list(session.scalars(select(StaffUser).where(func.lower(StaffUser.username) == login_key(username))))
    exact = [user for user in found if user.username == (username or "").strip()]
    return exact[0] if exact else found[0] if len(found) == 1 else None


def logins_alike(session: Session, username: str) -> list[str]:
    """The logins equal to this one in any case of their letters, as each account spells it."""
    return list(session.scalars(select(StaffUser.username).where(func.lower(StaffUser.username) == login_key(username))
                                .order_by(StaffUser.id)))


def login_taken(session: Session, username: str, other_than: int | None = None) -> bool:
    """Whether an account (other than `other_than`) has this login in any case of its letters."""
    query = select(StaffUser.id).where(func.lower(StaffUser.username) == login_key(username))
    if other_than is not None:
        query = query.where(StaffUser.id != other_than)
    return session.scalar(query.limit(1)) is not None


def authenticate_staff(session: Session, username: str, password: str) -> StaffUser | None:
    user = staff_by_login(session, username)
    usable = user is not None and user.active and not user.awaiting_password
    stored = user.password_hash if usable else _DUMMY_HASH
    if check_password_hash(stored, password or "") and usable:
        return user
    return None


def account_signing_in(session: Session, reference: str) -> Deputy | StaffUser | None:
    """The account a sign-in's count names ("staff:<login>" in lower case, "deputy:<phone>" normalised), if any."""
    role, _, login = reference.partition(":")
    if not login:
        return None
    if role == "deputy":
        return session.scalar(select(Deputy).where(Deputy.phone == login))
    return staff_by_login(session, login) if role == "staff" else None


def record_lockout(session: Session, account: Deputy | StaffUser, page: str, network: str) -> None:
    """Wrong passwords used up the guesses at the account for now (`page`: "login", from that network, or
    "password", the change-password form): the operations log names the account and the guesser's network, masked
    (masking.mask_address), never what was typed."""
    target = f"deputy:{account.id}" if isinstance(account, Deputy) else f"staff:{account.id}"
    audit.record(session, "system", "account.locked", target, after={"page": page, "ip": network})


SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_sign_in_link(session: Session, deputy: Deputy, actor: str) -> str:
    """A token for a one-time sign-in link, valid 15 minutes; only its hash is stored."""
    token = codes.code(39)
    now = utcnow()
    session.add(SignInLink(deputy_id=deputy.id, token_hash=_token_hash(token), created_by=actor, created_at=now,
                           expires_at=now + SIGN_IN_LINK_LIFETIME))
    audit.record(session, actor, "deputy.sign_in_link", f"deputy:{deputy.id}")
    return token


def void_sign_in_links(session: Session, deputy: Deputy) -> None:
    """Every link of the deputy not yet used stops working, in one UPDATE: a link someone intercepted dies as soon as
    the deputy's password changes or staff clear it (the deputy then gets a fresh one)."""
    # Expired at their making, not at this clock's now: a web process whose clock runs behind would still take them.
    session.execute(update(SignInLink).where(SignInLink.deputy_id == deputy.id, SignInLink.used_at.is_(None),
                                             SignInLink.expires_at > utcnow()).values(expires_at=SignInLink.created_at))


def sign_in_link_valid(session: Session, token: str) -> bool:
    link = session.scalar(select(SignInLink).where(SignInLink.token_hash == _token_hash(token)))
    return link is not None and link.used_at is None and link.expires_at > utcnow()


def sign_in_link_used_at(session: Session, token: str) -> datetime | None:
    """When the link signed someone in, if it did: a deputy whose link was used by someone else learns so at once."""
    return session.scalar(select(SignInLink.used_at).where(SignInLink.token_hash == _token_hash(token)))


def redeem_sign_in_link(session: Session, token: str) -> Deputy | None:
    """The deputy the link signs in, once: a second use or an expired link gives None."""
    now = utcnow()
    deputy_id = session.scalar(
        update(SignInLink).where(SignInLink.token_hash == _token_hash(token), SignInLink.used_at.is_(None),
                                 SignInLink.expires_at > now)
        .values(used_at=now).returning(SignInLink.deputy_id)
    )
    deputy = session.get(Deputy, deputy_id) if deputy_id is not None else None
    return deputy if deputy is not None and deputy.active else None


WELCOME_LINK_LIFETIME = timedelta(hours=24)


def _welcome_signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="staff-welcome")


def awaited_password() -> str:
    """The stored password of an account whose holder chooses their own from a welcome link: no hash, so no password
    matches it and nobody but the link's holder gets in; random, since a welcome link names its tail and an
    earlier link must die with a new one."""
    return AWAITED_PASSWORD + secrets.token_urlsafe(24)


def welcome_token(secret: str, user: StaffUser) -> str:
    """A link token letting a new staff account choose its password within 24 hours, once: it names the
    current password hash, so it dies as soon as a password is set."""
    return _welcome_signer(secret).dumps([user.id, user.password_hash[-16:]])


def welcome_link(base_url: str, secret: str, user: StaffUser) -> str:
    """The whole link to hand the account's holder (a staff member shows it once, the CLI prints it)."""
    return f"{base_url}/staff/welcome/{welcome_token(secret, user)}"


def welcome_user(session: Session, secret: str, token: str) -> StaffUser | None:
    try:
        user_id, fingerprint = _welcome_signer(secret).loads(token, max_age=int(WELCOME_LINK_LIFETIME.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    user = session.get(StaffUser, user_id)
    if user is None or not user.active or user.password_hash[-16:] != fingerprint:
        return None
    return user
