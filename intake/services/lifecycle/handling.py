"""What office staff, handling units and deputies do with a suggestion, from registration to closing.

Each use case takes the session, ids and an `actor` ("staff:3", "unit:5", "deputy:7"); it checks everything
first and either changes the suggestion through states.move or raises a DomainError having changed nothing.
The suggestion's row is locked (PostgreSQL) so two people acting at once take turns.
"""

from __future__ import annotations

import io
import re
import secrets
import string
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake import labels
from intake.config import LifecycleRules
from intake.models import (Assignment, CoOpinion, Deputy, Draft, DraftMessage, HandlingUnit, Rating, Reply,
                           Suggestion, SuggestionCosigner, SuggestionCounter, SuggestionMessage, UnitContact,
                           stages, utcnow)
from intake.services import plain_text
from intake.services.days import read_day
from intake.services.drafts import unit_choices
from intake.services.drafts.draft_text import text_of
from intake.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from intake.services.lifecycle.states import S, check, move
from intake.services.privacy import masking
from intake.services.reception import progress

KINDS = {"session": "大会期间", "recess": "闭会期间"}
CATEGORIES = labels.REPLY_CATEGORIES
STAGES = labels.CONTACT_STAGES
WAYS = labels.CONTACT_WAYS
LEVELS = labels.RATING_LEVELS
# The contact stage a suggestion's status is in, the one a unit's contact form starts at: 办前 until the unit starts
# handling it, 办后 once a reply is in.
STAGE_OF = {S.ASSIGNED: "before", S.HANDLING: "during", S.RETURN_REQUESTED: "during", S.REPLY_SUBMITTED: "after",
            S.ANSWERED: "after", S.RATED: "after", S.CLOSED: "after"}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 10000
MAX_NOTE_CHARS = 1000
MAX_SUMMARY_CHARS = 300  # what a citizen reads of the reply: a few sentences on a phone


def rules_or_default(rules: LifecycleRules | None) -> LifecycleRules:
    return rules if rules is not None else LifecycleRules.from_env()


def today(rules: LifecycleRules) -> date:
    return datetime.now(ZoneInfo(rules.timezone)).date()


def _text(value: str | None, limit: int, code: str, required: bool = False) -> str:
    value = plain_text.writable(value or "").strip()  # a pasted control character is invisible, and unstorable
    if required and not value:
        raise InvalidInput(code)
    if len(value) > limit:
        raise InvalidInput(f"{code}_long", maximum=limit)
    return value


