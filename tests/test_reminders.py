"""Reminders: a unit, the office and the deputy are reminded once per milestone, in the pages and through a
WeCom group robot and e-mail (local stand-ins here); failed deliveries are retried from the outbox."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from intake.config import SmtpSettings
from intake.models import Delivery, HandlingUnit, Reminder, Reply, StaffRole, StaffUser, Suggestion, utcnow
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import handling
from intake.services.reminders import failures, milestones, outbox, senders
from tests.conftest import build_app, csrf_token, make_settings
from tests.helpers import add_staff, set_password, sign_in_deputy, sign_in_staff
from tests.lifecycle_world import build

STAFF = "staff:1"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class WeComStandIn:
    """A group robot's webhook: keeps each markdown post; `answers` are used up first, then errcode 0."""

    def __init__(self):
        self.posts: list[str] = []
        self.answers: list[tuple[int, dict]] = []
        self._lock = threading.Lock()

        @Request.application
        def hook(request):
            body = json.loads(request.data)
            assert body["msgtype"] == "markdown"
            with self._lock:
                status, answer = self.answers.pop(0) if self.answers else (200, {"errcode": 0, "errmsg": "ok"})
                if status == 200 and answer["errcode"] == 0:
                    self.posts.append(body["markdown"]["content"])
            return Response(json.dumps(answer), status=status, mimetype="application/json")

        self.server = make_server("127.0.0.1", 0, hook, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Mailbox:
    def __init__(self):
        self.mails: list[tuple[list[str], str]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def wecom():
    standin = WeComStandIn()
    yield standin
    standin.server.shutdown()


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mailbox.url = f"smtp://{controller.hostname}:{controller.port}?from=mashang@rd.example"
    yield mailbox
    controller.stop()


@pytest.fixture
def world(database_url, tmp_path):
    return build(database_url, tmp_path)


def _assigned(world) -> int:
    with world.sessions() as session, session.begin():
        session.execute(update(HandlingUnit).where(HandlingUnit.id == world.units["住建局"])
                        .values(email="zhujian@units.example"))
        session.execute(update(HandlingUnit).where(HandlingUnit.id == world.units["城管局"])
                        .values(email="chengguan@units.example; cg2@units.example"))
        suggestion_id = handling.register_from_draft(session, world.draft_id, actor=STAFF, rules=world.rules).id
        handling.assign(session, [suggestion_id], lead_unit_id=world.units["住建局"],
                        co_unit_ids=[world.units["城管局"]], actor=STAFF, rules=world.rules)
    return suggestion_id


def _scheduler(world, targets, delivering):
    def run(now: datetime):
        with world.sessions() as session, session.begin():
            milestones.run(session, now=now, rules=world.rules, targets=targets)
        outbox.deliver_due(world.sessions, delivering, now)
    return run


def test_a_suggestions_ninety_days_send_the_30_7_1_and_overdue_reminders_once_each(world, wecom, smtp):
    suggestion_id = _assigned(world)
    targets = milestones.Targets(wecom=True, email=True, office_email="office@rd.example",
                                 base_url="http://mashang.test")
    delivering = {"wecom": senders.WeComRobot(wecom.url), "email": senders.Mailer(SmtpSettings.parse(smtp.url))}
    first, second = _scheduler(world, targets, delivering), _scheduler(world, targets, delivering)
    start = datetime.now(SHANGHAI).date()
    with ThreadPoolExecutor(2) as pool:
        for day in range(95):
            for hour in (9, 15):  # twice a day, and each time two schedulers at once
                now = datetime.combine(start + timedelta(days=day), time(hour), SHANGHAI)
                list(pool.map(lambda run: run(now), (first, second)))

    assert len(wecom.posts) == 4
    for post, expected in zip(wecom.posts, ("还有 30 天到期", "还有 7 天到期", "还有 1 天到期", "已超过办理期限 1 天")):
        assert expected in post
        assert "关于修复幸福小区路灯的建议" in post and "住建局（主办）、城管局（协办）" in post
    assert '<font color="warning">' in wecom.posts[-1]

    by_address: dict[str, list[str]] = {}
    for recipients, content in smtp.mails:
        for address in recipients:
            by_address.setdefault(address, []).append(content)
    assert sorted(by_address) == ["cg2@units.example", "chengguan@units.example", "office@rd.example",
                                  "zhujian@units.example"]
    assert all(len(mails) == 4 for mails in by_address.values())
    assert "/unit/suggestions/" in by_address["zhujian@units.example"][0]
    assert "/staff/suggestions/" in by_address["office@rd.example"][0]

    with world.sessions() as session:
        rows = session.execute(select(Reminder.recipient, Reminder.milestone)
                               .where(Reminder.suggestion_id == suggestion_id)).all()
        assert sorted(rows) == sorted((who, name) for who in ("office", f"unit:{world.units['住建局']}",
                                                              f"unit:{world.units['城管局']}")
                                      for name in ("d30", "d7", "d1", "overdue"))
        assert set(session.scalars(select(Delivery.state))) == {"sent"}


def test_a_new_deadline_reminds_again_and_a_replied_suggestion_no_more(world):
    suggestion_id = _assigned(world)
    run = _scheduler(world, milestones.Targets(), {})
    now = datetime.now(SHANGHAI) + timedelta(days=60)
    run(now)
    with world.sessions() as session, session.begin():  # the office gives the unit a later deadline
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(deadline=now.date() + timedelta(days=7)))
    run(now)
    with world.sessions() as session:
        assert sorted(session.scalars(select(Reminder.milestone).where(Reminder.recipient == "office"))) == ["d30", "d7"]
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复路灯。", category="A",
                              actor=f"unit:{lead}", rules=world.rules)
    run(now + timedelta(days=7))
    with world.sessions() as session:
        assert session.scalar(select(Reminder.id).where(Reminder.milestone == "overdue")) is None


