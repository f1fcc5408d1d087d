"""Storage on SQLite and PostgreSQL: migrations match the models, receipts never collide."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select, text

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


def test_an_upgrade_that_fails_part_way_leaves_nothing_half_done_and_runs_again_once_mended(app, runtime):
    """A district upgrading from an older release: a migration failing after another of the same run has changed
    the tables (SQLite committed each ALTER by itself) stuck the database for good, every later upgrade failing on
    what the first had half done. Now the run is rolled back, the clerk is told where it stopped, and it runs again."""
    engine = runtime.engine
    migrate.downgrade(engine, "0076")
    in_the_way = False
    try:
        # 0077 makes a table, then an index whose name something else took: the index fails after the table exists.
        with engine.begin() as connection:
            connection.execute(text("CREATE INDEX ix_ended_sign_ins_ended_at ON stations (name)"))
        in_the_way = True
        cli = app.test_cli_runner()
        failed = cli.invoke(args=["db", "upgrade"])
        assert failed.exit_code != 0 and "Traceback" not in failed.output, failed.output
        assert "数据库升级没有完成" in failed.output and "版本 0076" in failed.output, failed.output
        assert "mashang db upgrade" in failed.output, failed.output
        assert migrate.current(engine) == "0076"
        assert "ended_sign_ins" not in inspect(engine).get_table_names()
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_ended_sign_ins_ended_at"))
        in_the_way = False
        again = cli.invoke(args=["db", "upgrade"])
        assert again.exit_code == 0 and migrate.current(engine) == migrate.head(), again.output
        migrate.check(engine)
    finally:  # the database the other tests share is left at the head
        if in_the_way:
            with engine.begin() as connection:
                connection.execute(text("DROP INDEX ix_ended_sign_ins_ended_at"))
        migrate.upgrade(engine)


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
