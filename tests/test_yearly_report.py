"""The yearly report: the 95-suggestion ledger's year written by `mashang suggestions report` and by the office's
page (written by a worker), read back with python-docx and openpyxl, and its first pages rendered by LibreOffice for a person to look at."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pypdfium2
import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select, text

from intake.models import (Deputy, Draft, DraftStatus, HandlingUnit, Message, MessageStatus, ReportJob, StaffUser,
                           Station, utcnow)
from intake.services.report import jobs as report_jobs
from tests.conftest import _truncate_postgres, build_app, csrf_token, make_settings
from tests.helpers import add_staff, saved_as, set_password, sign_in_deputy, sign_in_staff
from workers import context, queues
from tests.test_suggestion_ledger import _xlsx, _year_of_95, office  # noqa: F401  (a fixture)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "report"
UNITS = ("区住房和城乡建设局", "区交通运输局")


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 4, tzinfo=timezone.utc)


def _citizens_wrote(app, year: int) -> None:
    """Messages of the year at two stations (one deputy moved to a second station), a withdrawn and a flagged
    one that must not count, one of the year before, and drafts: what the topics and participation parts read."""
    with app.extensions["mashang"].sessions() as session, session.begin():
        second = Station(name="=HYPERLINK(\"http://x\")联络站")  # a name typed by someone, never a formula
        session.add(second)
        deputies = {d.name: d for d in session.scalars(select(Deputy))}
        deputies["代表9"].station = second
        plan = [("代表1", "城乡建设", 6), ("代表1", "交通出行", 2), ("代表2", "交通出行", 3), ("代表9", "医疗卫生", 4),
                ("代表9", None, 1)]
        n = 0
        for name, topic, count in plan:
            for _ in range(count):
                n += 1
                session.add(Message(deputy_id=deputies[name].id, channel="web", text=f"留言{n}", topic=topic,
                                    receipt=f"R{n:06d}", status=MessageStatus.TAGGED, created_at=_at(year, 4, 1)))
        for receipt, fields in (("X1", {"status": MessageStatus.WITHDRAWN}), ("X2", {"flag": "spam"}),
                                ("X3", {"created_at": _at(year - 1, 6, 1)})):
            session.add(Message(deputy_id=deputies["代表1"].id, channel="web", text="不计", topic="城乡建设",
                                receipt=receipt, **{"status": MessageStatus.TAGGED, "created_at": _at(year, 4, 1),
                                                    **fields}))
        session.add_all([Draft(deputy_id=deputies["代表1"].id, topic="城乡建设", title="关于路灯的建议",
                               status=DraftStatus.APPROVED, created_at=_at(year, 4, 2)) for _ in range(2)])


def _texts(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _check_document(data: bytes, year: int) -> None:
    document = Document(io.BytesIO(data))
    text = _texts(document)
    assert f"关于{year}年度代表建议办理情况的报告" in text
    assert "共登记代表建议95件，已答复95件，办复率100%" in text
    assert "A类（已解决或正在解决）58件，占61.1%" in text and "B类（列入计划逐步解决）37件，占38.9%" in text
    assert "C类（因条件限制暂时难以解决）0件，占0%" in text
    assert "面商率100%" in text and "满意率100%" in text and "办结率61.1%" in text
    units, key, topics, stations, deputies = document.tables
    # A row per unit that led suggestions: 48 odd numbers to 住建局, 47 even ones to 交通运输局.
    assert _rows(units) == [["承办单位", "主办件数", "已答复", "超期未办复", "满意率"],
                            ["区住房和城乡建设局", "48", "48", "0", "100%"],
                            ["区交通运输局", "47", "47", "0", "100%"]]
    # Every fourth suggestion is 重点督办: 23 of them, each with its state.
    key_rows = _rows(key)
    assert len(key_rows) == 1 + 23
    assert key_rows[1] == [f"{year}-004", "关于第4件民生实事的建议", "代表4", "区交通运输局", "—", "办理完毕", "A类"]
    assert key_rows[-1][0] == f"{year}-092" and key_rows[-1][5:] == ["已评价", "B类"]
    assert "群众通过“码上说”向代表留言16条" in text
    assert _rows(topics)[1:] == [["城乡建设", "6", "37.5%"], ["交通出行", "5", "31.3%"],
                                 ["医疗卫生", "4", "25%"], ["未分类", "1", "6.3%"]]
    assert _rows(stations)[1:] == [["青石街道联络站", "11", "城乡建设（6条）"],
                                   ['=HYPERLINK("http://x")联络站', "5", "医疗卫生（4条）"]]
    by_deputy = {row[0]: row[1:] for row in _rows(deputies)[1:]}
    assert by_deputy["代表1"] == ["青石街道联络站", "8", "2", "10", "9"]
    assert by_deputy["代表9"][1:] == ["5", "0", "9", "9"]
    # The four charts are pictures in the document.
    pictures = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 4 and all(r.target_part.blob[:8] == b"\x89PNG\r\n\x1a\n" for r in pictures)
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def _check_workbook(data: bytes, year: int) -> None:
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["总体情况", "承办单位", "重点督办", "群众反映的问题", "联络站", "代表履职"]
    figures = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert figures["年度"] == year and figures["建议总数"] == 95 and figures["已答复"] == 95
    assert (figures["A类件数"], figures["A类占比（%）"]) == (58, 61.05)
    assert (figures["B类件数"], figures["B类占比（%）"]) == (37, 38.95)
    assert (figures["办复率（%）"], figures["满意率（%）"], figures["办结率（%）"]) == (100, 100, 61.05)
    assert figures["重点督办件数"] == 23 and figures["群众留言条数"] == 16
    units = list(book["承办单位"].iter_rows(min_row=2, values_only=True))
    assert units == [("区住房和城乡建设局", 48, 48, 0, 100), ("区交通运输局", 47, 47, 0, 100)]
    assert book["重点督办"].max_row == 1 + 23
    # The station's name is text that starts like a formula: disarmed, never run.
    station = book["联络站"]["A3"]
    assert station.data_type == "s" and station.value == "=HYPERLINK(\"http://x\")联络站" and station.quotePrefix


def test_the_report_of_the_95_suggestion_year_from_the_command(office, tmp_path):
    path = _xlsx(tmp_path / "台账.xlsx", _year_of_95())
    assert office.test_cli_runner().invoke(args=["suggestions", "import", str(path)]).exit_code == 0
    _citizens_wrote(office, 2025)
    out, numbers = tmp_path / "报告.docx", tmp_path / "数字.xlsx"
    result = office.test_cli_runner().invoke(args=["suggestions", "report", "--year", "2025", "--out", str(out),
                                                   "--xlsx", str(numbers)])
    assert result.exit_code == 0, result.output
    assert "建议 95 件" in result.output
    _check_document(out.read_bytes(), 2025)
    _check_workbook(numbers.read_bytes(), 2025)
    _render_first_pages(out)


def _render_first_pages(docx: Path) -> None:
    """LibreOffice turns the .docx into a PDF; its first three pages go to test-artifacts/report/ as PNGs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    work = docx.parent / "lo"
    # A profile of its own: a LibreOffice the developer has open must not take the conversion over.
    subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = pypdfium2.PdfDocument(str(work / (docx.stem + ".pdf")))
    try:
        assert len(pdf) >= 3
        for index in range(3):
            page = pdf[index]
            page.render(scale=1.4).to_pil().save(ARTIFACTS / f"page-{index + 1}.png")
            if index == 0:
                # The words as printed (LibreOffice spaces Chinese from digits and wraps lines).
                words = "".join(page.get_textpage().get_text_range().split())
                assert "共登记代表建议95件" in words and "办结率61.1%" in words
    finally:
        pdf.close()


