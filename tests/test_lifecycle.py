"""A suggestion's life in the domain: registered, assigned, handled, answered, rated, reopened, closed; and
every transition the state machine refuses, which must leave the suggestion exactly as it was."""

from __future__ import annotations

import dataclasses
import io
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import docx
import pytest
from sqlalchemy import func, select, update

from intake.config import LifecycleRules
from intake.models import Assignment, AuditEntry, Reply, Suggestion, SuggestionEvent, utcnow
from intake.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from intake.services.lifecycle import handling, views
from intake.services.lifecycle.states import S
from intake.services.lifecycle.units import match_unit
from tests.lifecycle_world import PDF, build, snapshot

STAFF = "staff:1"


@pytest.fixture
def world(database_url, tmp_path):
    return build(database_url, tmp_path)


def _registered(world) -> int:
    with world.sessions() as session, session.begin():
        return handling.register_from_draft(session, world.draft_id, kind="recess", actor=STAFF, rules=world.rules).id


def _assigned(world, co: bool = True) -> int:
    suggestion_id = _registered(world)
    with world.sessions() as session, session.begin():
        handling.assign(session, [suggestion_id], lead_unit_id=world.units["住建局"],
                        co_unit_ids=[world.units["城管局"]] if co else [], actor=STAFF, rules=world.rules)
    return suggestion_id


def _answered(world, category: str = "A") -> int:
    suggestion_id = _assigned(world)
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复路灯。", category=category,
                              promised_date=handling.today(world.rules) + timedelta(days=60) if category == "B" else None,
                              actor=f"unit:{lead}", rules=world.rules)
    with world.sessions() as session, session.begin():
        handling.accept_reply(session, suggestion_id, actor=STAFF)
    return suggestion_id


def test_registering_an_approved_draft_carries_its_text_deputies_and_number(world):
    suggestion_id = _registered(world)
    with world.sessions() as session:
        suggestion = views.one(session, suggestion_id)
        assert suggestion.number == f"{handling.today(world.rules).year}-001"
        assert suggestion.status == S.REGISTERED
        assert suggestion.title == "关于修复幸福小区路灯的建议"
        assert "尽快修复路灯" in suggestion.proposals
        assert suggestion.lead_deputy_id == world.deputies[0]
        assert [d.id for d in suggestion.cosigners] == [world.deputies[1]]
        assert views.suggested_lead(session, suggestion).id == world.units["住建局"]
        events = views.history(session, suggestion_id).events
        assert [(e.kind, e.to_status, e.actor) for e in events] == [("register", S.REGISTERED, STAFF)]
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.target == f"suggestion:{suggestion_id}")) \
            == "suggestion.register"


def test_the_whole_path_with_a_rehandling_round(world):
    suggestion_id = _assigned(world)
    lead, co = world.units["住建局"], world.units["城管局"]
    with world.sessions() as session, session.begin():
        handling.send_opinion(session, suggestion_id, unit_id=co, text="同意主办单位意见。", actor=f"unit:{co}")
        handling.log_contact(session, suggestion_id, unit_id=lead, stage="before", way="face", on=handling.today(world.rules),
                             who="王科长", note="现场查看", actor=f"unit:{lead}", rules=world.rules)
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="列入明年计划。", category="B",
                              promised_date=handling.today(world.rules) + timedelta(days=90), attachment=("答复.pdf", PDF),
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion_id, actor=STAFF)
        handling.rate(session, suggestion_id, deputy_id=world.deputies[0], level="unsatisfied", comment="太慢",
                      actor=f"deputy:{world.deputies[0]}", rules=world.rules)
    with world.sessions() as session:
        suggestion = views.one(session, suggestion_id)
        assert (suggestion.status, suggestion.round) == (S.HANDLING, 2)
        assert suggestion.deadline == handling.today(world.rules) + timedelta(days=30)
        reply = session.scalar(select(Reply))
        name, path, kind = views.attachment(session, reply.id, views.Viewer("deputy", world.deputies[0]), world.rules)
        assert (name, kind, path.read_bytes()) == ("答复.pdf", "pdf", PDF)
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复。", category="A",
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion_id, actor=STAFF)
        handling.rate(session, suggestion_id, deputy_id=world.deputies[0], level="satisfied",
                      actor=f"deputy:{world.deputies[0]}", rules=world.rules)
    with world.sessions() as session:
        assert views.one(session, suggestion_id).status == S.CLOSED
        kinds = [e.kind for e in views.history(session, suggestion_id).events]
        assert kinds == ["register", "assign", "opinion", "contact", "reply", "accept", "rate", "reply", "accept",
                         "rate"]
        assert len(views.history(session, suggestion_id).replies) == 2


