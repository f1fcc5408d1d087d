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
    settle_collector()


# The collector's full pass walks every object not frozen, and a grouping worker keeps its deputies' indexes:
# some 900,000 objects at 100,000 groups, 0.6 s a pass. They hold no reference cycles (tests/test_grouping_index.py),
# so the pass finds only the few cyclic objects a batch leaves that lived long enough (about 30 a batch). By default
# it ran each time a quarter more objects had lived that long (25 passes, 9 s of 100,000 messages' grouping); after
# a thousand middle passes at least (some 10,000 batches), it costs nothing measurable, and the garbage waiting for
# it stays bounded (some 300,000 objects, 70 MB: README, bench.grouping).
FULL_PASS_AFTER = 1000


def settle_collector() -> None:
    """Before the first job: what lives as long as the worker stays out of the collector's passes, and its full
    pass runs less often."""
    # jieba's dictionaries and the model live as long as the worker: keep them out of the collector's full
    # passes, which otherwise cost a grouping batch more than its own work (as in intake/gunicorn_conf.py).
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)
