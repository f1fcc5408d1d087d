"""The deputy's pages: sign in, their drafts and the messages behind them — nobody else's."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from intake.services import accounts, drafting
from intake.web import access
from intake.web.requests import db

bp = Blueprint("deputy", __name__, url_prefix="/deputy")


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    error = None
    if request.method == "POST":
        account = "deputy:" + request.form.get("phone", "").strip()
        if access.login_blocked(account):
            return render_template("deputy/login.html", error=access.LOCKED_MESSAGE), 429
        deputy = accounts.authenticate_deputy(db(), request.form.get("phone", ""), request.form.get("password", ""))
        if deputy is not None:
            access.login_succeeded(account)
            access.sign_in(access.DEPUTY, deputy.id)
            return redirect(access.safe_next(request.args.get("next"), url_for("deputy.home")))
        access.login_failed(account)
        error = "手机号或密码不对，请重新输入。"
    return render_template("deputy/login.html", error=error), 401 if error else 200


@bp.post("/logout")
@access.rule(access.DEPUTY)
def logout():
    access.sign_out()
    return redirect(url_for("deputy.login"))


@bp.get("/")
@access.rule(access.DEPUTY)
def home():
    deputy = access.current_deputy()
    return render_template("deputy/home.html", deputy=deputy, drafts=drafting.drafts_for(db(), deputy.id))


@bp.get("/drafts/<int:draft_id>")
@access.rule(access.DEPUTY)
def draft(draft_id: int):
    found = drafting.draft_of(db(), access.current_deputy().id, draft_id)
    if found is None:
        abort(404)
    return render_template("deputy/draft.html", draft=found)
