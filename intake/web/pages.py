"""What the suggestion pages share: their history and names, who did a step, a row of a bar chart."""

from __future__ import annotations

from intake.services.lifecycle import choices, views

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
    return name, row["total"], f"{row['total']}件"


def suggestion_context(session, suggestion) -> dict:
    """What every suggestion page shows besides the suggestion: its history and the names in it."""
    unit_names = {unit.id: unit.name for unit in choices.units(session, everyone=True)}
    actor_names = {f"unit:{unit_id}": name for unit_id, name in unit_names.items()}
    actor_names[f"deputy:{suggestion.lead_deputy_id}"] = f"代表 {suggestion.lead_deputy.name}"
    return {"history": views.history(session, suggestion.id), "unit_names": unit_names, "actor_names": actor_names}
