"""The one place that decides who may open which route: every view declares a rule."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError

from intake.models import Deputy, StaffRole, StaffUser
from intake.services.console import accounts
from intake.services.privacy import masking
from intake.services.reception import ratelimit
from intake.web.requests import db

PUBLIC = "public"
DEPUTY = "deputy"
STAFF = "staff"  # the congress's own staff; station staff see their station only (checked per object)
OFFICE = "office"  # office staff and administrators
ADMIN = "admin"
UNIT = "unit"  # a handling unit's account: its own suggestions only (checked per object)
RULES = (PUBLIC, DEPUTY, STAFF, OFFICE, ADMIN, UNIT)
# Handling units sign in on the staff login but are outsiders to the congress: none of its console is theirs.
_ROLES = {STAFF: {StaffRole.ADMIN, StaffRole.OFFICE, StaffRole.STATION}, OFFICE: {StaffRole.ADMIN, StaffRole.OFFICE},
          ADMIN: {StaffRole.ADMIN}, UNIT: {StaffRole.UNIT}}

SESSION_LIFETIME = timedelta(hours=12)
_LOGIN = {DEPUTY: "deputy.login", STAFF: "staff.login", OFFICE: "staff.login", ADMIN: "staff.login",
          UNIT: "staff.login"}


def rule(name: str):
    if name not in RULES:
        raise ValueError(f"unknown access rule {name!r}")

    def mark(view):
        view.access_rule = name
        return view

    return mark


def rule_of(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return PUBLIC
    return getattr(app.view_functions[endpoint], "access_rule", None)


def sign_in(role: str, account: Deputy | StaffUser) -> None:
    # A fresh session on sign-in: nothing from before (a planted cookie) carries over but a form kept to be given
    # back (kept.hold) when the account that typed it signs in again.
    kept = session.get("kept")
    session.clear()
    if isinstance(kept, dict) and kept.get("account") == [role, account.id]:
        session["kept"] = kept
    session.permanent = True
    session["role"] = role
    session["user_id"] = account.id
    session["version"] = account.session_version
    session["signed_in_at"] = datetime.now(timezone.utc).timestamp()
    session["sid"] = secrets.token_urlsafe(16)  # this sign-in's own name, which 退出 ends (and every copy of it)


LOCKED_MESSAGE = "尝试次数太多，请 15 分钟后再试。"


def login_blocked(account: str) -> bool:
    """Too many failures for this account from this address (or from this address at all).

    Keyed on account and address together, so nobody elsewhere can lock a deputy out; windows expire.
    """
    redis_client = current_app.extensions["mashang"].redis
    return any(ratelimit.exceeded(redis_client, limit, key) for limit, key in _login_limits(account))


def login_failed(account: str) -> None:
    ratelimit.hit_all(current_app.extensions["mashang"].redis, _login_limits(account))


def _login_limits(account: str) -> list[tuple[ratelimit.Limit, str]]:
    address = ratelimit.address_of(request.remote_addr)
    return [(ratelimit.LOGIN_PER_ACCOUNT_AND_IP, f"{account}|{address}"), (ratelimit.LOGIN_PER_IP, address)]


def login_attempt(account: str) -> bool:
    """Count a guess at the account's password before it is checked; False when over the limits. Counted after the
    slow check, twenty guesses sent at once were all checked before the first was counted."""
    return ratelimit.attempt(current_app.extensions["mashang"].redis, _login_limits(account))


def guessed_wrong(account: str, page: str, holder: Deputy | StaffUser | None = None) -> None:
    """A wrong password for `account` (as the limits count it; `holder` is the account when signed in, on the
    change-password form, `page` "password"). When it used up the guesses, the operations log says so, once per
    account and network in a lockout's time (ratelimit.LOCKOUT_NOTED); guesses at a login nobody has are left
    out, or anyone could fill the log. A log that cannot be written leaves the answer a wrong password's."""
    redis_client = current_app.extensions["mashang"].redis
    (per_account, account_key), _ = _login_limits(account)
    locked = ratelimit.exceeded(redis_client, per_account, account_key) or (
        page == "password" and ratelimit.exceeded(redis_client, ratelimit.CURRENT_PASSWORD_PER_ACCOUNT, account))
    network = masking.mask_address(ratelimit.address_of(request.remote_addr))
    if not locked or not ratelimit.attempt(redis_client, [(ratelimit.LOCKOUT_NOTED, f"{account}|{network}"),
                                                          (ratelimit.LOCKOUTS_NOTED_PER_ACCOUNT, account)]):
        return
    try:
        holder = holder or accounts.account_signing_in(db(), account)
        if holder is not None:
            accounts.record_lockout(db(), holder, page, network)
            db().commit()
    except SQLAlchemyError as exc:
        db().rollback()
        logging.getLogger(__name__).warning("a lockout of %s was not logged: %s", account, exc)


def login_succeeded(account: str) -> None:
    """The password was right: no guess. The account's count starts again, the address's is given back one (a
    station's clerks behind one address sign in all day)."""
    redis_client = current_app.extensions["mashang"].redis
    (per_account, account_key), (per_address, address) = _login_limits(account)
    ratelimit.clear(redis_client, per_account, account_key)
    ratelimit.refund(redis_client, per_address, address)


