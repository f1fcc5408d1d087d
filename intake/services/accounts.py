"""Passwords and sign-in for deputies and staff."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from intake.models import Deputy, StaffUser

# Hashing a throwaway password when the account does not exist keeps the timing the same,
# so sign-in does not reveal which phone numbers belong to deputies.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def new_password() -> str:
    return secrets.token_urlsafe(9)


def authenticate_deputy(session: Session, phone: str, password: str) -> Deputy | None:
    phone = re.sub(r"[\s-]", "", phone or "")
    deputy = session.scalar(select(Deputy).where(Deputy.phone == phone, Deputy.active.is_(True))) if phone else None
    stored = deputy.password_hash if deputy is not None and deputy.password_hash else _DUMMY_HASH
    if check_password_hash(stored, password or "") and deputy is not None and deputy.password_hash:
        return deputy
    return None


def authenticate_staff(session: Session, username: str, password: str) -> StaffUser | None:
    user = session.scalar(select(StaffUser).where(StaffUser.username == (username or "").strip()))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    if check_password_hash(stored, password or "") and user is not None and user.active:
        return user
    return None
