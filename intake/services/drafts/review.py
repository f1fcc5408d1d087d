"""What a deputy does with a draft: edit a section, merge, move a message out, co-signers, approve, discard.

Every change is checked against the version the deputy's page showed (two open tabs cannot silently
overwrite each other) and kept as a revision, so nothing a deputy wrote is ever lost. The deputy's row is
locked first, in the same order as the batch job, so a merge cannot race a batch run for that deputy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.models import Deputy, Draft, DraftMessage, DraftRevision, DraftStatus, stages, utcnow
from intake.services import plain_text
from intake.services.console import audit
from intake.services.errors import DraftConflict, InvalidInput, InvalidTransition, NotFound
from intake.services.drafts import drafting, group_index, unit_choices
from intake.services.drafts.draft_text import lines_of, text_of
from intake.services.drafts.composing import compose

# The parts of a draft a deputy may rewrite, in the order of the document.
SECTIONS = {"title": "标题", "situation": "基本情况", "problems": "存在问题", "proposals": "具体建议",
            "handling_unit": "建议承办单位"}
MAX_SECTION_CHARS = 5000
# A title names the problem in a line (关于…的建议): 5,000 characters were accepted, and a suggestion keeps 200.
MAX_TITLE_CHARS = 100
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class DraftRequest:
    """A deputy's change to their draft, at the version their page showed; `text` is what they wrote, kept
    if it cannot be saved."""

    deputy_id: int
    draft_id: int
    version: int
    section: str | None = None
    text: str | None = None

    @property
    def actor(self) -> str:
        return f"deputy:{self.deputy_id}"


class _Moved(Exception):
    """The draft changed since the deputy's page was loaded."""

    def __init__(self, draft: Draft):
        super().__init__(f"draft {draft.id} is at version {draft.version}")
        self.draft = draft


def record_revision(session: Session, draft: Draft, actor: str, action: str, section: str | None = None,
              before: dict | None = None, after: dict | None = None) -> None:
    session.add(DraftRevision(draft_id=draft.id, version=draft.version, actor=actor, action=action,
                              section=section, before=before or {}, after=after or {}))
    audit.record(session, actor, f"draft.{action}", f"draft:{draft.id}", before, after)


def _claim(session: Session, asked: DraftRequest) -> Draft:
    """The open draft at the version the deputy saw, now one version on; _Moved (before any write) if it
    moved since."""
    deputy_id, draft_id, version = asked.deputy_id, asked.draft_id, asked.version
    session.get(Deputy, deputy_id, with_for_update=True)
    claimed = session.execute(
        update(Draft).where(Draft.id == draft_id, Draft.deputy_id == deputy_id, Draft.version == version,
                            Draft.status == DraftStatus.OPEN)
        .values(version=Draft.version + 1).execution_options(synchronize_session=False)
    ).rowcount
    draft = session.get(Draft, draft_id, populate_existing=True)
    if draft is None or draft.deputy_id != deputy_id or draft.status not in drafting.VISIBLE_TO_DEPUTY:
        raise NotFound("draft")
    if claimed != 1:
        raise _Moved(draft)
    return draft


def _kept_on_conflict(change):
    """A change that meets a newer version of the draft keeps what the deputy sent (the caller commits it)
    and raises DraftConflict; one that meets a draft no longer editable raises InvalidTransition."""

    @functools.wraps(change)
    def run(session: Session, asked: DraftRequest, *args, **kwargs) -> Draft:
        try:
            return change(session, asked, *args, **kwargs)
        except _Moved as moved:
            if not stages.editable(moved.draft.status):
                raise InvalidTransition("draft_not_editable") from None
            if asked.text is not None:
                record_revision(session, moved.draft, asked.actor, "conflict", asked.section, after={"text": asked.text})
            raise DraftConflict("draft_conflict", draft_id=moved.draft.id) from None

    return run


@_kept_on_conflict
def edit_section(session: Session, asked: DraftRequest) -> Draft:
    draft = _claim(session, asked)  # first: someone else's draft is a 404, whatever was sent
    # A pasted control character is invisible here, and the suggestion made of the draft could not store it.
    section, text = asked.section or "", plain_text.writable((asked.text or "").replace("\r\n", "\n")).strip()
    if section not in SECTIONS:
        raise InvalidInput("section_unknown")
    if not text and section == "title":
        raise InvalidInput("title_empty")
    if section == "title" and len(text) > MAX_TITLE_CHARS:
        raise InvalidInput("title_too_long", maximum=MAX_TITLE_CHARS, length=len(text))
    if len(text) > MAX_SECTION_CHARS:
        raise InvalidInput("section_too_long", maximum=MAX_SECTION_CHARS, length=len(text))
    before = text_of(draft, section)
    draft.edits = {**(draft.edits or {}), section: text}
    record_revision(session, draft, asked.actor, "edit", section, {"text": before}, {"text": text})
    return draft