def test_failed_posts_are_retried_with_back_off_until_they_give_up(world, wecom):
    robot = {"wecom": senders.WeComRobot(wecom.url)}
    now = utcnow()
    with world.sessions() as session, session.begin():
        assert outbox.enqueue(session, channel="wecom", recipient="", subject="雷达", body="**本周**",
                              dedupe_key="radar:1", now=now)
        assert not outbox.enqueue(session, channel="wecom", recipient="", subject="雷达", body="**本周**",
                                  dedupe_key="radar:1", now=now)
    wecom.answers = [(500, {"errcode": -1, "errmsg": "busy"}), (200, {"errcode": 93000, "errmsg": "invalid webhook"})]
    assert outbox.deliver_due(world.sessions, robot, now) == {"sent": 0, "failed": 1}
    assert outbox.deliver_due(world.sessions, robot, now + timedelta(seconds=59)) == {"sent": 0, "failed": 0}
    assert outbox.deliver_due(world.sessions, robot, now + timedelta(seconds=61)) == {"sent": 0, "failed": 1}
    with world.sessions() as session:
        row = session.scalar(select(Delivery))
        assert (row.state, row.attempts) == ("pending", 2)
        assert "93000" in row.last_error
        assert row.next_attempt_at == now + timedelta(seconds=61) + timedelta(minutes=2)
    assert outbox.deliver_due(world.sessions, robot, now + timedelta(minutes=4)) == {"sent": 1, "failed": 0}
    assert wecom.posts == ["**本周**"]

    with world.sessions() as session, session.begin():
        outbox.enqueue(session, channel="wecom", recipient="", subject="雷达", body="**下周**",
                       dedupe_key="radar:2", now=now)
    wecom.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook"})] * outbox.MAX_ATTEMPTS
    moment = now
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_due(world.sessions, robot, moment)
        moment += outbox.LONGEST_DELAY
    with world.sessions() as session:
        row = session.scalar(select(Delivery).where(Delivery.dedupe_key == "radar:2"))
        assert (row.state, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert outbox.deliver_due(world.sessions, robot, moment + timedelta(days=1)) == {"sent": 0, "failed": 0}
    assert wecom.posts == ["**本周**"]


def test_a_reply_waiting_more_than_seven_days_reminds_the_lead_deputy(world):
    suggestion_id = _assigned(world)
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复路灯。", category="A",
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion_id, actor=STAFF)
    with world.sessions() as session:
        accepted = session.scalar(select(Reply.decided_at))
    run = _scheduler(world, milestones.Targets(), {})
    run(accepted + timedelta(days=7))
    with world.sessions() as session:
        assert session.scalar(select(Reminder.id).where(Reminder.milestone == "rating")) is None
    run(accepted + timedelta(days=7, minutes=1))
    run(accepted + timedelta(days=8))
    with world.sessions() as session:
        assert session.scalars(select(Reminder.recipient).where(Reminder.milestone == "rating")).all() == [
            f"deputy:{world.deputies[0]}"]


