"""How /api/v1 refuses: {"error": {"code", "message"}} with a stable code and a Chinese sentence, never a page."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from intake.services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from intake.web import wording

PREFIX = "/api/v1"

# The code and sentence of a refusal that reaches us as an HTTP error (routing, body size, parsing).
_HTTP = {
    400: ("invalid_request", "请求格式不对，请对照接口文档检查。"),
    401: ("api_key_missing", "请在请求头 Authorization: Bearer … 或 X-Api-Key 中提供 API 密钥。"),
    403: ("forbidden", "这个密钥不能做这件事。"),
    404: ("not_found", "没有这个地址或这条记录。"),
    405: ("method_not_allowed", "这个地址不支持这种请求方法。"),
    406: ("not_acceptable", "本接口只答复 JSON。"),
    413: ("body_too_large", "请求内容太大。"),
    409: ("conflict", "另一个请求同时写入了同样的内容，这次没有保存；请查询现在的情况后再决定是否重试。"),
    415: ("unsupported_media_type", "请求内容应为 JSON（Content-Type: application/json）。"),
    422: ("invalid_request", "请求内容有误：{fields}。"),
    429: ("too_many_requests", "请求太频繁，请按 Retry-After 给出的秒数稍后再试。"),
    500: ("internal_error", "系统出了点问题，请稍后再试。"),
    503: ("unavailable", "系统正在维护，请稍后再试。"),
}
# A domain refusal's status by its code first (the key's own refusals), then by its kind.
_BY_CODE = {"api_key_missing": 401, "api_key_refused": 401, "api_scope_missing": 403}
_BY_KIND = ((NotFound, 404), (NotAllowed, 403), (InvalidInput, 422))


def in_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def answer(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="mashang"'
    return response


def _fields(messages) -> str:
    """webargs' complaints name the fields (per location); the sentence names them, in Chinese order."""
    names = []
    for location in (messages or {}).values():
        if isinstance(location, dict):
            names += [str(name) for name in location]
    return "、".join(names) or "格式"


def for_http(exc: HTTPException, headers: dict | None = None):
    status = exc.code or 500
    code, template = _HTTP.get(status, _HTTP[400] if status < 500 else _HTTP[500])
    data = getattr(exc, "data", None) or {}
    return answer(status, code, template.format(fields=_fields(data.get("messages"))),
                  {**(data.get("headers") or {}), **(headers or {})})


def for_domain(error: DomainError):
    status = _BY_CODE.get(error.code) or next((status for kind, status in _BY_KIND if isinstance(error, kind)), 409)
    # The submission rules are shared with Open311; this API's sentence names its own fields where they differ.
    own = f"v1:{error.code}"
    message = wording.sentence(own, **error.params) if own in wording.SENTENCES else wording.of(error)
    return answer(status, error.code, message)


def for_status(status: int, headers: dict | None = None, *, message: str | None = None):
    code, template = _HTTP[status]
    return answer(status, code, message or template.format(fields="格式"), headers)
