"""Jobs are idempotent and the table, not the queue, decides what still has to be done."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from intake.classifier.day_one import DayOneModel
from intake.models import Draft, DraftMessage, Message, MessageStatus, RadarMessage
from tests.conftest import build_app, make_settings
from tests.helpers import deputies, import_roster, report, slug_of, write_roster
from workers import jobs

MESSAGES = [
    "幸福小区门口的路灯坏了，晚上很黑。希望尽快修好路灯。",
    "青石中学放学时间校门口堵车特别严重。",
    "幸福小区旁边的污水沟臭味很大。",
]


def _snapshot(runtime):
    with runtime.sessions() as session:
        drafts = session.execute(select(Draft.id, Draft.topic, Draft.title, Draft.sections).order_by(Draft.id)).all()
        links = session.execute(select(DraftMessage.draft_id, DraftMessage.message_id)).all()
        tags = session.execute(select(Message.id, Message.status, Message.topic).order_by(Message.id)).all()
        radar = session.execute(select(RadarMessage.message_id, RadarMessage.problem_id)).all()
    return drafts, sorted(links), tags, sorted(radar)


def test_rerunning_every_job_changes_nothing(app, client, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    for text in MESSAGES:
        assert report(client, slug_of(wang), text)["receipt"]
    run_jobs()
    before = _snapshot(runtime)
    assert len(before[0]) == 3
    assert len({t for _, _, t in before[2]}) == 3
    assert len(before[3]) == 3  # the batch's job put them on the district's radar

    with runtime.sessions() as session:
        ids = session.scalars(select(Message.id)).all()
    assert [jobs.classify_message(i) for i in ids] == [False] * 3
    assert jobs.batch_deputy(wang["id"]) == []
    assert jobs.radar_deputy(wang["id"]) == 0
    jobs.sweep()
    run_jobs()
    assert _snapshot(runtime) == before


CLASSIFYING = 3.0  # seconds the model takes over one message below


def test_a_citizen_is_not_kept_waiting_while_a_message_is_classified(app, client, runtime, monkeypatch, tmp_path):
    """The model reads a message before tagging locks it: on SQLite that lock is the database's one writer, which
    every citizen's chat turn needs."""
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    assert report(client, slug_of(wang), MESSAGES[0])["receipt"]
    with runtime.sessions() as session:
        first = session.scalar(select(Message.id))
    classifying, answered = threading.Event(), threading.Event()
    predict = DayOneModel.predict

    def slow_predict(model, text):
        if threading.current_thread() is tagger:
            classifying.set()
            answered.wait(CLASSIFYING)
        return predict(model, text)

    monkeypatch.setattr(DayOneModel, "predict", slow_predict)
    tagger = threading.Thread(target=jobs.classify_message, args=(first,))
    tagger.start()
    assert classifying.wait(10)
    started = time.perf_counter()
    assert report(client, slug_of(wang), MESSAGES[1])["receipt"]
    waited = time.perf_counter() - started
    answered.set()
    tagger.join()
    assert waited < CLASSIFYING / 2
    with runtime.sessions() as session:
        assert session.get(Message, first).status == MessageStatus.TAGGED


def test_messages_taken_while_redis_is_down_are_processed_by_the_sweep(tmp_path, database_url, redis_conn, redis_url,
                                                                   run_jobs):
    # The same database, served by an app whose Redis does not answer.
    down = build_app(make_settings(tmp_path, database_url, "redis://127.0.0.1:1/0"))
    import_roster(down, write_roster(tmp_path))
    slug = slug_of(deputies(down)[0])
    receipt = report(down.test_client(), slug, MESSAGES[0])["receipt"]  # intake keeps accepting
    down.extensions["mashang"].close()

    up = build_app(make_settings(tmp_path, database_url, redis_url, SWEEP_AFTER_SECONDS="0"))
    try:
        assert jobs.sweep() == {"classify": 1, "batch": 1, "drafts_written": 0, "radar": 1, "wechat_photos": 0,
                                "notices": 0}
        run_jobs()
        with up.extensions["mashang"].sessions() as session:
            message = session.scalar(select(Message).where(Message.receipt == receipt))
            assert message.status == MessageStatus.DRAFTED
            assert session.scalar(select(DraftMessage).where(DraftMessage.message_id == message.id)) is not None
    finally:
        up.extensions["mashang"].close()


def test_worker_burst_command_processes_every_queued_job(app, client, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    for text in MESSAGES:
        report(client, slug_of(wang), text)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    with runtime.sessions() as session:
        assert set(session.scalars(select(Message.status))) == {MessageStatus.DRAFTED}
        assert len(session.scalars(select(Draft.id)).all()) == 3


def test_a_job_left_behind_by_a_redis_crash_does_not_block_the_message(app, client, runtime, redis_conn, run_jobs,
                                                                        tmp_path):
    from rq.job import Job, JobStatus

    from workers import queues

    import_roster(app, write_roster(tmp_path))
    report(client, slug_of(deputies(app)[0]), MESSAGES[0])
    (message_id,) = runtime.sessions().scalars(select(Message.id)).all()
    # What a Redis killed mid-job leaves: the job hash says "started", but no registry knows it.
    job = Job.fetch(f"classify-{message_id}", connection=redis_conn)
    queues.queue(redis_conn, queues.INTAKE).remove(job)
    job.set_status(JobStatus.STARTED)
    assert queues.enqueue_classify(redis_conn, message_id) is True
    run_jobs()
    with runtime.sessions() as session:
        assert session.get(Message, message_id).status == MessageStatus.DRAFTED