def test_the_office_has_the_report_written_in_the_background_and_downloads_it(office, run_jobs, redis_conn):
    path = Path(office.extensions["mashang"].settings.instance_dir) / "台账.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    _xlsx(path, _year_of_95(2026))
    assert office.test_cli_runner().invoke(args=["suggestions", "import", str(path)]).exit_code == 0
    _citizens_wrote(office, 2026)
    add_staff(office, "gongwei", "office", None)
    add_staff(office, "zhanzhang", "station", "青石街道联络站")
    client = sign_in_staff(office, "gongwei")
    html = client.get("/staff/report").get_data(as_text=True)  # the latest year
    words = re.sub(r"<[^>]+>", "", html)  # as read: a figure is kept whole on its line by a span around it
    assert "（2026年）" in words and "共登记代表建议 95 件" in words and "生成报告" in words
    assert "/staff/report/2026.docx" not in html and client.get("/staff/report/2026.docx").status_code == 404
    token = csrf_token(client, "/staff/report")
    started = client.post("/staff/report", data={"year": "2026", "csrf_token": token})
    assert started.status_code == 302 and started.headers["Location"].endswith("/staff/report?year=2026")
    # Asked twice while it waits for a worker: one job, one report.
    client.post("/staff/report", data={"year": "2026", "csrf_token": token})
    assert queues.queue(redis_conn, queues.DRAFTS).count == 1
    waiting = client.get("/staff/report?year=2026").get_data(as_text=True)
    assert "正在生成……第 0 / 3 步" in waiting and 'http-equiv="refresh"' in waiting
    run_jobs()
    done = client.get("/staff/report?year=2026").get_data(as_text=True)
    assert "/staff/report/2026.docx" in done and "/staff/report/2026.xlsx" in done and "refresh" not in done
    assert "下载数字表（Excel 表格）" in done and "电子表格" not in done  # one name for one kind of file, as the queue says
    docx = client.get("/staff/report/2026.docx")
    assert docx.status_code == 200 and "attachment" in docx.headers["Content-Disposition"]
    assert saved_as(docx) == ("report-2026.docx", "2026年度代表建议办理情况报告.docx")  # its ASCII name was 2026.docx
    _check_document(docx.data, 2026)
    xlsx = client.get("/staff/report/2026.xlsx")
    assert xlsx.status_code == 200 and saved_as(xlsx) == ("report-figures-2026.xlsx", "2026年度建议办理数字.xlsx")
    _check_workbook(xlsx.data, 2026)
    # Written again from fresh numbers on request; a worker that died is noticed by the sweep.
    client.post("/staff/report", data={"year": "2026", "csrf_token": token})
    assert client.get("/staff/report/2026.docx").status_code == 404
    with office.extensions["mashang"].sessions() as session, session.begin():
        session.get(ReportJob, 2026).created_at = utcnow() - timedelta(seconds=report_jobs.TIMEOUT_SECONDS + 1)
        assert report_jobs.fail_timed_out(session, utcnow()) == 1
    failed = client.get("/staff/report?year=2026").get_data(as_text=True)
    assert "超过时限仍未完成" in failed and "按最新数字重新生成" in failed
    # Station staff see their station's messages, not the district's report.
    station = sign_in_staff(office, "zhanzhang")
    for url in ("/staff/report?year=2026", "/staff/report/2026.docx", "/staff/report/2026.xlsx"):
        assert station.get(url).status_code == 404
    mine = csrf_token(station, "/staff/")
    assert station.post("/staff/report", data={"year": "2026", "csrf_token": mine}).status_code == 404


