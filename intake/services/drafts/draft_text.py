"""What a draft says now: the text the job generated and the deputy's own words over it."""

from __future__ import annotations

from intake.models import Draft


def point_line(item: dict) -> str:
    """A point as the draft says it: the citizens' sentence, and how many citizens said it when several did."""
    citizens = item.get("citizens", 1)
    return f"{item['text']}（{citizens}位群众反映）" if citizens > 1 else item["text"]


def generated_text(draft: Draft, section: str) -> str:
    sections = draft.sections or {}
    if section == "title":
        return draft.title
    if section in ("problems", "proposals"):
        return "\n".join(point_line(item) for item in sections.get(section, []))
    return sections.get(section) or ""


def text_of(draft: Draft, section: str) -> str:
    """What the draft says in a section now: the deputy's own words where they wrote some."""
    edits = draft.edits or {}
    return edits[section] if section in edits else generated_text(draft, section)


def lines_of(draft: Draft, section: str) -> list[str]:
    return [line.strip() for line in text_of(draft, section).splitlines() if line.strip()]
