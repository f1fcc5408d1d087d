"""Why a delivery failed, in words a clerk can act on: the mail server's or WeCom's English answer is kept only
as the detail an administrator may open."""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL, WECOM = "邮件无法送达：", "企业微信"

# SMTP reply codes (RFC 5321) as a clerk would say them; the first digit decides when the code is unknown.
SMTP_CODES = {
    "421": "邮件服务器暂时不可用，系统会自动重试",
    "450": "收件邮箱暂时不可用，系统会自动重试",
    "451": "邮件服务器处理出错，系统会自动重试",
    "452": "邮件服务器空间不足，系统会自动重试",
    "530": "发信邮箱需要登录，请管理员检查发信邮箱的设置",
    "534": "发信邮箱的登录方式不被接受（可能需要授权码），请管理员检查发信邮箱的设置",
    "535": "发信邮箱的用户名或密码（授权码）不对，请管理员检查发信邮箱的设置",
    "550": "收件邮箱不存在或不可用，请核对收件人的邮箱地址",
    "551": "收件邮箱不在这台邮件服务器上，请核对收件人的邮箱地址",
    "552": "收件邮箱已满或邮件太大",
    "553": "收件邮箱地址写得不对，请核对收件人的邮箱地址",
    "554": "邮件被对方邮件服务器拒收（可能被当成垃圾邮件）",
}
# WeCom group robot errcodes.
WECOM_CODES = {
    "93000": "企业微信群机器人的地址无效（机器人可能已被移出群聊），请管理员更新机器人地址",
    "45009": "发给企业微信的消息太频繁，系统会自动重试",
    "40008": "企业微信不接受这种消息格式",
    "44004": "消息内容是空的，企业微信没有接收",
    "40058": "消息内容不符合企业微信的要求",
}
# Network faults, the same words for both channels (the channel's name is already in front).
NETWORK = (
    (re.compile(r"refused", re.I), "服务器拒绝连接，请管理员检查服务器地址和端口"),
    (re.compile(r"timed? ?out", re.I), "连接服务器超时，系统会自动重试"),
    (re.compile(r"name or service not known|name resolution|getaddrinfo|nodename nor servname", re.I),
     "找不到服务器（域名无法解析），请管理员检查服务器地址"),
    (re.compile(r"ssl|certificate|tls", re.I), "加密连接失败（证书或加密方式设置不对），请管理员检查"),
    (re.compile(r"unexpectedly closed|disconnect|reset by peer|broken pipe", re.I), "服务器中途断开了连接，系统会自动重试"),
    (re.compile(r"network is unreachable|no route to host", re.I), "网络不通，系统会自动重试"),
)


@dataclass(frozen=True)
class Failure:
    reason: str  # Chinese, for the page
    detail: str  # the server's own words, behind a toggle; empty when the reason is all there is


def _network(text: str) -> str | None:
    return next((words for pattern, words in NETWORK if pattern.search(text)), None)


def _email(detail: str) -> str:
    code = re.search(r"\b([45]\d\d)\b", detail)
    if code and code.group(1) in SMTP_CODES:
        return SMTP_CODES[code.group(1)]
    network = _network(detail)
    if network:
        return network
    if code:
        return "邮件服务器暂时拒收，系统会自动重试" if code.group(1)[0] == "4" else "邮件服务器拒收了这封邮件"
    return "邮件服务器没有接收这封邮件"


def _wecom(detail: str) -> str:
    code = re.search(r"errcode (-?\d+)", detail)
    if code and code.group(1) in WECOM_CODES:
        return WECOM_CODES[code.group(1)]
    if code:
        return "企业微信没有接收这条消息"
    network = _network(detail)
    if network:
        return network
    if re.search(r"HTTP Error", detail):
        return "企业微信服务器返回了错误，系统会自动重试"
    return "企业微信没有接收这条消息"


def explain(last_error: str) -> Failure:
    """A stored last_error ("邮件无法送达：(550, …)", "企业微信拒收：errcode 93000 …", or already Chinese)
    as a Chinese reason and the raw detail."""
    text = (last_error or "").strip()
    if text.startswith(EMAIL):
        detail = text.removeprefix(EMAIL)
        return Failure("邮件无法送达：" + _email(detail), detail)
    if text.startswith(WECOM) and "：" in text:
        head, detail = text.split("：", 1)
        return Failure(head + "：" + _wecom(detail), detail)
    return Failure(text, "")
