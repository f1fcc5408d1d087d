"""Importing the roster: every row checked, line numbers in Chinese, all or nothing."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from intake.models import Deputy, Station
from tests.helpers import ROSTER, deputies, import_roster, write_roster

ROOT = Path(__file__).resolve().parent.parent


def _counts(app):
    with app.extensions["mashang"].sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Deputy)),
            session.scalar(select(func.count()).select_from(Station)),
        )


def test_csv_roster_creates_deputies_with_unguessable_links(app, tmp_path):
    result = import_roster(app, write_roster(tmp_path))
    assert result.exit_code == 0, result.output
    assert "新增 3 位代表" in result.output
    listed = deputies(app)
    assert [d["name"] for d in listed] == ["王秀兰", "李建国", "张桂芳"]
    assert listed[2]["station"] == "柳河镇人大代表联络站"
    slugs = {d["link"].rsplit("/", 1)[1] for d in listed}
    assert len(slugs) == 3
    assert all(re.fullmatch(r"[2-9a-hjkmnp-z]{13}", s) for s in slugs)
    assert _counts(app) == (3, 2)


def test_reimporting_the_same_roster_updates_instead_of_duplicating(app, tmp_path):
    path = write_roster(tmp_path)
    import_roster(app, path)
    second = import_roster(app, path)
    assert "更新 3 位" in second.output
    assert _counts(app) == (3, 2)


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(app, tmp_path):
    roster = "姓名,层级,联络站,手机\n王秀兰,区,青石站,13900000001\n,乡,青石站,123\n李四,区,,13900000001\n"
    result = import_roster(app, write_roster(tmp_path, roster))
    assert result.exit_code == 1
    assert "没有导入任何数据" in result.output
    assert "第 3 行：姓名为空；层级“乡”无效" in result.output
    assert "手机号“123”格式不对" in result.output
    assert "第 4 行：联络站为空；手机号与第 2 行重复" in result.output
    assert _counts(app) == (0, 0)


def test_missing_columns_and_wrong_file_types_are_explained(app, tmp_path):
    result = import_roster(app, write_roster(tmp_path, "名字,站\n王,青石\n"))
    assert result.exit_code == 1 and "缺少列：姓名、层级、联络站" in result.output
    result = import_roster(app, write_roster(tmp_path, "x", name="roster.txt"))
    assert result.exit_code == 1 and "只支持 Excel 表格（.xlsx）和 CSV 文件（.csv）" in result.output
    assert _counts(app) == (0, 0)


def test_xlsx_and_gbk_csv_rosters_are_read(app, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "层级", "联络站", "手机"])
    sheet.append(["赵晓燕", "省级", "柳河镇人大代表联络站", 13900000006])
    book.save(tmp_path / "roster.xlsx")
    assert import_roster(app, tmp_path / "roster.xlsx").exit_code == 0
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("姓名,层级,联络站,手机\n刘德明,区,柳河镇人大代表联络站,13900000005\n".encode("gbk"))
    assert import_roster(app, gbk).exit_code == 0
    listed = {d["name"]: d for d in deputies(app)}
    assert listed["赵晓燕"]["level"] == "省"
    assert "刘德明" in listed


def _far_column_xlsx(rows: int) -> bytes:
    """A few kilobytes of .xlsx whose every line has one cell in the sheet's last column (XFD, the 16,384th)."""
    buffer = io.BytesIO()
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default '
        'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD{rows}"/><sheetData>' + "".join(
            f'<row r="{i}"><c r="XFD{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(1, rows + 1))
        + "</sheetData></worksheet>"}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


_MEASURE = """
import json, resource, sys, time
from intake.services.console import tables
data = open(sys.argv[1], "rb").read()
peak, cpu = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time()
try:
    outcome = len(tables.read_table("roster.xlsx", data))
except tables.TableError as refused:
    outcome = refused.code
print(json.dumps({"outcome": outcome, "cpu": time.process_time() - cpu,
                  "grown_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024}))
"""


def test_a_small_xlsx_reaching_the_last_column_costs_little_to_read(tmp_path):
    """27 KB of .xlsx with a cell in column XFD on 5,000 lines took 677 MB and 3.7 s: every line was padded to
    16,384 cells. Columns past those any table of ours has are not read."""
    sheet = tmp_path / "roster.xlsx"
    sheet.write_bytes(_far_column_xlsx(5000))
    assert sheet.stat().st_size < 64_000
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(sheet)], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=120)
    figures = json.loads(done.stdout)
    assert figures["grown_mb"] < 60 and figures["cpu"] < 1.5, figures


