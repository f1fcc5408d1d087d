"""The chat page shown afresh (a reload, Back): the private progress links given to this browser are given again."""

from __future__ import annotations

import re

from sqlalchemy import update

from intake.models import ProgressLink, utcnow
from tests.helpers import first_deputy_slug, report, send

_LINK = re.compile(r'href="(http://[^"]+/p/[0-9a-z]+)"')


def _page(client, slug: str) -> str:
    return re.sub(r"\s+", " ", client.get(f"/c/{slug}").get_data(as_text=True))


def test_the_private_progress_link_is_given_again_to_the_same_browser_only(app, client, runtime, tmp_path):
    slug = first_deputy_slug(app, tmp_path)
    body = report(client, slug, "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑")
    link = body["progress"]
    assert link and link in " ".join(body["replies"])
    # After a reload the receipt card links to it, and 查询 gives it again.
    assert _LINK.findall(_page(client, slug)) == [link]
    again = send(client, slug, f"查询 {body['receipt']}").get_json()
    assert again["progress"] == link and link in " ".join(again["replies"]), again
    assert app.test_client().get(link.removeprefix("http://mashang.test")).status_code == 200
    # Another browser has no receipts and no links; a revoked link is not given again.
    assert not _LINK.findall(_page(app.test_client(), slug))
    with runtime.sessions() as session, session.begin():
        session.execute(update(ProgressLink).values(revoked_at=utcnow()))
    assert not _LINK.findall(_page(client, slug))
    assert "/p/" not in " ".join(send(client, slug, f"查询 {body['receipt']}").get_json()["replies"])
