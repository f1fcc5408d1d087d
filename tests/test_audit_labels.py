"""Every action and field the code writes into the audit log has a Chinese name: the log once read into_draft：24,
edits：…, 层级：不满意 to a clerk. The writers are read from the source, so a new key without a name fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from intake import labels
from intake.services.console import audit
from intake.services.drafts import review

ROOT = Path(__file__).resolve().parent.parent / "intake"
# Where each writer takes its action (with the prefix the log stores) and its before/after dicts.
WRITERS = {"record": {"action": (2, ""), "changes": {4: "before", 5: "after"}},
           "record_revision": {"action": (3, "draft."), "changes": {5: "before", 6: "after"}},
           "move": {"action": (2, "suggestion."), "changes": {}, "keywords": ("data",)}}
# Parts of an action code filled from a fixed set of values.
FILLED = {"flag_": labels.FLAGS}
LATIN = re.compile(r"[A-Za-z_]{3,}")


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _keys(node: ast.AST, scope: ast.FunctionDef | None, functions: dict, seen: set) -> set[str]:
    """The literal keys of the dict this expression builds, nested dicts' keys too."""
    if isinstance(node, ast.Dict):
        found = set()
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.add(key.value)
            found |= _keys(value, scope, functions, seen)
        return found
    if isinstance(node, ast.BoolOp):  # data or {}
        return set().union(*(_keys(value, scope, functions, seen) for value in node.values))
    if isinstance(node, ast.Name) and scope is not None:
        assigned = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)]
        return set().union(set(), *(_keys(value, scope, functions, seen) for value in assigned))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions \
            and node.func.id not in seen:
        called = functions[node.func.id]
        returns = [n.value for n in ast.walk(called) if isinstance(n, ast.Return) and n.value is not None]
        return set().union(set(), *(_keys(value, called, functions, seen | {node.func.id}) for value in returns))
    return set()


def _actions(node: ast.AST, prefix: str) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {prefix + node.value}
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        start = node.values[0].value
        if start in FILLED:
            return {prefix + start + value for value in FILLED[start]}
        if start in ("draft.", "suggestion."):  # the writers above pass these on
            return set()
    if isinstance(node, ast.IfExp):
        return _actions(node.body, prefix) | _actions(node.orelse, prefix)
    if isinstance(node, ast.Name) and prefix:  # one of the actions a caller passes (assign or reassign)
        return set()
    raise AssertionError(f"an audit action the test cannot read: {ast.unparse(node)}")


def _kind(node: ast.AST) -> str | None:
    """The kind of a target ("message" of f"message:{id}"), where the source spells it."""
    start = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
    if isinstance(start, ast.Constant) and isinstance(start.value, str):
        return start.value.partition(":")[0]
    return None


def written() -> tuple[set[str], set[str], set[str]]:
    """Every action code, field key and target kind the source writes into the log."""
    actions, fields, kinds = set(), set(), set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = _functions(tree)
        for scope in functions.values():
            for call in (n for n in ast.walk(scope) if isinstance(n, ast.Call)):
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                if name not in WRITERS or name == "record" and "audit" not in ast.unparse(call.func) \
                        or name == "move" and "lifecycle" not in path.parts:
                    continue
                shape = WRITERS[name]
                codes = _actions(call.args[shape["action"][0]], shape["action"][1])
                changes = [arg for index, arg in enumerate(call.args) if index in shape["changes"]]
                changes += [k.value for k in call.keywords
                            if k.arg in (*shape["changes"].values(), *shape.get("keywords", ()))]
                keys = set().union(set(), *(_keys(change, scope, functions, set()) for change in changes))
                actions |= codes
                fields |= keys
                if name == "record" and _kind(call.args[3]) is not None:
                    kinds.add(_kind(call.args[3]))
            # Rows a batch inserts itself ({"action": "grouped", "after": {"draft": …}}), past the writers above.
            for row in (n for n in ast.walk(scope) if isinstance(n, ast.Dict)):
                named = {key.value: value for key, value in zip(row.keys, row.values)
                         if isinstance(key, ast.Constant) and isinstance(key.value, str)}
                if "action" in named and {"before", "after"} & set(named):
                    actions |= _actions(named["action"], "")
                    fields |= set().union(*(_keys(named[side], scope, functions, set())
                                            for side in ("before", "after") if side in named))
    return actions, fields, kinds


def test_every_action_and_field_written_to_the_audit_log_has_a_chinese_name():
    actions, fields, kinds = written()
    assert len(actions) > 60 and len(fields) > 60 and len(kinds) > 10  # the reading found the writers
    assert sorted(a for a in actions if LATIN.search(labels.audit_action(a))) == []
    assert sorted(kinds - set(labels.AUDIT_TARGETS)) == []
    # A merge keeps the other draft's edits, keyed by section.
    assert sorted(f for f in fields | set(review.SECTIONS) if f not in labels.AUDIT_FIELDS) == []


def test_a_rating_reads_as_an_evaluation_not_a_deputys_level():
    rated = audit._value({"status": "rated", "level": "unsatisfied", "round": 1}, action="suggestion.rate")
    assert rated == "状态：已评价；评价：不满意；轮次：第 1 轮"
    assert audit._value({"name": "王秀兰", "level": "区"}, action="deputy_update") == "名称：王秀兰；层级：区"


def test_a_merge_a_flag_a_resent_reminder_and_a_retention_read_in_chinese():
    shown = [audit._value({"into_draft": 24, "messages": [3], "edits": {"title": "路灯", "problems": "夜间"}}),
             audit._value({"status": "rejected", "flag": "spam", "reason": "广告", "duplicate_of": None}),
             audit._value({"state": "failed", "attempts": 5}),
             audit._value({"messages": 2, "photos": 1, "progress_links": 1, "staff_reminders": 0}),
             audit._value({"shown": True}), audit._value({"file": "台账.xlsx", "added": 3, "unchanged": 1})]
    assert [text for text in shown if LATIN.search(text.replace("xlsx", ""))] == []
    assert shown[1] == "状态：已剔除；标记：垃圾信息；理由：广告；重复于留言：（空）"


def test_a_row_no_longer_there_is_named_in_chinese_too():
    """归入收集中的问题 read group：1 in 修改后 once that problem was merged away: a row gone from the database is
    named by its field's Chinese name and its number, as every other such field is."""
    assert audit._value({"group": 1}, {}, "grouped_collecting") == "收集中的问题：1 号"
    assert audit._value({"draft": 7}, {}, "grouped") == "草稿：7 号"
    for field in audit.ID_FIELDS:
        shown = audit._value({field: 999}, {}, "") + audit._value({field: [998, 999]}, {}, "")
        assert not LATIN.search(shown), shown
