"""Suggestions in the office's console: register, assign (交办), accept replies, the ledger and the figures."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from intake.models import ReportJob
from intake.services.console import admin, directory
from intake.services.drafts import review
from intake.services.errors import DomainError, NotFound
from intake.services.lifecycle import choices, figures, handling, ledger, views
from intake.services.lifecycle import units as unit_registry
from intake.services.reminders import failures, milestones
from intake.services.replies import suggestions as reply_checks
from intake.services.report import jobs as report_jobs
from intake.services.report.files import DOCX, summary_sentences
from intake.web import access, files, forms, kept, pages, uploads, wording
from intake.web.requests import background, db, lifecycle_rules, runtime

bp = Blueprint("staff_suggestions", __name__, url_prefix="/staff")
CHART_ROWS = 15  # bars in a breakdown's chart: more would not read; the table lists them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor() -> str:
    return f"staff:{access.current_staff().username}"


def _citizens_told(done):
    """The step's confirmation, which also hands the notices it queued for citizens to the workers: it runs
    only once the step is committed. Redis being down loses nothing (the sweep sends them)."""
    def confirm(result) -> str:
        background().deliver_due_notices()
        return done(result) if callable(done) else done
    return confirm


def _list_url(form) -> str:
    """Back to the list with the filters it had, or to the suggestion's page the form was on."""
    target = access.safe_next(form.get("return_to"), "")
    return target if target.startswith("/staff/suggestions") else url_for("staff_suggestions.suggestions")


@bp.get("/suggestions")
@access.rule(access.OFFICE)
def suggestions():
    return _list_page(request.args, request.full_path)


def _list_page(args, here: str) -> str:
    """The list filtered by `args`, its forms sent back to `here` (the list's address, with its filters)."""
    filters = forms.suggestion_filters(args)
    found = views.office_list(db(), filters, page=forms.number(args, "page") or 1, rules=lifecycle_rules())
    today = handling.today(lifecycle_rules())
    return render_template(
        "staff/suggestions.html", staff=access.current_staff(), filters=filters, rows=found.rows, found=found,
        kept={key: args[key] for key in forms.SUGGESTION_FILTERS if key in args}, here=here,
        overdue=views.days_overdue(found.rows, today), units=choices.units(db()),
        suggested=views.suggested_leads(db(), found.rows),
        years=figures.years(db()), waiting=choices.unregistered_drafts(db()), **_deadline_defaults(today),
    )


def _deadline_defaults(today) -> dict:
    days = lifecycle_rules().handling_days
    return {"handling_days": days, "default_deadline": (today + timedelta(days=days)).isoformat()}


@bp.post("/suggestions/assign")
@access.rule(access.OFFICE)
def assign():
    given = forms.assignment(request.form)
    then, ids = _list_url(request.form), given["suggestion_ids"]
    # A refusal shows the page the form was on again, with what was typed (a redirect lost it): one suggestion's
    # page, or the list as it was filtered.
    page = (lambda: suggestion(ids[0])) if len(ids) == 1 and then == _here(ids[0]) \
        else (lambda: _list_page(forms.query_of(then), then))
    return pages.save(lambda: handling.assign(db(), actor=_actor(), rules=lifecycle_rules(), **given),
                      _citizens_told(lambda done: f"已交办 {len(done)} 件建议。"), then, page=page)


@bp.get("/drafts/<int:draft_id>")
@access.rule(access.OFFICE)
def draft(draft_id: int):
    """A submitted draft as its deputy signed it, read before 登记; once registered, it is the suggestion."""
    registered = choices.suggestion_of_draft(db(), draft_id)
    if registered is not None:
        return redirect(url_for("staff_suggestions.suggestion", suggestion_id=registered))
    found = choices.unregistered_draft(db(), draft_id)
    if found is None:
        abort(404)
    return render_template("staff/draft.html", staff=access.current_staff(), draft=found, sections=review.SECTIONS)


@bp.post("/drafts/<int:draft_id>/register")
@access.rule(access.OFFICE)
def register(draft_id: int):
    kind = request.form.get("kind", "")
    return pages.save(lambda: handling.register_from_draft(db(), draft_id, kind=kind, actor=_actor(),
                                                      rules=lifecycle_rules()),
                      _citizens_told(lambda s: f"已登记为第 {s.number} 号建议。"), url_for("staff_suggestions.suggestions"))


