"""`mashang up`: everything a laptop needs, started together and stopped together with Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
from redis.exceptions import RedisError
from rq import Worker

from intake import migrate
from intake.config import WEB_PORT_FILE
from intake.cli.accounts import FIRST_ADMIN
from intake.labels import ROLES
from intake.demo import loader
from intake.runtime import Runtime
from intake.services.console import admin
from intake.services.reception import links
from intake.supervision import Supervisor
from workers.embedded_redis import EmbeddedRedis
from workers import queues
from workers.queues import enqueue_after_commit
from workers.lifetime import ending_with_this_process


def load_demo_if_empty(runtime: Runtime) -> bool:
    settings = runtime.settings
    with runtime.sessions() as session, session.begin():
        if not loader.is_empty(session):
            return False
        result = loader.load(
            session, secret=settings.secret_key, local_tz=runtime.local_tz, max_chars=settings.max_message_chars
        )
    loader.save_logins(settings.instance_dir, result["logins"])
    for message_id in result["message_ids"]:
        enqueue_after_commit(runtime.redis, message_id)
    click.echo(f"已载入演示数据：{len(result['message_ids'])} 条群众留言。")
    return True


LOGS = "logs"  # under the instance folder: each child's whole log, <name>.log


def _print_welcome(runtime: Runtime, port: int, again: bool = False) -> None:
    settings = runtime.settings.on_port(port)
    base = f"http://127.0.0.1:{port}"
    click.echo("")
    click.secho("码上说 已就绪，请从这里进入：" if again else "码上说 已启动", bold=True)
    click.echo(f"  工作人员后台：{base}/staff/")
    click.echo(f"  代表登录：    {base}/deputy/login")
    click.echo(f"  健康检查：    {base}/healthz")
    with runtime.sessions() as session:
        summary = loader.deputies_summary(session)
        if summary:
            click.echo("  各代表的群众链接（扫码后打开的页面）：")
        else:
            click.echo("  数据库中还没有代表。" + ("" if admin.has_administrator(session) else f"先在另一个终端创建管理员：{FIRST_ADMIN}，"))
            click.echo("  再登录上面的工作人员后台，在“导入名册”导入代表名册（联络站随名册建立）。")
        for deputy in summary:
            if deputy.current_link:
                url = links.citizen_url(settings.base_url, deputy.current_link.slug)
                click.echo(f"    {deputy.name}（{deputy.station.name}）：{url}")
    logins = loader.saved_logins(settings.instance_dir)
    if logins:
        click.echo("  演示账号：")
        for username, info in logins["staff"].items():
            click.echo(f"    工作人员 {username} / {info['password']}   （{ROLES[info['role']]}）")
        for phone, info in logins["deputies"].items():
            click.echo(f"    代表 {info['name']}：手机 {phone} / {info['password']}")
    click.echo("按 Ctrl-C 停止。" + ("（下方是运行日志；这些地址也可以用 mashang deputies list 再查看。）" if again else ""))


READY_WAIT = 120.0  # seconds: by then the terminal says whether the service is ready, and where to look if not


def _ready(runtime: Runtime, port: int) -> bool:
    """The web answers on its port, a worker is registered and nothing waits in the queues."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return (Worker.count(connection=runtime.redis) > 0
                and all(queues.queue(runtime.redis, name).count == 0 for name in queues.ALL))
    except (OSError, RedisError):
        return False


