"""What a deputy does with a draft: edit a section, merge, move a message out, co-signers, approve, discard.

Every change is checked against the version the deputy's page showed (two open tabs cannot silently
overwrite each other) and kept as a revision, so nothing a deputy wrote is ever lost. The deputy's row is
locked first, in the same order as the batch job, so a merge cannot race a batch run for that deputy.
"""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.models import Deputy, Draft, DraftMessage, DraftRevision, DraftStatus, utcnow
from intake.services.console import audit
from intake.services.drafts import drafting, group_index
from intake.services.drafts.composing import compose

# The parts of a draft a deputy may rewrite, in the order of the document.
SECTIONS = {"title": "标题", "situation": "基本情况", "problems": "存在问题", "proposals": "具体建议",
            "handling_unit": "建议承办单位"}
MAX_SECTION_CHARS = 5000
MAX_REASON_CHARS = 500


class ReviewError(ValueError):
    """The deputy's request cannot be carried out; the message says why, in Chinese."""


class Conflict(Exception):
    """The draft changed since the deputy's page was loaded."""

    def __init__(self, draft: Draft):
        super().__init__(f"draft {draft.id} is at version {draft.version}")
        self.draft = draft


def generated_text(draft: Draft, section: str) -> str:
    sections = draft.sections or {}
    if section == "title":
        return draft.title
    if section in ("problems", "proposals"):
        return "\n".join(item["text"] for item in sections.get(section, []))
    return sections.get(section) or ""


def text_of(draft: Draft, section: str) -> str:
    """What the draft says in a section now: the deputy's own words where they wrote some."""
    edits = draft.edits or {}
    return edits[section] if section in edits else generated_text(draft, section)


def lines_of(draft: Draft, section: str) -> list[str]:
    return [line.strip() for line in text_of(draft, section).splitlines() if line.strip()]


def _revision(session: Session, draft: Draft, actor: str, action: str, section: str | None = None,
              before: dict | None = None, after: dict | None = None) -> None:
    session.add(DraftRevision(draft_id=draft.id, version=draft.version, actor=actor, action=action,
                              section=section, before=before or {}, after=after or {}))
    audit.record(session, actor, f"draft.{action}", f"draft:{draft.id}", before, after)


def _claim(session: Session, deputy_id: int, draft_id: int, version: int) -> Draft:
    """The open draft at the version the deputy saw, now one version on; Conflict if it moved since."""
    session.get(Deputy, deputy_id, with_for_update=True)
    claimed = session.execute(
        update(Draft).where(Draft.id == draft_id, Draft.deputy_id == deputy_id, Draft.version == version,
                            Draft.status == DraftStatus.OPEN)
        .values(version=Draft.version + 1).execution_options(synchronize_session=False)
    ).rowcount
    draft = session.get(Draft, draft_id, populate_existing=True)
    if draft is None or draft.deputy_id != deputy_id or draft.status not in drafting.VISIBLE_TO_DEPUTY:
        raise LookupError(draft_id)
    if claimed != 1:
        raise Conflict(draft)
    return draft


def record_conflict(session: Session, draft: Draft, actor: str, section: str | None, text: str | None) -> None:
    """Keep what the deputy sent but could not save, so it is not lost when they reload."""
    if text is not None:
        _revision(session, draft, actor, "conflict", section, after={"text": text})


def edit_section(session: Session, deputy_id: int, draft_id: int, version: int, section: str, text: str,
                 actor: str) -> Draft:
    draft = _claim(session, deputy_id, draft_id, version)  # first: someone else's draft is a 404, whatever was sent
    if section not in SECTIONS:
        raise ReviewError("没有这一部分。")
    text = text.replace("\r\n", "\n").strip()
    if not text and section == "title":
        raise ReviewError("标题不能为空。")
    if len(text) > MAX_SECTION_CHARS:
        raise ReviewError(f"这一部分最多 {MAX_SECTION_CHARS} 字，现在是 {len(text)} 字。")
    before = text_of(draft, section)
    draft.edits = {**(draft.edits or {}), section: text}
    _revision(session, draft, actor, "edit", section, {"text": before}, {"text": text})
    return draft


