"""Which deputies' codes to print, with the links they carry."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.channels.wechat_api import WeChatApi
from intake.models import Deputy
from intake.services.reception.links import citizen_url
from qrcodes.bundle import Entry
from qrcodes.pdf import Card


def entries(session: Session, base_url: str, deputy_ids: list[int] | None = None,
            station_id: int | None = None, wechat: WeChatApi | None = None) -> list[Entry]:
    """Active deputies with a live link, optionally only these ids or this station."""
    query = (
        select(Deputy)
        .options(joinedload(Deputy.station), selectinload(Deputy.links))
        .where(Deputy.active.is_(True))
        .order_by(Deputy.id)
    )
    if deputy_ids:
        query = query.where(Deputy.id.in_(deputy_ids))
    if station_id is not None:
        query = query.where(Deputy.station_id == station_id)
    found = []
    for deputy in session.scalars(query):
        link = deputy.current_link
        if link is None:
            continue
        url = citizen_url(base_url, link.slug)
        if wechat is not None:
            # The Official Account's own code: scanning it follows the account and binds to this deputy.
            if link.wechat_url is None:
                link.wechat_url = wechat.permanent_qrcode(link.slug)
                session.flush()
            card = Card(deputy.name, deputy.level, deputy.station.name, link.wechat_url, printed_link=url)
        else:
            card = Card(deputy.name, deputy.level, deputy.station.name, url)
        found.append(Entry(deputy.id, card))
    return found


def phones_cannot_reach(base_url: str) -> bool:
    """True when citizens' phones could not open links on this address: the server itself (127.0.0.1,
    localhost), a private network's address or a bare machine name. Codes printed with it are wasted paper."""
    host = (urlsplit(base_url).hostname or "").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # an intranet name such as "mashang-server"
    return not address.is_global
