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

if _settings.log_format == "json" or _settings.log_file:
    # JSON: gunicorn's own lines in the same one-object-per-line shape; requests are logged by the app.
    # LOG_FILE (`mashang up`): every line goes to the file, and the terminal keeps only warnings and errors.
    _formatter = "json" if _settings.log_format == "json" else "generic"
    _to_file = ["file"] if _settings.log_file else []
    _handlers = {name: {"class": "logging.StreamHandler", "formatter": _formatter, "stream": stream,
                        "level": "WARNING" if _settings.log_file else "INFO"}
                 for name, stream in (("console", "ext://sys.stdout"), ("error_console", "ext://sys.stderr"))}
    if _settings.log_file:
        _handlers["file"] = {"class": "intake.ops.logs.PrivateFileHandler", "formatter": _formatter,
                             "filename": str(_settings.log_file)}
    logconfig_dict = {
        # gunicorn merges this dict shallowly into its defaults, so its formatter and both its handlers are named here.
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{asctime}{levelname}{name}{message}",
                                "style": "{", "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
                       "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
                                   "datefmt": "[%Y-%m-%d %H:%M:%S %z]", "class": "logging.Formatter"}},
        "handlers": _handlers,
        # The app puts its own handlers on the root logger: gunicorn's must not print each line again.
        "root": {"level": "INFO", "handlers": []},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console", *_to_file], "propagate": False,
                                       "qualname": "gunicorn.error"},
                    # JSON: its lines carry paths, and paths carry sign-in tokens: the app's request line replaces
                    # them. Text: the request line with the app's redacted path (below), in the file only.
                    "gunicorn.access": {"level": "INFO", "handlers": [] if _formatter == "json" else _to_file,
                                        "propagate": False, "qualname": "gunicorn.access"}},
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