def merge(session: Session, deputy_id: int, draft_id: int, version: int, other_id: int, actor: str,
          local_tz: tzinfo) -> Draft:
    """Move every message of the other open draft into this one; the other is kept, marked merged."""
    draft = _claim(session, deputy_id, draft_id, version)
    if other_id == draft_id:
        raise ReviewError("请选择另一份草稿。")
    other = session.scalar(select(Draft).where(Draft.id == other_id, Draft.deputy_id == deputy_id,
                                               Draft.status == DraftStatus.OPEN).with_for_update())
    if other is None:
        raise LookupError(other_id)
    links = list(other.links)
    moved = [link.message_id for link in links]
    other.links.clear()
    session.flush()
    # The messages keep when they first joined a draft: merging does not make them "new" to the deputy.
    draft.links.extend(DraftMessage(message=link.message, added_at=link.added_at) for link in links)
    other.status, other.merged_into_id, other.version = DraftStatus.MERGED, draft.id, other.version + 1
    group_index.reindex(session, [draft, other])
    compose(draft, local_tz)
    # What the deputy wrote on the other draft stays readable where its messages went.
    _revision(session, draft, actor, "merge", after={"from_draft": other.id, "messages": moved,
                                                     "edits": dict(other.edits or {})})
    _revision(session, other, actor, "merged", after={"into_draft": draft.id, "messages": moved})
    return draft


def move_out(session: Session, deputy_id: int, draft_id: int, version: int, message_id: int, actor: str,
             local_tz: tzinfo) -> Draft:
    """Take one message out of the draft into a new draft of its own; returns the new draft."""
    draft = _claim(session, deputy_id, draft_id, version)
    link = next((link for link in draft.links if link.message_id == message_id), None)
    if link is None:
        raise LookupError(message_id)
    if len(draft.links) == 1:
        raise ReviewError("这份草稿只有这一条留言，不能再移出。")
    title = draft.title
    new = drafting.draft_from(session, [link.message], local_tz)
    draft.title = title  # the deputy knows the draft by its name: taking one message out does not rename it
    new.viewed_at = utcnow()  # the deputy made it and is looking at it: nothing in it is new to them
    _revision(session, draft, actor, "move_out", after={"message": message_id, "to_draft": new.id})
    _revision(session, new, actor, "split", after={"message": message_id, "from_draft": draft.id})
    return new


def set_cosigners(session: Session, deputy_id: int, draft_id: int, version: int, cosigner_ids: list[int],
                  actor: str) -> Draft:
    draft = _claim(session, deputy_id, draft_id, version)
    wanted = sorted(set(cosigner_ids) - {deputy_id})
    found = session.scalars(select(Deputy).where(Deputy.id.in_(wanted), Deputy.active.is_(True))).all()
    if len(found) != len(wanted):
        raise ReviewError("所选代表中有人不在任或不存在，请重新选择。")
    before = [d.name for d in draft.cosigners]
    draft.cosigners = sorted(found, key=lambda d: d.id)
    _revision(session, draft, actor, "cosigners", before={"names": before}, after={"names": [d.name for d in found]})
    return draft


def approve(session: Session, deputy_id: int, draft_id: int, version: int, actor: str) -> Draft:
    """The deputy signs the draft and submits it to the congress office; from now on nothing changes it."""
    draft = _claim(session, deputy_id, draft_id, version)
    if not lines_of(draft, "problems") and not lines_of(draft, "proposals"):
        raise ReviewError("“存在问题”和“具体建议”都是空的，请至少写一条再提交。")
    draft.status, draft.submitted_at = DraftStatus.APPROVED, utcnow()
    _revision(session, draft, actor, "approve", after={"title": text_of(draft, "title")})
    return draft


def discard(session: Session, deputy_id: int, draft_id: int, version: int, reason: str, actor: str) -> Draft:
    draft = _claim(session, deputy_id, draft_id, version)
    reason = reason.strip()
    if not reason:
        raise ReviewError("请写明放弃的理由。")
    if len(reason) > MAX_REASON_CHARS:
        raise ReviewError(f"理由最多 {MAX_REASON_CHARS} 字。")
    draft.status, draft.discard_reason = DraftStatus.DISCARDED, reason
    _revision(session, draft, actor, "discard", after={"reason": reason})
    return draft
