"""/staff/welcome/<token>: a new staff account chooses its password from the one-time link it was given."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from intake.services.console import accounts, admin
from intake.services.errors import InvalidInput
from intake.web import access, wording
from intake.web.requests import db

bp = Blueprint("staff_welcome", __name__, url_prefix="/staff")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def welcome(token: str):
    if access.login_blocked("staff-welcome"):
        return render_template("staff/welcome.html", user=None, error=access.LOCKED_MESSAGE), 429
    user = accounts.welcome_user(db(), current_app.config["SECRET_KEY"], token)
    if user is None:
        access.login_failed("staff-welcome")
        return render_template("staff/welcome.html", user=None, error=None), 410
    if request.method == "GET":
        return render_template("staff/welcome.html", user=user, error=None)
    password = request.form.get("password", "")
    if password != request.form.get("again", ""):
        return render_template("staff/welcome.html", user=user, error="两次输入的密码不一致。"), 422
    try:
        admin.reset_staff_password(db(), f"staff:{user.username}", user, password)
    except InvalidInput as exc:
        db().rollback()
        return render_template("staff/welcome.html", user=user, error=wording.of(exc)), 422
    db().commit()
    access.sign_in(access.STAFF, user)
    return redirect(url_for("staff.home"))
