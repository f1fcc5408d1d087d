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

if _settings.log_format == "json":
    # gunicorn's own lines in the same one-object-per-line shape; requests are logged by the app.
    logconfig_dict = {
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{asctime}{levelname}{name}{message}",
                                "style": "{", "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}},
        # gunicorn merges this dict shallowly into its defaults, so both of its handlers are named here.
        "handlers": {name: {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}
                     for name, stream in (("console", "ext://sys.stdout"), ("error_console", "ext://sys.stderr"))},
        # The app puts its own JSON handler on the root logger: gunicorn's must not print each line again.
        "root": {"level": "INFO", "handlers": []},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False,
                                       "qualname": "gunicorn.error"},
                    # Its lines carry paths, and paths carry sign-in tokens: the app's request line replaces them.
                    "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False,
                                        "qualname": "gunicorn.access"}},
    }

# The request line without its query string, and no referrer: WeChat's signature sets and sign-in links'
# `next` and tokens travel in query strings and must not end up in logs. The path is the app's redacted one
# (intake.web.telemetry): private links carry their token in the path itself.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
logger_class = "intake.ops.access_log.AccessLogger"


def post_worker_init(worker):
    # Load jieba's dictionaries before the first request instead of during it (about a second).
    from bot.tokenizer import warm_up as load_tokenizer

    load_tokenizer()
    # jieba's dictionaries are hundreds of thousands of objects that live as long as the worker: keep
    # them out of the collector's full passes, which would otherwise pause requests for tens of ms.
    gc.freeze()
