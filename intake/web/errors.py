"""Friendly Chinese answers for every error, as a page or as JSON, never a stack trace."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from intake import migrate
from intake.models import StaffRole
from intake.services.lifecycle import choices
from intake.web import access, api_errors, kept, open311_format
from intake.web.requests import db

MESSAGES = {
    400: "请求有误，请返回重试。",
    401: "刚才的操作没有完成，请重新登录后再做一次。",
    403: "您没有权限查看这个页面。",
    404: "页面不存在，请检查链接是否完整。",
    405: "不支持这种操作。",
    410: "这个链接已经停用。",
    413: "内容太大了，请减少内容后再试。",
    429: "操作太频繁了，请稍后再试。",
    500: "系统出了点问题，我们会尽快处理，请稍后再试。",
    503: "系统正在维护，请稍等几秒钟后再试。",
}
# What the page's heading says happened (提示 alone said nothing); the message under it says what to do.
HEADINGS = {400: "无法处理这个请求", 401: "登录已结束", 403: "没有权限", 404: "找不到这个页面", 405: "无法处理这个请求",
            409: "这次提交没有保存", 410: "链接已停用", 413: "内容太大", 422: "无法保存", 429: "操作太频繁",
            500: "系统出了点问题",
            503: "系统正在维护"}
DATA_REFUSED = "提交的内容无法保存：可能含有不可见的特殊字符，或某一项填得太长。请检查后重新填写。"
EXPIRED = "页面已过期，这次提交没有保存，请刷新页面后重试。"
# After 退出所有设备 on another device, a new password or a deactivation: the sign-in ended elsewhere.
# A 401 is a form sent without a sign-in: the heading says so once (请先登录 twice read as an echo); the sentence says
# what became of what was typed.
SIGNED_OUT_KEPT = "您的登录已在别处结束，这次提交没有保存，刚才填写的内容已经留下。"
SIGNED_OUT_TYPED = "这次提交没有保存，填写的内容也不会自动填回。"
CONFLICT = "刚才有人同时做了同样的操作（例如用了同一个名称），您这次提交没有保存，以免重复。请刷新页面看看现在的情况。"
# Form fields that are the page's own, never what a person typed: not shown back.
_NOT_TYPED = re.compile(r"csrf_token|.*password.*|version|return_to|confirm", re.IGNORECASE)
# A value of only these characters is an id, a choice or a date the page filled in (or one quickly typed again).
_MACHINE_VALUE = re.compile(r"[\w:/?=&.,+-]*", re.ASCII)


# Where a person who met an error goes back to: the home of the part of the site they were in (a deputy's 页面不存在
# once left them no way but the browser's back button).
HOMES = (("/deputy/", "deputy.home", "回到首页"), ("/staff/", "staff.home", "回到工作台"),
         ("/unit/", "unit.home", "回到交办给本单位的建议"))


# The citizen's pages: a missing one is headed as they are, with no menu of staff or deputies.
CITIZEN_PAGES = ("/c/", "/p/")


def home() -> tuple[str, str] | None:
    for prefix, endpoint, words in HOMES:
        if request.path.startswith(prefix):
            return url_for(endpoint), words
    return None


def bar(status: int) -> dict:
    """The menu bar of the pages around a missing or refused page, for the person signed in there, and what it shows
    (a staff member's 页面不存在 once had none, no menu to go on from). Not for a server's fault; and when the database
    it reads fails here, the page comes without a bar rather than as a 500."""
    if status not in (403, 404):
        return {}
    if request.path.startswith(CITIZEN_PAGES):
        return {"bar": "_citizen_bar.html"}  # a code scanned wrong: the citizen's header, as on the stopped code's page
    if home() is None:
        return {}
    try:
        return _bar()
    except SQLAlchemyError as exc:
        current_app.logger.warning("no menu bar on a %s page: the database failed (%s)", status, type(exc).__name__)
        db().rollback()
        return {}


def _bar() -> dict:
    if request.path.startswith("/deputy/"):
        deputy = access.current_deputy()
        return {"bar": "deputy/_bar.html", "deputy": deputy} if deputy else {}
    staff = access.current_staff()
    if staff is None:
        return {}
    if staff.role == StaffRole.UNIT:
        return {"bar": "unit/_bar.html", "staff": staff, "unit": choices.unit(db(), staff.unit_id), "console": True}
    return {"bar": "staff/_bar.html", "staff": staff, "console": True}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or request.is_json


def respond(status: int, message: str | None = None, heading: str | None = None, **headers):
    """`heading` names what was refused (无法导入); else the status's own (无法保存 for a 422, never 提示)."""
    message = message or MESSAGES.get(status, MESSAGES[500])
    if wants_json():
        response = jsonify(error=message, replies=[message])
    else:
        typed = typed_back() if status in (400, 401, 409, 429) else []
        sign_in, held = signed_out(typed) if status == 401 else (None, False)
        # error_page: the menu marks no item as the page shown (页面不存在 is no 留言队列)
        if status == 401 and typed:
            message = SIGNED_OUT_KEPT if held else SIGNED_OUT_TYPED
        response = render_template("error.html", message=message, status=status,
                                   heading=heading or HEADINGS.get(status, "无法处理这个请求"),
                                   home=home(), error_page=True, typed=typed, sign_in=sign_in, held=held,
                                   **bar(status))
    return response, status, headers


def typed_back() -> list[str]:
    """What the person typed into the form that was refused, to copy and send again: a long text written before
    the page expired must not be lost. Passwords and the page's own fields are left out."""
    if request.method != "POST" or request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return []
    if not _sent_from_this_site():
        return []  # another site's form would put its own words on our page, as if the person had typed them
    try:
        fields = request.form.items(multi=True)
        return [value for name, value in fields
                if value.strip() and not _NOT_TYPED.fullmatch(name) and not _MACHINE_VALUE.fullmatch(value)]
    except HTTPException:  # the body itself was refused (too large): there is nothing to give back
        return []


def signed_out(typed: list[str]) -> tuple[str | None, bool]:
    """For a form sent after its session ended: the sign-in that leads back to the form's page, and whether what was
    typed is kept to be filled in there again."""
    login = access.login_endpoint()
    if login is None:
        return None, False
    page = kept.form_page()
    held = bool(typed) and page is not None and kept.hold(page)
    return url_for(login, next=page) if page else url_for(login), held


def _sent_from_this_site() -> bool:
    """Whether the browser says the form was on one of our pages (or says nothing, as older browsers do)."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def allowed(exc: HTTPException) -> dict:
    """A 405's Allow header, which an answer of our own would otherwise drop."""
    methods = getattr(exc, "valid_methods", None)
    return {"Allow": ", ".join(methods)} if methods else {}


def open311_refusal(exc: HTTPException):
    """Under /open311/v2 every HTTP error (no such path, a wrong method, too large) is the standard's error list."""
    status = exc.code or 500
    return open311_format.errors(open311_format.format_of(request.path), status, MESSAGES.get(status, MESSAGES[500]),
                                 **allowed(exc))


def database_status(exc: DBAPIError) -> int:
    """400 for what was sent and cannot be stored (a NUL character, a value too long: sending it again cannot
    help), 409 for a unique row someone else wrote at the same moment (a double submission, two clerks adding
    one name), 503 for a database that cannot be reached (worth a retry), 500 for anything else (a fault of ours)."""
    if isinstance(exc, DataError):
        return 400
    if isinstance(exc, IntegrityError):
        return 409
    if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
        return 503
    return 500


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return respond(400, EXPIRED)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if api_errors.in_api():
            return api_errors.for_http(exc, allowed(exc))
        if open311_format.in_open311():
            return open311_refusal(exc)
        return respond(exc.code or 500)

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        if migrate.missing_table(exc):
            # Not a fault to retry or report: the install skipped a step, and the page says which.
            app.logger.error("the database has no tables yet: run mashang db upgrade (%s)", exc.orig)
            if api_errors.in_api():
                return api_errors.for_status(503, message=migrate.NOT_MIGRATED)
            return respond(503, migrate.NOT_MIGRATED)
        status = database_status(exc)
        if status == 400:
            app.logger.warning("data refused by the database: %s", exc.orig)
            if api_errors.in_api():
                return api_errors.for_status(400, message=DATA_REFUSED)
            return respond(400, DATA_REFUSED)
        if status == 409:
            app.logger.warning("a conflicting write refused: %s", exc.orig)
            if api_errors.in_api():
                return api_errors.for_status(409)
            return respond(409, CONFLICT)
        if status == 503:
            # WeChat and browsers retry; tell them when, instead of failing with a 500.
            app.logger.warning("database unavailable: %s", exc)
            if api_errors.in_api():
                return api_errors.for_status(503, {"Retry-After": "5"})
            return respond(503, None, **{"Retry-After": "5"})
        return unexpected(exc)

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error", exc_info=exc)
        if api_errors.in_api():
            return api_errors.for_status(500)
        return respond(500)
