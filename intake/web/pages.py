"""What the suggestion pages share: running a step, their history and names, who did a step, a bar chart's row."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect

from intake.services.console import audit
from intake.services.errors import DomainError, NotFound
from intake.services.lifecycle import choices, views
from intake.web import kept, wording
from intake.web.requests import db

_ACTORS = {"staff": "代表工委", "unit": "承办单位", "deputy": "代表", "system": "系统"}


def actor_name(actor: str, names: dict | None = None) -> str:
    """"unit:5" reads as the unit's name when the page knows it, else as the kind of person who acted."""
    kind = (actor or "").partition(":")[0]
    known = (names or {}).get(actor)
    if known:
        return known
    return _ACTORS.get(kind, "系统")


def chart_row(row) -> tuple[str, float, str]:
    """A breakdown row as a bar: its name, its count as the bar's length and the count written beside it."""
    name = row["name"] or "（未填）"
    return name, row["total"], f"{row['total']} 件"


def suggestion_context(session, suggestion) -> dict:
    """What every suggestion page shows besides the suggestion: its history and the names in it."""
    unit_names = {unit.id: unit.name for unit in choices.units(session, everyone=True)}
    history = views.history(session, suggestion.id)
    actor_names = {f"unit:{unit_id}": name for unit_id, name in unit_names.items()}
    actor_names[f"deputy:{suggestion.lead_deputy_id}"] = f"代表 {suggestion.lead_deputy.name}"
    # A clerk with a name (姓名) is named beside the office; one without stays 代表工委, never a login.
    for login, name in audit.staff_names(session, [event.actor for event in history.events]).items():
        actor_names[f"staff:{login}"] = f"{_ACTORS['staff']} {name}"
    return {"history": history, "unit_names": unit_names, "actor_names": actor_names,
            "suggested_unit_shown": views.suggested_unit_shown(session, suggestion)}


def save(change: Callable[[], object], done: str | Callable[[object], str], then: str,
         page: Callable[[], str] | None = None, shown: Callable[[object], str] | None = None):
    """Run one change a form asked for: committed and confirmed, or rolled back with the reason shown.

    A refusal shows `page` again (the form's own page, drawn with kept.typed) so nothing typed is lost, as 422: the
    form was read and its content refused. A form with nothing worth keeping may go back to `then` instead.
    `shown` draws the result in this very response instead of going to `then`: a secret shown once (a one-time
    link) must not travel in an address or a cookie."""
    try:
        result = change()
    except NotFound:
        abort(404)
    except DomainError as refused:
        db().rollback()
        kept.refused()
        flash(wording.of(refused), "error")
        return (page(), 422) if page is not None else redirect(then)
    db().commit()
    flash(done(result) if callable(done) else done, "ok")
    return shown(result) if shown is not None else redirect(then)