def _signed_in_unit(app, unit_id: int):
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add(StaffUser(username="zhujian", password_hash=hash_password("pw-zhujian"), role=StaffRole.UNIT,
                              unit_id=unit_id))
    return sign_in_staff(app, "zhujian")


def test_pages_list_reminders_and_show_overdue_suggestions_in_red(app, database_url, tmp_path):
    world = build(database_url, tmp_path)
    suggestion_id = _assigned(world)
    with world.sessions() as session, session.begin():
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(deadline=datetime.now(SHANGHAI).date() - timedelta(days=2)))
        milestones.run(session, now=utcnow(), rules=world.rules, targets=milestones.Targets())

    unit_page = _signed_in_unit(app, world.units["住建局"]).get("/unit/").get_data(as_text=True)
    # Listed once, its row marked: a reminders box above the list once named the same suggestion again.
    assert 'id="reminders"' not in unit_page and unit_page.count("已超期 2 天") == 1
    assert '<tr class="overdue">' in unit_page

    add_staff(app, "office", StaffRole.OFFICE, None)
    add_staff(app, "station", StaffRole.STATION, "青石街道联络站")
    office = sign_in_staff(app, "office")
    assert "已超期 2 天" in office.get("/staff/").get_data(as_text=True)
    # Every list says how late it is, as the reminder line does: a bare 已超期 leaves the clerk to count the days.
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    assert 'class="overdue"' in listed and "已超期 2 天" in listed
    assert 'id="reminders"' not in sign_in_staff(app, "station").get("/staff/").get_data(as_text=True)

    set_password(app, "13900000000", "deputy-password")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000000", "deputy-password")
    listed = deputy.get("/deputy/suggestions").get_data(as_text=True)
    assert 'class="overdue"' in listed and "已超期 2 天" in listed


def test_the_lead_deputy_sees_a_rating_reminder_at_home(app, database_url, tmp_path):
    world = build(database_url, tmp_path)
    suggestion_id = _assigned(world)
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复路灯。", category="A",
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion_id, actor=STAFF)
        session.execute(update(Reply).values(decided_at=utcnow() - timedelta(days=9)))
        milestones.run(session, now=utcnow(), rules=world.rules, targets=milestones.Targets())
    set_password(app, "13900000000", "deputy-password")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000000", "deputy-password")
    home = deputy.get("/deputy/").get_data(as_text=True)
    # Listed once, where the deputy rates it and marked there: not again under 办理提醒.
    to_rate = home.split('id="to-rate"', 1)[1].split("</section>", 1)[0]
    assert "答复已等您评价超过 7 天" in to_rate and 'id="reminders"' not in home
    assert home.count(f'href="/deputy/suggestions/{suggestion_id}"') == 1
    set_password(app, "13900000001", "cosigner-password")
    cosigner = app.test_client()
    sign_in_deputy(cosigner, "13900000001", "cosigner-password")
    assert 'id="reminders"' not in cosigner.get("/deputy/").get_data(as_text=True)


def test_the_daily_job_sends_through_the_configured_robot_and_mail(tmp_path, database_url, redis_conn, redis_url,
                                                                  run_jobs, wecom, smtp):
    from workers import jobs, queues

    app = build_app(make_settings(tmp_path, database_url, redis_url, WECOM_WEBHOOK_URL=wecom.url, SMTP_URL=smtp.url,
                                  OFFICE_EMAIL="office@rd.example"))
    try:
        world = build(database_url, tmp_path)
        suggestion_id = _assigned(world)
        with world.sessions() as session, session.begin():
            session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                            .values(deadline=datetime.now(SHANGHAI).date() + timedelta(days=7)))
        for _ in range(2):
            queues.queue(redis_conn, queues.DRAFTS).enqueue(jobs.send_reminders)
            run_jobs()
        assert len(wecom.posts) == 1 and "还有 7 天到期" in wecom.posts[0]
        assert sorted(address for recipients, _ in smtp.mails for address in recipients) == [
            "cg2@units.example", "chengguan@units.example", "office@rd.example", "zhujian@units.example"]
    finally:
        app.extensions["mashang"].close()


