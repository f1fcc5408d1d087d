"""Staff see the problems still collecting (their station's, or all for the office) and open their messages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from intake.services.console.directory import station_scope
from intake.services.drafts import desk
from intake.services.errors import NotFound
from intake.web import access
from intake.web.requests import db, record_id

bp = Blueprint("staff_groups", __name__, url_prefix="/staff")


@bp.get("/groups")
@access.rule(access.STAFF)
def groups():
    staff = access.current_staff()
    found = desk.collecting_for_staff(db(), station_scope(staff), request.args.get("page", 1, type=record_id))
    return render_template("staff/groups.html", staff=staff, groups=found)


@bp.get("/groups/<int:group_id>")
@access.rule(access.STAFF)
def group(group_id: int):
    staff = access.current_staff()
    try:
        found = desk.group_for_staff(db(), station_scope(staff), group_id)
    except NotFound:
        abort(404)
    return render_template("staff/group.html", staff=staff, group=found, label=desk.label_of(db(), found),
                           messages=desk.messages_of(found))
