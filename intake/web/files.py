"""Stored files sent back to the browser: citizens' photos, only to whoever the route let through."""

from __future__ import annotations

from flask import Response, abort

from intake.models import Attachment


def photo(found: Attachment | None) -> Response:
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.content_type, headers={"Cache-Control": "private, max-age=3600"})
