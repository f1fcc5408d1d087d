"""Grouping messages into drafts: one group per problem, a draft once enough citizens raise it."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rq import SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy import func, select

from intake.models import Draft, DraftStatus, Message
from intake.services.drafts import composing, drafting, grouping
from intake.services.privacy import masking
from tests.conftest import SHARED_DATA, build_app, make_settings
from tests.helpers import deputies, import_roster, report, set_password, sign_in_deputy, slug_of, write_roster
from workers import context, jobs, queues

LIGHTS = [
    "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。",
    "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。",
    "建议在幸福小区东门加装两盏路灯，现在晚上完全看不清路面。",
]
ELSEWHERE = "柳河镇桃园村村口的路灯坏了，晚上看不清路，希望尽快修好路灯。"


@pytest.fixture
def app3(tmp_path, database_url, redis_conn, redis_url):
    """The app with the default threshold: three citizens before a group becomes a draft."""
    app = build_app(make_settings(tmp_path, database_url, redis_url, DRAFT_MIN_CITIZENS="3"))
    yield app
    app.extensions["mashang"].close()
    context.use(None)


def _drafts(app) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["drafts", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _citizen_reports(app, slug: str, texts: list[str]) -> list[str]:
    """Each text from a different citizen (their own browser), returning the receipts."""
    return [report(app.test_client(), slug, text)["receipt"] for text in texts]


def test_a_group_becomes_a_draft_when_the_third_citizen_raises_the_problem(app3, run_jobs, tmp_path):
    import_roster(app3, write_roster(tmp_path))
    wang = deputies(app3)[0]
    set_password(app3, "13900000001", "wang-pass-1")
    deputy = app3.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")

    _citizen_reports(app3, slug_of(wang), LIGHTS[:2] + [ELSEWHERE])
    run_jobs()
    groups = _drafts(app3)
    assert sorted((g["status"], len(g["messages"])) for g in groups) == [("collecting", 1), ("collecting", 2)]
    assert "还没有草稿" in deputy.get("/deputy/").get_data(as_text=True)  # nothing the deputy should sign yet

    _citizen_reports(app3, slug_of(wang), LIGHTS[2:] + [LIGHTS[0]])  # a third citizen, then one forwarding
    run_jobs()
    groups = {g["status"]: g for g in _drafts(app3)}
    draft = groups["open"]
    assert draft["title"] == "关于幸福小区路灯问题的建议"
    assert len(draft["messages"]) == 4 and "共有4位群众" in draft["sections"]["situation"]
    # Two of the letters also name 青石街道: counted per place (4 and 2) they would read as six letters of four.
    assert draft["sections"]["situation"].endswith("共4条意见，涉及幸福小区、青石街道。"), draft["sections"]["situation"]
    # The forwarded text's sentences are one item each, said by two messages, not two items.
    items = draft["sections"]["problems"] + draft["sections"]["proposals"]
    assert [p["count"] for p in items if p["text"] == "希望尽快修好路灯。"] == [2]
    assert len({p["text"] for p in items}) == len(items)
    assert groups["collecting"]["messages"][0]["receipt"]  # the other village's lamp stays its own problem
    home = deputy.get("/deputy/").get_data(as_text=True)
    assert "关于幸福小区路灯问题的建议" in home and "桃园村" not in home


def test_the_deputy_sees_which_messages_came_since_they_last_opened_the_draft(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    set_password(app, "13900000001", "wang-pass-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-pass-1")
    _citizen_reports(app, slug, LIGHTS[:1])
    run_jobs()
    path = re.search(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True)).group(1)
    assert "上次查看后新增" not in deputy.get(path).get_data(as_text=True)  # the first look: nothing to compare

    [late] = _citizen_reports(app, slug, LIGHTS[1:2])
    run_jobs()
    page = deputy.get(path).get_data(as_text=True)
    assert page.count("上次查看后新增") == 1 and page.index(late) < page.index("上次查看后新增")
    assert "上次查看后新增" not in deputy.get(path).get_data(as_text=True)  # seen now


def test_an_approved_draft_never_changes_and_late_messages_start_a_follow_up(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    _citizen_reports(app, slug, LIGHTS[:2])
    run_jobs()
    with runtime.sessions() as session, session.begin():
        draft = session.scalars(select(Draft)).one()
        draft.status = DraftStatus.APPROVED
        approved_id, approved_sections = draft.id, draft.sections
        approved_messages = [m.id for m in draft.messages]

    _citizen_reports(app, slug, [LIGHTS[2], LIGHTS[0]])  # the same problem, and a repeat of approved text
    run_jobs()
    with runtime.sessions() as session:
        approved = session.get(Draft, approved_id)
        assert approved.sections == approved_sections and [m.id for m in approved.messages] == approved_messages
        follow_up = session.scalars(select(Draft).where(Draft.id != approved_id)).one()
        assert follow_up.follows_id == approved_id and len(follow_up.messages) == 2
        assert follow_up.title == "关于幸福小区路灯问题的建议"


def test_running_a_batch_again_changes_nothing(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    _citizen_reports(app, slug_of(deputy), LIGHTS + [ELSEWHERE])
    run_jobs()

    def state():
        with runtime.sessions() as session:
            return [(d.id, d.status, d.title, d.sections, [m.id for m in d.messages])
                    for d in session.scalars(select(Draft).order_by(Draft.id))]

    before = state()
    assert len(before) == 2
    assert jobs.batch_deputy(deputy["id"]) == []
    assert state() == before


SENTENCE_SPACE = re.compile(r"\s+")


@pytest.mark.shared("messages-with-replies.csv")
def test_every_draft_sentence_is_a_citizens_own_on_real_messages(app, runtime, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    people = deputies(app)
    with open(SHARED_DATA / "messages-with-replies.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:600]
    for index, person in enumerate(people):
        sheet = tmp_path / f"real-{index}.csv"
        with open(sheet, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["编号", "意见"])
            for row in rows[index::len(people)]:
                writer.writerow([row["id"], f"{row['subject']}\n{row['detail']}"])
        result = app.test_cli_runner().invoke(args=["messages", "import", str(sheet), "--deputy", str(person["id"]),
                                                    "--text-col", "意见", "--id-col", "编号"])
        assert result.exit_code == 0, result.output
    run_jobs()

    with runtime.sessions() as session:
        stored = session.scalars(select(Message)).all()
        texts = {m.id: SENTENCE_SPACE.sub("", masking.mask(m.text)) for m in stored}
        drafts = session.scalars(select(Draft)).all()
        # Every message is in exactly one draft, but those held for staff (links, insults) in none yet.
        statuses = Counter(m.status for m in stored)
        assert set(statuses) <= {"drafted", "held"} and statuses["held"] < 30, statuses
        assert sum(len(d.messages) for d in drafts) == statuses["drafted"]
        checked = 0
        for draft in drafts:
            members = {m.id for m in draft.messages}
            for item in draft.sections["problems"] + draft.sections["proposals"]:
                assert set(item["message_ids"]) <= members
                sentence = SENTENCE_SPACE.sub("", item["text"]).removesuffix("。")  # the stop the draft ends it with
                # Said verbatim by one of its messages; the others said it in near-identical words.
                assert any(sentence in texts[i] for i in item["message_ids"]), (draft.title, item)
                pairs = {sentence[k:k + 2] for k in range(len(sentence) - 1)}
                assert all(sum(pair in texts[i] for pair in pairs) >= composing.SAME_POINT * len(pairs)
                           for i in item["message_ids"]), (draft.title, item)
                checked += 1
            # The title's subject is a place and a phrase, each found in the messages (or the topic's name).
            subject = draft.title.removeprefix("关于").removesuffix("问题的建议").removesuffix(draft.topic + "方面")
            said = [texts[i] for i in members]
            assert any((k == 0 or any(subject[:k] in t for t in said)) and any(subject[k:] in t for t in said)
                       for k in range(len(subject) + 1)), draft.title
    print(f"\n{checked} draft sentences checked, each found verbatim in a source message, near-identical in the others")
    assert checked > 600


def _purity(groups: list[list[str]]) -> float:
    in_groups = [labels for labels in groups if len(labels) > 1]
    agreeing = sum(Counter(labels).most_common(1)[0][1] for labels in in_groups)
    return agreeing / sum(len(labels) for labels in in_groups)


@pytest.mark.shared("labelled-dev.csv")
def test_groups_of_real_messages_share_their_label(app, runtime, run_jobs, tmp_path):
    """A model trained on two thirds of the labelled messages tags the other third, spread over the deputies."""
    import_roster(app, write_roster(tmp_path))
    people = deputies(app)
    with open(SHARED_DATA / "labelled-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    training, held_out = [r for i, r in enumerate(rows) if i % 3], [r for i, r in enumerate(rows) if i % 3 == 0]
    train_file = tmp_path / "train.csv"
    with open(train_file, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text", "label"])
        writer.writeheader()
        writer.writerows(training)
    trained = app.test_cli_runner().invoke(args=["classifier", "train", "--data", str(train_file)])
    assert trained.exit_code == 0, trained.output
    label_of = {r["id"]: r["label"] for r in held_out}
    for index, person in enumerate(people):
        sheet = tmp_path / f"held-out-{index}.csv"
        with open(sheet, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["编号", "意见"])
            writer.writerows([r["id"], r["text"]] for r in held_out[index::len(people)])
        result = app.test_cli_runner().invoke(args=["messages", "import", str(sheet), "--deputy", str(person["id"]),
                                                    "--text-col", "意见", "--id-col", "编号"])
        assert result.exit_code == 0, result.output
    run_jobs()

    with runtime.sessions() as session:
        held = session.scalar(select(func.count()).select_from(Message).where(Message.status == "held"))
        drafts = session.scalars(select(Draft)).all()
        groups = [[label_of[m.external_id] for m in d.messages] for d in drafts]
        words = defaultdict(list)  # deputy -> (word set, draft id) of every message
        for draft in drafts:
            for message in draft.messages:
                words[draft.deputy_id].append((frozenset(message.terms["words"]), draft.id))
    stored = sum(map(len, groups))
    purity = _purity(groups)
    multi = sum(len(g) > 1 for g in groups)
    print(f"\n{stored} held-out messages, {len(groups)} groups ({100 * len(groups) / stored:.1f} per 100 messages), "
          f"{multi} with more than one message; purity of those: {purity:.3f}")
    assert stored + held == len(held_out) and held < 20
    assert purity >= 0.9
    # Near-duplicates (Jaccard of the words >= the grouping threshold) never sit in two drafts.
    for members in words.values():
        for i, (a, draft_a) in enumerate(members):
            for b, draft_b in members[i + 1:]:
                if a and len(a & b) >= grouping.NEAR_DUPLICATE * len(a | b):
                    assert draft_a == draft_b


def _snapshot(session) -> list[tuple]:
    """Every draft as what it says and which messages are behind it (ids aside: they are not the point)."""
    return sorted((d.status, d.title, json.dumps(d.sections, ensure_ascii=False, sort_keys=True),
                   tuple(m.id for m in d.messages)) for d in session.scalars(select(Draft)))


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_batch_killed_mid_job_ends_as_an_undisturbed_run(app, runtime, redis_conn, redis_url, database_url,
                                                           tmp_path):
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    demo = [line.split(",", 1)[1] for line in
            (Path(__file__).resolve().parent.parent / "intake/demo/messages.csv").read_text("utf-8").splitlines()[1:]]
    sheet = tmp_path / "many.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "意见"])
        # The demo's problems in 64 villages: many groups, so the batch runs long enough to be killed in it.
        villages = [a + b for a in "东西南北上下前后" for b in "山河湖林桥岭塘湾"]
        writer.writerows([f"N{i}", f"{villages[i % 64]}村{demo[i // 64 % len(demo)]}"] for i in range(1500))
    result = app.test_cli_runner().invoke(args=["messages", "import", str(sheet), "--deputy", str(deputy["id"]),
                                                "--text-col", "意见", "--id-col", "编号"])
    assert result.exit_code == 0, result.output
    SimpleWorker([queues.queue(redis_conn, queues.INTAKE)], connection=redis_conn).work(burst=True)  # tag only

    with runtime.sessions() as session:  # what an undisturbed batch makes, rolled back
        started = time.perf_counter()
        drafting.batch_deputy(session, deputy["id"], runtime.local_tz, runtime.settings.draft_min_citizens)
        duration = time.perf_counter() - started
        undisturbed = _snapshot(session)
        session.rollback()
    assert len(undisturbed) >= 10 and duration > 0.2  # long enough to be killed in the middle

    env = dict(os.environ, MASHANG_INSTANCE=str(tmp_path / "worker"), DATABASE_URL=database_url, REDIS_URL=redis_url,
               SECRET_KEY="test-secret-key", DRAFT_MIN_CITIZENS=str(runtime.settings.draft_min_citizens))
    worker = subprocess.Popen([sys.executable, "-m", "intake", "worker", queues.DRAFTS], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _kill_mid_job(worker, Job.fetch(f"batch-{deputy['id']}", connection=redis_conn), duration)
    finally:  # a worker left running would take the next test's jobs
        worker.kill()
        worker.wait()
    with runtime.sessions() as session:
        assert session.scalars(select(Draft)).all() == []  # nothing half-written

    jobs.sweep()  # as the scheduler does: the database, not the queue, says what is unfinished
    with runtime.sessions() as session:
        assert _snapshot(session) == undisturbed
        statuses = Counter(session.scalars(select(Message.status)))
    assert statuses == {"drafted": 1500}
    assert jobs.batch_deputy(deputy["id"]) == []


def _kill_mid_job(worker: subprocess.Popen, job: Job, duration: float) -> None:
    deadline = time.monotonic() + 60
    while job.get_status(refresh=True) != JobStatus.STARTED:
        assert time.monotonic() < deadline and worker.poll() is None, "the batch job never started"
        time.sleep(0.01)
    # A fifth of the undisturbed run: that run, timed in this process, can take several times the worker's own
    # when the machine is busy, and a kill after the job ended would test nothing.
    time.sleep(duration / 5)
    children = _children(worker.pid)
    assert children, "the worker forked no scheduler"
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert job.get_status(refresh=True) == JobStatus.STARTED  # killed mid-job, not after it
    # The worker's scheduler ends with it: an orphan would live on with nobody to stop it.
    deadline = time.monotonic() + 30
    while any(map(_running, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, children)), "the killed worker's children outlived it"
