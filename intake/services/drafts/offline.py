"""Opinions collected on paper (reception days, 接待日) imported from a spreadsheet into the normal intake path.

All lines are checked before anything is stored: a file with one bad line imports nothing and every bad
line is named. Importing the same file again stores nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Deputy, Message, as_id
from intake.services.reception import links, messages
from intake.services.console.tables import Row
from intake.services.errors import Problems

CHANNEL = "offline"
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d")
MAX_ID_CHARS = 64


class OfflineImportError(Problems):
    """Every bad line of the file, or what makes the whole import impossible."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__("offline_import", problems)


def _at(line: int, code: str, **params) -> tuple[str, dict]:
    return "line", {"line": line, "parts": [(code, params)]}


@dataclass(frozen=True)
class Opinion:
    line: int
    text: str
    external_id: str | None
    written_at: datetime | None  # UTC


@dataclass(frozen=True)
class ImportResult:
    stored: list[int]
    skipped: int


def find_deputy(session: Session, reference: str) -> Deputy:
    """A deputy by id or by the slug of their citizen link."""
    deputy = session.get(Deputy, as_id(reference)) if as_id(reference) else None
    if deputy is None:
        card = links.resolve(session, reference).deputy
        deputy = session.get(Deputy, card.id) if card else None
    if deputy is None:
        raise OfflineImportError([("offline_deputy_unknown", {"reference": reference})])
    if not deputy.active:
        raise OfflineImportError([("offline_deputy_inactive", {"deputy": deputy.name})])
    return deputy


def _written_at(value: str, local_tz: tzinfo) -> datetime:
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=local_tz).astimezone(timezone.utc)
        except ValueError:
            continue
    raise ValueError(value)


def parse(rows: list[Row], *, text_col: str, id_col: str | None, time_col: str | None, local_tz: tzinfo,
          now: datetime) -> list[Opinion]:
    # A letter handed in on paper may run longer than a chat message: the limit is that of a whole submission.
    max_chars = messages.MAX_SUBMISSION_CHARS
    if not rows:
        raise OfflineImportError([("offline_empty", {})])
    header = rows[0].values
    missing = [c for c in (text_col, id_col, time_col) if c and c not in header]
    if missing:
        raise OfflineImportError([("column_missing", {"column": c}) for c in missing])
    problems: list[tuple[str, dict]] = []
    opinions: list[Opinion] = []
    first_line_of: dict[str, int] = {}
    for row in rows:
        text = row.values[text_col]
        external_id = row.values[id_col] if id_col else None
        written_at = None
        try:
            messages.validate(text, max_chars)
        except messages.MessageRejected as rejected:
            problems.append(_at(row.line, "opinion_empty") if rejected.reason == "empty" else
                            _at(row.line, "opinion_long", length=rejected.details["length"], maximum=max_chars))
        if id_col:
            if not external_id:
                problems.append(_at(row.line, "number_empty"))
            elif len(external_id) > MAX_ID_CHARS:
                problems.append(_at(row.line, "number_long", maximum=MAX_ID_CHARS))
            elif external_id in first_line_of:
                problems.append(_at(row.line, "number_repeated", number=external_id,
                                        first_line=first_line_of[external_id]))
            else:
                first_line_of[external_id] = row.line
        if time_col and row.values[time_col]:
            try:
                written_at = _written_at(row.values[time_col], local_tz)
            except ValueError:
                problems.append(_at(row.line, "time_unreadable", value=row.values[time_col]))
            else:
                if written_at > now:
                    problems.append(_at(row.line, "time_ahead", value=row.values[time_col]))
        opinions.append(Opinion(row.line, text, external_id or None, written_at))
    if problems:
        raise OfflineImportError(problems)
    return opinions


def store(session: Session, deputy_id: int, opinions: list[Opinion], *, local_tz: tzinfo) -> ImportResult:
    """Store the opinions not stored before (same number, or without numbers the same text, for this deputy)."""
    earlier = session.execute(
        select(Message.external_id, Message.text).where(Message.deputy_id == deputy_id, Message.channel == CHANNEL)
    ).all()
    known_ids = {external_id for external_id, _ in earlier if external_id}
    known_texts = {messages.clean_text(text) for _, text in earlier}
    stored, skipped = [], 0
    for opinion in opinions:
        if (opinion.external_id in known_ids if opinion.external_id
                else messages.clean_text(opinion.text) in known_texts):
            skipped += 1
            continue
        message = messages.submit(session, deputy_id=deputy_id, citizen_id=None, text=opinion.text, channel=CHANNEL,
                                  max_chars=messages.MAX_SUBMISSION_CHARS, local_tz=local_tz, now=opinion.written_at,
                                  external_id=opinion.external_id)
        known_texts.add(messages.clean_text(opinion.text))
        stored.append(message.id)
    return ImportResult(stored, skipped)
