"""Personal data we must read back (a WeChat follower's openid), encrypted with DATA_KEY.

DATA_KEY lists Fernet keys, newest first: the first encrypts, every one decrypts, so a key is rotated by putting
a new one in front, running `mashang data rekey`, then dropping the old one.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Citizen


class UnreadableData(ValueError):
    """Sealed with a key DATA_KEY no longer holds."""


def keyring(data_key: str) -> MultiFernet:
    keys = [part.strip() for part in data_key.split(",") if part.strip()]
    if not keys:
        raise ValueError("DATA_KEY is empty")
    return MultiFernet([Fernet(key) for key in keys])


def seal(data_key: str, value: str) -> str:
    return keyring(data_key).encrypt(value.encode()).decode()


def unseal(data_key: str, sealed: str) -> str:
    try:
        return keyring(data_key).decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise UnreadableData("sealed with a key DATA_KEY does not hold") from exc


def rekey(session: Session, data_key: str, batch: int = 500) -> int:
    """Encrypt every stored address again with DATA_KEY's first key; returns how many were rewritten."""
    ring = keyring(data_key)
    rewritten, last_id = 0, 0
    while True:
        citizens = session.scalars(select(Citizen).where(Citizen.address_encrypted.is_not(None), Citizen.id > last_id)
                                   .order_by(Citizen.id).limit(batch)).all()
        if not citizens:
            return rewritten
        for citizen in citizens:
            try:
                citizen.address_encrypted = ring.rotate(citizen.address_encrypted.encode()).decode()
            except InvalidToken as exc:
                raise UnreadableData(f"citizen {citizen.id}: sealed with a key DATA_KEY does not hold") from exc
            rewritten += 1
        last_id = citizens[-1].id
        session.flush()