def _waits_for_a_lock(sessions) -> bool:
    with sessions() as session:
        return bool(session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                        "AND datname = current_database()")))


def test_two_first_requests_for_a_years_report_at_once_both_get_an_answer_on_postgresql(
        tmp_path, postgres_url, redis_conn, redis_url):
    _truncate_postgres(postgres_url)
    app = build_app(make_settings(tmp_path, postgres_url, redis_url))
    try:
        add_staff(app, "gongwei", "office", None)
        client = sign_in_staff(app, "gongwei")
        token = csrf_token(client, "/staff/report")
        sessions = app.extensions["mashang"].sessions
        answers: list = []

        def ask():
            try:
                answers.append(client.post("/staff/report", data={"year": "2026", "csrf_token": token}))
            except Exception as exc:  # a test app may raise what a served one answers with a 500
                answers.append(exc)

        with sessions() as other:  # a colleague's first request for the year, not yet committed
            assert report_jobs.start(other, other.scalar(select(StaffUser)), 2026)
            asking = threading.Thread(target=ask)
            asking.start()
            deadline = time.monotonic() + 20
            while not _waits_for_a_lock(sessions) and time.monotonic() < deadline:
                time.sleep(0.05)
            other.commit()
            asking.join(30)
        assert len(answers) == 1 and getattr(answers[0], "status_code", answers[0]) == 302
        waiting = client.get("/staff/report?year=2026").get_data(as_text=True)
        assert "正在生成……第 0 / 3 步" in waiting
        with sessions() as session:
            assert session.scalar(select(ReportJob.status)) == "queued"
    finally:
        app.extensions["mashang"].close()
        context.use(None)


def test_the_charts_are_drawn_with_a_font_that_has_their_chinese_labels():
    from matplotlib.ft2font import FT2Font

    from intake.services.report import charts

    path = charts.font_file()
    if path is None and not os.environ.get("CI"):
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    font = FT2Font(path)
    labels = "答复类别占比（%）办理情况办复率面商率满意率办结率各承办单位主办件数群众留言分类条前区住房和城乡建设局"
    assert [ch for ch in labels if not font.get_char_index(ord(ch))] == []


