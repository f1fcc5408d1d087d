"""What a person typed into a form the server refused, put back into the form when its page is shown again.

A refused form is answered with its own page (not a redirect to an empty one), so the values are this request's
own: a page asks for a field by the endpoint its form posts to (and the parts of its address, where a page has one
such form per section or station), and gets what was typed only when that very form was the one sent; every other
form on the page shows what is stored. A form sent after its session ended (signed out on another device, a new
password) is held in Redis for this browser and its account, and given back once, when the page it was typed on is
opened after signing in again."""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urlsplit

from flask import current_app, g, request, session
from redis.exceptions import RedisError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from intake.web import access

HOLD_SECONDS = 2 * 60 * 60
# The page's own fields: a new sign-in brings its own token, and a password is never kept.
_NOT_KEPT = re.compile(r"csrf_token|.*password.*", re.IGNORECASE)


def _same(view_args: dict, args: dict) -> bool:
    """Whether a form's address has these parts: one page may hold a form per section or per station, all posting
    to one endpoint, and only the one sent gets the typed words back."""
    return all(str(view_args.get(name)) == str(value) for name, value in args.items())


def _sent(endpoint: str, args: dict) -> bool:
    return request.method == "POST" and request.endpoint == endpoint and _same(request.view_args or {}, args)


def _given(endpoint: str, args: dict) -> MultiDict | None:
    if _sent(endpoint, args):
        return request.form
    held = _held_here()
    if held and held["endpoint"] == endpoint and _same(held.get("args") or {}, args):
        return MultiDict(held["fields"])
    return None


def typed(endpoint: str, name: str, stored="", **args):
    """The field `name` as typed into the refused form that posts to `endpoint` (with these `args` in its
    address), else `stored`."""
    given = _given(endpoint, args)
    return given.get(name, stored) if given is not None else stored


def chosen(endpoint: str, name: str, **args) -> list[str]:
    """Every value ticked under `name` (radio buttons, check boxes) in the refused form, else none."""
    given = _given(endpoint, args)
    return given.getlist(name) if given is not None else []


def ticked(endpoint: str, name: str, stored: bool, **args) -> bool:
    """Whether the check box `name` was ticked in the refused form, else as stored."""
    given = _given(endpoint, args)
    return name in given if given is not None else stored


def refused() -> None:
    """Mark this request's form as refused: its page is drawn again, and only then names a file to choose again (a
    roster's preview is drawn from the very same upload, which was taken)."""
    g.form_refused = True


def file_chosen(endpoint: str, name: str, **args) -> str:
    """The name of the file chosen in the file box `name` of the refused form: a browser never fills a file box in
    again, so the page says which file to choose once more ('' when none was sent, or when the form was taken)."""
    upload = request.files.get(name) if _sent(endpoint, args) and g.get("form_refused") else None
    return upload.filename if upload is not None and upload.filename else ""


def given_back(endpoint: str, **args) -> bool:
    """Whether the form that posts to `endpoint` is shown as it was typed (a closed section opens to show it)."""
    return _given(endpoint, args) is not None


def form_page() -> str | None:
    """The page (path and query) the refused form was on, as the browser names it, when it is a page that can be
    opened again: a refused form's own answer (/deputy/drafts/4/sections/situation) cannot, and the form typed
    there would be promised back on a page that never comes."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not _opens(referrer.path):
        return None
    return access.safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""), None)


def _opens(path: str) -> bool:
    try:
        current_app.create_url_adapter(request).match(path, method="GET")
    except HTTPException:  # not found, not a page (POST only), or a redirect elsewhere
        return False
    return True


def _redis():
    return current_app.extensions["mashang"].redis


def _account() -> list | None:
    return [session["role"], session["user_id"]] if "role" in session and "user_id" in session else None


def hold(page: str) -> bool:
    """Keep the form just refused for want of a session, to fill in on `page` after signing in again."""
    if _account() is None:
        return False  # no account to give it back to: shown on the page only
    fields = [(name, value) for name, value in request.form.items(multi=True) if not _NOT_KEPT.fullmatch(name)]
    token = secrets.token_urlsafe(16)
    held = {"page": page, "endpoint": request.endpoint, "args": request.view_args or {}, "fields": fields}
    try:
        _redis().set(f"kept:{token}", json.dumps(held, ensure_ascii=False), ex=HOLD_SECONDS)
    except RedisError as exc:
        current_app.logger.warning("a form sent without a session was not kept: Redis failed (%s)", exc)
        return False
    session["kept"] = {"token": token, "account": _account()}  # access.sign_in keeps it for that account only
    return True


def _held_here() -> dict | None:
    """The form held for this page, taken once: loaded at the page's first field. Only the account that typed it
    still has its token after signing in (access.sign_in)."""
    if "kept_form" not in g:
        kept = session.get("kept")
        mine = isinstance(kept, dict) and kept.get("account") == _account()
        g.kept_form = _take() if request.method == "GET" and mine else None
    return g.kept_form


def _take() -> dict | None:
    key = f"kept:{session['kept']['token']}"
    try:
        raw = _redis().get(key)
        held = json.loads(raw) if raw else None
        if held is not None and urlsplit(held["page"]).path != request.path:
            return None  # another page first: it waits for its own
        _redis().delete(key)
    except RedisError as exc:
        current_app.logger.warning("a kept form was not given back: Redis failed (%s)", exc)
        return None
    session.pop("kept")
    return held
