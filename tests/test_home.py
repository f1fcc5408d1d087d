"""The site's own address: someone given only it finds where citizens, deputies and staff go."""

from __future__ import annotations

import re


def test_the_sites_address_leads_to_the_deputies_and_the_staffs_sign_in_and_tells_citizens_to_scan(app):
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "扫描人大代表的" in text and "二维码" in text
    links = {label: href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', text)}
    assert links == {"代表登录": "/deputy/login", "工作人员登录": "/staff/login"}, links
    for href in links.values():
        assert client.get(href).status_code == 200