def test_a_rate_of_nothing_reads_a_dash_not_zero_in_the_pages_document_and_workbook(office):
    """One suggestion registered, none answered or rated yet: 满意率 and the shares read "—" in tables, 暂无 in sentences."""
    from intake.services.lifecycle import handling
    from intake.services.report.files import report_document, report_workbook
    from intake.services.report.numbers import report_numbers

    runtime = office.extensions["mashang"]
    with runtime.sessions() as session, session.begin():
        lead = session.scalar(select(Deputy.id).where(Deputy.name == "代表1"))
        year = handling.register_by_hand(session, title="关于路灯的建议", lead_deputy_id=lead, actor="staff:gw",
                                         rules=runtime.settings.lifecycle).year
    add_staff(office, "gongwei", "office", None)
    client = sign_in_staff(office, "gongwei")
    stats = client.get(f"/staff/stats?year={year}").get_data(as_text=True)
    assert '<b id="satisfaction-rate">—</b>满意率' in stats and '<b id="reply-rate">0%<wbr><span class="count">（0/1）</span></b>办复率' in stats
    assert '<td data-label="占比">—</td>' in stats and "0.00 %" not in stats
    assert '<td data-label="满意率">—</td>' in stats  # the breakdowns' rows too
    report = re.sub(r"<[^>]+>", "", client.get(f"/staff/report?year={year}").get_data(as_text=True))  # as read
    # In a sentence a lone dash would read as 一: the rate is said as 暂无 and a share of nothing left out.
    assert "满意率暂无" in report and "满意率—" not in report and "占—" not in report and "满意率 0%" not in report
    with runtime.sessions() as session:
        numbers = report_numbers(session, year, rules=runtime.settings.lifecycle)
    text = _texts(Document(io.BytesIO(report_document(numbers, date.today()))))
    assert "满意率暂无；" in text and "A类（已解决或正在解决）0件；" in text and "办复率0%" in text
    book = load_workbook(io.BytesIO(report_workbook(numbers)))
    figures = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert (figures["满意率（%）"], figures["A类占比（%）"], figures["办复率（%）"]) == ("—", "—", 0)


def test_a_suggestion_reopened_by_不满意_is_not_answered_nor_concluded_while_its_second_round_runs(office):
    """Two A replies accepted, one rated 满意 (办理完毕), the other 不满意 (办理中, 第 2 轮): the stats page, the
    report's .docx and .xlsx and the API's figures counted the reopened one as 已答复 and 已办结 (办结率 100%) while
    its own page said 办理中. It counts again once its new reply is accepted; its 不满意 stays counted meanwhile."""
    from intake.services.lifecycle import figures, handling
    from intake.services.report.files import report_document, report_workbook
    from intake.services.report.numbers import report_numbers

    runtime = office.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        deputy = session.scalar(select(Deputy.id).where(Deputy.name == "代表1"))
        unit = session.scalar(select(HandlingUnit.id).where(HandlingUnit.short_name == "住建局"))
        made = [handling.register_by_hand(session, title=f"关于路灯的建议{i}", lead_deputy_id=deputy,
                                          actor="staff:gw", rules=rules) for i in range(2)]
        handling.assign(session, [s.id for s in made], lead_unit_id=unit, co_unit_ids=[], key_supervision=True,
                        supervisor="主任", actor="staff:gw", rules=rules)
        for suggestion, level in zip(made, ("satisfied", "unsatisfied")):
            handling.submit_reply(session, suggestion.id, unit_id=unit, text="已修复。", category="A",
                                  actor=f"unit:{unit}", rules=rules)
            handling.accept_reply(session, suggestion.id, actor="staff:gw")
            handling.rate(session, suggestion.id, deputy_id=deputy, level=level, actor=f"deputy:{deputy}", rules=rules,
                          comment="路灯还是不亮。" if level == "unsatisfied" else "")
        year, reopened = made[0].year, made[1].id
    add_staff(office, "gongwei", "office", None)
    client = sign_in_staff(office, "gongwei")
    stats = client.get(f"/staff/stats?year={year}").get_data(as_text=True)
    for key, shown in (("answered", "1"), ("reply-rate", "50%<wbr><span class=\"count\">（1/2）</span>"),
                       ("completion-rate", "50%<wbr><span class=\"count\">（1/2）</span>"),
                       ("satisfaction-rate", "50%<wbr><span class=\"count\">（1/2）</span>")):
        assert f'<b id="{key}">{shown}</b>' in stats, key
    assert ('<td data-label="名称">区住房和城乡建设局</td><td data-label="件数">2</td><td data-label="已答复">1</td>'
            '<td data-label="办复率">50%') in stats
    assert "重新办理" in re.sub(r"<[^>]+>", "", stats)  # the footnote says how a reopened suggestion counts
    with runtime.sessions() as session:
        api = figures.figures(session, year, rules=rules)  # what GET /api/v1/statistics serves
        numbers = report_numbers(session, year, rules=rules)
    assert (api["answered"], api["completed"], api["by_category"]["A"], api["rated"]) == (1, 1, 1, 2)
    assert (api["reply_rate"], api["completion_rate"], api["shares"]["A"]) == (50, 50, 100)
    document = Document(io.BytesIO(report_document(numbers, date.today())))
    text = _texts(document)
    assert "共登记代表建议2件，已答复1件，办复率50%" in text and "已办结1件，办结率50%" in text
    assert _rows(document.tables[0])[1] == ["区住房和城乡建设局", "2", "1", "0", "50%"]
    # The 重点督办 table shows the reopened one in its round, without the category its deputy turned down.
    assert [row[5:] for row in _rows(document.tables[1])[1:]] == [["办理完毕", "A类"], ["办理中", "—"]]
    book = load_workbook(io.BytesIO(report_workbook(numbers)))
    sheet = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert (sheet["已答复"], sheet["办复率（%）"], sheet["已办结件数"], sheet["办结率（%）"]) == (1, 50, 1, 50)
    # The second round's reply accepted: answered and concluded again.
    with runtime.sessions() as session, session.begin():
        handling.submit_reply(session, reopened, unit_id=unit, text="已全部更换。", category="A",
                              actor=f"unit:{unit}", rules=rules)
        handling.accept_reply(session, reopened, actor="staff:gw")
    with runtime.sessions() as session:
        again = figures.figures(session, year, rules=rules)
    assert (again["answered"], again["completed"], again["rated"], again["satisfied"]) == (2, 2, 2, 1)


