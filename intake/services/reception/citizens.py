"""Citizens are known by a keyed hash of their channel id, never the id itself."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.models import Citizen


def channel_user_hash(secret: str, channel: str, channel_user_id: str) -> str:
    return hmac.new(secret.encode(), f"{channel}:{channel_user_id}".encode(), hashlib.sha256).hexdigest()


def find_or_create(session: Session, secret: str, channel: str, channel_user_id: str) -> Citizen:
    digest = channel_user_hash(secret, channel, channel_user_id)
    query = select(Citizen).where(Citizen.channel == channel, Citizen.channel_user_hash == digest)
    citizen = session.scalar(query)
    if citizen is not None:
        return citizen
    try:
        with session.begin_nested():
            citizen = Citizen(channel=channel, channel_user_hash=digest)
            session.add(citizen)
    except IntegrityError:
        # Two first messages from the same person raced; the other one created the row.
        citizen = session.scalar(query)
    return citizen