def current_password_attempt(account: str) -> bool:
    """A guess at the current password on the change-password form, counted before it is checked: the login's
    limits, and the account's own from any address, since a stolen cookie travels from address to address."""
    return ratelimit.attempt(current_app.extensions["mashang"].redis,
                             [*_login_limits(account), (ratelimit.CURRENT_PASSWORD_PER_ACCOUNT, account)])


def current_password_right(account: str) -> None:
    login_succeeded(account)
    ratelimit.clear(current_app.extensions["mashang"].redis, ratelimit.CURRENT_PASSWORD_PER_ACCOUNT, account)


def login_form(role: str, field: str, authenticate, template: str, home, wrong: str, normalise=str.strip):
    """The sign-in page of deputies and staff alike: rate-limited, a fresh session on success.

    `home` is the endpoint to land on, or a function of the signed-in account that names it. The limit counts
    the account as `normalise` spells it, so other spellings of it share one count."""
    error, typed = None, request.form.get(field, "")  # a refused sign-in keeps the account as typed
    if request.method == "POST":
        account = f"{role}:" + normalise(typed)
        if not login_attempt(account):
            return render_template(template, error=LOCKED_MESSAGE, typed=typed), 429
        user = authenticate(db(), typed, request.form.get("password", ""))
        if user is not None:
            login_succeeded(account)
            sign_in(role, user)
            if "kept" in session:  # a form sent after this account's last sign-in ended waits on its page
                flash("刚才填写的内容已填回原来的表格，请核对后再提交。", "ok")
            landing = url_for(home(user) if callable(home) else home)
            return redirect(safe_next(request.args.get("next"), landing))
        guessed_wrong(account, "login")
        error = wrong
    return render_template(template, error=error, typed=typed), 401 if error else 200


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: a planted link must not bounce someone to another site after sign-in.

    Browsers and Werkzeug drop tabs and line breaks from a Location, so "/\t/evil.example" would become
    "//evil.example" after this check: any whitespace or control character refuses the target outright."""
    if not target or "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def sign_out(everywhere: bool = False) -> None:
    """退出 ends this sign-in, copies of its cookie in an attacker's hands too, and leaves the account's other
    devices signed in (a clerk's phone is not signed out by the office computer); 退出所有设备 ends them all. The
    end is kept in the database, so it holds while Redis is away."""
    account = current_deputy() if session.get("role") == DEPUTY else current_staff()
    if account is not None:
        sid = session.get("sid")
        if everywhere or not sid:  # a sign-in from before sign-ins had names can only be ended with the others
            accounts.end_sessions(account)
        else:
            accounts.end_sign_in(db(), sid, SESSION_LIFETIME)
        db().commit()
    session.clear()


def _ended() -> bool:
    sid = session.get("sid")
    return bool(sid) and accounts.sign_in_ended(db(), sid)


def _signed_in_id(role: str) -> int | None:
    if session.get("role") != role:
        return None
    started = session.get("signed_in_at", 0)
    if datetime.now(timezone.utc).timestamp() - started > SESSION_LIFETIME.total_seconds():
        session.clear()
        return None
    return session.get("user_id")


def _current(account):
    """The signed-in account while it is active and the cookie carries its current session version."""
    if account is None or not account.active or session.get("version") != account.session_version or _ended():
        return None
    return account


def current_deputy() -> Deputy | None:
    if "deputy" not in g:
        user_id = _signed_in_id(DEPUTY)
        g.deputy = _current(db().get(Deputy, user_id) if user_id else None)
    return g.deputy


def current_staff() -> StaffUser | None:
    if "staff" not in g:
        user_id = _signed_in_id(STAFF)
        g.staff = _current(db().get(StaffUser, user_id) if user_id else None)
    return g.staff


def congress_staff() -> StaffUser | None:
    """The signed-in staff member when they work for the congress (not a handling unit's account)."""
    staff = current_staff()
    return staff if staff is not None and staff.role in _ROLES[STAFF] else None


def login_endpoint() -> str | None:
    """The sign-in page for the route asked for: the deputies' or the staff's."""
    if request.endpoint is None or request.endpoint not in current_app.view_functions:
        return None
    return _LOGIN.get(rule_of(current_app, request.endpoint))


def _enforce():
    if request.endpoint is None:
        return None  # no such route: the 404 handler answers
    required = rule_of(current_app, request.endpoint)
    if required is None:
        current_app.logger.error("route %s declares no access rule; refused", request.endpoint)
        abort(403)
    if required == PUBLIC:
        return None
    signed_in = current_deputy() if required == DEPUTY else current_staff()
    if signed_in is None:
        if request.method == "GET":
            return redirect(url_for(_LOGIN[required], next=request.full_path))
        abort(401)
    if required in _ROLES and signed_in.role not in _ROLES[required]:
        if request.method == "GET" and request.endpoint == "staff.home" and signed_in.role == StaffRole.UNIT:
            # The address everyone is given for the back office (/staff/): a unit's own home is its suggestions.
            return redirect(url_for("unit.home"))
        abort(404)  # as for another station's objects: a page of another role is not there for this one
    return None


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = SESSION_LIFETIME
    app.before_request(_enforce)
