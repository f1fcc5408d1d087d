"""Colleagues invited to co-sign a draft: listed as co-signers at once, told on their own home page, and free
to confirm (cosign) or to decline, which takes them off the draft while it is still open. Whether the lead
invited them in one tap or ticked them in the list of co-signers, they are asked alike. A colleague who declined
is not listed or asked again by the lead: only they can change their mind, while the draft is open."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake.models import Deputy, Draft, DraftCosigner, DraftInvitation, DraftMessage, DraftStatus, utcnow
from intake.services.drafts import group_index, review
from intake.services.errors import InvalidInput, NotFound

ANSWERS = ("cosign", "decline")


def invite(session: Session, draft: Draft, deputies: Iterable[Deputy]) -> None:
    """These colleagues were just made co-signers of the draft: each is asked (again, if the lead had taken them
    off since they answered)."""
    asked = {invitation.deputy_id: invitation for invitation in draft.invitations}
    for deputy in deputies:
        if deputy.id == draft.deputy_id:
            continue
        invitation = asked.get(deputy.id)
        if invitation is None:
            draft.invitations.append(DraftInvitation(deputy_id=deputy.id))
        else:
            invitation.invited_at, invitation.answer, invitation.answered_at = utcnow(), None, None


def choose(session: Session, asked: review.DraftRequest, cosigner_ids: list[int]) -> Draft:
    """The lead sets the draft's co-signers; those newly listed are asked on their home page."""
    listed = set(session.scalars(select(DraftCosigner.deputy_id).where(DraftCosigner.draft_id == asked.draft_id)))
    refused = set(session.scalars(select(DraftInvitation.deputy_id).where(
        DraftInvitation.draft_id == asked.draft_id, DraftInvitation.answer == "decline")))
    draft = review.set_cosigners(session, asked, [i for i in cosigner_ids if i not in refused])
    invite(session, draft, [deputy for deputy in draft.cosigners if deputy.id not in listed])
    return draft


def declined(draft: Draft) -> set[int]:
    """The colleagues who declined this draft: its page shows them as 已谢绝, not as someone to ask."""
    return {invitation.deputy_id for invitation in draft.invitations if invitation.answer == "decline"}


def _declined(deputy_id: int):
    """Open drafts the deputy declined: they alone may still choose to co-sign them."""
    return (select(DraftInvitation).join(Draft, Draft.id == DraftInvitation.draft_id)
            .where(DraftInvitation.deputy_id == deputy_id, DraftInvitation.answer == "decline",
                   Draft.status == DraftStatus.OPEN))


def _waiting(deputy_id: int):
    """Unanswered invitations on open drafts that still list the deputy as a co-signer (the lead may have
    taken them off since)."""
    return (select(DraftInvitation).join(Draft, Draft.id == DraftInvitation.draft_id)
            .where(DraftInvitation.deputy_id == deputy_id, DraftInvitation.answer.is_(None),
                   Draft.status == DraftStatus.OPEN, Draft.id.in_(_listing(deputy_id))))


def _listing(deputy_id: int):
    """The drafts listing the deputy as a co-signer."""
    return select(DraftCosigner.draft_id).where(DraftCosigner.deputy_id == deputy_id)


def _given(session: Session, deputy_id: int, draft_id: int, reply: str) -> bool:
    """The deputy's answer to this open draft is already this one (a double tap, a resend), and still holds:
    a co-signature the lead has not taken off since."""
    query = (select(DraftInvitation.draft_id).join(Draft, Draft.id == DraftInvitation.draft_id)
             .where(DraftInvitation.deputy_id == deputy_id, DraftInvitation.draft_id == draft_id,
                    DraftInvitation.answer == reply, Draft.status == DraftStatus.OPEN))
    if reply == "cosign":
        query = query.where(Draft.id.in_(_listing(deputy_id)))
    return session.scalar(query) is not None


def waiting(session: Session, deputy_id: int) -> list[DraftInvitation]:
    """What the deputy's home page asks them to answer, the latest first."""
    query = _waiting(deputy_id).options(selectinload(DraftInvitation.draft).selectinload(Draft.deputy))
    return list(session.scalars(query.order_by(DraftInvitation.invited_at.desc(), DraftInvitation.draft_id.desc())))


def declined_by(session: Session, deputy_id: int) -> list[DraftInvitation]:
    """The open drafts the deputy declined, listed on their home page should they change their mind."""
    query = _declined(deputy_id).options(selectinload(DraftInvitation.draft).selectinload(Draft.deputy))
    return list(session.scalars(query.order_by(DraftInvitation.answered_at.desc(), DraftInvitation.draft_id.desc())))


def message_counts(session: Session, invitations: Iterable[DraftInvitation]) -> dict[int, int]:
    """How many messages each invited draft holds, by draft id: the home page tells the invited deputy's own draft
    of the same title from the colleague's by it (the messages themselves stay the lead's)."""
    ids = [invitation.draft_id for invitation in invitations]
    if not ids:
        return {}
    return dict(session.execute(select(DraftMessage.draft_id, func.count()).where(DraftMessage.draft_id.in_(ids))
                                .group_by(DraftMessage.draft_id)).all())


def asking(session: Session, deputy_id: int, draft_id: int) -> DraftInvitation:
    """The invitation to this draft that the deputy's home page shows (unanswered, or declined while the draft is
    open): only then may they read the draft they are asked to co-sign. NotFound for anyone else."""
    for query in (_waiting(deputy_id), _declined(deputy_id)):
        invitation = session.scalar(query.where(DraftInvitation.draft_id == draft_id))
        if invitation is not None:
            return invitation
    raise NotFound("invitation")


def answer(session: Session, deputy_id: int, draft_id: int, reply: str) -> Draft:
    """The invited deputy confirms or declines, or co-signs after all a draft they declined; the same answer sent
    again changes nothing. NotFound when there is no such question for them."""
    lead = session.scalar(select(Draft.deputy_id).where(Draft.id == draft_id))
    if lead is None:
        raise NotFound("draft")
    group_index.lock(session, lead)  # in the lead deputy's order: a change of theirs cannot race this one
    invitation = session.scalar(_waiting(deputy_id).where(DraftInvitation.draft_id == draft_id))
    if invitation is None and reply == "cosign":
        invitation = session.scalar(_declined(deputy_id).where(DraftInvitation.draft_id == draft_id))
    if invitation is None:
        if _given(session, deputy_id, draft_id, reply):
            return session.get(Draft, draft_id)
        raise NotFound("invitation")
    if reply not in ANSWERS:
        raise InvalidInput("invitation_answer")
    draft = session.get(Draft, draft_id, populate_existing=True)
    invitation.answer, invitation.answered_at = reply, utcnow()
    actor = f"deputy:{deputy_id}"
    if reply == "decline":
        before = [d.name for d in draft.cosigners]
        draft.cosigners = [d for d in draft.cosigners if d.id != deputy_id]
        draft.version += 1  # the lead's page showing the old co-signers must reload before changing them
        review.record_revision(session, draft, actor, "decline", before={"names": before},
                               after={"names": [d.name for d in draft.cosigners]})
    else:
        if all(d.id != deputy_id for d in draft.cosigners):  # they declined before and changed their mind
            deputy = session.get(Deputy, deputy_id)
            draft.cosigners = sorted([*draft.cosigners, deputy], key=lambda d: d.id)
            draft.version += 1
        review.record_revision(session, draft, actor, "cosign", after={"names": [d.name for d in draft.cosigners]})
    session.flush()
    return draft
