"""GET /favicon.ico: browsers ask for it on every site whatever the page links; a 404 there is noise in the log."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

from intake.web import access

bp = Blueprint("favicon", __name__)

ONE_DAY = 24 * 3600


@bp.get("/favicon.ico")
@access.rule(access.PUBLIC)
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=ONE_DAY)
