"""The unit office staff chose for a problem is proposed for later drafts on a problem of that kind."""

from __future__ import annotations

from itertools import count

from sqlalchemy import select

from intake.db import make_engine, make_session_factory
from intake.models import Deputy, Draft, DraftMessage, DraftStatus, HandlingUnit, Message, MessageStatus
from intake.services.drafts import desk, drafting, grouping, review
from intake.services.lifecycle import handling, views
from intake.services.lifecycle import units as unit_list
from tests.test_desk import DITCH, _deputy, _groups, _send, app, district  # noqa: F401 (fixtures)

LIGHTS = ["青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。",
          "幸福小区门口那段路晚上黑漆漆的，路灯一直不亮，孩子放学回家很害怕。"]
OTHER_LIGHTS = ["桃源小区东门的路灯坏了半个月，晚上一片漆黑，老人出门不安全，希望尽快修好路灯。",
                "桃源小区东门路灯一直不亮，晚上孩子回家很害怕。"]
STAFF = "staff:office1"


def _units(app) -> dict[str, int]:
    with app.extensions["mashang"].sessions() as session, session.begin():
        session.add_all([HandlingUnit(name="区城市管理局", short_name="城管局"),
                         HandlingUnit(name="区住房和城乡建设局", short_name="住建局"),
                         HandlingUnit(name="区路灯管理所", short_name="路灯所")])
    with app.extensions["mashang"].sessions() as session:
        return {unit.name: unit.id for unit in session.scalars(select(HandlingUnit))}


def _draft_of_group(app, deputy_name: str, key: str) -> Draft:
    group_id = _groups(app, deputy_name)[key]
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        draft = desk.draft_from_group(session, session.get(Draft, group_id).deputy_id, group_id, runtime.local_tz)
        session.expunge_all()
    return draft


def _registered_lights(app, run_jobs, district) -> tuple[Draft, int]:
    """王秀兰's street-light group made a draft, approved and registered: the draft and its suggestion's id."""
    _send(app, district["王"], *LIGHTS)
    run_jobs()
    first = _draft_of_group(app, "王秀兰", "路灯")
    with app.extensions["mashang"].sessions() as session, session.begin():
        review.approve(session, review.DraftRequest(first.deputy_id, first.id, first.version))
    with app.extensions["mashang"].sessions() as session, session.begin():
        return first, handling.register_from_draft(session, first.id, actor=STAFF).id


def test_a_later_similar_draft_proposes_the_unit_staff_chose_for_the_first(app, run_jobs, district):
    units = _units(app)
    first, suggestion_id = _registered_lights(app, run_jobs, district)
    proposed_before = first.handling_unit
    assert proposed_before and proposed_before != "区路灯管理所"  # from the taxonomy: not the unit staff will choose

    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        # The office gives it to the street-light office rather than the unit the draft proposed.
        handling.assign(session, [suggestion_id], lead_unit_id=units["区路灯管理所"], actor=STAFF)

    # The same kind of problem at another estate, received by another deputy, told in other words.
    _send(app, district["李"], *OTHER_LIGHTS)
    _send(app, district["李"], DITCH)
    run_jobs()
    second = _draft_of_group(app, "李建国", "路灯")
    assert second.handling_unit == "区路灯管理所"
    page = _deputy(app, "13900000002", "li-pass-1").get(f"/deputy/drafts/{second.id}").get_data(as_text=True)
    assert "区路灯管理所" in page.split("建议承办单位")[1]
    with runtime.sessions() as session:
        # Another kind of problem keeps the unit its own words point to.
        ditch = session.get(Draft, _groups(app, "李建国")["排污沟"])
        assert ditch.status == DraftStatus.COLLECTING and ditch.handling_unit != "区路灯管理所"

    # Registered, the office's list pre-selects that unit as the lead.
    with runtime.sessions() as session, session.begin():
        review.approve(session, review.DraftRequest(second.deputy_id, second.id, second.version))
    with runtime.sessions() as session, session.begin():
        registered = handling.register_from_draft(session, second.id, actor=STAFF)
        assert views.suggested_lead(session, registered).id == units["区路灯管理所"]


def test_the_latest_choice_for_a_suggestion_counts_and_an_inactive_unit_is_not_proposed(app, run_jobs, district):
    units = _units(app)
    _, suggestion_id = _registered_lights(app, run_jobs, district)
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.assign(session, [suggestion_id], lead_unit_id=units["区城市管理局"], actor=STAFF)
        handling.request_return(session, suggestion_id, unit_id=units["区城市管理局"], reason="不属于本单位职责",
                                actor="unit")
        handling.reassign(session, suggestion_id, lead_unit_id=units["区住房和城乡建设局"], actor=STAFF)
    _send(app, district["李"], OTHER_LIGHTS[0])
    run_jobs()
    with runtime.sessions() as session:
        # A group of one message, written where it is shown: as the export shows it
        group = session.get(Draft, _groups(app, "李建国")["路灯"])
        assert drafting.text_of(session, group, runtime.local_tz)[2] == "区住房和城乡建设局"
    with runtime.sessions() as session, session.begin():
        session.get(HandlingUnit, units["区住房和城乡建设局"]).active = False
    _send(app, district["李"], OTHER_LIGHTS[1])
    run_jobs()
    with runtime.sessions() as session:
        assert session.get(Draft, _groups(app, "李建国")["路灯"]).handling_unit != "区住房和城乡建设局"


def test_a_unit_renamed_while_another_worker_keeps_the_old_choices_is_named_anew_by_that_worker(
        app, run_jobs, district):
    """Two workers on one database, each keeping the units staff chose between batches: a change made through
    one is what the other's next draft says."""
    units = _units(app)
    _, suggestion_id = _registered_lights(app, run_jobs, district)
    runtime = app.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        handling.assign(session, [suggestion_id], lead_unit_id=units["区路灯管理所"], actor=STAFF)
        li = session.scalar(select(Deputy.id).where(Deputy.name == "李建国"))

    other = make_engine(runtime.engine.url.render_as_string(hide_password=False))
    other_sessions, receipts = make_session_factory(other), count()

    def other_worker_groups(*texts: str) -> str:
        with other_sessions() as session, session.begin():
            for text in texts:
                session.add(Message(deputy_id=li, channel="web", text=text, receipt=f"W{next(receipts):05d}",
                                    status=MessageStatus.TAGGED, topic="城乡建设", terms=grouping.message_terms(text)))
            session.flush()
            drafting.batch_deputy(session, li, runtime.local_tz, 3)
        with other_sessions() as session:
            return session.scalar(select(Draft.handling_unit)
                                  .join(DraftMessage, DraftMessage.draft_id == Draft.id)
                                  .join(Message, Message.id == DraftMessage.message_id)
                                  .where(Message.text == texts[-1]))

    try:
        assert other_worker_groups(*OTHER_LIGHTS) == "区路灯管理所"
        with runtime.sessions() as session, session.begin():
            unit_list.save_unit(session, unit_id=units["区路灯管理所"], name="区路灯管理中心", short_name="路灯中心",
                                actor=STAFF)
        assert other_worker_groups("桃源小区东门的路灯还是不亮，晚上出门很不安全，希望尽快修好路灯。") == "区路灯管理中心"
    finally:
        other.dispose()