def _locked(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = session.scalar(select(Suggestion).where(Suggestion.id == suggestion_id).with_for_update())
    if suggestion is None:
        raise NotFound("suggestion")
    return suggestion


def _unit_role(session: Session, suggestion: Suggestion, unit_id: int) -> str:
    """The unit's active role on the suggestion; a unit it is not assigned to sees no such suggestion."""
    role = session.scalar(select(Assignment.role).where(
        Assignment.suggestion_id == suggestion.id, Assignment.unit_id == unit_id, Assignment.active.is_(True)))
    if role is None:
        raise NotFound("suggestion")
    return role


# --- numbers ------------------------------------------------------------------------------------------
def _next_seq(session: Session, year: int) -> int:
    """The year's next sequence number. The counter row is raised in place (a row lock on PostgreSQL, the
    write lock on SQLite), so concurrent registrations get different numbers and a number is never reused."""
    bump = (update(SuggestionCounter).where(SuggestionCounter.year == year)
            .values(last=SuggestionCounter.last + 1).returning(SuggestionCounter.last))
    seq = session.execute(bump).scalar()
    if seq is not None:
        return seq
    try:
        with session.begin_nested():
            session.add(SuggestionCounter(year=year, last=1))
        return 1
    except IntegrityError:  # another registration created the year's counter first
        return session.execute(bump).scalar_one()


def raise_counter(session: Session, year: int, seq: int) -> None:
    """Make sure the year's counter is at least `seq` (numbers that came in from a ledger)."""
    counter = session.get(SuggestionCounter, year, with_for_update=True)
    if counter is None:
        session.add(SuggestionCounter(year=year, last=seq))
    elif counter.last < seq:
        counter.last = seq
    session.flush()


def parse_number(rules: LifecycleRules, number: str) -> tuple[int, int] | None:
    """The (year, seq) a number written in the configured format stands for; None for any other number."""
    pattern = ""
    for literal, name, _spec, _conversion in string.Formatter().parse(rules.number_format):
        pattern += re.escape(literal)
        if name == "year":
            pattern += r"(?P<year>\d{4})"
        elif name == "seq":
            pattern += r"(?P<seq>\d+)"
    found = re.fullmatch(pattern, number)
    if found is None or "year" not in found.groupdict() or "seq" not in found.groupdict():
        return None
    year, seq = int(found["year"]), int(found["seq"])
    return (year, seq) if rules.number_format.format(year=year, seq=seq) == number else None


def _numbered(session: Session, rules: LifecycleRules, **fields) -> Suggestion:
    year = today(rules).year
    seq = _next_seq(session, year)
    suggestion = Suggestion(number=rules.number_format.format(year=year, seq=seq), year=year, seq=seq, **fields)
    session.add(suggestion)
    return suggestion


# --- registration -------------------------------------------------------------------------------------
def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("suggestion_kind")
    return kind


def register_from_draft(session: Session, draft_id: int, *, kind: str = "recess", actor: str,
                        rules: LifecycleRules | None = None) -> Suggestion:
    """Register an approved draft as a suggestion: its sections, lead deputy, co-signers and messages."""
    rules = rules_or_default(rules)
    _kind(kind)
    draft = session.scalar(select(Draft).where(Draft.id == draft_id).with_for_update())
    if draft is None:
        raise NotFound("draft")
    if not stages.submitted(draft.status):
        raise InvalidTransition("draft_not_approved")
    existing = session.scalar(select(Suggestion.number).where(Suggestion.draft_id == draft.id))
    if existing is not None:
        raise InvalidTransition("suggestion_registered_twice", number=existing)
    # The suggestion says what the deputy signed: the draft as its page and document show it, so the third
    # persons it names as 王某某 stay so for units, API keys and the ledger.
    signed = {section: masking.in_draft(text_of(draft, section), draft)
              for section in ("title", "situation", "problems", "proposals")}
    try:
        with session.begin_nested():
            suggestion = _numbered(
                session, rules, kind=kind, topic=draft.topic or "", title=signed["title"][:200],
                situation=signed["situation"], problems=signed["problems"],
                proposals=signed["proposals"], draft_id=draft.id, lead_deputy_id=draft.deputy_id,
                suggested_unit=text_of(draft, "handling_unit")[:100])
            move(session, suggestion, "register", S.REGISTERED, actor=actor, data={"draft_id": draft.id})
            session.flush()
    except IntegrityError as exc:  # registered at the same moment by someone else
        raise InvalidTransition("suggestion_registered_twice", number="") from exc
    for deputy in draft.cosigners:
        session.add(SuggestionCosigner(suggestion_id=suggestion.id, deputy_id=deputy.id))
    for message_id in session.scalars(select(DraftMessage.message_id).where(DraftMessage.draft_id == draft.id)):
        session.add(SuggestionMessage(suggestion_id=suggestion.id, message_id=message_id))
    session.flush()
    progress.tell_citizens(session, suggestion, "suggested")
    return suggestion


def register_by_hand(session: Session, *, title: str, lead_deputy_id: int, cosigner_ids: list[int] = (),
                     kind: str = "recess", topic: str = "", situation: str = "", problems: str = "",
                     proposals: str = "", actor: str, rules: LifecycleRules | None = None) -> Suggestion:
    """Register a suggestion a deputy wrote on paper."""
    rules = rules_or_default(rules)
    _kind(kind)
    title = _text(title, 200, "suggestion_title", required=True)
    texts = [_text(value, MAX_TEXT_CHARS, "suggestion_text") for value in (situation, problems, proposals)]
    ids = {lead_deputy_id, *cosigner_ids}
    found = set(session.scalars(select(Deputy.id).where(Deputy.id.in_(ids))))
    if lead_deputy_id not in found:
        raise InvalidInput("suggestion_deputy")
    if found != ids:
        raise InvalidInput("suggestion_cosigner")
    suggestion = _numbered(session, rules, kind=kind, topic=_text(topic, 50, "suggestion_topic"), title=title,
                           situation=texts[0], problems=texts[1], proposals=texts[2], lead_deputy_id=lead_deputy_id)
    move(session, suggestion, "register", S.REGISTERED, actor=actor, data={"by_hand": True})
    for deputy_id in sorted(set(cosigner_ids) - {lead_deputy_id}):
        session.add(SuggestionCosigner(suggestion_id=suggestion.id, deputy_id=deputy_id))
    session.flush()
    return suggestion


# --- 交办 ---------------------------------------------------------------------------------------------
def _units_checked(session: Session, lead_unit_id: int | None, co_unit_ids) -> tuple[int, list[int]]:
    if not lead_unit_id:
        raise InvalidInput("lead_unit_missing")
    co = sorted(set(co_unit_ids or ()))
    if lead_unit_id in co:
        raise InvalidInput("lead_unit_in_co")
    active = set(session.scalars(select(HandlingUnit.id).where(HandlingUnit.id.in_([lead_unit_id, *co]),
                                                               HandlingUnit.active.is_(True))))
    if active != {lead_unit_id, *co}:
        raise InvalidInput("unit_unknown")
    return lead_unit_id, co


def _typed_day(day: date | str | None, field: str) -> date | None:
    """A day given, or typed into a form: empty text is none, text naming no day (明天, 2027-02-30) is refused as
    `field`_unreadable, never taken for an empty field as it once was."""
    if not isinstance(day, str):
        return day
    typed = day.strip()
    found = read_day(typed)
    if typed and found is None:
        raise InvalidInput(f"{field}_unreadable", typed=typed[:30])
    return found


def _deadline(deadline: date | str | None, rules: LifecycleRules, days: int) -> date:
    """The day given, or `days` from today when none was (or the field was left empty)."""
    deadline = _typed_day(deadline, "deadline")
    start = today(rules)
    if deadline is None:
        return start + timedelta(days=days)
    if deadline <= start:
        raise InvalidInput("deadline_past")
    return deadline


def _give_to_units(session: Session, suggestion: Suggestion, lead: int, co: list[int]) -> None:
    session.execute(update(Assignment).where(Assignment.suggestion_id == suggestion.id,
                                             Assignment.active.is_(True)).values(active=False))
    now = utcnow()
    session.add(Assignment(suggestion_id=suggestion.id, unit_id=lead, role="lead", round=suggestion.round,
                           assigned_at=now))
    for unit_id in co:
        session.add(Assignment(suggestion_id=suggestion.id, unit_id=unit_id, role="co", round=suggestion.round,
                               assigned_at=now))


def _assign(session: Session, suggestion_ids, action: str, *, lead_unit_id, co_unit_ids, deadline,
            key_supervision, supervisor, note, actor, rules) -> list[Suggestion]:
    rules = rules_or_default(rules)
    ids = sorted(set(suggestion_ids))
    if not ids:
        raise InvalidInput("nothing_selected_suggestions")
    lead, co = _units_checked(session, lead_unit_id, co_unit_ids)
    due = _deadline(deadline, rules, rules.handling_days)
    supervisor = _text(supervisor, 50, "supervisor")
    if key_supervision and not supervisor:
        raise InvalidInput("supervisor_missing")
    note = _text(note, MAX_NOTE_CHARS, "note")
    suggestions = list(session.scalars(select(Suggestion).where(Suggestion.id.in_(ids))
                                       .order_by(Suggestion.id).with_for_update()))
    if len(suggestions) != len(ids):
        raise NotFound("suggestion")
    for suggestion in suggestions:  # all or none: every one is checked before any changes
        check(suggestion, action)
    lead_unit = session.get(HandlingUnit, lead)
    for suggestion in suggestions:
        suggestion.deadline, suggestion.key_supervision = due, bool(key_supervision)
        suggestion.supervisor = supervisor if key_supervision else ""
        _give_to_units(session, suggestion, lead, co)
        unit_choices.remember(session, suggestion, lead_unit)  # later drafts on a problem of this kind propose it
        move(session, suggestion, action, S.ASSIGNED, actor=actor, note=note,
             data={"lead_unit_id": lead, "co_unit_ids": co, "deadline": due.isoformat(),
                   "key_supervision": bool(key_supervision), "supervisor": suggestion.supervisor})
    session.flush()
    for suggestion in suggestions:
        progress.tell_citizens(session, suggestion, "assigned")
    return suggestions


def assign(session: Session, suggestion_ids, *, lead_unit_id: int, co_unit_ids=(),
           deadline: date | str | None = None, key_supervision: bool = False, supervisor: str = "", note: str = "",
           actor: str, rules: LifecycleRules | None = None) -> list[Suggestion]:
    """交办: give registered suggestions (many at once, at a 交办会) to a lead unit and co-units."""
    return _assign(session, suggestion_ids, "assign", lead_unit_id=lead_unit_id, co_unit_ids=co_unit_ids,
                   deadline=deadline, key_supervision=key_supervision, supervisor=supervisor, note=note,
                   actor=actor, rules=rules)


def reassign(session: Session, suggestion_id: int, *, lead_unit_id: int, co_unit_ids=(),
             deadline: date | str | None = None, key_supervision: bool = False, supervisor: str = "", note: str = "",
             actor: str, rules: LifecycleRules | None = None) -> Suggestion:
    """Give a suggestion whose unit asked to return it to other units (or the same ones, after talking)."""
    return _assign(session, [suggestion_id], "reassign", lead_unit_id=lead_unit_id, co_unit_ids=co_unit_ids,
                   deadline=deadline, key_supervision=key_supervision, supervisor=supervisor, note=note,
                   actor=actor, rules=rules)[0]


def request_return(session: Session, suggestion_id: int, *, unit_id: int, reason: str, actor: str,
                   rules: LifecycleRules | None = None) -> Suggestion:
    """The lead unit asks to return a suggestion that is not theirs to handle, within RETURN_DAYS."""
    rules = rules_or_default(rules)
    suggestion = _locked(session, suggestion_id)
    if _unit_role(session, suggestion, unit_id) != "lead":
        raise NotAllowed("return_not_lead")
    check(suggestion, "request_return")
    reason = _text(reason, MAX_NOTE_CHARS, "return_reason", required=True)
    assigned_at = session.scalar(select(func.max(Assignment.assigned_at)).where(
        Assignment.suggestion_id == suggestion.id, Assignment.active.is_(True)))
    assigned_on = assigned_at.astimezone(ZoneInfo(rules.timezone)).date()
    if (today(rules) - assigned_on).days > rules.return_days:
        raise InvalidTransition("return_too_late", days=rules.return_days)
    move(session, suggestion, "request_return", S.RETURN_REQUESTED, actor=actor, note=reason,
         data={"unit_id": unit_id})
    session.flush()
    return suggestion


# --- the units' work ----------------------------------------------------------------------------------
def log_contact(session: Session, suggestion_id: int, *, unit_id: int, stage: str, way: str, on: date | str,
                who: str = "", note: str = "", actor: str, rules: LifecycleRules | None = None) -> UnitContact:
    """A meeting, call or letter with the deputy (办前/办中/办后 · 当面/电话/书面), on a day given or as typed."""
    rules = rules_or_default(rules)
    suggestion = _locked(session, suggestion_id)
    _unit_role(session, suggestion, unit_id)
    check(suggestion, "contact")
    if stage not in STAGES:
        raise InvalidInput("contact_stage")
    if way not in WAYS:
        raise InvalidInput("contact_way")
    on = _typed_day(on, "contact_date")
    if on is None or on > today(rules):
        raise InvalidInput("contact_date")
    contact = UnitContact(suggestion_id=suggestion.id, unit_id=unit_id, stage=stage, way=way, on=on,
                          who=_text(who, 100, "contact_who"), note=_text(note, MAX_NOTE_CHARS, "note"))
    session.add(contact)
    to = S.HANDLING if suggestion.status == S.ASSIGNED else suggestion.status
    move(session, suggestion, "contact", to, actor=actor, note=contact.note,
         data={"unit_id": unit_id, "stage": stage, "way": way, "on": on.isoformat()})
    session.flush()
    return contact


def send_opinion(session: Session, suggestion_id: int, *, unit_id: int, text: str, actor: str) -> CoOpinion:
    """A co-unit's opinion (协办意见) for the lead unit."""
    suggestion = _locked(session, suggestion_id)
    if _unit_role(session, suggestion, unit_id) != "co":
        raise NotAllowed("opinion_not_co")
    check(suggestion, "opinion")
    opinion = CoOpinion(suggestion_id=suggestion.id, unit_id=unit_id,
                        text=_text(text, MAX_TEXT_CHARS, "opinion_text", required=True))
    session.add(opinion)
    move(session, suggestion, "opinion", S.HANDLING, actor=actor, data={"unit_id": unit_id})
    session.flush()
    return opinion


def attachment_kind(data: bytes) -> str | None:
    """'pdf' or 'docx' judged by the bytes themselves, whatever the file is called; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def _checked_attachment(attachment) -> tuple[str, bytes, str] | None:
    if attachment is None:
        return None
    filename, data = attachment
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("attachment_too_large", maximum_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    kind = attachment_kind(data)
    if kind is None:
        raise InvalidInput("attachment_type")
    name = Path((filename or "").replace("\\", "/")).name.strip() or f"答复.{kind}"
    if not name.lower().endswith(f".{kind}"):
        name = f"{Path(name).stem}.{kind}"
    return name[-200:], data, kind


def _store(rules: LifecycleRules, suggestion_id: int, data: bytes, kind: str) -> str:
    """Write the file under the instance folder; the stored name is random, the user's name stays in the row."""
    relative = Path("replies") / str(suggestion_id) / f"{secrets.token_hex(16)}.{kind}"
    target = rules.instance_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.write_bytes(data)
    return relative.as_posix()


def submit_reply(session: Session, suggestion_id: int, *, unit_id: int, text: str, category: str,
                 promised_date: date | str | None = None, attachment: tuple[str, bytes] | None = None, actor: str,
                 rules: LifecycleRules | None = None) -> Reply:
    """The lead unit's reply: text, category A–D (B with the promised date, given or as typed), optionally a
    .pdf/.docx."""
    rules = rules_or_default(rules)
    suggestion = _locked(session, suggestion_id)
    if _unit_role(session, suggestion, unit_id) != "lead":
        raise NotAllowed("reply_not_lead")
    check(suggestion, "reply")
    text = _text(text, MAX_TEXT_CHARS, "reply_text", required=True)
    if category not in CATEGORIES:
        raise InvalidInput("reply_category")
    if category == "B":
        promised_date = _typed_day(promised_date, "promised_date")
        if promised_date is None:
            raise InvalidInput("promised_date_missing")
        if promised_date <= today(rules):
            raise InvalidInput("promised_date_past")
    else:
        promised_date = None
    checked = _checked_attachment(attachment)
    reply = Reply(suggestion_id=suggestion.id, round=suggestion.round, unit_id=unit_id, text=text,
                  category=category, promised_date=promised_date)
    if checked is not None:
        name, data, kind = checked
        reply.attachment_name, reply.attachment_type = name, kind
        reply.attachment_path = _store(rules, suggestion.id, data, kind)
    session.add(reply)
    move(session, suggestion, "reply", S.REPLY_SUBMITTED, actor=actor,
         data={"unit_id": unit_id, "category": category, "round": suggestion.round})
    session.flush()
    return reply


def _pending_reply(session: Session, suggestion: Suggestion) -> Reply:
    reply = session.scalar(select(Reply).where(Reply.suggestion_id == suggestion.id, Reply.state == "submitted")
                           .order_by(Reply.id.desc()).limit(1))
    if reply is None:
        raise InvalidTransition("reply_missing")
    return reply


def accept_reply(session: Session, suggestion_id: int, *, actor: str, summary: str = "") -> Suggestion:
    """Office staff accept the unit's reply: the deputy sees it and may rate it, and the citizens behind the
    suggestion are told its category with `summary`, the short account of it the office approves for them."""
    suggestion = _locked(session, suggestion_id)
    check(suggestion, "accept")
    summary = _text(summary, MAX_SUMMARY_CHARS, "public_summary")
    reply = _pending_reply(session, suggestion)
    reply.state, reply.decided_at, reply.public_summary = "accepted", utcnow(), summary
    move(session, suggestion, "accept", S.ANSWERED, actor=actor, data={"reply_id": reply.id})
    session.flush()
    progress.tell_citizens(session, suggestion, "replied")
    return suggestion


def send_back_reply(session: Session, suggestion_id: int, *, reason: str, actor: str) -> Suggestion:
    """Office staff send the reply back to the lead unit with a reason."""
    suggestion = _locked(session, suggestion_id)
    check(suggestion, "send_back")
    reason = _text(reason, MAX_NOTE_CHARS, "send_back_reason", required=True)
    reply = _pending_reply(session, suggestion)
    reply.state, reply.reason, reply.decided_at = "sent_back", reason, utcnow()
    move(session, suggestion, "send_back", S.HANDLING, actor=actor, note=reason, data={"reply_id": reply.id})
    session.flush()
    return suggestion


def _accepted_reply(session: Session, suggestion: Suggestion) -> Reply | None:
    return session.scalar(select(Reply).where(Reply.suggestion_id == suggestion.id, Reply.state == "accepted")
                          .order_by(Reply.round.desc(), Reply.id.desc()).limit(1))


def _open_promise(reply: Reply | None) -> bool:
    return reply is not None and reply.category == "B" and reply.done_reported_at is None


def rate(session: Session, suggestion_id: int, *, deputy_id: int, level: str, comment: str = "", actor: str,
         rules: LifecycleRules | None = None) -> Rating:
    """The lead deputy rates the accepted reply. 不满意 reopens it for re-handling with a new deadline; a
    B reply whose promised work is not yet done keeps it open (rated) until the unit reports it done."""
    rules = rules_or_default(rules)
    suggestion = _locked(session, suggestion_id)
    if suggestion.lead_deputy_id != deputy_id:
        raise NotAllowed("rating_not_lead")
    check(suggestion, "rate")
    if level not in LEVELS:
        raise InvalidInput("rating_level")
    # 不满意 sends the suggestion back to the unit for a second round: without a reason it cannot know what to redo.
    rating = Rating(suggestion_id=suggestion.id, round=suggestion.round, deputy_id=deputy_id, level=level,
                    comment=_text(comment, MAX_NOTE_CHARS, "rating_comment", required=level == "unsatisfied"))
    session.add(rating)
    data = {"level": level, "round": suggestion.round}
    if level == "unsatisfied":
        suggestion.round += 1
        suggestion.deadline = today(rules) + timedelta(days=rules.rehandling_days)
        data["deadline"] = suggestion.deadline.isoformat()
        to = S.HANDLING
    else:
        to = S.RATED if _open_promise(_accepted_reply(session, suggestion)) else S.CLOSED
    move(session, suggestion, "rate", to, actor=actor, note=rating.comment, data=data)
    session.flush()
    return rating


def report_done(session: Session, suggestion_id: int, *, unit_id: int, note: str, actor: str) -> Suggestion:
    """The lead unit reports the work a B reply promised as done, saying what was done (the deputy reads it, and a
    rated suggestion closes on it: a tap alone could close it by mistake, with nothing to show)."""
    suggestion = _locked(session, suggestion_id)
    if _unit_role(session, suggestion, unit_id) != "lead":
        raise NotAllowed("done_not_lead")
    check(suggestion, "report_done")
    note = _text(note, MAX_NOTE_CHARS, "done_note", required=True)
    reply = _accepted_reply(session, suggestion)
    if not _open_promise(reply):
        raise InvalidTransition("done_not_promised")
    reply.done_reported_at = utcnow()
    to = S.CLOSED if suggestion.status == S.RATED else suggestion.status
    move(session, suggestion, "report_done", to, actor=actor, note=note, data={"reply_id": reply.id})
    session.flush()
    return suggestion
