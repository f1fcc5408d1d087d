"""GET /: the site's own address leads citizens to their deputy's code and staff and deputies to their sign-in."""

from __future__ import annotations

from flask import Blueprint, render_template

from intake.web import access

bp = Blueprint("home", __name__)


@bp.get("/")
@access.rule(access.PUBLIC)
def home():
    return render_template("home.html")
