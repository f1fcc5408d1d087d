"""Keeping `mashang up`'s processes alive: a child that dies is started again, after a pause that doubles
with each quick death (so a child that cannot start does not spin) and resets once it has stayed up."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0
STAYED_UP = 60.0  # a child that ran this long before dying is restarted at once


@dataclass
class Child:
    name: str
    start: Callable[[], None]
    running: Callable[[], bool]
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None


class Supervisor:
    def __init__(self, report: Callable[[str], None], clock: Callable[[], float] = time.monotonic):
        self.report, self.clock = report, clock
        self.children: list[Child] = []
        self.restarts = 0

    def add(self, name: str, start: Callable[[], None], running: Callable[[], bool]) -> None:
        child = Child(name, start, running)
        self.children.append(child)
        self._start(child)

    def _start(self, child: Child) -> None:
        child.started_at = self.clock()
        child.restart_at = None
        try:
            child.start()
        except Exception as exc:  # noqa: BLE001 - any failure to start is one more death to back off from
            self.report(f"{child.name} 启动失败：{exc}")

    def check(self) -> None:
        """Notice dead children and restart those whose pause is over; call this every fraction of a second."""
        now = self.clock()
        for child in self.children:
            if child.restart_at is None:
                if child.running():
                    continue
                if now - child.started_at >= STAYED_UP:
                    child.quick_deaths = 0
                pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** child.quick_deaths)
                child.quick_deaths += 1
                child.restart_at = now + pause
                self.report(f"{child.name} 进程已退出，{pause:g} 秒后重启。")
            elif now >= child.restart_at:
                self.restarts += 1
                self._start(child)
                if child.running():
                    self.report(f"{child.name} 已重启。")
