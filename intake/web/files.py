"""Stored files sent back to the browser: citizens' photos and units' replies, only to whoever may have them."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

from flask import Response, abort, send_file

from intake.models import Attachment, Suggestion
from intake.services.errors import NotFound
from intake.services.lifecycle import views
from intake.web.requests import lifecycle_rules

_REPLY_TYPES = {"pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def photo(found: Attachment | None) -> Response:
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.content_type, headers={"Cache-Control": "private, max-age=3600"})


def download(source: bytes | Path, mimetype: str, name: str, plain: str) -> Response:
    """A file saved under its Chinese `name` (filename*), with `plain`, a meaningful ASCII name, for clients that read
    only filename=: werkzeug's own fallback drops every Chinese character (代表建议-24.docx was -24.docx, 建议台账.xlsx
    was .xlsx)."""
    response = send_file(io.BytesIO(source) if isinstance(source, bytes) else source, mimetype=mimetype,
                         as_attachment=True, download_name=plain)
    quoted = quote(name, safe="!#$&+-.^_`|~")  # RFC 5987's attr-char, as werkzeug quotes it
    response.headers.set("Content-Disposition", "attachment", filename=plain, **{"filename*": f"UTF-8''{quoted}"})
    return response


def reply_attachment(session, suggestion: Suggestion, reply_id: int, viewer: views.Viewer) -> Response:
    """A reply's .pdf/.docx, only when the reply belongs to this suggestion and the viewer may have it."""
    if reply_id not in {reply.id for reply in suggestion.replies}:
        abort(404)
    try:
        name, path, kind = views.attachment(session, reply_id, viewer, rules=lifecycle_rules())
    except NotFound:
        abort(404)
    response = download(Path(path), _REPLY_TYPES[kind], name, f"reply-{reply_id}.{kind}")
    response.headers["Cache-Control"] = "private, no-store"
    return response
