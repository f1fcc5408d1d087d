"""The office's ledger and the figures through the `mashang` command: units, the 95-suggestion year,
idempotent imports, bad ledgers refused whole with every line named, and export → import round trips."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from intake.models import (Assignment, CoOpinion, HandlingUnit, Rating, Reply, StaffUser, Station, Suggestion,
                           SuggestionCosigner, SuggestionCounter, SuggestionEvent, SuggestionMessage, UnitContact,
                           Deputy)
from intake.services.lifecycle import figures, handling, ledger
from intake.services.lifecycle.states import S
from tests.lifecycle_world import PDF

UNITS_CSV = "单位名称,简称,联系人,电话\n区住房和城乡建设局,住建局,王科长,0571-1\n区交通运输局,交通运输局,李科长,0571-2\n" \
            "区城市管理局,城管局,赵科长,0571-3\n"
HEADER = ["编号", "标题", "领衔代表", "附议代表", "主办单位", "协办单位", "交办日期", "办理期限", "重点督办", "答复日期",
          "答复类别", "当面沟通", "满意度"]


@pytest.fixture
def office(app, tmp_path):
    """Ten deputies and three units (imported with the command) in the app's database."""
    with app.extensions["mashang"].sessions() as session, session.begin():
        station = Station(name="青石街道联络站")
        session.add_all([Deputy(name=f"代表{i}", level="区", station=station) for i in range(10)])
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["units", "import", str(units)])
    assert result.exit_code == 0, result.output
    assert "新增 3 个单位" in result.output
    return app