@_kept_on_conflict
def merge(session: Session, asked: DraftRequest, other_id: int, local_tz: tzinfo) -> Draft:
    """Move every message of the other open draft into this one; the other is kept, marked merged. This draft's
    text is kept (its edits, the rest written again from all the messages); the other's edits go into this draft's
    修改记录, not its text: each was written about the other's messages only, and putting it in would replace what
    this draft says of its own (two edits of one section only the deputy can make one)."""
    draft, actor = _claim(session, asked), asked.actor
    if not other_id or other_id == asked.draft_id:
        raise InvalidInput("merge_other_missing")
    other = session.scalar(select(Draft).where(Draft.id == other_id, Draft.deputy_id == asked.deputy_id,
                                               Draft.status == DraftStatus.OPEN).with_for_update())
    if other is None:
        raise NotFound("draft")
    links = list(other.links)
    moved = [link.message_id for link in links]
    other.links.clear()
    session.flush()
    # The messages keep when they first joined a draft: merging does not make them "new" to the deputy.
    draft.links.extend(DraftMessage(message=link.message, added_at=link.added_at) for link in links)
    other.status, other.merged_into_id, other.version = DraftStatus.MERGED, draft.id, other.version + 1
    group_index.reindex(session, [draft, other])
    compose(draft, local_tz, unit_choices.load(session))
    # What the deputy wrote on the other draft stays readable where its messages went.
    record_revision(session, draft, actor, "merge", after={"from_draft": other.id, "messages": moved,
                                                     "edits": dict(other.edits or {})})
    record_revision(session, other, actor, "merged", after={"into_draft": draft.id, "messages": moved})
    return draft


@_kept_on_conflict
def move_out(session: Session, asked: DraftRequest, message_id: int, local_tz: tzinfo) -> Draft:
    """Take one message out of the draft into a new draft of its own; returns the new draft."""
    draft, actor = _claim(session, asked), asked.actor
    link = next((link for link in draft.links if link.message_id == message_id), None)
    if link is None:
        raise NotFound("message")
    if len(draft.links) == 1:
        raise InvalidInput("last_message")
    title = draft.title
    new = drafting.draft_from(session, [link.message], local_tz)
    draft.title = title  # the deputy knows the draft by its name: taking one message out does not rename it
    new.viewed_at = utcnow()  # the deputy made it and is looking at it: nothing in it is new to them
    record_revision(session, draft, actor, "move_out", after={"message": message_id, "to_draft": new.id})
    record_revision(session, new, actor, "split", after={"message": message_id, "from_draft": draft.id})
    return new


@_kept_on_conflict
def set_cosigners(session: Session, asked: DraftRequest, cosigner_ids: list[int]) -> Draft:
    draft, actor = _claim(session, asked), asked.actor
    wanted = sorted(set(cosigner_ids) - {asked.deputy_id})
    found = session.scalars(select(Deputy).where(Deputy.id.in_(wanted), Deputy.active.is_(True))).all()
    if len(found) != len(wanted):
        raise InvalidInput("cosigner_invalid")
    before = [d.name for d in draft.cosigners]
    draft.cosigners = sorted(found, key=lambda d: d.id)
    record_revision(session, draft, actor, "cosigners", before={"names": before}, after={"names": [d.name for d in found]})
    return draft


@_kept_on_conflict
def show_names(session: Session, asked: DraftRequest, shown: bool) -> Draft:
    """The deputy shows (or hides again) the names of third persons that citizens wrote into the messages."""
    draft = _claim(session, asked)
    before, draft.names_shown = draft.names_shown, shown
    record_revision(session, draft, asked.actor, "names", before={"shown": before}, after={"shown": shown})
    return draft


@_kept_on_conflict
def approve(session: Session, asked: DraftRequest) -> Draft:
    """The deputy signs the draft and submits it to the congress office; from now on nothing changes it."""
    draft, actor = _claim(session, asked), asked.actor
    if not lines_of(draft, "problems") and not lines_of(draft, "proposals"):
        raise InvalidInput("nothing_to_submit")
    draft.status, draft.submitted_at = DraftStatus.APPROVED, utcnow()
    record_revision(session, draft, actor, "approve", after={"title": text_of(draft, "title")})
    return draft


@_kept_on_conflict
def discard(session: Session, asked: DraftRequest, reason: str) -> Draft:
    draft, actor = _claim(session, asked), asked.actor
    reason = plain_text.writable(reason).strip()  # a pasted control character is invisible, and unstorable
    if not reason:
        raise InvalidInput("reason_missing")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput("reason_too_long", maximum=MAX_REASON_CHARS)
    draft.status, draft.discard_reason = DraftStatus.DISCARDED, reason
    record_revision(session, draft, actor, "discard", after={"reason": reason})
    return draft
