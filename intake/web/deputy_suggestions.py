"""A deputy's suggestions after approval, on the phone: the unit's reply, the contacts, the rating."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from intake.services.errors import NotFound
from intake.services.lifecycle import handling, views
from intake.services.replies import suggestions as reply_checks
from intake.web import access, files, pages
from intake.web.requests import db, lifecycle_rules

bp = Blueprint("deputy_suggestions", __name__, url_prefix="/deputy")


def _own(suggestion_id: int):
    try:
        return views.one_for_deputy(db(), access.current_deputy().id, suggestion_id)
    except NotFound:
        abort(404)


@bp.get("/suggestions")
@access.rule(access.DEPUTY)
def suggestions():
    deputy = access.current_deputy()
    today = handling.today(lifecycle_rules())
    rows = views.for_deputy(db(), deputy.id)
    return render_template("deputy/suggestions.html", deputy=deputy, rows=rows,
                           overdue=views.days_overdue(rows, today))


@bp.get("/suggestions/<int:suggestion_id>")
@access.rule(access.DEPUTY)
def suggestion(suggestion_id: int):
    deputy = access.current_deputy()
    found = _own(suggestion_id)
    return render_template("deputy/suggestion.html", deputy=deputy, s=found, viewer="deputy",
                           reply_check=reply_checks.shown_check(db(), found, lifecycle_rules(), deputy=True),
                           **pages.suggestion_context(db(), found))


@bp.post("/suggestions/<int:suggestion_id>/rating")
@access.rule(access.DEPUTY)
def rate(suggestion_id: int):
    deputy = access.current_deputy()
    _own(suggestion_id)
    here = url_for("deputy_suggestions.suggestion", suggestion_id=suggestion_id)
    return pages.save(lambda: handling.rate(db(), suggestion_id, deputy_id=deputy.id, level=request.form.get("level", ""),
                                            comment=request.form.get("comment", ""), actor=f"deputy:{deputy.id}",
                                            rules=lifecycle_rules()),
                      "谢谢，评价已提交。", here, page=lambda: suggestion(suggestion_id))


@bp.get("/suggestions/<int:suggestion_id>/replies/<int:reply_id>/attachment")
@access.rule(access.DEPUTY)
def attachment(suggestion_id: int, reply_id: int):
    deputy = access.current_deputy()
    return files.reply_attachment(db(), _own(suggestion_id), reply_id, views.Viewer("deputy", deputy.id))
