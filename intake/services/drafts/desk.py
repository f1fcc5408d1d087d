"""The deputy's desk: problems still collecting, and drafts a deputy makes from them or from chosen messages.

The automatic threshold (`DRAFT_MIN_CITIZENS`) only decides what becomes a draft by itself: a deputy may
make a draft of any group still collecting, of messages they tick, or add ticked messages to an open draft.
Colleagues of the same station who received the same problem are found with the grouping's own Grouper
(their groups are what this deputy's messages would join), so that both can sign one suggestion together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session, selectinload

from intake.models import Deputy, Draft, DraftMessage, DraftStatus, Message, MessageStatus, stages, utcnow
from intake.services.drafts import drafting, group_index, grouping, invitations, review, unit_choices
from intake.services.drafts.composing import compose
from intake.services.drafts.overview import HIDDEN
from intake.services.errors import Conflict, InvalidInput, NotFound

PAGE_SIZE = 30
HOME_GROUPS = 10  # the home page shows the latest few; the rest are one tap away
# What a deputy may gather into a draft: tagged messages, grouped or not (a message still being tagged waits).
USABLE = (MessageStatus.TAGGED, MessageStatus.DRAFTED)
# Where a colleague's messages on the same problem may be: not yet a draft, or a draft not yet submitted.
SHARED_STAGES = (DraftStatus.COLLECTING, DraftStatus.OPEN)
SHARED_LIMIT = 2000  # colleagues' latest messages compared with (the comparison is rebuilt for each page)
_TITLE = re.compile(r"关于(.+)的建议")


@dataclass(frozen=True)
class GroupLine:
    group: Draft
    label: str
    messages: int
    citizens: int
    latest: datetime


@dataclass(frozen=True)
class GroupPage:
    lines: list[GroupLine]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Echo:
    """The same problem at colleagues of the deputy's station: how many messages they received, and who."""

    messages: int = 0
    deputies: list[Deputy] = field(default_factory=list)


def label_of(session: Session, group: Draft) -> str:
    """A group as a deputy names it: the problem its title names (幸福小区路灯问题), else its topic."""
    return _labels(session, [group])[group.id]


def _labels(session: Session, groups: list[Draft]) -> dict[int, str]:
    # A group of one message has no stored title (drafting.titles): a page titles its few such groups.
    titles, labels = drafting.titles(session, groups), {}
    for group in groups:
        found = _TITLE.fullmatch(titles[group.id] or "")
        labels[group.id] = found.group(1) if found else f"{group.topic}方面的留言"
    return labels


def problem_in(title: str) -> str:
    """The problem a title 关于…的建议 names, or the title as the deputy wrote it: a narrow picker shows what
    tells drafts apart, not the words every title shares."""
    found = _TITLE.fullmatch(title or "")
    return found.group(1) if found else title


