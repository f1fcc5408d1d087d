"""The staff console under /staff."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from intake.services import accounts, queue
from intake.web import access
from intake.web.requests import db

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    error = None
    if request.method == "POST":
        user = accounts.authenticate_staff(db(), request.form.get("username", ""), request.form.get("password", ""))
        if user is not None:
            access.sign_in(access.STAFF, user.id)
            return redirect(access.safe_next(request.args.get("next"), url_for("staff.home")))
        error = "用户名或密码不对，请重新输入。"
    return render_template("staff/login.html", error=error), 401 if error else 200


@bp.post("/logout")
@access.rule(access.STAFF)
def logout():
    access.sign_out()
    return redirect(url_for("staff.login"))


@bp.get("/")
@access.rule(access.STAFF)
def home():
    staff = access.current_staff()
    return render_template("staff/home.html", staff=staff, messages=queue.visible_messages(db(), staff))
