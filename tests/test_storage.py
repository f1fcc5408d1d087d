"""Storage on SQLite and PostgreSQL: migrations match the models, receipts never collide."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from intake import migrate
from intake.models import Deputy, Message, ReceiptCounter, Station
from intake.services.reception import citizens, messages
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_migrations_match_the_models(runtime):
    migrate.check(runtime.engine)


def test_migrations_downgrade_and_upgrade_again(runtime):
    migrate.downgrade(runtime.engine, "base")
    migrate.upgrade(runtime.engine)
    migrate.check(runtime.engine)


def _deputy(session) -> Deputy:
    deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石站"), phone="13900000001")
    session.add(deputy)
    session.flush()
    return deputy


def test_receipts_count_per_local_day(runtime):
    with runtime.sessions() as session, session.begin():
        deputy = _deputy(session)
        # 23:30 UTC on the 24th is already the 25th in China.
        late = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)
        first = messages.submit(session, deputy_id=deputy.id, citizen_id=None, text="一", channel="web",
                                max_chars=2000, local_tz=SHANGHAI, now=late)
        second = messages.submit(session, deputy_id=deputy.id, citizen_id=None, text="二", channel="web",
                                 max_chars=2000, local_tz=SHANGHAI, now=late)
        next_day = messages.submit(session, deputy_id=deputy.id, citizen_id=None, text="三", channel="web",
                                   max_chars=2000, local_tz=SHANGHAI, now=datetime(2026, 11, 25, 16, 5, tzinfo=timezone.utc))
    assert [first.receipt, second.receipt, next_day.receipt] == [
        "MS-20261125-0001", "MS-20261125-0002", "MS-20261126-0001"
    ]


def test_a_busy_day_past_9999_receipts_reads_the_same_on_every_database(runtime):
    # PostgreSQL numbers the receipt inside the insert: its formatting must be the same as Python's.
    day = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
    with runtime.sessions() as session, session.begin():
        deputy = _deputy(session)
        session.add(ReceiptCounter(day="20261125", last=9998))
        session.flush()
        stored = [messages.submit(session, deputy_id=deputy.id, citizen_id=None, text=f"第{i}条", channel="web",
                                  max_chars=2000, local_tz=SHANGHAI, now=day).receipt for i in range(2)]
        read_back = session.scalars(select(Message.receipt).where(Message.deputy_id == deputy.id)
                                    .order_by(Message.id)).all()
    assert stored == read_back == ["MS-20261125-9999", "MS-20261125-10000"]


def test_concurrent_submissions_get_distinct_receipts(runtime):
    with runtime.sessions() as session, session.begin():
        deputy_id = _deputy(session).id

    def submit(i):
        with runtime.sessions() as session, session.begin():
            return messages.submit(session, deputy_id=deputy_id, citizen_id=None, text=f"第{i}条", channel="web",
                                   max_chars=2000, local_tz=SHANGHAI).receipt

    with ThreadPoolExecutor(max_workers=4) as pool:
        receipts = list(pool.map(submit, range(20)))
    assert len(set(receipts)) == 20
    assert all(re.fullmatch(r"MS-\d{8}-00\d\d", r) for r in receipts)


def test_citizen_ids_are_stored_as_keyed_hashes(runtime):
    with runtime.sessions() as session, session.begin():
        one = citizens.find_or_create(session, "secret", "wechat", "oXyz-openid")
        again = citizens.find_or_create(session, "secret", "wechat", "oXyz-openid")
        assert one.id == again.id
        assert "oXyz" not in one.channel_user_hash and len(one.channel_user_hash) == 64


def test_db_check_says_in_chinese_whether_the_database_matches_and_looks_up_indexes_sqlite_cannot_read(app, runtime):
    """On SQLite Alembic cannot read the index on lower(username): `mashang db check` said so in two English warnings
    and compared nothing. Now it is looked up by name, on either database, and a missing one is a mismatch."""
    runner = app.test_cli_runner()
    matching = runner.invoke(args=["db", "check"])
    assert matching.exit_code == 0 and matching.output.strip() == "模型与迁移一致。"
    with runtime.engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX uq_staff_users_login")
    try:
        missing = runner.invoke(args=["db", "check"])
        assert missing.exit_code == 1 and "模型与迁移不一致" in missing.output and "uq_staff_users_login" in missing.output
    finally:  # the PostgreSQL database outlives the test
        with runtime.engine.begin() as connection:
            connection.exec_driver_sql("CREATE UNIQUE INDEX uq_staff_users_login ON staff_users (lower(username))")