def _xlsx(path, rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _year_of_95(year: int = 2025) -> list[list]:
    """58 answered A and 37 answered B, each with a 当面 contact and rated 满意."""
    rows = []
    for i in range(1, 96):
        category = "A" if i <= 58 else "B"
        rows.append([f"{year}-{i:03d}", f"关于第{i}件民生实事的建议", f"代表{i % 10}", f"代表{(i + 1) % 10}",
                     "区住房和城乡建设局" if i % 2 else "交通运输局", "城管局" if i % 3 == 0 else "",
                     # Spreadsheet dates and dates typed as text, as offices mix them.
                     date(year, 3, 1) if i % 2 else f"{year}/3/1", f"{year}年5月30日", "是" if i % 4 == 0 else "否",
                     f"{year}-05-{1 + i % 28:02d}",
                     category, "是", "满意"])
    return rows


def _stats(app, *args) -> dict:
    result = app.test_cli_runner().invoke(args=["suggestions", "stats", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _count(app, model=Suggestion) -> int:
    with app.extensions["mashang"].sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_districts_year_of_95_suggestions(office, tmp_path):
    path = _xlsx(tmp_path / "台账.xlsx", _year_of_95())
    result = office.test_cli_runner().invoke(args=["suggestions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "新增 95 条建议" in result.output
    stats = _stats(office, "--year", "2025")
    assert stats["total"] == 95 and stats["answered"] == 95
    assert stats["by_category"] == {"A": 58, "B": 37, "C": 0, "D": 0}
    assert (stats["reply_rate"], stats["face_to_face_rate"], stats["satisfaction_rate"]) == (100, 100, 100)
    assert stats["completion_rate"] == 61.05
    assert stats["shares"]["A"] == 61.05 and stats["shares"]["B"] == 38.95
    assert stats["overdue"] == 0
    text = office.test_cli_runner().invoke(args=["suggestions", "stats", "--year", "2025"]).output
    assert "A类 58（61.1%）" in text and "B类 37（38.9%）" in text and "办结率：61.1%" in text
    # The same file again changes nothing.
    events = _count(office, SuggestionEvent)
    again = office.test_cli_runner().invoke(args=["suggestions", "import", str(path)])
    assert again.exit_code == 0 and "新增 0 条建议，95 条已有" in again.output
    assert (_count(office), _count(office, SuggestionEvent)) == (95, events)
    assert _stats(office, "--year", "2025") == stats
    # Numbers the ledger used are never handed out again: the next registration that year follows them.
    with office.extensions["mashang"].sessions() as session:
        assert session.get(SuggestionCounter, 2025).last == 95
        first, second = ledger.ledger_rows(session)[:2]
    assert first[:9] == ["2025-001", "关于第1件民生实事的建议", "代表1", "代表2", "区住房和城乡建设局", "", "2025-03-01",
                         "2025-05-30", "否"]
    assert (second[6], second[12]) == ("2025-03-01", "满意")


def test_a_bad_ledger_imports_nothing_and_names_every_bad_line(office, tmp_path):
    rows = _year_of_95()[:6]
    rows[1][4] = "区水利局"  # line 3: no such unit
    rows[2][0] = rows[0][0]  # line 4: the number of line 2 again
    rows[3][10] = "E"  # line 5: no category E
    rows[4][9] = "去年五月"  # line 6: not a date
    path = _xlsx(tmp_path / "bad.xlsx", rows)
    result = office.test_cli_runner().invoke(args=["suggestions", "import", str(path)])
    assert result.exit_code == 1
    output = result.output
    assert "没有导入任何建议" in output
    assert "第 3 行：找不到承办单位“区水利局”" in output
    assert "第 4 行：编号与第 2 行重复" in output
    assert "第 5 行：答复类别“E”无效" in output
    assert "第 6 行：答复日期“去年五月”不是可以识别的日期" in output
    assert "第 2 行" not in output.replace("与第 2 行", "") and "第 7 行" not in output
    assert _count(office) == 0 and _count(office, SuggestionEvent) == 0


def test_an_unknown_deputy_and_missing_columns_are_named(office, tmp_path):
    rows = _year_of_95()[:2]
    rows[0][2] = "张三"
    result = office.test_cli_runner().invoke(args=["suggestions", "import", str(_xlsx(tmp_path / "a.xlsx", rows))])
    assert result.exit_code == 1 and "第 2 行：找不到代表“张三”" in result.output
    columns = tmp_path / "b.csv"
    columns.write_text("编号,标题\n2025-001,路灯\n", encoding="utf-8")
    result = office.test_cli_runner().invoke(args=["suggestions", "import", str(columns)])
    assert result.exit_code == 1 and "文件中没有列“领衔代表”" in result.output
    assert _count(office) == 0


def test_units_import_is_all_or_nothing_and_unit_accounts_name_their_unit(office, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("单位名称,简称\n区教育局,教育局\n,无名\n区教育局,教育局\n", encoding="utf-8")
    result = office.test_cli_runner().invoke(args=["units", "import", str(bad)])
    assert result.exit_code == 1
    assert "第 3 行：单位名称为空" in result.output and "第 4 行：单位名称与第 2 行重复" in result.output
    assert _count(office, HandlingUnit) == 3
    cli = office.test_cli_runner()
    made = cli.invoke(args=["accounts", "create", "--role", "unit", "--unit", "住建局", "--name", "zhujian",
                            "--password-stdin"], input="a-long-password-1\n")
    assert made.exit_code == 0, made.output
    unknown = cli.invoke(args=["accounts", "create", "--role", "unit", "--unit", "水利局", "--name", "shuili",
                               "--password-stdin"], input="a-long-password-1\n")
    assert unknown.exit_code == 1 and "找不到承办单位“水利局”" in unknown.output
    with office.extensions["mashang"].sessions() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == "zhujian"))
        assert (user.role, session.get(HandlingUnit, user.unit_id).name) == ("unit", "区住房和城乡建设局")
        assert session.scalar(select(func.count()).select_from(StaffUser).where(StaffUser.username == "shuili")) == 0



def test_a_units_contact_and_phone_too_long_to_keep_are_refused_never_cut(office, tmp_path):
    """Two phone numbers and their rooms in the 电话 column were stored as their first 40 characters, without a word."""
    from intake.models import StaffRole
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    phones = "0571-87001234（办公室）、0571-87005678（值班室）、13912345678"
    listed = tmp_path / "long.csv"
    listed.write_text(f"单位名称,联系人,电话\n区水利局,王科长,{phones}\n", encoding="utf-8")
    refused = office.test_cli_runner().invoke(args=["units", "import", str(listed)])
    assert refused.exit_code == 1
    assert f"第 2 行：电话有 {len(phones)} 个字，超过了 40 个字的上限。" in refused.output
    add_staff(office, "clerk", StaffRole.OFFICE, None)
    clerk = sign_in_staff(office, "clerk")
    token = csrf_token(clerk, "/staff/units")
    page = clerk.post("/staff/units", data={"name": "区水利局", "contact_person": "王科长", "phone": phones,
                                            "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert f"电话最多 40 个字，现在是 {len(phones)} 个，没有保存。" in page
    with office.extensions["mashang"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(HandlingUnit).where(HandlingUnit.name == "区水利局")) == 0


def test_units_import_reads_reminder_addresses_and_names_a_bad_one(office, tmp_path):
    with_mail = tmp_path / "mail.csv"
    with_mail.write_text("单位名称,简称,提醒邮箱\n区住房和城乡建设局,住建局,ban@zj.gov.cn；wang@zj.gov.cn\n",
                         encoding="utf-8")
    cli = office.test_cli_runner()
    assert cli.invoke(args=["units", "import", str(with_mail)]).exit_code == 0
    bad = tmp_path / "bad-mail.csv"
    bad.write_text("单位名称,提醒邮箱\n区交通运输局,jt@jt\n", encoding="utf-8")
    refused = cli.invoke(args=["units", "import", str(bad)])
    assert refused.exit_code == 1 and "第 2 行：提醒邮箱“jt@jt”不是有效的电子邮件地址" in refused.output
    without_column = tmp_path / "plain.csv"
    without_column.write_text("单位名称,联系人\n区住房和城乡建设局,王科长\n", encoding="utf-8")
    assert cli.invoke(args=["units", "import", str(without_column)]).exit_code == 0
    with office.extensions["mashang"].sessions() as session:
        unit = session.scalar(select(HandlingUnit).where(HandlingUnit.name == "区住房和城乡建设局"))
        assert unit.email == "ban@zj.gov.cn, wang@zj.gov.cn"  # kept: the later file had no such column


def _handled_by_hand(app) -> None:
    """Suggestions in every corner the figures count: a B reply done, one reopened, one overdue, one waiting."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        deputies = list(session.scalars(select(Deputy.id).order_by(Deputy.id)))
        units = {u.short_name: u.id for u in session.scalars(select(HandlingUnit))}
        made = [handling.register_by_hand(session, title=f"手工登记的建议{i}", lead_deputy_id=deputies[i],
                                          cosigner_ids=[deputies[i + 1]], actor="staff:1", rules=rules).id
                for i in range(5)]
        handling.assign(session, made[:4], lead_unit_id=units["住建局"], co_unit_ids=[units["城管局"]],
                        key_supervision=True, supervisor="常委会副主任", actor="staff:1", rules=rules)
        lead = units["住建局"]
        for number, (category, level) in enumerate([("B", "satisfied"), ("C", "unsatisfied")]):
            suggestion_id = made[number]
            handling.log_contact(session, suggestion_id, unit_id=lead, stage="before", way="face", on=handling.today(rules),
                                 actor="unit:1", rules=rules)
            handling.submit_reply(session, suggestion_id, unit_id=lead, text="答复", category=category,
                                  promised_date=handling.today(rules) + timedelta(days=9) if category == "B" else None,
                                  attachment=("答复.pdf", PDF), actor="unit:1", rules=rules)
            handling.accept_reply(session, suggestion_id, actor="staff:1")
            handling.rate(session, suggestion_id, deputy_id=deputies[number], level=level, actor="deputy", rules=rules,
                          comment="还没有解决" if level == "unsatisfied" else "")
        handling.report_done(session, made[0], unit_id=lead, note="已完成。", actor="unit:1")
        session.get(Suggestion, made[2]).deadline = handling.today(rules) - timedelta(days=1)


def _forget_suggestions(app) -> None:
    with app.extensions["mashang"].sessions() as session, session.begin():
        for model in (SuggestionEvent, UnitContact, CoOpinion, Rating, Reply, Assignment, SuggestionCosigner,
                      SuggestionMessage, Suggestion, SuggestionCounter):
            session.execute(delete(model))


def test_an_exported_ledger_imports_into_an_empty_database_with_identical_figures(office, tmp_path):
    office.test_cli_runner().invoke(args=["suggestions", "import", str(_xlsx(tmp_path / "y.xlsx", _year_of_95()))])
    _handled_by_hand(office)
    runtime = office.extensions["mashang"]
    with runtime.sessions() as session:
        before = {year: figures.figures(session, year) for year in (None, 2025, handling.today(runtime.settings.lifecycle).year)}
        lines = ledger.ledger_rows(session)
        assert session.scalar(select(Suggestion.status).where(Suggestion.title == "手工登记的建议0")) == S.CLOSED
    assert before[None]["overdue"] == 1 and before[None]["completed"] == 59
    with runtime.sessions() as session:
        by_unit = {row["name"]: row for row in figures.breakdown(session, 2025, "unit")}
        assert {name: row["total"] for name, row in by_unit.items()} == {"区住房和城乡建设局": 48, "区交通运输局": 47}
        assert by_unit["区交通运输局"]["by_category"] == {"A": 29, "B": 18, "C": 0, "D": 0}
        assert by_unit["区交通运输局"]["completion_rate"] == 61.7
        deputies = figures.breakdown(session, None, "deputy")
        assert sum(row["total"] for row in deputies) == 100 and len(deputies) == 10
        whole_year = {key: value for key, value in figures.figures(session, 2025).items() if key != "year"}
        assert figures.breakdown(session, 2025, "topic") == [{**whole_year, "name": "未分类"}]
    out = tmp_path / "export.xlsx"
    assert office.test_cli_runner().invoke(args=["suggestions", "export", "--out", str(out)]).exit_code == 0
    _forget_suggestions(office)
    result = office.test_cli_runner().invoke(args=["suggestions", "import", str(out)])
    assert result.exit_code == 0, result.output
    with runtime.sessions() as session:
        assert {year: figures.figures(session, year) for year in before} == before
        assert ledger.ledger_rows(session) == lines


def test_the_export_disarms_formulas_and_reads_back_as_typed(office, tmp_path):
    rows = _year_of_95()[:1]
    rows[0][1] = "=HYPERLINK(\"http://evil\",\"点我\")"
    typed = tmp_path / "f.csv"  # a CSV holds the text as typed; a spreadsheet program would store a formula
    with typed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, rows[0]])
    assert office.test_cli_runner().invoke(args=["suggestions", "import", str(typed)]).exit_code == 0
    with office.extensions["mashang"].sessions() as session:
        data = ledger.export_ledger(session)
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=") and cell.quotePrefix
    _forget_suggestions(office)
    exported = tmp_path / "e.xlsx"
    exported.write_bytes(data)
    office.test_cli_runner().invoke(args=["suggestions", "import", str(exported)])
    with office.extensions["mashang"].sessions() as session:
        assert session.scalar(select(Suggestion.title)) == rows[0][1]