def _reminders_line(page: str) -> str:
    return page.split('id="reminders-run"', 1)[1].split("</p>", 1)[0]


def test_a_failed_reminder_mail_shows_on_its_units_page_and_operations_says_how_the_run_went(
        tmp_path, database_url, redis_conn, redis_url, run_jobs, smtp):
    from sqlalchemy import text

    from workers import jobs, monitor, queues

    app = build_app(make_settings(tmp_path, database_url, redis_url, SMTP_URL=smtp.url))
    try:
        world = build(database_url, tmp_path)
        suggestion_id = _assigned(world)
        with world.sessions() as session, session.begin():
            session.execute(update(HandlingUnit).where(HandlingUnit.id == world.units["住建局"])
                            .values(email="gone@units.example"))
            session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                            .values(deadline=datetime.now(SHANGHAI).date() + timedelta(days=7)))
        add_staff(app, "office", StaffRole.OFFICE, None)
        office = sign_in_staff(app, "office")
        never = _reminders_line(office.get("/staff/operations").get_data(as_text=True))
        # The daily time in the district's clock, as every other time on the page, whatever the server's clock.
        assert "还没有运行过" in never and "办理提醒（每天 09:07）" in never and "服务器时钟" not in never, never
        queues.queue(redis_conn, queues.DRAFTS).enqueue(jobs.send_reminders)
        run_jobs()

        # The unit's page shows the address the reminder could not reach, when, and why, beside the field to fix it.
        page = office.get(f"/staff/units/{world.units['住建局']}").get_data(as_text=True)
        failed = page.split('id="undelivered"', 1)[1]
        assert "gone@units.example" in failed and "收件邮箱不存在或不可用，请核对收件人的邮箱地址" in failed
        assert "建议办理提醒" in failed and "已尝试 1 次" in failed
        assert "mailbox unavailable" not in failed
        assert 'id="undelivered"' not in office.get(f"/staff/units/{world.units['城管局']}").get_data(as_text=True)

        line = _reminders_line(office.get("/staff/operations").get_data(as_text=True))
        assert "上次运行" in line and "发送失败 1 条" in line
        # Redis restarted and forgot the run: the reminders it wrote still say when it ran.
        redis_conn.delete(monitor.LAST_RUN_KEY.format(name="reminders"))
        line = _reminders_line(office.get("/staff/operations").get_data(as_text=True))
        assert "还没有运行过" not in line and "上次生成提醒" in line

        # A run the database stops: the page says it did not finish and why, not the run before.
        with world.sessions() as session, session.begin():
            session.execute(text("ALTER TABLE reminders RENAME TO reminders_away"))
        queues.queue(redis_conn, queues.DRAFTS).enqueue(jobs.send_reminders)
        with pytest.raises(AssertionError, match="send_reminders"):
            run_jobs()
        with world.sessions() as session, session.begin():
            session.execute(text("ALTER TABLE reminders_away RENAME TO reminders"))
        page = office.get("/staff/operations").get_data(as_text=True)
        line = _reminders_line(page)
        assert "没有完成（数据库出错）" in line and "上次生成提醒" not in line
        assert "<summary>技术细节（供管理员排查）</summary>" in page.split('id="reminders-run"', 1)[1]
    finally:
        app.extensions["mashang"].close()