def test_a_csv_far_wider_than_any_table_is_refused_and_trailing_commas_are_not_columns(app, tmp_path):
    """A 175 KB CSV of 40,000 column names and 60,000 blank lines cost 122 s of CPU: each blank line became a dict
    of every column. Past the columns any table of ours has, a filled cell refuses the file at once."""
    wide = ",".join(f"a{i}" for i in range(40_000)) + "\n" + "\n" * 60_000 + "x\n"
    result = import_roster(app, write_roster(tmp_path, wide))
    assert result.exit_code == 1 and "表格超过 100 列" in result.output, result.output
    # Empty cells past them, as a spreadsheet exports them, and blank lines between rows change nothing.
    padded = "".join(line + "," * 5000 + "\n" + "\n" * 3000 for line in ROSTER.splitlines())
    result = import_roster(app, write_roster(tmp_path, padded))
    assert result.exit_code == 0, result.output
    assert sorted(deputy["name"] for deputy in deputies(app)) == ["张桂芳", "李建国", "王秀兰"]


def test_a_damaged_xlsx_is_explained_in_chinese(app, tmp_path):
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook at all")
    result = import_roster(app, broken)
    assert result.exit_code == 1 and "Excel" in result.output
    assert "zip" not in result.output.lower() and "file" not in result.output.lower(), result.output


def test_a_roster_without_its_phone_column_is_refused_and_phoneless_rows_are_not_doubled(app, tmp_path):
    # No number column at all: nobody could sign in, so nothing is loaded.
    result = import_roster(app, write_roster(tmp_path, "姓名,层级,联络站,邮箱\n孙立新,区,东湖站,sun@example.cn\n"))
    assert result.exit_code == 1 and "缺少列：手机" in result.output
    assert _counts(app) == (0, 0)
    # A clerk's column headed 手机号码 instead of 手机 is the number column: the deputy can sign in with it.
    assert import_roster(app, write_roster(tmp_path, "姓名,层级,联络站,手机号码\n孙立新,区,东湖站,13911110001\n")).exit_code == 0
    with app.extensions["mashang"].sessions() as session:
        assert session.scalar(select(Deputy.phone).where(Deputy.name == "孙立新")) == "13911110001"
    # A deputy with no number yet (the cell left empty) is the same deputy when the file comes again.
    path = write_roster(tmp_path, "姓名,层级,联络站,手机\n钱志远,区,东湖站,\n周美华,区,东湖站,13911110002\n")
    assert "新增 2 位代表" in import_roster(app, path).output
    assert "新增 0 位代表，更新 2 位" in import_roster(app, path).output
    assert _counts(app) == (3, 1)


def test_a_roster_under_its_title_line_is_read_with_the_spreadsheets_line_numbers(app, tmp_path):
    """Rosters come from the office with a title above the column names, and 区人大代表 in the level column."""
    book = Workbook()
    sheet = book.active
    sheet.append(["青石区第十八届人大代表名册"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "姓名", "层级", "联络站", "手机"])
    sheet.append([1, "王秀兰", "区人大代表", "青石街道人大代表联络站", 13900000001])
    sheet.append([2, "李建国", "区级人大代表", "青石街道人大代表联络站", "乡"])
    book.save(tmp_path / "roster.xlsx")
    refused = import_roster(app, tmp_path / "roster.xlsx")
    assert refused.exit_code == 1 and "缺少列" not in refused.output
    assert "第 4 行：手机号“乡”格式不对" in refused.output, "the line number the clerk sees in the spreadsheet"
    sheet["E4"] = 13900000002
    book.save(tmp_path / "roster.xlsx")
    assert import_roster(app, tmp_path / "roster.xlsx").exit_code == 0
    assert [(d["name"], d["level"]) for d in deputies(app)] == [("王秀兰", "区"), ("李建国", "区")]


