"""`mashang worker` and `mashang scheduler`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.command(help="运行后台任务进程。")
@click.option("--burst", is_flag=True, help="处理完队列中的全部任务后退出。")
@click.argument("queue_names", nargs=-1)
@with_appcontext
def worker(burst: bool, queue_names):
    from rq import SimpleWorker

    from workers import context, queues

    runtime = _runtime()
    context.use(runtime)
    context.warm_up()
    names = queue_names or queues.ALL
    # Jobs run in this process (no fork per job), so the tokenizer and the topic model are loaded once;
    # job timeouts still apply, and a worker that dies is restarted by the process manager.
    w = SimpleWorker([queues.queue(runtime.redis, n) for n in names], connection=runtime.redis)
    w.work(burst=burst, with_scheduler=True)


@click.command(help="运行定时任务（RQ cron）。")
@with_appcontext
def scheduler():
    from workers import schedule

    runtime = _runtime()
    schedule.build(runtime.redis, runtime.settings).start()
