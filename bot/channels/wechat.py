"""WeChat Official Account messages: XML in (parsed with defusedxml), passive XML replies out."""

from __future__ import annotations

import time
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BODY = 64 * 1024


class BadXml(ValueError):
    pass


@dataclass(frozen=True)
class Inbound:
    to_user: str
    from_user: str
    create_time: str
    msg_type: str
    msg_id: str = ""
    content: str = ""
    event: str = ""
    event_key: str = ""
    recognition: str = ""
    media_id: str = ""
    label: str = ""
    encrypt: str = ""

    @property
    def dedupe_key(self) -> str:
        """WeChat retries an unanswered delivery: messages carry MsgId, events only sender + time."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.from_user}:{self.create_time}:{self.event}"

    @property
    def scene(self) -> str | None:
        """The deputy's slug from a scanned code: `qrscene_<slug>` on subscribe, `<slug>` on SCAN."""
        if self.msg_type != "event":
            return None
        event = self.event.lower()
        if event == "subscribe" and self.event_key.startswith("qrscene_"):
            return self.event_key[len("qrscene_"):]
        if event == "scan" and self.event_key:
            return self.event_key
        return None


_FIELDS = {
    "ToUserName": "to_user", "FromUserName": "from_user", "CreateTime": "create_time", "MsgType": "msg_type",
    "MsgId": "msg_id", "Content": "content", "Event": "event", "EventKey": "event_key",
    "Recognition": "recognition", "MediaId": "media_id", "Label": "label", "Encrypt": "encrypt",
}


def parse(body: bytes) -> Inbound:
    """Entities, DTDs and external references are refused outright; so are bodies over 64 KB."""
    if len(body) > MAX_BODY:
        raise BadXml("too large")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise BadXml(str(exc)) from exc
    if root.tag != "xml":
        raise BadXml("not a WeChat message")
    values = {attr: (root.findtext(tag) or "") for tag, attr in _FIELDS.items()}
    if not values["encrypt"] and not (values["from_user"] and values["msg_type"]):
        raise BadXml("missing FromUserName or MsgType")
    return Inbound(**values)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(inbound: Inbound, content: str) -> str:
    return (
        "<xml>"
        f"<ToUserName>{_cdata(inbound.from_user)}</ToUserName>"
        f"<FromUserName>{_cdata(inbound.to_user)}</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{_cdata(content)}</Content>"
        "</xml>"
    )


def encrypted_envelope(encrypted: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (
        "<xml>"
        f"<Encrypt>{_cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{_cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp>"
        f"<Nonce>{_cdata(nonce)}</Nonce>"
        "</xml>"
    )
