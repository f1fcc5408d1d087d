"""Open311 GeoReport v2 at /open311/v2 for other civic systems (the 12345 hotline, the service app …).

Keys, not sign-ins: every call but discovery and services carries `api_key`. Answers and errors are in
the format the path ends with (.xml or .json); errors are the standard's list of code and description.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from intake.db import writes_in_turn
from intake.models import utcnow
from intake.ops import metrics
from intake.services.api import georeport, keys, limits, submissions
from intake.services.errors import DomainError, InvalidInput, NotFound
from intake.web import access, wording
from intake.web.errors import CONFLICT, DATA_REFUSED, MESSAGES, database_status, open311_refusal
from intake.web.open311_format import FORMATS, errors, format_of, render
from intake.web.requests import background, body_over, db, runtime

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+08:00"  # when this endpoint's behaviour last changed
POST_FIELDS = {"api_key", "jurisdiction_id", "service_code", "description", "address_string", "address_id", "lat",
               "long", "email", "phone", "first_name", "last_name", "device_id", "account_id", "media_url",
               "attribute[deputy]", "attribute[external_id]"}
LIST_FIELDS = {"api_key", "jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date", "status"}
KEY_FIELDS = {"api_key", "jurisdiction_id"}
STATUS_OF = {"api_key_missing": 403, "api_key_refused": 403, "api_scope_missing": 403}


class TooMany(Exception):
    def __init__(self, seconds: int, sentence: str | None = None):
        self.seconds, self.sentence = seconds, sentence


@bp.before_request
def _small_bodies():
    if body_over(runtime().settings.max_api_body_bytes):
        return _error(413, wording.sentence("api_too_large"))
    return None


def _answer(root: str, body, status: int = 200):
    return render(format_of(request.path), root, body, runtime().local_tz, status)


def _error(status: int, description: str, **headers):
    return errors(format_of(request.path), status, description, **headers)


@bp.errorhandler(DomainError)
def _refused(error: DomainError):
    db().rollback()
    status = STATUS_OF.get(error.code) or (404 if isinstance(error, NotFound) else 400)
    return _error(status, wording.of(error))


@bp.errorhandler(TooMany)
def _too_many(error: TooMany):
    db().rollback()
    return _error(429, error.sentence or wording.sentence("api_too_many"), **{"Retry-After": str(error.seconds)})


@bp.errorhandler(HTTPException)
def _http(error: HTTPException):
    # Named here, or the catch-all below would take it: the same answer as for a path no route matches.
    return open311_refusal(error)


@bp.errorhandler(DBAPIError)
def _database_error(error: DBAPIError):
    status = database_status(error)
    if status == 400:
        current_app.logger.warning("data refused by the database: %s", error.orig)
        return _error(400, DATA_REFUSED)
    if status == 409:
        current_app.logger.warning("a conflicting write refused: %s", error.orig)
        return _error(409, CONFLICT)
    if status == 503:
        # A client retries when told when, instead of meeting a 500.
        current_app.logger.warning("database unavailable: %s", error)
        return _error(503, MESSAGES[503], **{"Retry-After": "5"})
    return _unexpected(error)


@bp.errorhandler(Exception)
def _unexpected(error):
    current_app.logger.exception("unhandled error", exc_info=error)
    return _error(500, MESSAGES[500])


def _checked_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(404)


def _only(allowed: set[str], values) -> None:
    """Strict parsing: a field we do not know, or one sent twice, is refused rather than guessed at."""
    for name in values.keys():
        if name not in allowed:
            raise InvalidInput("api_field_unknown", field=name[:40])
        if len(values.getlist(name)) > 1:
            raise InvalidInput("api_field_repeated", field=name)
        if "\x00" in values[name]:  # no database stores it, and no text needs it
            raise InvalidInput("api_field_unreadable", field=name)


def _key(raw: str | None, scope: str) -> keys.LiveKey:
    """The caller's live key with this scope, within its per-minute limit."""
    settings = runtime().settings
    try:
        key = limits.authenticate(db(), runtime().redis, raw, secret=settings.secret_key,
                                  address=request.remote_addr or "-",
                                  refused_per_address=settings.api_refused_keys_per_address)
    except limits.AddressBlocked as blocked:
        raise TooMany(blocked.seconds, wording.sentence("api_refused_keys")) from None
    if key.noted:
        db().commit()  # its last use, noted once a minute
    wait = limits.allow(runtime().redis, key.id, settings.api_per_minute)
    if wait is not None:
        raise TooMany(wait)
    keys.require_scope(key, scope)
    return key


