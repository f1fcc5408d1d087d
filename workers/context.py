"""The runtime jobs use: built from the environment on first use, replaceable by tests."""

from __future__ import annotations

import gc

from intake.config import Settings
from intake.runtime import Runtime

_runtime: Runtime | None = None


def current() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = Runtime(Settings.from_env())
    return _runtime


def use(runtime: Runtime | None) -> None:
    """Point jobs run in this process at another runtime (None: back to the environment's)."""
    global _runtime
    _runtime = runtime


def warm_up() -> None:
    """Load the tokenizer and the active topic model before the first job, not during it."""
    from intake.classifier import registry
    from bot.tokenizer import warm_up as load_tokenizer

    runtime = current()
    load_tokenizer()
    with runtime.sessions() as session:
        registry.active(session, runtime.taxonomy, runtime.settings.model_signing_key)
    # jieba's dictionaries and the model live as long as the worker: keep them out of the collector's full
    # passes, which otherwise cost a grouping batch more than its own work (as in intake/gunicorn_conf.py).
    gc.freeze()