@bp.route("/suggestions/new", methods=["GET", "POST"])
@access.rule(access.OFFICE)
def new():
    if request.method == "POST":
        given = forms.hand_suggestion(request.form)
        try:
            found = handling.register_by_hand(db(), actor=_actor(), rules=lifecycle_rules(), **given)
        except DomainError as refused:
            db().rollback()
            flash(wording.of(refused), "error")
            return _new_page(), 422  # read and refused: the form again, as typed (kept.typed)
        db().commit()
        flash(f"已登记为第 {found.number} 号建议。", "ok")
        return redirect(url_for("staff_suggestions.suggestion", suggestion_id=found.id))
    return _new_page()


def _new_page() -> str:
    return render_template("staff/suggestion_new.html", staff=access.current_staff(),
                           deputies=directory.deputies_for_staff(db(), access.current_staff()),
                           topics=runtime().taxonomy.topics)


def _one(suggestion_id: int):
    try:
        return views.one(db(), suggestion_id)
    except NotFound:
        abort(404)


@bp.get("/suggestions/<int:suggestion_id>")
@access.rule(access.OFFICE)
def suggestion(suggestion_id: int):
    found = _one(suggestion_id)
    suggested = views.suggested_lead(db(), found)
    return render_template("staff/suggestion.html", staff=access.current_staff(), s=found,
                           suggested_unit=suggested.id if suggested else None, units=choices.units(db()),
                           reply_check=reply_checks.shown_check(db(), found, lifecycle_rules()),
                           **pages.suggestion_context(db(), found),
                           **_deadline_defaults(handling.today(lifecycle_rules())))


def _here(suggestion_id: int) -> str:
    return url_for("staff_suggestions.suggestion", suggestion_id=suggestion_id)


@bp.post("/suggestions/<int:suggestion_id>/accept")
@access.rule(access.OFFICE)
def accept(suggestion_id: int):
    _one(suggestion_id)
    summary = request.form.get("public_summary", "")
    return pages.save(lambda: handling.accept_reply(db(), suggestion_id, actor=_actor(), summary=summary),
                      _citizens_told("已采用答复，代表可以评价了。"), _here(suggestion_id),
                      page=lambda: suggestion(suggestion_id))


@bp.post("/suggestions/<int:suggestion_id>/send-back")
@access.rule(access.OFFICE)
def send_back(suggestion_id: int):
    _one(suggestion_id)
    reason = request.form.get("reason", "")
    return pages.save(lambda: handling.send_back_reply(db(), suggestion_id, reason=reason, actor=_actor()),
                      "已退回答复，承办单位需重新答复。", _here(suggestion_id), page=lambda: suggestion(suggestion_id))


@bp.post("/suggestions/<int:suggestion_id>/reassign")
@access.rule(access.OFFICE)
def reassign(suggestion_id: int):
    _one(suggestion_id)
    given = forms.assignment(request.form)
    given.pop("suggestion_ids")
    return pages.save(lambda: handling.reassign(db(), suggestion_id, actor=_actor(), rules=lifecycle_rules(), **given),
                      "已重新交办。", _here(suggestion_id), page=lambda: suggestion(suggestion_id))


@bp.get("/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment")
@access.rule(access.OFFICE)
def attachment(suggestion_id: int, reply_id: int):
    return files.reply_attachment(db(), _one(suggestion_id), reply_id, views.Viewer("staff"))


@bp.get("/suggestions.xlsx")
@access.rule(access.OFFICE)
def export():
    year = forms.number(request.args, "year")
    years = figures.years(db())
    if not years or (year and year not in years):
        # An empty spreadsheet of headings would look like a failed export.
        flash(f"还没有可导出的建议：{f'{year} 年' if year else ''}还没有登记的建议，登记后才有台账。", "error")
        return redirect(url_for("staff_suggestions.suggestions"))
    data = ledger.export_ledger(db(), year, rules=lifecycle_rules())
    return files.download(data, XLSX, f"建议台账-{year}.xlsx" if year else "建议台账.xlsx",
                          f"suggestions-{year}.xlsx" if year else "suggestions.xlsx")