def test_a_b_reply_stays_open_until_the_unit_reports_the_work_done(world):
    suggestion_id = _answered(world, "B")
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        handling.rate(session, suggestion_id, deputy_id=world.deputies[0], level="satisfied",
                      actor="deputy:1", rules=world.rules)
    with world.sessions() as session, session.begin():
        assert views.one(session, suggestion_id).status == S.RATED
        handling.report_done(session, suggestion_id, unit_id=lead, note="改造已完成。", actor=f"unit:{lead}")
    with world.sessions() as session:
        assert views.one(session, suggestion_id).status == S.CLOSED


def test_numbers_are_sequential_per_year_and_never_reused(world):
    first = _registered(world)
    with world.sessions() as session, session.begin():
        second = handling.register_by_hand(session, title="关于增设公交站的建议", lead_deputy_id=world.deputies[2],
                                           cosigner_ids=[world.deputies[0]], actor=STAFF, rules=world.rules)
        session.execute(update(Suggestion).where(Suggestion.id == second.id).values(number="gone", seq=None))
    with world.sessions() as session, session.begin():
        third = handling.register_by_hand(session, title="关于增设路灯的建议", lead_deputy_id=world.deputies[2],
                                          actor=STAFF, rules=world.rules)
        numbers = [session.get(Suggestion, i).number for i in (first, third.id)]
    year = handling.today(world.rules).year
    assert numbers == [f"{year}-001", f"{year}-003"]


def _refused(world, suggestion_id, error, code, act):
    with world.sessions() as session:
        before = snapshot(session, suggestion_id)
    with world.sessions() as session, session.begin():
        with pytest.raises(error) as raised:
            act(session)
        session.rollback()
    assert raised.value.code == code
    with world.sessions() as session:
        assert snapshot(session, suggestion_id) == before


def test_refused_transitions_change_nothing(world):
    lead, co = world.units["住建局"], world.units["城管局"]
    deputy = world.deputies[0]
    suggestion_id = _registered(world)
    _refused(world, suggestion_id, InvalidTransition, "suggestion_registered_twice",
             lambda s: handling.register_from_draft(s, world.draft_id, actor=STAFF, rules=world.rules))
    _refused(world, suggestion_id, NotFound, "suggestion",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=lead, text="x", category="A", actor="u",
                                             rules=world.rules))
    with world.sessions() as session, session.begin():
        handling.assign(session, [suggestion_id], lead_unit_id=lead, co_unit_ids=[co], actor=STAFF, rules=world.rules)
    _refused(world, suggestion_id, InvalidTransition, "suggestion_state",
             lambda s: handling.rate(s, suggestion_id, deputy_id=deputy, level="satisfied", actor="d",
                                     rules=world.rules))
    _refused(world, suggestion_id, InvalidTransition, "suggestion_state",
             lambda s: handling.accept_reply(s, suggestion_id, actor=STAFF))
    _refused(world, suggestion_id, NotAllowed, "reply_not_lead",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=co, text="x", category="A", actor="u",
                                             rules=world.rules))
    _refused(world, suggestion_id, InvalidInput, "attachment_type",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=lead, text="x", category="A", actor="u",
                                             attachment=("答复.pdf", b"MZ not a pdf"), rules=world.rules))
    _refused(world, suggestion_id, InvalidTransition, "suggestion_state",
             lambda s: handling.assign(s, [suggestion_id], lead_unit_id=lead, actor=STAFF, rules=world.rules))
    with world.sessions() as session, session.begin():
        session.execute(update(Assignment).values(assigned_at=utcnow() - timedelta(days=6)))
    _refused(world, suggestion_id, InvalidTransition, "return_too_late",
             lambda s: handling.request_return(s, suggestion_id, unit_id=lead, reason="不归我们管", actor="u",
                                               rules=world.rules))


