"""A WeChat follower's message or event, handled once however often WeChat delivers it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bot import engine, texts
from bot.channels.wechat import Inbound
from intake.models import Citizen, CitizenLink, Deputy, InboundEvent, Station
from intake.services.privacy import sealed
from intake.services.reception import chat, citizens, links
CHANNEL = "wechat"


@dataclass
class Handled:
    reply: str
    finalized: list[int] = field(default_factory=list)
    duplicate: bool = False
    citizen_id: int | None = None  # who wrote; None for a repeated delivery


def stored_reply(session: Session, inbound: Inbound) -> str | None:
    return session.scalar(
        select(InboundEvent.reply).where(InboundEvent.channel == CHANNEL, InboundEvent.dedupe_key == inbound.dedupe_key)
    )


def receive(session: Session, inbound: Inbound, *, secret: str, data_key: str, limits: chat.Limits) -> Handled:
    """Handle a delivery; a retried one returns the stored reply and changes nothing.

    The caller commits; a unique key on (channel, dedupe_key) stops two concurrent retries.
    """
    earlier = stored_reply(session, inbound)
    if earlier is not None:
        return Handled(earlier, duplicate=True)
    citizen = citizens.find_or_create(session, secret, CHANNEL, inbound.from_user)
    if not _address_known(citizen, inbound.from_user, data_key):
        # Kept so the follower can be told of their message's progress unasked; retention removes it.
        citizen.address_encrypted = sealed.seal(data_key, inbound.from_user)
    handled = _dispatch(session, citizen, inbound, limits)
    session.add(InboundEvent(channel=CHANNEL, dedupe_key=inbound.dedupe_key, reply=handled.reply))
    session.flush()
    handled.citizen_id = citizen.id
    return handled


def _address_known(citizen: Citizen, openid: str, data_key: str) -> bool:
    """Stored and readable: a value sealed with a key DATA_KEY no longer holds is stored again."""
    if citizen.address_encrypted is None:
        return False
    try:
        return sealed.unseal(data_key, citizen.address_encrypted) == openid
    except sealed.UnreadableData:
        return False


def _stations(session: Session) -> list[Station]:
    reachable = (
        select(Deputy.station_id)
        .join(CitizenLink, CitizenLink.deputy_id == Deputy.id)
        .where(Deputy.active.is_(True), CitizenLink.revoked_at.is_(None))
    )
    return list(session.scalars(select(Station).where(Station.id.in_(reachable)).order_by(Station.id)))


def _deputies(session: Session, station_id: int) -> list[Deputy]:
    query = (
        select(Deputy).options(joinedload(Deputy.station))
        .where(Deputy.station_id == station_id, Deputy.active.is_(True)).order_by(Deputy.id)
    )
    return [d for d in session.scalars(query).unique() if d.current_link is not None]


def _start_picker(session: Session, citizen: Citizen, prefix: str = "") -> str:
    stations = _stations(session)
    if not stations:
        citizen.picker = None
        return prefix + texts.NO_DEPUTIES
    citizen.picker = "station"
    return prefix + texts.PICK_STATION.format(choices=engine.numbered([s.name for s in stations]))


def _bind(citizen: Citizen, deputy: Deputy | links.DeputyCard) -> str:
    citizen.current_deputy_id = deputy.id
    citizen.picker = None
    return chat.greeting(deputy)


def _picker_step(session: Session, citizen: Citizen, text: str) -> str:
    if citizen.picker == "station":
        stations = _stations(session)
        choice = engine.pick(text, [s.name for s in stations])
        if choice is None:
            return texts.PICK_AGAIN + "\n" + engine.numbered([s.name for s in stations])
        deputies = _deputies(session, stations[choice].id)
        citizen.picker = f"deputy:{stations[choice].id}"
        return texts.PICK_DEPUTY.format(choices=engine.numbered([texts.DEPUTY_CHOICE.format(name=d.name, level=d.level) for d in deputies]))
    station_id = int(citizen.picker.split(":", 1)[1])
    deputies = _deputies(session, station_id)
    choice = engine.pick(text, [d.name for d in deputies])
    if choice is None:
        return texts.PICK_AGAIN + "\n" + engine.numbered([d.name for d in deputies])
    return _bind(citizen, deputies[choice])


def _dispatch(session: Session, citizen: Citizen, inbound: Inbound, limits: chat.Limits) -> Handled:
    kind = inbound.msg_type.lower()
    if kind == "event":
        if inbound.scene is not None:
            lookup = links.resolve(session, inbound.scene)
            if lookup.usable:
                return Handled(_bind(citizen, lookup.deputy))
            return Handled(_start_picker(session, citizen, texts.CODE_REVOKED))
        if inbound.event.lower() == "subscribe":
            return Handled(_start_picker(session, citizen, texts.WELCOME_FOLLOWER))
        return Handled("")  # unsubscribe, menu clicks …: nothing to say
    deputy = session.get(Deputy, citizen.current_deputy_id) if citizen.current_deputy_id else None
    if deputy is None or not deputy.active:
        if citizen.picker and kind == "text":
            return Handled(_picker_step(session, citizen, inbound.content))
        return Handled(_start_picker(session, citizen))

    common = dict(deputy_id=deputy.id, citizen_id=citizen.id, channel=CHANNEL, limits=limits)
    if kind == "text":
        result = chat.turn(session, text=inbound.content, **common)
    elif kind == "voice":
        if not inbound.recognition.strip():
            return Handled(texts.VOICE_UNREADABLE)
        result = chat.turn(session, text=inbound.recognition, **common)
    elif kind == "image":
        # The picture stays on WeChat's servers until fetched with the API; we keep its MediaId.
        result = chat.attach(session, note=texts.IMAGE_NOTE, data=None, content_type="image/jpeg",
                             external_ref=inbound.media_id[:200] or None, reply=texts.IMAGE_ADDED, **common)
    elif kind == "location":
        label = inbound.label.strip() or texts.UNNAMED_LOCATION
        result = chat.attach(session, note=texts.LOCATION_NOTE.format(label=label), data=None, content_type="", reply=
                             texts.LOCATION_ADDED.format(label=label), **common)
    else:
        return Handled(texts.HELP)
    finalized = [result.message_id] if result.message_id is not None else []
    return Handled("\n".join(result.replies), finalized)
