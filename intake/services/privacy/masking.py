"""Phone, ID-card and bank-card numbers and e-mail addresses: masked wherever people other than authorised
staff could see them. Names of persons in citizens' sentences (see names.py): masked in drafts unless the deputy
shows them.

Each kind of number is one row of PATTERNS (what it looks like, how it is shown masked); a new kind is a
new row. Digits and separators are read as bot.phones reads them, the chat's own recogniser of a phone number
(full-width digits, Chinese numerals, groups split by spaces, dashes, dots, commas)."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.phones import AFTER as _AFTER, BEFORE as _BEFORE, DIGIT as D, LANDLINE, LOCAL_LANDLINE, MOBILE, SEP
from bot.phones import digits as _digits, plain as _plain
from intake.models import Draft, Message
from intake.services.privacy.names import mask_names, names_told


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match) -> str:
    # Order and reference numbers are this long too: only a number passing the card checksum is a card.
    digits = _plain(match.group())
    return f"{digits[:4]}****{digits[-4:]}" if _luhn(digits) else match.group()


def _old_id_card(match: re.Match) -> str:
    # Fifteen digits also come from a list of numbers (第1、2、3…11、12条): only one carrying a birth date
    # (YYMMDD after the six-digit area code) is an ID number.
    digits = _plain(match.group())
    month, day = int(digits[8:10]), int(digits[10:12])
    if not (digits[0] != "0" and 1 <= month <= 12 and 1 <= day <= 31):
        return match.group()
    return f"{digits[:3]}*********{digits[-3:]}"


def _email(match: re.Match) -> str:
    local, domain = unicodedata.normalize("NFKC", match.group()).split("@", 1)
    return f"{local[0]}***@{domain}"


@dataclass(frozen=True)
class MaskPattern:
    name: str
    regex: re.Pattern
    masked: Callable[[re.Match], str]


PATTERNS = (
    # 18-digit ID numbers, the last one possibly X.
    MaskPattern("id_card", re.compile(f"{_BEFORE}{D}{_digits(16)}{SEP}(?:{D}|[XxＸｘ]){_AFTER}"),
                lambda m: f"{_plain(m.group())[:3]}***********{_plain(m.group())[-1]}"),
    # Bank cards: 16 to 19 digits, usually typed in groups of four.
    MaskPattern("bank_card", re.compile(f"{_BEFORE}{D}(?:{SEP}{D}){{15,18}}{_AFTER}"), _card),
    # Mobiles, with or without the country code 86 / +86 in front (kept, it tells nothing).
    MaskPattern("mobile", MOBILE,
                lambda m: f"{unicodedata.normalize('NFKC', m.group(1))}{_plain(m.group(2))[:3]}****"
                          f"{_plain(m.group(2))[-4:]}"),
    # 15-digit ID numbers, issued before 1999 and still found on old papers.
    MaskPattern("old_id_card", re.compile(f"{_BEFORE}{D}{_digits(14)}{_AFTER}"), _old_id_card),
    # Landlines with their area code, which may stand in brackets: (0731)84123456.
    MaskPattern("landline", LANDLINE,
                lambda m: f"{_plain(m.group(1))}-****{_plain(m.group(3))}"),
    # Landlines without an area code, after the word naming them: 座机****3456.
    MaskPattern("local_landline", LOCAL_LANDLINE,
                lambda m: f"{m.group()[:m.start('number') - m.start()]}****{_plain(m.group('number'))[-4:]}"),
    # E-mail addresses, the @ possibly full-width; the domain stays (it says only which provider).
    MaskPattern("email", re.compile(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
                _email),
)


@lru_cache(maxsize=2048)  # a draft written again masks the same messages: each text's regexes run once
def mask(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.regex.sub(pattern.masked, text)
    return text


def for_draft(text: str, names_shown: bool, told: frozenset[str] = frozenset()) -> str:
    """Text as a draft shows it: numbers always masked, names unless the deputy chose to show them (`told`: the
    names a person's word told in the draft's letters, see in_draft)."""
    masked = mask(text)
    return masked if names_shown else mask_names(masked, told)


def in_draft(text: str, draft: Draft) -> str:
    """A draft's text as its page, its document and the suggestion show it: a name told in any of its letters
    (村主任谷斌海) is masked in each of its sentences too (谷斌海利用职权)."""
    if draft.names_shown:
        return for_draft(text, True)
    return for_draft(text, False, names_told(message.text for message in draft.messages))


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_address(address: str) -> str:
    """A network address as the operations log keeps it: enough to tell one network from another (203.0.113.*,
    2001:db8:*), not the household or phone behind it. IPv6 keeps its first 32 bits: a provider gives one home a
    whole /48, and a 6to4 address (2002::/16) carries the IPv4 address in its next 32."""
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return "未知"
    if network.version == 4:
        return ".".join(str(network.network_address).split(".")[:3]) + ".*"
    return ":".join(f"{int(group, 16):x}" for group in network.network_address.exploded.split(":")[:2]) + ":*"


def contact_for_export(message: Message) -> str:
    return message.contact_phone if message.share_phone and message.contact_phone else mask_phone(message.contact_phone)


def contact_note(note: str, readable: bool) -> str:
    """A citizen's contact note as staff pages show it: a number in it ("座机0731-84123456") whole while `readable`
    (their message still holds their contact), masked once retention removed it. Stored whole: what is shown
    follows the message, not the moment the note was written."""
    return note if readable else mask(note)