@bp.get("/stats")
@access.rule(access.OFFICE)
def stats():
    years = figures.years(db())
    year = forms.number(request.args, "year") or (years[0] if years else None)
    found = figures.overview(db(), year, rules=lifecycle_rules())
    return render_template("staff/stats.html", staff=access.current_staff(), years=years, year=year,
                           figures=found["figures"], parts={by: found[by] for by in figures.BREAKDOWNS},
                           reply_shares=reply_checks.unit_shares(db(), year, rules=lifecycle_rules()),
                           CHART_ROWS=CHART_ROWS)


@bp.get("/report")
@access.rule(access.OFFICE)
def report():
    years = figures.years(db())
    year = forms.number(request.args, "year") or (years[0] if years else None)
    found = figures.figures(db(), year, rules=lifecycle_rules()) if year else None
    return render_template("staff/report.html", staff=access.current_staff(), years=years, year=year,
                           sentences=summary_sentences(found, spaced=True) if found else [],
                           job=db().get(ReportJob, year) if year else None)


@bp.post("/report")
@access.rule(access.OFFICE)
def report_start():
    year = forms.number(request.form, "year")
    if year is None:  # nothing to write: back to the page, which offers the years
        return redirect(url_for("staff_suggestions.report"))
    if report_jobs.start(db(), access.current_staff(), year):
        db().commit()
        background().report(year)
    return redirect(url_for("staff_suggestions.report", year=year))


def _written(year: int) -> ReportJob:
    job = db().get(ReportJob, year)
    if job is None or job.status != "done":
        abort(404)
    return job


@bp.get("/report/<int:year>.docx")
@access.rule(access.OFFICE)
def report_docx(year: int):
    return files.download(_written(year).docx, DOCX, f"{year}年度代表建议办理情况报告.docx", f"report-{year}.docx")


@bp.get("/report/<int:year>.xlsx")
@access.rule(access.OFFICE)
def report_xlsx(year: int):
    return files.download(_written(year).xlsx, XLSX, f"{year}年度建议办理数字.xlsx", f"report-figures-{year}.xlsx")


@bp.route("/units", methods=["GET", "POST"])
@access.rule(access.OFFICE)
def units():
    if request.method == "POST":
        given = forms.unit_input(request.form)
        return pages.save(lambda: unit_registry.save_unit(db(), unit_id=None, actor=_actor(), **given),
                     lambda unit: f"已添加承办单位 {unit.name}。", url_for("staff_suggestions.units"), page=_units_page)
    return _units_page()


def _units_page(**shown) -> str:
    return render_template("staff/units.html", staff=access.current_staff(), units=choices.units(db(), everyone=True),
                           **shown)


@bp.post("/units/import")
@access.rule(access.OFFICE)
def units_import():
    """A whole list of units from a .xlsx or .csv file: every bad line named, none imported until all are right."""
    too_many = uploads.refused()
    if too_many:
        return too_many
    try:
        rows = forms.table(request.files.get("file"), "units_missing")
        result = unit_registry.import_unit_rows(db(), rows, actor=_actor())
    except DomainError as refused:
        db().rollback()
        kept.refused()
        return _units_page(errors=wording.lines_of(refused)), 422  # read and refused: the file it was named
    db().commit()
    flash(f"导入完成：新增 {result['added']} 个单位，更新 {result['updated']} 个。", "ok")
    return redirect(url_for("staff_suggestions.units"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@access.rule(access.OFFICE)
def unit_edit(unit_id: int):
    unit = choices.unit(db(), unit_id)
    if unit is None:
        abort(404)
    if request.method == "POST":
        given = forms.unit_input(request.form)
        return pages.save(lambda: unit_registry.save_unit(db(), unit_id=unit_id, actor=_actor(), **given), "已保存。",
                     url_for("staff_suggestions.units"), page=lambda: _unit_page(unit))
    return _unit_page(unit)


def _unit_page(unit) -> str:
    undelivered = milestones.undelivered_to_unit(db(), unit.id)
    return render_template("staff/unit_edit.html", staff=access.current_staff(), unit=unit, undelivered=undelivered,
                           failures={d.id: failures.explain(d.last_error) for d in undelivered},
                           accounts=admin.unit_accounts(db(), unit.id),
                           login_url=runtime().settings.base_url + url_for("staff.login"))