def _lines(session: Session, where: list, page: int, page_size: int) -> GroupPage:
    """Collecting groups matching `where`, the latest message first, with their numbers, one page of them."""
    visible = Message.status.not_in(HIDDEN)
    total = session.scalar(select(func.count()).select_from(Draft).where(Draft.status == DraftStatus.COLLECTING,
                                                                         *where))
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    anonymous = case((Message.citizen_id.is_(None), 1), else_=0)
    latest = func.max(Message.created_at)
    rows = session.execute(
        select(Draft, func.count(DraftMessage.message_id), func.count(distinct(Message.citizen_id)),
               func.sum(anonymous), latest)
        .join(DraftMessage, DraftMessage.draft_id == Draft.id)
        .join(Message, Message.id == DraftMessage.message_id)
        .where(Draft.status == DraftStatus.COLLECTING, visible, *where)
        .group_by(Draft.id)
        .order_by(latest.desc(), Draft.id.desc())
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    labels = _labels(session, [row[0] for row in rows])
    lines = [GroupLine(group, labels[group.id], total_messages, citizens + (anonymous_count or 0), last)
             for group, total_messages, citizens, anonymous_count, last in rows]
    return GroupPage(lines, page, pages, total)


def collecting(session: Session, deputy_id: int, page: int = 1, page_size: int = PAGE_SIZE) -> GroupPage:
    """The deputy's problems not yet drafts, newest message first."""
    return _lines(session, [Draft.deputy_id == deputy_id], page, page_size)


def collecting_for_staff(session: Session, station_id: int | None, page: int = 1) -> GroupPage:
    """Every deputy's collecting groups, or those of one station's deputies (station staff)."""
    where = [] if station_id is None else [
        Draft.deputy_id.in_(select(Deputy.id).where(Deputy.station_id == station_id))]
    return _lines(session, where, page, PAGE_SIZE)


def _group(session: Session, group_id: int, deputy_id: int | None = None,
           station_id: int | None = None) -> Draft:
    query = (select(Draft).where(Draft.id == group_id, Draft.status == DraftStatus.COLLECTING)
             .options(selectinload(Draft.links).selectinload(DraftMessage.message)))
    if deputy_id is not None:
        query = query.where(Draft.deputy_id == deputy_id)
    if station_id is not None:
        query = query.where(Draft.deputy_id.in_(select(Deputy.id).where(Deputy.station_id == station_id)))
    group = session.scalar(query)
    if group is None:
        raise NotFound("group")
    return group


def group_of(session: Session, deputy_id: int, group_id: int) -> Draft:
    """One of the deputy's collecting groups; NotFound for anyone else's, or once it is a draft."""
    return _group(session, group_id, deputy_id=deputy_id)


def group_for_staff(session: Session, station_id: int | None, group_id: int) -> Draft:
    return _group(session, group_id, station_id=station_id)


def messages_of(group: Draft) -> list[Message]:
    """The group's messages a deputy may read, newest first."""
    return sorted((m for m in group.messages if m.status not in HIDDEN), key=lambda m: m.id, reverse=True)


def _actor(deputy_id: int) -> str:
    return f"deputy:{deputy_id}"


def draft_from_group(session: Session, deputy_id: int, group_id: int, local_tz: tzinfo,
                     invite: bool = False) -> Draft:
    """The deputy makes a draft of a collecting group, however few citizens are in it; with `invite`, the
    colleagues of the station who received the same problem become its co-signers at once."""
    group_index.lock(session, deputy_id)  # a batch must not promote or grow it meanwhile
    group = group_of(session, deputy_id, group_id)
    if not messages_of(group):
        raise InvalidInput("group_empty")  # its messages were moved or withdrawn meanwhile
    group.status, group.viewed_at = DraftStatus.OPEN, utcnow()
    compose(group, local_tz, unit_choices.load(session))
    review.record_revision(session, group, _actor(deputy_id), "from_group",
                           after={"messages": [m.id for m in group.messages]})
    if invite:
        _add_cosigners(session, group, echoes(session, deputy_id, [group]).get(group.id, Echo()).deputies)
    session.flush()
    return group


def _chosen(session: Session, deputy_id: int, message_ids: list[int], shown: dict[int, int | None] | None
            ) -> list[Message]:
    """The deputy's own messages among those ticked; NotFound if any is someone else's or hidden. `shown` is the
    group or draft (or None) each was in on the page ticked: one moved since, by the same form sent twice or from
    another tab, raises Conflict rather than being moved again. The caller holds the deputy's lock."""
    wanted = sorted(set(message_ids))
    if not wanted:
        raise InvalidInput("nothing_selected")
    found = list(session.scalars(select(Message).where(Message.id.in_(wanted), Message.deputy_id == deputy_id,
                                                       Message.status.not_in(HIDDEN)).order_by(Message.id)))
    if len(found) != len(wanted):
        raise NotFound("message")
    if any(m.status not in USABLE for m in found):
        raise InvalidInput("message_not_ready")
    sealed = session.scalar(select(func.count()).select_from(DraftMessage)
                            .join(Draft, Draft.id == DraftMessage.draft_id)
                            .where(DraftMessage.message_id.in_(wanted), Draft.status.in_(stages.DRAFTS_SEALED)))
    if sealed:
        raise InvalidInput("message_sealed")
    if shown is not None:
        now = {message_id: draft.id for message_id, draft in placement(session, wanted).items()}
        if any(now.get(message_id) != shown[message_id] for message_id in wanted if message_id in shown):
            raise Conflict("placement_changed")
    return found


def _refuse_emptying(session: Session, messages: list[Message], keep: Draft | None = None) -> None:
    """An open draft loses some of its messages to the deputy's choice, never all: a draft the deputy may have
    written in is merged (its words stay readable), not emptied and deleted."""
    chosen = {m.id for m in messages}
    holding = select(DraftMessage.draft_id).where(DraftMessage.message_id.in_(chosen))
    sources = session.scalars(select(Draft).where(Draft.id.in_(holding), Draft.status == DraftStatus.OPEN))
    if any(draft is not keep and {link.message_id for link in draft.links} <= chosen for draft in sources):
        raise InvalidInput("draft_emptied")


def draft_from_messages(session: Session, deputy_id: int, message_ids: list[int], local_tz: tzinfo,
                        shown: dict[int, int | None] | None = None) -> Draft:
    """A new draft of exactly the ticked messages, out of whatever group or open draft they were in (`shown`:
    see _chosen)."""
    group_index.lock(session, deputy_id)
    messages = _chosen(session, deputy_id, message_ids, shown)
    _refuse_emptying(session, messages)
    draft = drafting.draft_from(session, messages, local_tz)
    draft.viewed_at = utcnow()  # the deputy made it and is looking at it: nothing in it is new to them
    review.record_revision(session, draft, _actor(deputy_id), "from_messages",
                           after={"messages": [m.id for m in messages]})
    session.flush()
    return draft


def add_to_draft(session: Session, deputy_id: int, draft_id: int | None, message_ids: list[int],
                 local_tz: tzinfo, shown: dict[int, int | None] | None = None) -> Draft:
    """The ticked messages join one of the deputy's open drafts (out of wherever they were; `shown`: see _chosen)."""
    group_index.lock(session, deputy_id)
    if not draft_id:
        raise InvalidInput("draft_target_missing")
    draft = session.scalar(select(Draft).where(Draft.id == draft_id, Draft.deputy_id == deputy_id,
                                               Draft.status == DraftStatus.OPEN))
    if draft is None:
        raise NotFound("draft")
    messages = _chosen(session, deputy_id, message_ids, shown)
    there = {link.message_id for link in draft.links}
    new = [m for m in messages if m.id not in there]
    if not new:
        raise InvalidInput("already_in_draft")
    _refuse_emptying(session, new, keep=draft)
    drafting.add_to_draft(session, new, draft, local_tz)
    draft.version += 1  # a change of the deputy's: a page showing the draft before it must reload
    review.record_revision(session, draft, _actor(deputy_id), "add_messages", after={"messages": [m.id for m in new]})
    session.flush()
    return draft


def open_drafts(session: Session, deputy_id: int) -> list[Draft]:
    return list(session.scalars(select(Draft).where(Draft.deputy_id == deputy_id, Draft.status == DraftStatus.OPEN)
                                .order_by(Draft.id.desc())))


def placement(session: Session, message_ids: list[int]) -> dict[int, Draft]:
    """For each of these messages, the group or draft it is in (if any): the list links to it, and a message in
    a submitted or discarded draft cannot be ticked."""
    if not message_ids:
        return {}
    rows = session.execute(select(DraftMessage.message_id, Draft).join(Draft, Draft.id == DraftMessage.draft_id)
                           .where(DraftMessage.message_id.in_(message_ids))).all()
    return {message_id: draft for message_id, draft in rows}


def echoes(session: Session, deputy_id: int, groups: list[Draft]) -> dict[int, Echo]:
    """For each of these groups or drafts of the deputy, the same problem at the station's other deputies.

    A colleague's collecting group or open draft counts when a message of this group would join it, by the
    same comparison grouping makes (words and places, near-duplicates)."""
    deputy = session.get(Deputy, deputy_id)
    colleagues = select(Deputy.id).where(Deputy.station_id == deputy.station_id, Deputy.id != deputy_id,
                                         Deputy.active.is_(True))
    # The latest of them: a page's cost stays bounded however much the station's colleagues receive.
    theirs = session.execute(
        select(Draft.id, Draft.deputy_id, Draft.topic, Message.terms)
        .join(DraftMessage, DraftMessage.draft_id == Draft.id).join(Message, Message.id == DraftMessage.message_id)
        .where(Draft.deputy_id.in_(colleagues), Draft.status.in_(SHARED_STAGES), Message.status.not_in(HIDDEN),
               Message.terms.is_not(None))
        .order_by(Message.id.desc()).limit(SHARED_LIMIT)).all()[::-1]
    if not theirs or not groups:
        return {}
    grouper = grouping.Grouper()
    owners: dict[int, int] = {}
    sizes: Counter = Counter()
    for draft_id, owner, topic, terms in theirs:
        group = grouper.groups.get(draft_id) or grouper.new_group(None, topic, number=draft_id)
        grouper.add(group, grouping.entry(terms))
        owners[draft_id] = owner
        sizes[draft_id] += 1
    names = {d.id: d for d in session.scalars(select(Deputy).where(Deputy.id.in_(set(owners.values()))))}
    topics = {group.id: group.topic for group in groups}
    joined: dict[int, set[grouping.Group]] = {}
    mine = (select(DraftMessage.draft_id, Message.topic, Message.terms)
            .join(Message, Message.id == DraftMessage.message_id)
            .where(DraftMessage.draft_id.in_(list(topics)), Message.status.not_in(HIDDEN), Message.terms.is_not(None)))
    for draft_id, topic, terms in session.execute(mine):
        found = grouper.place(grouping.entry(terms), topic or topics[draft_id])
        if found is not None:
            joined.setdefault(draft_id, set()).add(found)
    return {draft_id: Echo(sum(sizes[g.number] for g in met),
                           [names[i] for i in sorted({owners[g.number] for g in met})])
            for draft_id, met in joined.items()}


def _add_cosigners(session: Session, draft: Draft, colleagues: list[Deputy]) -> None:
    before = [d.name for d in draft.cosigners]
    wanted = {d.id: d for d in draft.cosigners} | {d.id: d for d in colleagues}
    draft.cosigners = [wanted[i] for i in sorted(wanted)]
    review.record_revision(session, draft, _actor(draft.deputy_id), "invite", before={"names": before},
                           after={"names": [d.name for d in draft.cosigners]})
    invitations.invite(session, draft, colleagues)


def invite_colleagues(session: Session, asked: review.DraftRequest) -> Draft:
    """One tap: the station's colleagues who received the same problem co-sign this open draft."""
    draft = drafting.draft_of(session, asked.deputy_id, asked.draft_id)
    if draft is None:
        raise NotFound("draft")
    echoed = echoes(session, asked.deputy_id, [draft]).get(draft.id, Echo()).deputies
    refused = invitations.declined(draft)
    colleagues = [d for d in echoed if d.id not in refused]
    if not colleagues:
        raise InvalidInput("colleagues_declined" if echoed else "no_colleagues")
    return invitations.choose(session, asked, [d.id for d in draft.cosigners] + [d.id for d in colleagues])
