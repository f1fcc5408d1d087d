"""A per-account limit on staff uploads: each file is read whole and checked line by line (a roster, a list of
units) or kept (a reply's attachment), so an account looping on the upload form would load the server."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request

from intake.services.reception import ratelimit
from intake.web import access
from intake.web.errors import respond
from intake.web.requests import runtime

WINDOW_SECONDS = 60 * 60


def refused(field: str = "file"):
    """The 429 page when this staff account has uploaded UPLOADS_PER_HOUR files this hour, saying when to try
    again; None when the upload may go on, or when no file was sent (a form without one is no upload)."""
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        return None
    settings = runtime().settings
    limit = ratelimit.Limit("upload", settings.uploads_per_hour, WINDOW_SECONDS)
    subject = f"staff:{access.current_staff().id}"
    if not ratelimit.hit(runtime().redis, limit, subject):
        return None
    wait = ratelimit.seconds_left(runtime().redis, limit, subject)
    at = (datetime.now(runtime().local_tz) + timedelta(seconds=wait)).strftime("%H:%M")
    minutes = max(1, -(-wait // 60))
    message = (f"这个账号一小时内已上传 {settings.uploads_per_hour} 个文件，这次的文件没有上传。"
               f"请在 {minutes} 分钟后（{at} 以后）再试。")
    return respond(429, message, heading="暂时不能上传", **{"Retry-After": str(wait)})
