"""Phone and ID-card numbers: masked wherever people other than authorised staff could see them."""

from __future__ import annotations

import re

from intake.models import Message

# Mobile numbers (with spaces or dashes in between), landlines with area codes, 18-digit ID numbers.
_ID_CARD = re.compile(r"(?<!\d)(\d{6})[\s-]?(\d{4})[\s-]?(\d{4})[\s-]?(\d{3}[\dXx])(?![\dXx])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})[\s-]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    text = _ID_CARD.sub(lambda m: f"{m.group(1)[:3]}***********{m.group(4)[-1]}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def contact_for_export(message: Message) -> str:
    return message.contact_phone if message.share_phone and message.contact_phone else mask_phone(message.contact_phone)
