"""A suggestion's life in the domain: registered, assigned, handled, answered, rated, reopened, closed; and
every transition the state machine refuses, which must leave the suggestion exactly as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from intake.models import Assignment, AuditEntry, Reply, Suggestion, utcnow
from intake.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from intake.services.lifecycle import handling, views
from intake.services.lifecycle.states import S
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
                              promised_date=date.today() + timedelta(days=60) if category == "B" else None,
                              actor=f"unit:{lead}", rules=world.rules)
    with world.sessions() as session, session.begin():
        handling.accept_reply(session, suggestion_id, actor=STAFF)
    return suggestion_id


def test_registering_an_approved_draft_carries_its_text_deputies_and_number(world):
    suggestion_id = _registered(world)
    with world.sessions() as session:
        suggestion = views.one(session, suggestion_id)
        assert suggestion.number == f"{date.today().year}-001"
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
        handling.log_contact(session, suggestion_id, unit_id=lead, stage="before", way="face", on=date.today(),
                             who="王科长", note="现场查看", actor=f"unit:{lead}", rules=world.rules)
        handling.submit_reply(session, suggestion_id, unit_id=lead, text="列入明年计划。", category="B",
                              promised_date=date.today() + timedelta(days=90), attachment=("答复.pdf", PDF),
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion_id, actor=STAFF)
        handling.rate(session, suggestion_id, deputy_id=world.deputies[0], level="unsatisfied", comment="太慢",
                      actor=f"deputy:{world.deputies[0]}", rules=world.rules)
    with world.sessions() as session:
        suggestion = views.one(session, suggestion_id)
        assert (suggestion.status, suggestion.round) == (S.HANDLING, 2)
        assert suggestion.deadline == date.today() + timedelta(days=30)
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
        handling.report_done(session, suggestion_id, unit_id=lead, actor=f"unit:{lead}")
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
    year = date.today().year
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
