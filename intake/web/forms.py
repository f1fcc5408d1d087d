"""Form values turned into the typed requests the domain takes; nothing here decides what is valid."""

from __future__ import annotations

import re

from intake.models import as_id
from intake.services.console.actions import StaffAction
from intake.services.console.admin import DeputyInput, StaffInput


def _number(form, name: str) -> int | None:
    return as_id(form.get(name))


def staff_action(form) -> StaffAction:
    return StaffAction(
        kind=form.get("action", ""),
        message_ids=tuple(sorted({n for n in map(as_id, form.getlist("ids")) if n})),
        topic=form.get("new_topic", ""), reason=form.get("reason", ""),
        duplicate_of=_number(form, "duplicate_of"), to_deputy=_number(form, "to_deputy"), note=form.get("note", ""),
        draft=_number(form, "draft"),
    )


def deputy_input(form) -> DeputyInput:
    return DeputyInput(
        name=(form.get("name") or "").strip(), level=(form.get("level") or "").strip(),
        station_id=_number(form, "station"), phone=re.sub(r"[\s-]", "", form.get("phone") or "") or None,
        active=form.get("active") == "on", password=form.get("password") or "",
    )


def staff_input(form) -> StaffInput:
    return StaffInput(username=(form.get("username") or "").strip(), role=form.get("role") or "",
                      password=form.get("password") or "", station_id=_number(form, "station"))
