"""Request bodies read as JSON: a body nested deeper than Python can parse is bad input, answered 400, never a 500."""

from __future__ import annotations

from flask.json.provider import DefaultJSONProvider


class JSONBodies(DefaultJSONProvider):
    """Flask's JSON, with a body nested too deeply ([[[…]]] a hundred thousand times) refused as any malformed
    body is: the standard parser recurses once per level and raises RecursionError, which Flask does not catch."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
