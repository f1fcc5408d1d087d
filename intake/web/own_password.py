"""The change-password form of deputies, staff and handling units alike: each changes the password of the account
signed in, never another's (no account is named in the address)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request

from intake.models import Deputy, StaffUser
from intake.services.console import accounts, admin
from intake.services.errors import InvalidInput
from intake.web import access, wording
from intake.web.requests import db

CHANGED = "密码已修改，其他设备上的登录已退出。"


def form(role: str, account: Deputy | StaffUser, login: str, template: str, done: str, told: str = CHANGED,
         **page):
    """GET shows the form; POST checks the current password and sets the new one. `login` is the account as its
    sign-in page counts it: guesses here count with those at the login, and by themselves. `told` is flashed on
    `done`, the page it leads to."""
    if request.method == "GET":
        return render_template(template, error=None, **page)
    chosen = request.form.get("password", "")
    # a typo in the new password is no guess at the current one: told before anything is counted
    if chosen != request.form.get("password_again", ""):
        return render_template(template, error="两次输入的新密码不一致。", **page), 422
    if not access.current_password_attempt(login):
        return render_template(template, error=access.LOCKED_MESSAGE, **page), 429
    try:
        admin.set_own_password(db(), account, chosen, request.form.get("current_password", ""))
    except InvalidInput as refused:
        db().rollback()
        if refused.code == "current_password_wrong":
            access.guessed_wrong(login, "password", account)
        else:
            access.current_password_right(login)
        return render_template(template, error=wording.of(refused), **page), 422
    db().commit()
    access.current_password_right(login)
    access.sign_in(role, account)  # the other devices are signed out; this one goes on
    flash(told, "ok")
    return redirect(done)


def for_staff(done: str, **page):
    """The form of a clerk's or a handling unit's account: both sign in on the staff login, by username."""
    staff = access.current_staff()
    return form(access.STAFF, staff, f"{access.STAFF}:{accounts.login_key(staff.username)}", "staff/password.html",
                done, staff=staff, **page)
