"""Every refusal of the lifecycle's use cases has its Chinese sentence, and the units match as staff expect."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from intake.services.errors import InvalidInput
from intake.services.lifecycle import units
from intake.web.wording import SENTENCES, sentence
from tests.lifecycle_world import build

LIFECYCLE = Path(__file__).resolve().parent.parent / "intake" / "services" / "lifecycle"
ERRORS = {"InvalidInput", "NotAllowed", "NotFound", "InvalidTransition", "Problems"}


def _codes() -> set[str]:
    codes = set()
    for path in LIFECYCLE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ERRORS and node.args \
                    and isinstance(node.args[0], ast.Constant):
                codes.add(node.args[0].value)
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_text" \
                    and isinstance(node.args[2], ast.Constant):
                codes.add(f"{node.args[2].value}_long")
                if any(keyword.arg == "required" for keyword in node.keywords):
                    codes.add(node.args[2].value)
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant) \
                    and isinstance(node.elts[0].value, str) and isinstance(node.elts[1], ast.Dict):
                codes.add(node.elts[0].value)
    return codes


def test_every_code_the_lifecycle_raises_has_a_sentence():
    codes = _codes()
    assert {"suggestion_state", "reply_not_lead", "ledger_unit_unknown", "contact_who_long"} <= codes
    assert sorted(code for code in codes if code not in SENTENCES) == []
    assert sentence("suggestion_state", number="2026-001", status="已登记", action="评价") == \
        "建议 2026-001 现在是“已登记”，不能评价。"


def test_units_match_by_name_or_short_name_and_staff_edit_them(database_url, tmp_path):
    world = build(database_url, tmp_path)
    with world.sessions() as session, session.begin():
        assert units.match_unit(session, "住建局").name == "区住房和城乡建设局"
        assert units.match_unit(session, " 区交通运输局 ").short_name == "交通运输局"
        assert units.match_unit(session, "水利局") is None and units.match_unit(session, "") is None
        made = units.save_unit(session, unit_id=None, name="区水利局", short_name="水利局", contact_person="钱科长",
                               phone="0571-9", actor="staff:1")
        assert units.match_unit(session, "水利局").id == made.id
        with pytest.raises(InvalidInput) as taken:
            units.save_unit(session, unit_id=made.id, name="区交通运输局", actor="staff:1")
        assert taken.value.code == "unit_name_taken"
        units.save_unit(session, unit_id=made.id, name="区水利局", short_name="水利局", active=False, actor="staff:1")
        assert units.match_unit(session, "水利局") is None  # a unit no longer active is not offered


def test_every_lifecycle_step_reads_in_chinese_in_the_audit_log():
    import re

    from intake import labels
    from intake.services.console import audit
    from intake.services.lifecycle import states

    latin = re.compile("[A-Za-z]")
    for action in states.EDGES:
        assert not latin.search(labels.audit_action(f"suggestion.{action}")), action
    reached = {status for edges in states.EDGES.values() for start, ends in edges.items() for status in (start, *ends)}
    for status in reached - {""}:
        assert not latin.search(audit._value({"status": status})), status
    assert audit._value({"status": "reply_submitted", "round": 1}) == "状态：答复待审核；轮次：第 1 轮"
    assert audit._value({"unit_id": 3, "stage": "before", "way": "face", "on": "2026-03-01"}) \
        == "单位编号：3；阶段：办前；方式：当面；日期：2026-03-01"
    for stage in labels.CONTACT_STAGES:
        for way in labels.CONTACT_WAYS:
            assert not latin.search(audit._value({"stage": stage, "way": way})), (stage, way)
    assert audit._value({"name": "12345热线", "scopes": "read,submit"}) == "名称：12345热线；权限：提交留言和只读数据"
    for level in labels.RATING_LEVELS:
        assert not latin.search(audit._value({"level": level, "round": 2})), level


def test_the_audit_log_names_the_unit_that_acted(database_url, tmp_path):
    from sqlalchemy import select

    from intake.models import AuditEntry, HandlingUnit
    from intake.services.console import audit

    world = build(database_url, tmp_path)
    with world.sessions() as session, session.begin():
        unit = session.scalar(select(HandlingUnit).where(HandlingUnit.short_name == "住建局"))
        audit.record(session, f"unit:{unit.id}", "suggestion.reply", "suggestion:1", {}, {"category": "A"})
        session.flush()
        (entry,) = audit.readable(session, list(session.scalars(select(AuditEntry))))
        assert entry.actor == "承办单位 区住房和城乡建设局"


def test_the_audit_log_names_the_units_a_change_concerns(database_url, tmp_path):
    from sqlalchemy import select

    from intake.models import AuditEntry, HandlingUnit
    from intake.services.console import audit

    world = build(database_url, tmp_path)
    with world.sessions() as session, session.begin():
        lead = session.scalar(select(HandlingUnit).where(HandlingUnit.short_name == "住建局"))
        audit.record(session, "staff:admin", "suggestion.assign", "suggestion:1", {},
                     {"lead_unit_id": lead.id, "co_unit_ids": [lead.id]})
        audit.record(session, "staff:admin", "suggestion.assign", "suggestion:2", {}, {"lead_unit_id": lead.id,
                                                                                       "co_unit_ids": []})
        audit.record(session, "staff:admin", "unit.save", f"unit:{lead.id}", {"name": "住建局"}, {"name": lead.name})
        session.flush()
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assigned, alone, saved = audit.readable(session, entries)
        assert assigned.after == "主办单位：区住房和城乡建设局；协办单位：区住房和城乡建设局"
        assert alone.after == "主办单位：区住房和城乡建设局；协办单位：（空）"
        assert saved.target == "承办单位 区住房和城乡建设局"
        assert str(lead.id) not in assigned.after + saved.target


def test_the_audit_log_names_the_reply_station_deputy_and_draft_a_change_concerns(database_url, tmp_path):
    from sqlalchemy import select

    from intake.models import AuditEntry, Station
    from intake.services.console import audit
    from intake.services.lifecycle import handling

    world = build(database_url, tmp_path)
    with world.sessions() as session, session.begin():
        suggestion = handling.register_from_draft(session, world.draft_id, actor="staff:admin", rules=world.rules)
        lead = world.units["住建局"]
        handling.assign(session, [suggestion.id], lead_unit_id=lead, actor="staff:admin", rules=world.rules)
        handling.submit_reply(session, suggestion.id, unit_id=lead, text="已修复。", category="A",
                              actor=f"unit:{lead}", rules=world.rules)
        handling.accept_reply(session, suggestion.id, actor="staff:admin")
        station = session.scalar(select(Station))
        audit.record(session, "staff:admin", "deputy_update", f"deputy:{world.deputies[2]}",
                     {"station_id": None}, {"station_id": station.id})
        audit.record(session, "staff:admin", "station_deactivate", f"station:{station.id}",
                     {"active_deputies": world.deputies[:2]}, {"active_deputies": []})
        audit.record(session, "staff:admin", "reassign", "message:1", {"deputy_id": world.deputies[0]},
                     {"deputy_id": world.deputies[1]})
        session.flush()
        entries = {e.action: e for e in audit.readable(session, list(session.scalars(select(AuditEntry))))}
    assert "答复：区住房和城乡建设局第 1 轮答复，A类（已解决或正在解决）" in entries["建议：审核通过答复"].after
    assert f"草稿：{world.draft_id} 号《关于修复幸福小区路灯的建议》" in entries["建议：登记"].after
    moved = entries[next(name for name in entries if "代表" in name and entries[name].before == "联络站：（空）")]
    assert moved.after == "联络站：青石街道联络站"
    closed = entries[next(name for name in entries if entries[name].after == "在任代表：（空）")]
    assert closed.before == "在任代表：代表0、代表1"
    handed = entries[next(name for name in entries if entries[name].before.startswith("代表："))]
    assert handed.before == "代表：代表0" and handed.after == "代表：代表1"
    assert not any("编号" in e.before + e.after for e in entries.values()), [(e.before, e.after) for e in entries.values()]


def test_the_audit_log_names_drafts_and_suggestions_by_title_and_number(database_url, tmp_path):
    from sqlalchemy import select

    from intake.models import AuditEntry
    from intake.services.console import audit
    from intake.services.lifecycle import handling

    world = build(database_url, tmp_path)
    with world.sessions() as session, session.begin():
        suggestion = handling.register_from_draft(session, world.draft_id, actor="staff:admin", rules=world.rules)
        audit.record(session, "deputy:1", "draft.approve", f"draft:{world.draft_id}")
        audit.record(session, "deputy:1", "draft.discard", "draft:999")  # gone since: its id is all there is
        session.flush()
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.actor == "deputy:1")
                                       .order_by(AuditEntry.id)))
        registered = session.scalar(select(AuditEntry).where(AuditEntry.action == "suggestion.register"))
        approved, gone = audit.readable(session, entries)
        (register,) = audit.readable(session, [registered])
    assert approved.target == "草稿《关于修复幸福小区路灯的建议》" and gone.target == "草稿 999"
    assert register.target == f"建议 {suggestion.number}"
