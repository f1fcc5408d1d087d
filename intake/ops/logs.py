"""LOG_FORMAT=json: one JSON object per line, each with the request id; callers log ids, never citizens' words."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from intake.ops import request_ids


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_ids.current()
        return True


class _Handler(logging.StreamHandler):
    """Ours, so configuring twice replaces it instead of printing every line twice."""


def configure(log_format: str, level: str = "INFO") -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(handler)
    if log_format != "json":
        return
    handler = _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    ))
    handler.addFilter(_RequestId())
    root.addHandler(handler)
    root.setLevel(level)