def _children(port: int, web_concurrency: int, log_format: str) -> dict[str, list[str]]:
    python = sys.executable
    access_log = ["--access-logfile", "-"] if log_format == "text" else []  # JSON: the app logs each request
    return {
        "web": [python, "-m", "gunicorn", "--config", "python:intake.gunicorn_conf", "--workers", str(web_concurrency),
                "--bind", f"127.0.0.1:{port}", *access_log, "intake.wsgi:app"],
        "worker": [python, "-m", "intake", "worker"],
        "scheduler": [python, "-m", "intake", "scheduler"],
    }


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Announcer:
    """Says once that the service is ready (the web answers and the worker has done what was waiting); if it is not
    after READY_WAIT, says so and where the logs are, then still says when it becomes ready."""

    def __init__(self, runtime: Runtime, port: int, verbose: bool, wait: float = READY_WAIT) -> None:
        self.runtime, self.port, self.verbose = runtime, port, verbose
        self.late_at, self.next_look = time.monotonic() + wait, 0.0
        self.done = False

    def look(self) -> None:
        if self.done or time.monotonic() < self.next_look:
            return
        self.next_look = time.monotonic() + 1.0
        if _ready(self.runtime, self.port):
            time.sleep(0.5)  # the last lines of a finished job come out first
            self._say_ready()
            self.done = True
        elif self.late_at and time.monotonic() >= self.late_at:
            where = "上方的运行日志" if self.verbose else f"{self.runtime.settings.instance_dir / LOGS} 中的运行日志"
            click.secho(f"码上说 还没有就绪：网站或后台任务还没准备好，请查看{where}。就绪后这里会再提示。", bold=True)
            self.late_at = 0.0

    def _say_ready(self) -> None:
        if self.verbose:  # the children's logs have pushed the addresses out of sight
            _print_welcome(self.runtime, self.port, again=True)
        else:
            click.secho(f"码上说 已就绪。这里只显示警告和错误，完整的运行日志在 {self.runtime.settings.instance_dir / LOGS}",
                        bold=True)


def run(runtime: Runtime, port: int | None = None, demo: bool = False, verbose: bool = False) -> None:
    settings = runtime.settings
    port = port or settings.port
    supervisor = Supervisor(lambda line: click.echo(line, err=True))
    redis_server = None
    if settings.redis_embedded:
        socket = Path(settings.redis_url.removeprefix("unix://"))
        redis_server = EmbeddedRedis(settings.instance_dir, socket=socket)
        if redis_server.answers():
            redis_server = None  # another launcher's: not ours to supervise or stop
        else:
            supervisor.add("内置 Redis", redis_server.start, redis_server.running)
            if redis_server.running():
                click.echo(f"内置 Redis 已启动：{socket}")
    processes: dict[str, subprocess.Popen] = {}
    stopping = False
    port_file = settings.instance_dir / WEB_PORT_FILE

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        migrate.upgrade(runtime.engine)
        port_file.write_text(f"{port}\n")
        if demo:
            load_demo_if_empty(runtime)
        # The children must use the very database, Redis and instance folder this launcher prepared.
        # Metrics files from an earlier run would add old counts to this one's.
        metrics_dir = settings.metrics_dir or settings.instance_dir / "metrics"
        metrics_dir.mkdir(parents=True, exist_ok=True)
        for old in metrics_dir.glob("*.db"):
            old.unlink()
        env = dict(os.environ, PORT=str(port), MASHANG_INSTANCE=str(settings.instance_dir),
                   DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url,
                   PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
        env.pop("LOG_FILE", None)  # one file for each child, below, or (--verbose) none

        def starter(name: str, args: list[str]):
            # Unless --verbose, each child writes its whole log to its own file and the terminal shows only
            # warnings and errors: RQ's line per job and gunicorn's per request would scroll the addresses away.
            own_env = env if verbose else dict(env, LOG_FILE=str(settings.instance_dir / LOGS / f"{name}.log"))

            def start() -> None:
                # Own process groups: Ctrl-C reaches only the launcher, which then stops the rest in order; a
                # SIGTERM when the launcher dies, even by SIGKILL, so none keeps serving or taking jobs unsupervised.
                processes[name] = subprocess.Popen(args, env=own_env, start_new_session=True,
                                                   preexec_fn=ending_with_this_process())
            return start

        for name, args in _children(port, settings.web_concurrency, settings.log_format).items():
            supervisor.add(name, starter(name, args), lambda name=name: processes[name].poll() is None)
        time.sleep(1.0)
        _print_welcome(runtime, port)
        announcer = _Announcer(runtime, port, verbose)
        # A dead child is restarted while the others carry on: the web keeps taking messages (they wait in
        # the database) while the worker or Redis comes back.
        while not stopping:
            supervisor.check()
            announcer.look()
            time.sleep(0.2)
    finally:
        click.echo("正在停止……")
        _stop(processes)
        if port_file.exists() and port_file.read_text().strip() == str(port):  # not a later launcher's
            port_file.unlink()
        runtime.close()
        if redis_server is not None:
            redis_server.stop()
        click.echo("已停止。")
