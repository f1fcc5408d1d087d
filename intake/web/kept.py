"""What a person typed into a form the server refused, put back into the form when its page is shown again.

A refused form is answered with its own page (not a redirect to an empty one), so the values are this request's
own: a page asks for a field by the endpoint its form posts to, and gets what was typed only when that very form
was the one sent; every other form on the page shows what is stored."""

from __future__ import annotations

from flask import request


def _sent(endpoint: str) -> bool:
    return request.method == "POST" and request.endpoint == endpoint


def typed(endpoint: str, name: str, stored=""):
    """The field `name` as typed into the refused form that posts to `endpoint`, else `stored`."""
    return request.form.get(name, stored) if _sent(endpoint) else stored


def chosen(endpoint: str, name: str) -> list[str]:
    """Every value ticked under `name` (radio buttons, check boxes) in the refused form, else none."""
    return request.form.getlist(name) if _sent(endpoint) else []


def ticked(endpoint: str, name: str, stored: bool) -> bool:
    """Whether the check box `name` was ticked in the refused form, else as stored."""
    return name in request.form if _sent(endpoint) else stored