def test_the_reports_drafts_are_those_the_deputys_own_page_lists(office):
    """代表1's rows of every kind: a group still collecting, an open draft, an approved one, a discarded one and one
    merged into the open one. The report's 建议草稿 counted all five while the deputy's page said 建议草稿（3）."""
    from intake.models import DraftMessage
    from intake.services.report.files import report_document, report_workbook
    from intake.services.report.numbers import report_numbers

    runtime = office.extensions["mashang"]
    year = datetime.now(timezone.utc).year
    with runtime.sessions() as session, session.begin():
        deputy = session.scalar(select(Deputy).where(Deputy.name == "代表1"))
        deputy.phone = "13900000011"
        for n, status in enumerate((DraftStatus.COLLECTING, DraftStatus.OPEN, DraftStatus.APPROVED,
                                    DraftStatus.DISCARDED, DraftStatus.MERGED)):
            draft = Draft(deputy_id=deputy.id, topic="城乡建设", title=f"关于路灯的建议{n}", status=status,
                          discard_reason="重复" if status == DraftStatus.DISCARDED else None)
            session.add(draft)
            session.flush()
            if status != DraftStatus.MERGED:  # a merged draft's messages went into the one it joined
                message = Message(deputy_id=deputy.id, channel="web", text=f"路灯坏了{n}", topic="城乡建设",
                                  receipt=f"D{n:06d}", status=MessageStatus.DRAFTED)
                session.add(message)
                session.flush()
                session.add(DraftMessage(draft_id=draft.id, message_id=message.id))
    set_password(office, "13900000011", "pw-daibiao-1")
    deputy_client = office.test_client()
    sign_in_deputy(deputy_client, "13900000011", "pw-daibiao-1")
    assert "建议草稿（3）" in deputy_client.get("/deputy/").get_data(as_text=True)
    with runtime.sessions() as session:
        numbers = report_numbers(session, year, rules=runtime.settings.lifecycle)
    assert [(d["name"], d["drafts"]) for d in numbers["participation"]] == [("代表1", 3)]
    document = Document(io.BytesIO(report_document(numbers, date.today())))
    assert _rows(document.tables[-1])[1][:4] == ["代表1", "青石街道联络站", "4", "3"]
    # The report says what the column counts, so a reader does not take a group still collecting for a draft.
    assert "建议草稿指已整理成稿、交代表审阅的草稿（含待审阅、已提交和已放弃的）" in _texts(document)
    book = load_workbook(io.BytesIO(report_workbook(numbers)))
    assert list(book["代表履职"].iter_rows(min_row=2, values_only=True))[0][:4] == ("代表1", "青石街道联络站", 4, 3)
