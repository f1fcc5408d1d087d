"""`mashang up` restarts a dead child after a pause that doubles with each quick death and resets once the
child has stayed up, and survives a child that cannot even start."""

from __future__ import annotations

import subprocess
import sys

from intake.supervision import LONGEST_PAUSE, STAYED_UP, Supervisor


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_child_that_keeps_dying_is_restarted_ever_more_slowly_and_never_given_up():
    clock, lines, process = Clock(), [], {}

    def start():
        # A real process that exits at once, as a worker without its database would.
        process["p"] = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        process["p"].wait()

    supervisor = Supervisor(lines.append, clock)
    supervisor.add("worker", start, lambda: process["p"].poll() is None)
    pauses = []
    for _ in range(8):
        supervisor.check()  # notices the death, schedules the restart
        pauses.append(supervisor.children[0].restart_at - clock.now)
        clock.now = supervisor.children[0].restart_at
        supervisor.check()  # restarts
    assert pauses == [0.5, 1, 2, 4, 8, 16, LONGEST_PAUSE, LONGEST_PAUSE]
    assert supervisor.restarts == 8 and "worker 进程已退出，30 秒后重启。" in lines

    clock.now += STAYED_UP  # it stayed up a while before dying again: back to a quick restart
    supervisor.check()
    assert supervisor.children[0].restart_at - clock.now == 0.5


def test_a_child_that_fails_to_start_is_retried_and_the_others_keep_running():
    clock, lines = Clock(), []
    attempts = []

    def start():
        attempts.append(clock.now)
        raise RuntimeError("the embedded redis-server did not start")

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        supervisor = Supervisor(lines.append, clock)
        supervisor.add("web", lambda: None, lambda: sleeper.poll() is None)
        supervisor.add("内置 Redis", start, lambda: False)
        for _ in range(3):
            supervisor.check()
            clock.now += LONGEST_PAUSE
            supervisor.check()
        assert len(attempts) == 4 and sleeper.poll() is None
        assert "内置 Redis 启动失败：the embedded redis-server did not start" in lines
    finally:
        sleeper.kill()
        sleeper.wait()