def test_more_refusals_change_nothing(world):
    lead, co, other = world.units["住建局"], world.units["城管局"], world.units["交通运输局"]
    owner, cosigner = world.deputies[0], world.deputies[1]
    suggestion_id = _assigned(world)
    _refused(world, suggestion_id, NotAllowed, "opinion_not_co",
             lambda s: handling.send_opinion(s, suggestion_id, unit_id=lead, text="意见", actor="u"))
    _refused(world, suggestion_id, NotAllowed, "return_not_lead",
             lambda s: handling.request_return(s, suggestion_id, unit_id=co, reason="不归我们", actor="u",
                                               rules=world.rules))
    _refused(world, suggestion_id, NotFound, "suggestion",
             lambda s: handling.log_contact(s, suggestion_id, unit_id=other, stage="before", way="face",
                                            on=handling.today(world.rules), actor="u", rules=world.rules))
    _refused(world, suggestion_id, InvalidInput, "promised_date_missing",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=lead, text="x", category="B", actor="u",
                                             rules=world.rules))
    _refused(world, suggestion_id, InvalidInput, "attachment_too_large",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=lead, text="x", category="A", actor="u",
                                             attachment=("答复.pdf", PDF + b"0" * (10 * 1024 * 1024)),
                                             rules=world.rules))
    with world.sessions() as session, session.begin():
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="已修复。", category="A", actor="u",
                              rules=world.rules)
    _refused(world, suggestion_id, InvalidTransition, "suggestion_state",
             lambda s: handling.submit_reply(s, suggestion_id, unit_id=lead, text="再答复", category="A", actor="u",
                                             rules=world.rules))
    _refused(world, suggestion_id, InvalidInput, "send_back_reason",
             lambda s: handling.send_back_reply(s, suggestion_id, reason=" ", actor=STAFF))
    with world.sessions() as session, session.begin():
        handling.accept_reply(session, suggestion_id, actor=STAFF)
    _refused(world, suggestion_id, NotAllowed, "rating_not_lead",
             lambda s: handling.rate(s, suggestion_id, deputy_id=cosigner, level="satisfied", actor="d",
                                     rules=world.rules))
    _refused(world, suggestion_id, InvalidTransition, "done_not_promised",
             lambda s: handling.report_done(s, suggestion_id, unit_id=lead, note="已完成。", actor="u"))
    with world.sessions() as session, session.begin():
        handling.rate(session, suggestion_id, deputy_id=owner, level="basic", actor="d", rules=world.rules)
    _refused(world, suggestion_id, InvalidTransition, "suggestion_state",
             lambda s: handling.rate(s, suggestion_id, deputy_id=owner, level="unsatisfied", actor="d",
                                     rules=world.rules))


def test_assigning_many_is_all_or_none(world):
    first = _assigned(world)
    with world.sessions() as session, session.begin():
        second = handling.register_by_hand(session, title="关于增设公交站的建议", lead_deputy_id=world.deputies[2],
                                           actor=STAFF, rules=world.rules).id
    _refused(world, second, InvalidTransition, "suggestion_state",
             lambda s: handling.assign(s, [first, second], lead_unit_id=world.units["交通运输局"], actor=STAFF,
                                       rules=world.rules))
    with world.sessions() as session, session.begin():
        done = handling.assign(session, [second], lead_unit_id=world.units["交通运输局"],
                               deadline=handling.today(world.rules) + timedelta(days=10), key_supervision=True, supervisor="李主任",
                               actor=STAFF, rules=world.rules)
        assert (done[0].status, done[0].deadline, done[0].supervisor) == (
            S.ASSIGNED, handling.today(world.rules) + timedelta(days=10), "李主任")


