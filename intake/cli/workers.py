"""`mashang worker` and `mashang scheduler`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from intake.cli.context import service_runtime


@click.command(help="运行后台任务进程（WORKER_COUNT 个）。")
@click.option("--burst", is_flag=True, help="处理完队列中的全部任务后退出。")
@click.argument("queue_names", nargs=-1)
@with_appcontext
def worker(burst: bool, queue_names):
    from workers import context, queues, runner
    from workers.lifetime import end_forks_with_their_parent

    # Whatever this process forks (RQ's scheduler, a pool's workers) ends with it, even when it is SIGKILLed.
    end_forks_with_their_parent()
    runtime = service_runtime()
    context.use(runtime)
    context.warm_up()
    chosen = [queues.queue(runtime.redis, n) for n in queue_names or queues.ALL]
    count = runtime.settings.worker_count
    # Jobs run in the worker process (no fork per job), so the tokenizer and the topic model are loaded once,
    # before a pool forks; job timeouts still apply. SIGTERM lets the job in hand finish; a job cut off by a
    # kill stays in the started registry and the sweep queues it again.
    if count > 1 and not burst:
        runner.run_pool(runtime.redis, chosen, count=count, worker_ttl=runtime.settings.worker_ttl)
        return
    runner.run_worker(runtime.redis, chosen, worker_ttl=runtime.settings.worker_ttl, burst=burst)


@click.command(help="运行定时任务（RQ cron）。")
@with_appcontext
def scheduler():
    from workers import runner, schedule

    runtime = service_runtime()
    runner.run_scheduler(runtime.redis, lambda: schedule.build(runtime.redis, runtime.settings, runner.Scheduler))
