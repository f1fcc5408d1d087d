"""The few WeChat Official Account API calls we make: an access token, permanent QR codes, the pictures
followers send (kept by WeChat for three days) and customer-service messages to followers."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import redis

TOKEN_KEY = "mashang:wechat:access-token"
MAX_MEDIA_BYTES = 10 * 1024 * 1024  # WeChat's own limit for pictures


class WeChatApiError(RuntimeError):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code  # WeChat's errcode; None when it did not answer (network, HTTP error)


class WeChatApi:
    def __init__(self, base: str, appid: str, secret: str, cache: redis.Redis, timeout: float = 5.0):
        self.base, self.appid, self.secret, self.cache, self.timeout = base, appid, secret, cache, timeout

    def _call(self, path: str, query: dict, body: dict | None = None) -> dict:
        url = f"{self.base}{path}?{urllib.parse.urlencode(query)}"
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise WeChatApiError(f"微信接口不可用：{exc}") from exc
        if answer.get("errcode"):
            raise WeChatApiError(f"微信接口返回错误 {answer.get('errcode')}：{answer.get('errmsg')}",
                                 code=answer.get("errcode"))
        return answer

    def access_token(self) -> str:
        cached = self.cache.get(TOKEN_KEY)
        if cached:
            return cached.decode()
        answer = self._call("/cgi-bin/token", {"grant_type": "client_credential", "appid": self.appid,
                                               "secret": self.secret})
        # Renew five minutes early: WeChat invalidates the old token when a new one is issued.
        self.cache.set(TOKEN_KEY, answer["access_token"], ex=max(60, int(answer.get("expires_in", 7200)) - 300))
        return answer["access_token"]

    def permanent_qrcode(self, scene: str) -> str:
        """The URL a permanent string-scene code (QR_LIMIT_STR_SCENE) carries; we draw the code ourselves."""
        answer = self._call("/cgi-bin/qrcode/create", {"access_token": self.access_token()}, {
            "action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}},
        })
        return answer["url"]

    def send_text(self, openid: str, text: str) -> None:
        """A customer-service message: allowed within 48 hours of the follower's last message to us."""
        self._call("/cgi-bin/message/custom/send", {"access_token": self.access_token()},
                   {"touser": openid, "msgtype": "text", "text": {"content": text}})

    def media(self, media_id: str) -> bytes:
        """A picture a follower sent; WeChat answers errors as JSON instead of the file."""
        query = urllib.parse.urlencode({"access_token": self.access_token(), "media_id": media_id})
        url = f"{self.base}/cgi-bin/media/get?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                kind, data = response.headers.get_content_type(), response.read(MAX_MEDIA_BYTES + 1)
        except (urllib.error.URLError, OSError) as exc:
            raise WeChatApiError(f"微信接口不可用：{exc}") from exc
        if kind in ("application/json", "text/plain"):
            answer = json.loads(data or b"{}")
            raise WeChatApiError(f"微信接口返回错误 {answer.get('errcode')}：{answer.get('errmsg')}")
        return data
