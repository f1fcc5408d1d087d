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
    from workers import context, queues, runner

    runtime = _runtime()
    context.use(runtime)
    context.warm_up()
    names = queue_names or queues.ALL
    # Jobs run in this process (no fork per job), so the tokenizer and the topic model are loaded once;
    # job timeouts still apply, and a worker that dies is restarted by the process manager.
    runner.run_worker(runtime.redis, [queues.queue(runtime.redis, n) for n in names],
                      worker_ttl=runtime.settings.worker_ttl, burst=burst)


@click.command(help="运行定时任务（RQ cron）。")
@with_appcontext
def scheduler():
    from workers import runner, schedule

    runtime = _runtime()
    runner.run_scheduler(runtime.redis, lambda: schedule.build(runtime.redis, runtime.settings, runner.Scheduler))
