"""Form values turned into the typed requests the domain takes; nothing here decides what is valid."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from intake.models import as_id
from intake.services.console.actions import StaffAction
from intake.services.console.admin import DeputyInput, StaffInput
from intake.services.console.tables import Row, TableError, read_table
from intake.services.lifecycle.views import OfficeFilters
from intake.services.plain_text import writable


def text(form, name: str) -> str:
    """A typed field without control characters: they are invisible, and PostgreSQL refuses a NUL."""
    return writable(form.get(name) or "").strip()


def number(form, name: str) -> int | None:
    return as_id(form.get(name))


def staff_action(form) -> StaffAction:
    return StaffAction(
        kind=form.get("action", ""),
        message_ids=tuple(sorted({n for n in map(as_id, form.getlist("ids")) if n})),
        topic=form.get("new_topic", ""), reason=form.get("reason", ""),
        duplicate_of=text(form, "duplicate_of"), to_deputy=number(form, "to_deputy"), note=form.get("note", ""),
        draft=number(form, "draft"),
    )


def deputy_input(form) -> DeputyInput:
    return DeputyInput(
        name=text(form, "name"), level=text(form, "level"),
        station_id=number(form, "station"), phone=text(form, "phone") or None,
        active=form.get("active") == "on", password=form.get("password") or "",
    )


def staff_input(form) -> StaffInput:
    return StaffInput(username=text(form, "username"), role=form.get("role") or "",
                      password=form.get("password") or "", station_id=number(form, "station"),
                      unit_id=number(form, "unit"), display_name=form.get("display_name") or "")


def _ids(form, name: str) -> list[int]:
    return sorted({n for n in map(as_id, form.getlist(name)) if n})


# The query parameters the office's list filters by, the only ones its pager links carry on.
SUGGESTION_FILTERS = ("year", "status", "unit", "q", "key", "overdue")


def query_of(address: str) -> MultiDict:
    """The query parameters of an address within the site (a list's filters, carried in a form's return_to)."""
    return MultiDict(parse_qsl(urlsplit(address).query))


def suggestion_filters(args) -> OfficeFilters:
    # Control characters match nothing a person typed, and PostgreSQL refuses a NUL in a parameter.
    return OfficeFilters(year=as_id(args.get("year")), status=writable(args.get("status") or "").strip()[:20],
                         unit_id=as_id(args.get("unit")), text=writable(args.get("q") or "").strip()[:100],
                         key_only=args.get("key") == "1", overdue_only=args.get("overdue") == "1")


def assignment(form) -> dict:
    return {"suggestion_ids": _ids(form, "ids"), "lead_unit_id": as_id(form.get("lead_unit")),
            "co_unit_ids": _ids(form, "co_units"), "deadline": text(form, "deadline"),
            "key_supervision": form.get("key_supervision") == "on",
            "supervisor": text(form, "supervisor"), "note": text(form, "note")}


def hand_suggestion(form) -> dict:
    return {"title": text(form, "title"), "lead_deputy_id": as_id(form.get("lead_deputy")),
            "cosigner_ids": _ids(form, "cosigners"), "kind": form.get("kind") or "",
            "topic": text(form, "topic"), "situation": text(form, "situation"),
            "problems": text(form, "problems"), "proposals": text(form, "proposals")}


def contact(form) -> dict:
    return {"stage": form.get("stage") or "", "way": form.get("way") or "", "on": text(form, "on"),
            "who": text(form, "who"), "note": text(form, "note")}


def table(upload, missing: str) -> list[Row]:
    """The rows of an uploaded .xlsx or .csv (a roster, a list of units); refused when no file was chosen, with the
    wording `missing` that names the file the page asks for (a list of units is no 名册)."""
    if upload is None or not upload.filename:
        raise TableError(missing)
    return read_table(upload.filename, upload.read())


def reply(form, upload) -> dict:
    attachment = (upload.filename, upload.read()) if upload is not None and upload.filename else None
    return {"text": text(form, "text"), "category": form.get("category") or "",
            "promised_date": text(form, "promised_date"), "attachment": attachment}


def unit_input(form) -> dict:
    return {"name": text(form, "name"), "short_name": text(form, "short_name"),
            "contact_person": text(form, "contact_person"), "phone": text(form, "phone"),
            "email": text(form, "email"), "active": form.get("active") == "on"}
