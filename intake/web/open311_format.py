"""Open311 GeoReport v2 bodies in its two formats: the standard's element names in XML, the same in JSON."""

from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree

from flask import Response, request

from intake.services.plain_text import writable

PREFIX = "/open311/v2"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# A list's elements are named by what holds them, as the standard writes them.
ITEMS = {"services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
         "formats": "format", "attributes": "attribute", "values": "value"}


def _text(value, local_tz) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(local_tz).isoformat(timespec="seconds")
    return str(value)


def _json_value(value, local_tz):
    if isinstance(value, dict):
        return {k: _json_value(v, local_tz) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v, local_tz) for v in value]
    if isinstance(value, datetime):
        return _text(value, local_tz)
    return value


def _element(parent, name: str, value, local_tz) -> None:
    child = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(child, key, inner, local_tz)
    elif isinstance(value, list):
        for inner in value:
            _element(child, ITEMS[name], inner, local_tz)
    else:
        # XML 1.0 cannot hold control characters: one in a name or an echoed field would make the body unreadable.
        child.text = writable(_text(value, local_tz))


def render(fmt: str, root: str, body, local_tz, status: int = 200, **headers) -> Response:
    """`body` is a list (the root holds its items) or a dict (the root's fields)."""
    if fmt == "json":
        text = json.dumps(_json_value(body, local_tz), ensure_ascii=False)
    else:
        holder = ElementTree.Element("holder")
        _element(holder, root, body, local_tz)
        text = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(holder[0], encoding="unicode")
    response = Response(text, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))
    response.headers.update(headers)
    return response


def in_open311() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def format_of(path: str) -> str:
    """The format the path's extension names; JSON where it names none we speak (/open311/v2/, .html)."""
    _, dot, extension = path.rsplit("/", 1)[-1].rpartition(".")
    return "xml" if dot and extension == "xml" else "json"


def errors(fmt: str, status: int, description: str, **headers) -> Response:
    return render(fmt, "errors", [{"code": status, "description": description}], None, status, **headers)