def test_a_returned_suggestion_goes_to_its_new_unit_and_the_old_one_no_longer_sees_it(world):
    suggestion_id = _assigned(world)
    old, new = world.units["住建局"], world.units["交通运输局"]
    with world.sessions() as session, session.begin():
        handling.request_return(session, suggestion_id, unit_id=old, reason="道路归交通部门管理", actor=f"unit:{old}",
                                rules=world.rules)
        assert views.one(session, suggestion_id).status == S.RETURN_REQUESTED
        handling.reassign(session, suggestion_id, lead_unit_id=new, actor=STAFF, rules=world.rules)
    with world.sessions() as session:
        assert [s.id for s in views.unit_list(session, new).rows] == [suggestion_id]
        assert views.unit_list(session, old).rows == []
        with pytest.raises(NotFound):
            views.one_for_unit(session, old, suggestion_id)
        events = views.history(session, suggestion_id).events
        assert [(e.kind, e.to_status) for e in events][-2:] == [("request_return", S.RETURN_REQUESTED),
                                                                 ("reassign", S.ASSIGNED)]
        assert events[-2].note == "道路归交通部门管理"


def test_deputies_see_the_suggestions_they_lead_or_cosign_and_no_other(world):
    suggestion_id = _registered(world)
    owner, cosigner, stranger = world.deputies
    with world.sessions() as session:
        assert views.one_for_deputy(session, owner, suggestion_id).id == suggestion_id
        assert [s.id for s in views.for_deputy(session, cosigner)] == [suggestion_id]
        assert views.for_deputy(session, stranger) == []
        with pytest.raises(NotFound):
            views.one_for_deputy(session, stranger, suggestion_id)


def test_a_docx_reply_is_recognised_by_its_content_whatever_its_name(world):
    document = docx.Document()
    document.add_paragraph("答复函")
    buffer = io.BytesIO()
    document.save(buffer)
    assert handling.attachment_kind(buffer.getvalue()) == "docx"
    assert handling.attachment_kind(PDF) == "pdf"
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    assert handling.attachment_kind(empty_zip.getvalue()) is None
    suggestion_id = _assigned(world)
    lead = world.units["住建局"]
    with world.sessions() as session, session.begin():
        reply = handling.submit_reply(session, suggestion_id, unit_id=lead, text="答复见附件", category="A",
                                      attachment=("答复函.pdf", buffer.getvalue()), actor="u", rules=world.rules)
        assert (reply.attachment_name, reply.attachment_type) == ("答复函.docx", "docx")
    with world.sessions() as session:
        with pytest.raises(NotFound):  # not accepted yet: the deputy cannot download it
            views.attachment(session, reply.id, views.Viewer("deputy", world.deputies[0]), world.rules)
        with pytest.raises(NotFound):
            views.attachment(session, reply.id, views.Viewer("unit", world.units["交通运输局"]), world.rules)
        name, path, kind = views.attachment(session, reply.id, views.Viewer("unit", lead), world.rules)
        assert path.read_bytes() == buffer.getvalue() and path.is_relative_to(world.rules.instance_dir)


def test_concurrent_registrations_get_different_numbers(world):
    def register(title):
        with world.sessions() as session, session.begin():
            return handling.register_by_hand(session, title=title, lead_deputy_id=world.deputies[0], actor=STAFF,
                                             rules=world.rules).number

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(register, [f"建议{i}" for i in range(12)]))
    year = handling.today(world.rules).year
    assert sorted(numbers) == [f"{year}-{i:03d}" for i in range(1, 13)]


