"""How transactions on the SQLite file take SQLite's one write lock: writers wait their turn, readers never wait."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, insert, select, update

from intake.db import make_engine, make_session_factory
from intake.models import Station

HOLD = 0.5  # seconds another connection keeps the write lock


@pytest.fixture
def sessions(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(insert(Station.__table__).values(name="青石街道联络站"))
    yield make_session_factory(engine)
    engine.dispose()


def _writer_holding_the_lock(sessions) -> tuple[threading.Thread, threading.Event]:
    """A worker's batch: it writes, then keeps the write lock for HOLD seconds before committing."""
    writing = threading.Event()

    def write():
        with sessions() as session, session.begin():
            session.execute(update(Station).values(address="东湖路1号"))
            writing.set()
            time.sleep(HOLD)

    thread = threading.Thread(target=write)
    thread.start()
    assert writing.wait(5)
    return thread, writing


def test_a_savepoint_that_reads_before_it_writes_waits_for_the_writer_instead_of_failing(sessions):
    with sessions() as session, session.begin():
        writer, _ = _writer_holding_the_lock(sessions)
        with session.begin_nested():  # opened the transaction, a read one, which SQLite could not turn into a write
            stations = session.scalar(select(func.count()).select_from(Station))
            session.add(Station(name=f"第{stations + 1}联络站"))
    writer.join()
    with sessions() as session:
        assert dict(session.execute(select(Station.name, Station.address)).all()) == {
            "青石街道联络站": "东湖路1号", "第2联络站": None}


def test_a_read_for_update_waits_for_the_writer_and_sees_what_it_wrote(sessions):
    writer, _ = _writer_holding_the_lock(sessions)
    with sessions() as session, session.begin():
        started = time.perf_counter()
        station = session.scalar(select(Station).with_for_update())
        waited = time.perf_counter() - started
        assert station.address == "东湖路1号"
    writer.join()
    assert waited > HOLD / 2


def test_a_page_reading_while_a_batch_writes_does_not_wait_for_it(sessions):
    writer, _ = _writer_holding_the_lock(sessions)
    with sessions() as session:
        started = time.perf_counter()
        assert session.scalar(select(Station.address)) is None  # what was committed before the batch began
        waited = time.perf_counter() - started
    writer.join()
    assert waited < HOLD / 2
