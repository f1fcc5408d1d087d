"""The periodic jobs run at the district's hours, whatever clock the server keeps."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from workers import schedule

DISTRICT = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Shanghai"])
def server_clock(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _next_runs(redis_conn, runtime) -> dict[str, datetime]:
    scheduler = schedule.build(redis_conn, runtime.settings)
    return {job.func.__name__: job.get_next_enqueue_time().astimezone(DISTRICT) for job in scheduler.get_jobs()
            if job.cron}


def test_cleanup_runs_at_night_reminders_and_the_digest_in_the_morning_of_the_district(server_clock, redis_conn,
                                                                                      runtime):
    runs = _next_runs(redis_conn, runtime)
    # Deleting personal data at 03:17 Beijing time, not at 11:17 in the middle of the clerks' day.
    assert runs["remove_expired_personal_data"].strftime("%H:%M") == "03:17", (server_clock, runs)
    assert runs["send_reminders"].strftime("%H:%M") == "09:07", (server_clock, runs)
    # Monday morning in the district is still Sunday evening in New York.
    digest = runs["send_radar_digest"]
    assert (digest.strftime("%H:%M"), digest.weekday()) == ("09:13", 0), (server_clock, runs)