def test_the_district_chooses_the_number_format(world):
    rules = dataclasses.replace(world.rules, number_format="区建议〔{year}〕{seq}号")
    with world.sessions() as session, session.begin():
        number = handling.register_by_hand(session, title="关于增设公交站的建议", lead_deputy_id=world.deputies[0],
                                           actor=STAFF, rules=rules).number
    assert number == f"区建议〔{handling.today(world.rules).year}〕1号"
    assert handling.parse_number(rules, "区建议〔2025〕12号") == (2025, 12)
    assert handling.parse_number(rules, "区建议〔2025〕012号") is None  # not how the format writes 12
    assert handling.parse_number(world.rules, "2025-012") == (2025, 12)
    assert handling.parse_number(world.rules, "2025-12") is None
    assert LifecycleRules.from_env({"SUGGESTION_NUMBER_FORMAT": "{year}-{seq:04d}"}).number_format == "{year}-{seq:04d}"
    with pytest.raises(ValueError):
        LifecycleRules.from_env({"SUGGESTION_NUMBER_FORMAT": "{year}-{unit}"})


def test_one_draft_registered_from_two_desks_at_once_becomes_one_suggestion(world):
    def register(_):
        try:
            with world.sessions() as session, session.begin():
                return handling.register_from_draft(session, world.draft_id, actor=STAFF, rules=world.rules).number
        except InvalidTransition as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = sorted(pool.map(register, range(4)))
    assert answers == [f"{handling.today(world.rules).year}-001"] + ["suggestion_registered_twice"] * 3
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 1


def test_a_registration_undone_leaves_no_suggestion_and_its_number_is_given_again(world):
    # On SQLite the savepoint that numbers the suggestion opened the transaction, and releasing it committed the
    # suggestion without its co-signers: a request that failed after it left a numbered half-registration.
    with world.sessions() as session:
        handling.register_from_draft(session, world.draft_id, actor=STAFF, rules=world.rules)
        session.rollback()
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0
    with world.sessions() as session, session.begin():
        again = handling.register_from_draft(session, world.draft_id, actor=STAFF, rules=world.rules)
        assert again.number == f"{handling.today(world.rules).year}-001"
        assert [deputy.id for deputy in again.cosigners] == [world.deputies[1]]


def test_one_suggestion_交办_from_two_desks_at_once_is_given_once(world):
    with world.sessions() as session, session.begin():
        suggestion_id = handling.register_from_draft(session, world.draft_id, actor=STAFF, rules=world.rules).id
    start = threading.Barrier(2)

    def assign(_):
        start.wait()
        try:
            with world.sessions() as session, session.begin():
                handling.assign(session, [suggestion_id], lead_unit_id=world.units["住建局"], actor=STAFF,
                                rules=world.rules)
            return "assigned"
        except InvalidTransition as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(assign, range(2)))
    assert answers == ["assigned", "suggestion_state"]
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SuggestionEvent).where(
            SuggestionEvent.suggestion_id == suggestion_id, SuggestionEvent.kind == "assign")) == 1
        assert session.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.suggestion_id == suggestion_id, Assignment.active.is_(True))) == 1


def test_交办_proposes_the_unit_a_draft_names_by_its_short_name_when_units_are_listed_by_full_name(database_url, tmp_path):
    # A new district's list of units has full names only; drafts say 城管局 as the taxonomy does.
    world = build(database_url, tmp_path, units=("区住房和城乡建设局", "区交通运输局", "区城市管理局", "区城市排水管理站"),
                  shorts=(None, None, None, None))
    for said, expected in (("城管局", "区城市管理局"), ("区城管局", "区城市管理局"), ("城管局、住建局", "区城市管理局"),
                           ("住建局（城市建设）", "区住房和城乡建设局"), ("交通运输局", "区交通运输局"), ("城局", None),
                           ("教体局", None)):
        with world.sessions() as session:
            found = views.suggested_lead(session, Suggestion(suggested_unit=said))
            assert (found.name if found else None) == expected, said
    with world.sessions() as session:  # an account for a unit is still named exactly
        assert match_unit(session, "城管局") is None
