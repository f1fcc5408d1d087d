"""A child process that ends with the process that started it, even when that one is SIGKILLed."""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1  # prctl(2)
# Opened once here, not in a freshly forked child (subprocess's preexec_fn), where loading it could wait on a lock
# another thread of the parent held when it forked.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def end_with_parent() -> None:
    """On Linux, a SIGTERM when the parent process dies (even by SIGKILL): no orphan keeps taking jobs."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
