"""The browser's own request for /favicon.ico: an icon, not a 404 in the log and the console."""

from __future__ import annotations

import io

from PIL import Image


def test_favicon_is_a_small_icon_any_visitor_gets(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert len(response.data) < 10_000
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    # Browsers ask on every page: once a day is enough.
    assert response.cache_control.max_age and response.cache_control.max_age >= 86400
