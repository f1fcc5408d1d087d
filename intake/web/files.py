"""Stored files sent back to the browser: citizens' photos and units' replies, only to whoever may have them."""

from __future__ import annotations

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


def reply_attachment(session, suggestion: Suggestion, reply_id: int, viewer: views.Viewer) -> Response:
    """A reply's .pdf/.docx, only when the reply belongs to this suggestion and the viewer may have it."""
    if reply_id not in {reply.id for reply in suggestion.replies}:
        abort(404)
    try:
        name, path, kind = views.attachment(session, reply_id, viewer, rules=lifecycle_rules())
    except NotFound:
        abort(404)
    response = send_file(path, mimetype=_REPLY_TYPES[kind], as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
