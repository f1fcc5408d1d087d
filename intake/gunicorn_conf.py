"""gunicorn settings for the web process: `gunicorn --config python:intake.gunicorn_conf …`."""

import gc
import os

from intake.config import Settings

_settings = Settings.from_env()
# WEB_CONCURRENCY, or 2 × cores + 1 (capped); `--workers` on the command line still wins.
workers = _settings.web_concurrency
# Several web processes answer /metrics in turn: they must add their numbers up in one folder. Set before
# the workers load the app, which is when the metrics choose where their values live.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_settings.metrics_dir or _settings.instance_dir / "metrics"))


def post_worker_init(worker):
    # Load jieba's dictionaries before the first request instead of during it (about a second).
    from bot.places import warm_up as load_places
    from intake.classifier.tokenize import warm_up as load_tokenizer

    load_places()
    load_tokenizer()
    # jieba's dictionaries are hundreds of thousands of objects that live as long as the worker: keep
    # them out of the collector's full passes, which would otherwise pause requests for tens of ms.
    gc.freeze()