@bp.get("/discovery.<fmt>")
@access.rule(access.PUBLIC)
def discovery(fmt: str):
    _checked_format(fmt)
    base = runtime().settings.base_url
    return _answer("discovery", {
        "changeset": CHANGESET,
        "contact": "区人大常委会代表工作委员会",
        "key_service": "接口密钥由区人大常委会代表工委的系统管理员在工作台“接口密钥”页创建。",
        "endpoints": [{"specification": SPECIFICATION, "url": f"{base}{bp.url_prefix}", "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })


def _service_fields(found: georeport.Service) -> dict:
    return {"service_code": found.code, "service_name": found.name, "description": found.description,
            "metadata": True, "type": "realtime", "keywords": found.keywords, "group": found.group}


@bp.get("/services.<fmt>")
@access.rule(access.PUBLIC)
def services(fmt: str):
    _checked_format(fmt)
    return _answer("services", [_service_fields(s) for s in georeport.services(runtime().taxonomy)])


ATTRIBUTES = [
    {"variable": True, "code": "deputy", "datatype": "string", "required": False, "order": 1,
     "datatype_description": "代表群众链接 /c/… 中的代码",
     "description": "转给哪位代表；不填时按地址转给所在联络站"},
    {"variable": True, "code": "external_id", "datatype": "string", "required": False, "order": 2,
     "datatype_description": "1 到 100 个字符",
     "description": "贵方系统中的编号：同一编号重复提交只保存一次，并返回第一次的结果"},
]


@bp.get("/services/<service_code>.<fmt>")
@access.rule(access.PUBLIC)
def service_definition(service_code: str, fmt: str):
    _checked_format(fmt)
    found = georeport.service(runtime().taxonomy, service_code)
    return _answer("service_definition", {"service_code": found.code, "attributes": ATTRIBUTES})


def _number(name: str) -> float | None:
    text = (request.form.get(name) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput("api_position_format") from None


def _submission() -> submissions.SubmissionInput:
    form = request.form
    code = (form.get("service_code") or "").strip()
    if code:
        georeport.check_service(runtime().taxonomy, code)  # an unknown service is refused, not silently dropped
    return submissions.SubmissionInput(
        text=form.get("description", ""), deputy_slug=(form.get("attribute[deputy]") or "").strip() or None,
        address=(form.get("address_string") or "").strip() or None, lat=_number("lat"), long=_number("long"),
        email=(form.get("email") or "").strip() or None, phone=(form.get("phone") or "").strip() or None,
        external_id=(form.get("attribute[external_id]") or "").strip() or None)


@bp.post("/requests.<fmt>")
@access.rule(access.PUBLIC)
def create_request(fmt: str):
    _checked_format(fmt)
    if request.mimetype != "application/x-www-form-urlencoded":
        raise InvalidInput("api_form")
    _only(POST_FIELDS, request.form)
    _only(set(), request.args)
    key = _key(request.form.get("api_key"), "submit")
    try:
        data = _submission()
    except NotFound as unknown:
        raise InvalidInput(unknown.code) from None
    settings = runtime().settings
    with writes_in_turn(runtime().engine):
        done = submissions.submit(db(), key, data, max_chars=settings.max_message_chars, local_tz=runtime().local_tz)
        db().commit()
    if done.created:
        metrics.MESSAGES_STORED.labels(submissions.CHANNEL).inc()
        background().message_stored(done.message_id)
    return _answer("service_requests", [{"service_request_id": done.receipt, "token": done.answer["token"],
                                         "service_notice": f"已收到，回执号 {done.receipt}", "account_id": None}])


def _request_fields(found: georeport.ServiceRequest) -> dict:
    return {"service_request_id": found.service_request_id, "status": found.status,
            "status_notes": found.status_notes, "service_name": found.service_name,
            "service_code": found.service_code, "description": found.description,
            "agency_responsible": found.agency_responsible, "service_notice": found.service_notice,
            "requested_datetime": found.requested_datetime, "updated_datetime": found.updated_datetime,
            "expected_datetime": found.expected_datetime, "address": found.address, "address_id": None,
            "zipcode": None, "lat": found.lat, "long": found.long, "media_url": None}


@bp.get("/requests.<fmt>")
@access.rule(access.PUBLIC)
def list_requests(fmt: str):
    _checked_format(fmt)
    _only(LIST_FIELDS, request.args)
    key = _key(request.args.get("api_key"), "read")
    found = georeport.find_requests(db(), key, georeport.Filters.parse(request.args), local_tz=runtime().local_tz,
                                    now=utcnow())
    return _answer("service_requests", [_request_fields(r) for r in found])


@bp.get("/requests/<request_id>.<fmt>")
@access.rule(access.PUBLIC)
def one_request(request_id: str, fmt: str):
    _checked_format(fmt)
    _only(KEY_FIELDS, request.args)
    key = _key(request.args.get("api_key"), "read")
    found = georeport.find_request(db(), key, request_id, local_tz=runtime().local_tz)
    return _answer("service_requests", [_request_fields(found)])


@bp.get("/tokens/<token>.<fmt>")
@access.rule(access.PUBLIC)
def token(token: str, fmt: str):
    _checked_format(fmt)
    _only(KEY_FIELDS, request.args)
    key = _key(request.args.get("api_key"), "read")
    number, request_id = georeport.find_token(db(), key, token)
    return _answer("service_requests", [{"token": number, "service_request_id": request_id}])
