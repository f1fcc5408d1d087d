"""A child process that ends with the process that started it, even when that one is SIGKILLed."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Callable

PR_SET_PDEATHSIG = 1  # prctl(2)
# Opened once here, not in a freshly forked child (subprocess's preexec_fn), where loading it could wait on a lock
# another thread of the parent held when it forked.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_forking = 0  # the pid of the process about to fork, as the child finds it in its copy of memory


def end_with_parent(parent: int) -> None:
    """In a child just forked from `parent` (its pid before the fork): on Linux, a SIGTERM when the parent dies (even
    by SIGKILL), so no orphan keeps serving or taking jobs. A parent that died before the request took effect gives no
    signal any more: the child, an orphan already, ends at once."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def ending_with_this_process() -> Callable[[], None]:
    """A subprocess.Popen preexec_fn: the program started ends with the process starting it now."""
    parent = os.getpid()
    return lambda: end_with_parent(parent)


def end_forks_with_their_parent() -> None:
    """Whatever this process forks from now on (RQ's scheduler, a pool's workers, and what they fork) ends with the
    process it was forked from."""
    def remember_parent() -> None:
        global _forking
        _forking = os.getpid()

    os.register_at_fork(before=remember_parent, after_in_child=lambda: end_with_parent(_forking))
