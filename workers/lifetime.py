"""A child process that ends with the process that started it, even when that one is SIGKILLed."""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1  # prctl(2)


def end_with_parent() -> None:
    """On Linux, a SIGTERM when the parent process dies (even by SIGKILL): no orphan keeps taking jobs."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
