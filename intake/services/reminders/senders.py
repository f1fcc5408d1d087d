"""The two ways a delivery reaches staff: a WeCom group robot (webhook) and e-mail over SMTP."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import getaddresses

from intake.config import Settings, SmtpSettings
from intake.services.reminders.outbox import DeliveryFailed, Outgoing, Sender

WECOM_LIMIT = 4096  # bytes of markdown a WeCom robot message may carry


class WeComRobot:
    """POSTs a markdown message to the group robot's webhook; WeCom answers errcode 0 when it took it."""

    def __init__(self, url: str, timeout: float = 10):
        self.url, self.timeout = url, timeout

    def send(self, message: Outgoing) -> None:
        content = message.body.encode()[:WECOM_LIMIT].decode(errors="ignore")
        data = json.dumps({"msgtype": "markdown", "markdown": {"content": content}}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryFailed(f"企业微信无法送达：{exc}") from exc
        if answer.get("errcode") != 0:
            raise DeliveryFailed(f"企业微信拒收：errcode {answer.get('errcode')} {answer.get('errmsg', '')}")


def addresses(text: str) -> list[str]:
    """The e-mail addresses in a comma- or semicolon-separated list."""
    return [address for _name, address in getaddresses([text.replace(";", ",").replace("，", ",")]) if "@" in address]


class Mailer:
    def __init__(self, smtp: SmtpSettings, timeout: float = 20):
        self.smtp, self.timeout = smtp, timeout

    def send(self, message: Outgoing) -> None:
        to = addresses(message.recipient)
        if not to:
            raise DeliveryFailed("没有可用的电子邮件地址", final=True)
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.smtp.sender, ", ".join(to), message.subject
        mail.set_content(message.body)
        try:
            if self.smtp.tls:
                client = smtplib.SMTP_SSL(self.smtp.host, self.smtp.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.timeout)
            with client:
                if self.smtp.starttls:
                    client.starttls(context=ssl.create_default_context())
                if self.smtp.username:
                    client.login(self.smtp.username, self.smtp.password)
                client.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"邮件无法送达：{exc}") from exc


def configured(settings: Settings) -> dict[str, Sender]:
    """The senders the settings configure (WECOM_WEBHOOK_URL, SMTP_URL); others are absent."""
    senders: dict[str, Sender] = {}
    if settings.wecom_webhook_url:
        senders["wecom"] = WeComRobot(settings.wecom_webhook_url)
    if settings.smtp is not None:
        senders["email"] = Mailer(settings.smtp)
    return senders