def test_stations_the_import_would_create_are_named_before_and_after_it(app, tmp_path):
    """The stations were added first; a roster spelling one of them otherwise (柳河镇联络站) would make a second
    station, with no phone and no staff, for that deputy's citizens. The preview says so while it can be fixed."""
    from intake.models import StaffRole
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "chief", StaffRole.ADMIN, None)
    staff = sign_in_staff(app, "chief")
    token = csrf_token(staff, "/staff/roster")
    spelt = "姓名,层级,联络站,手机\n赵晓燕,区,柳河镇联络站,13900000006\n刘德明,区,柳河镇人大代表联络站,13900000005\n"
    preview = staff.post("/staff/roster", data={"csrf_token": token, "file": (io.BytesIO(spelt.encode()), "r.csv")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "名册里有 1 个系统中还没有的联络站，导入时将新建：柳河镇联络站。" in preview
    assert "已有的联络站：青石街道人大代表联络站、柳河镇人大代表联络站。" in preview
    signed = preview.split('name="token" value="')[1].split('"')[0]
    done = staff.post("/staff/roster", data={"csrf_token": token, "token": signed}, follow_redirects=True)
    assert "新增 2 位代表，更新 0 位；新建联络站 1 个：柳河镇联络站。" in done.get_data(as_text=True)
    again = import_roster(app, write_roster(tmp_path, spelt.replace("柳河镇联络站", "柳河新村联络站")))
    assert "新建联络站 1 个：柳河新村联络站" in again.output


def test_names_padded_to_three_characters_in_the_roster_are_the_deputys_own(app, client, tmp_path):
    """张  芳 in the roster greeted citizens as 区人大代表张  芳, and a search for 张芳 found nobody."""
    from tests.helpers import slug_of

    padded = "姓名,层级,联络站,手机\n张  芳,区,柳河镇人大代表联络站,13900000004\n李\u3000明,区,柳河镇人大代表联络站,13900000005\n"
    assert import_roster(app, write_roster(tmp_path, padded)).exit_code == 0
    listed = deputies(app)
    assert [d["name"] for d in listed] == ["张芳", "李明"]
    assert "我是柳河镇人大代表联络站的区人大代表张芳。" in client.get(f"/c/{slug_of(listed[0])}").get_data(as_text=True)
    # A clerk adding one by hand, copying from the same list.
    from intake.models import StaffRole
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, sign_in_staff

    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    with app.extensions["mashang"].sessions() as session:
        station_id = session.scalar(select(Station.id))
    staff.post("/staff/deputies", data={"csrf_token": csrf_token(staff, "/staff/deputies"), "name": "王  五",
                                        "level": "区", "station": station_id, "phone": "13900000009"})
    assert [d["name"] for d in deputies(app)][-1] == "王五"


def test_a_phone_written_full_width_signs_in_however_the_deputy_types_it(app, tmp_path):
    """Rosters and clerks typing on a Chinese keyboard write １３９… or +86: both were refused as no mobile number."""
    from intake.models import StaffRole
    from tests.conftest import csrf_token
    from tests.helpers import add_staff, set_password, sign_in_deputy, sign_in_staff

    wide = "姓名,层级,联络站,手机\n张芳,区,柳河镇人大代表联络站,１３９００００００04\n李明,区,柳河镇人大代表联络站,+86 139-0000-0005\n"
    assert import_roster(app, write_roster(tmp_path, wide)).exit_code == 0
    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    with app.extensions["mashang"].sessions() as session:
        station_id = session.scalar(select(Station.id))
    staff.post("/staff/deputies", data={"csrf_token": csrf_token(staff, "/staff/deputies"), "name": "王五",
                                        "level": "区", "station": station_id, "phone": "１３９ ００００ ０００９"})
    assert [d["name"] for d in deputies(app)] == ["张芳", "李明", "王五"]
    for phone in ("13900000004", "13900000005", "13900000009"):
        set_password(app, phone, "the-password")
        for spelling in (phone, phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
            assert sign_in_deputy(app.test_client(), spelling, "the-password").status_code == 302, spelling
    # The same number spelt twice in one roster is the same deputy.
    twice = "姓名,层级,联络站,手机\n张芳,区,柳河镇人大代表联络站,１３９００００００04\n李明,区,柳河镇人大代表联络站,13900000004\n"
    assert "第 3 行：手机号与第 2 行重复" in import_roster(app, write_roster(tmp_path, twice)).output