def test_the_operations_page_lists_unsent_deliveries_and_office_staff_retry_them(app):
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        outbox.enqueue(session, channel="email", recipient="zhujian@units.example", subject="建议办理提醒：第 2026-001 号",
                       body="<b>x</b>", dedupe_key="ops:1", now=utcnow())
        session.execute(update(Delivery).values(state="failed", attempts=8,
                                                last_error="邮件无法送达：(550, 'mailbox unavailable')"))
        delivery_id = session.scalar(select(Delivery.id))
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    page = office.get("/staff/operations").get_data(as_text=True)
    assert "建议办理提醒：第 2026-001 号" in page and "发送失败" in page
    # The reason is Chinese; the server's English words only inside the folded details.
    reason, folded = page.split("邮件无法送达：收件邮箱不存在或不可用，请核对收件人的邮箱地址", 1)
    assert "mailbox unavailable" not in reason
    assert "<summary>技术细节（供管理员排查）</summary><small>(550, &#39;mailbox unavailable&#39;)</small>" in folded
    assert office.post(f"/staff/operations/deliveries/{delivery_id}/retry").status_code == 400  # no CSRF token
    token = csrf_token(office, "/staff/operations")
    assert office.post(f"/staff/operations/deliveries/{delivery_id}/retry",
                       data={"csrf_token": token}).status_code == 302
    with runtime.sessions() as session:
        row = session.get(Delivery, delivery_id)
        assert (row.state, row.attempts) == ("pending", 0)
    assert office.post("/staff/operations/deliveries/999999/retry", data={"csrf_token": token}).status_code == 404


def test_a_failed_delivery_gives_a_chinese_reason_for_what_the_server_said(world, wecom, smtp):
    now = utcnow()

    def failed(channel: str, recipient: str, sender) -> failures.Failure:
        with world.sessions() as session, session.begin():
            outbox.enqueue(session, channel=channel, recipient=recipient, subject="提醒", body="正文",
                           dedupe_key=recipient + channel, now=now)
        assert outbox.deliver_due(world.sessions, {channel: sender}, now) == {"sent": 0, "failed": 1}
        with world.sessions() as session, session.begin():
            row = session.scalar(select(Delivery).where(Delivery.state != "sent"))
            row.state = "sent"  # out of the way of the next one
            return failures.explain(row.last_error)

    gone = failed("email", "gone@units.example", senders.Mailer(SmtpSettings.parse(smtp.url)))
    assert gone.reason == "邮件无法送达：收件邮箱不存在或不可用，请核对收件人的邮箱地址"
    assert "mailbox unavailable" in gone.detail
    closed = failed("email", "a@units.example",
                    senders.Mailer(SmtpSettings.parse(f"smtp://127.0.0.1:{_free_port()}?from=m@rd.example")))
    assert closed.reason == "邮件无法送达：服务器拒绝连接，请管理员检查服务器地址和端口"
    wecom.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    removed = failed("wecom", "", senders.WeComRobot(wecom.url))
    assert removed.reason.startswith("企业微信拒收：企业微信群机器人的地址无效") and "invalid" in removed.detail
    assert failures.explain("没有可用的电子邮件地址") == failures.Failure("没有可用的电子邮件地址", "")


def test_smtp_url_names_server_account_sender_and_encryption():
    smtp = SmtpSettings.parse("smtp://rd%40example.cn:p%40ss@mail.example.cn:587?from=mashang@example.cn&starttls=1")
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.sender, smtp.starttls, smtp.tls) == (
        "mail.example.cn", 587, "rd@example.cn", "p@ss", "mashang@example.cn", True, False)
    assert SmtpSettings.parse("smtps://mail.example.cn?from=a@example.cn").port == 465
    assert SmtpSettings.parse("") is None
    with pytest.raises(ValueError):
        SmtpSettings.parse("http://mail.example.cn?from=a@example.cn")
    with pytest.raises(ValueError):
        SmtpSettings.parse("smtp://mail.example.cn")


def test_a_units_reminder_addresses_are_checked_and_kept_in_one_form(world):
    from intake.services.errors import InvalidInput
    from intake.services.lifecycle import units

    with world.sessions() as session, session.begin():
        unit = units.save_unit(session, unit_id=world.units["住建局"], name="区住房和城乡建设局",
                               email="a@zj.example；b@zj.example  c@zj.example", actor=STAFF)
        assert unit.email == "a@zj.example, b@zj.example, c@zj.example"
        assert senders.addresses(unit.email) == ["a@zj.example", "b@zj.example", "c@zj.example"]
        with pytest.raises(InvalidInput) as refused:
            units.save_unit(session, unit_id=unit.id, name="区住房和城乡建设局", email="a@zj.example, 王科长", actor=STAFF)
        assert refused.value.code == "unit_email"
