"""Statements run on the driver's cursor (the chat turn's) read and fail as SQLAlchemy's would, on both databases."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from intake.models import Deputy, Message, Station
from intake.prebuilt import Prebuilt
from intake.services.reception import messages, progress_links

_STORED = Prebuilt(select(Message.receipt, Message.created_at, Message.share_phone, Message.needs_attention)
                   .where(Message.id == bindparam("message")))
_DEPUTIES = Prebuilt(select(func.count(Deputy.id)))
_LINK = Prebuilt(progress_links.INSERT)


def _deputy(session) -> Deputy:
    deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石站"), phone="13900000001")
    session.add(deputy)
    session.flush()
    return deputy


def test_a_stored_message_reads_back_with_its_types(runtime):
    moment = datetime(2026, 11, 24, 23, 30, 0, 123456, tzinfo=timezone.utc)
    with runtime.sessions() as session, session.begin():
        stored = messages.submit(session, deputy_id=_deputy(session).id, citizen_id=None, text="路灯坏了", channel="web",
                                 max_chars=2000, local_tz=ZoneInfo("Asia/Shanghai"), now=moment)
        receipt, created_at, share_phone, needs_attention = _STORED.one(session, {"message": stored.id})
    # An aware moment and booleans on SQLite too, which keeps text and integers; the defaults were written.
    assert (receipt, created_at, share_phone, needs_attention) == ("MS-20261125-0001", moment, False, False)
    assert share_phone is False and created_at.tzinfo is not None


def test_a_unique_row_stored_twice_is_sqlalchemys_integrity_error(runtime):
    """An API retry is told from a new submission by this error (intake.services.api.submissions)."""
    with runtime.sessions() as session, session.begin():
        stored = messages.submit(session, deputy_id=_deputy(session).id, citizen_id=None, text="路灯坏了", channel="web",
                                 max_chars=2000, local_tz=timezone.utc)
        link = {"message": stored.id, "token_hash": "a" * 64, "now": datetime.now(timezone.utc)}
        _LINK.rows(session, link)
        with pytest.raises(IntegrityError), session.begin_nested():
            _LINK.rows(session, link)
        assert progress_links.live(session, stored.id) == 1


def test_objects_added_before_are_written_first(runtime):
    with runtime.sessions() as session, session.begin():
        session.add(Deputy(name="李建国", level="区", station=Station(name="东湖站"), phone="13900000002"))
        assert _DEPUTIES.one(session, {}) == (1,)
