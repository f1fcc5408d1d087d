"""LOG_FORMAT=json: one JSON object per line, each with the request id; callers log ids, never citizens' words.
LOG_FILE: the whole log (INFO) goes to that file and the terminal shows warnings and errors only; in text, the request
and job lines whose facts are JSON fields only are left out."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from pythonjsonlogger.json import JsonFormatter

from intake.config import private_dir
from intake.ops import request_ids


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_ids.current()
        return True


class _Handler(logging.StreamHandler):
    """Ours, so configuring twice replaces it instead of printing every line twice."""


class PrivateFileHandler(logging.handlers.WatchedFileHandler):
    """A log file readable by its owner only (0600) in a folder of its own (0700): request lines name routes and ids,
    a worker's lines name messages. Opened again when it was renamed or removed (the operator rotates it). gunicorn's
    web process uses it too (intake/gunicorn_conf.py)."""

    def __init__(self, filename: str | Path, encoding: str = "utf-8") -> None:
        private_dir(Path(filename).parent)
        super().__init__(filename, encoding=encoding)

    def _open(self):
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


class _FileHandler(_Handler, PrivateFileHandler):
    pass


TEXT_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"
# One line per request and per job whose facts are JSON fields only: in text they would read "mashang.request:
# request", and gunicorn's access line and RQ's own job line already tell the same.
JSON_ONLY = ("mashang.request", "mashang.job")


class _NoJsonOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name not in JSON_ONLY or record.levelno > logging.INFO


def configure(log_format: str, log_file: Path | None = None, level: str = "INFO") -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(handler)
        if isinstance(handler, _FileHandler):
            handler.close()
    if log_format != "json" and log_file is None:
        return  # RQ and gunicorn print their own lines
    formatter = JsonFormatter(
        "{asctime}{levelname}{name}{message}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    ) if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    console = _Handler(sys.stderr)
    handlers = [console]
    if log_file is not None:
        # `mashang up`'s children: a job's or a request's INFO line would scroll the addresses out of the terminal.
        console.setLevel(logging.WARNING)
        handlers.append(_FileHandler(log_file))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(_RequestId())
        if log_format != "json":
            handler.addFilter(_NoJsonOnly())
        root.addHandler(handler)
    root.setLevel(level)
