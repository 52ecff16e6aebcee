"""A real SMS gateway: JSON over HTTPS, every request signed (the Aliyun/Tencent style).

    NOTIFY_SMS_BACKEND=portal.notify.gateway.HttpSMSBackend

Settings (`settings.SMS_GATEWAY`, filled from the environment in settings/base.py):
`url`, `key_id`, `secret`, `sign_name`, `templates` (our template name → the gateway's template
id; `*` for any other), `timeout` (seconds), `retryable_codes` (gateway codes worth a retry).

The request: `POST <url>` with the UTF-8 JSON body
`{"phone", "sign_name", "template_code", "template_params", "content"}` and the headers
`X-Sms-Key-Id`, `X-Sms-Timestamp` (Unix seconds), `X-Sms-Nonce` (32 hex characters, new for every
request) and `X-Sms-Signature` = base64(HMAC-SHA256(secret, timestamp + "\\n" + nonce + "\\n" +
body)), computed over the exact bytes sent. The answer: `{"code": "OK", ...}` for success, else
`{"code": "<error code>", "message": "..."}`.

Failures become `DeliveryError`s: a timeout, a connection failure, HTTP 408/429/5xx, an unreadable
answer and the codes in `retryable_codes` are retryable; any other HTTP 4xx, any other code, an
unconfigured template or gateway are permanent. Their texts never carry the phone number."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

import requests
from django.conf import settings
from django.utils.translation import gettext

from portal.privacy import scrub_text

from .backends import DeliveryError

RETRYABLE_HTTP = {408, 425, 429}


def sign(*, secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, timestamp \\n nonce \\n body))."""
    payload = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
    digest = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _config() -> dict:
    return {
        "url": "",
        "key_id": "",
        "secret": "",
        "sign_name": "",
        "templates": {},
        "timeout": 5.0,
        "retryable_codes": [],
        **getattr(settings, "SMS_GATEWAY", {}),
    }


class HttpSMSBackend:
    def __init__(self):
        self.config = _config()
        self.session = requests.Session()

    def template_code(self, template: str) -> str:
        templates = self.config["templates"]
        return templates.get(template) or templates.get("*") or ""

    def send(
        self, *, phone: str, message: str, template: str = "", params: dict | None = None
    ) -> None:
        config = self.config
        if not (config["url"] and config["key_id"] and config["secret"]):
            raise DeliveryError(
                gettext(
                    "短信网关未配置（SMS_GATEWAY_URL、SMS_GATEWAY_KEY_ID、SMS_GATEWAY_SECRET）"
                ),
                retryable=False,
            )
        code = self.template_code(template)
        if not code:
            raise DeliveryError(
                gettext("未配置短信模板：%(template)s") % {"template": template or "-"},
                retryable=False,
            )
        body = json.dumps(
            {
                "phone": phone,
                "sign_name": config["sign_name"],
                "template_code": code,
                "template_params": {k: str(v) for k, v in (params or {}).items()},
                "content": message,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        ).encode("utf-8")
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Sms-Key-Id": config["key_id"],
            "X-Sms-Timestamp": timestamp,
            "X-Sms-Nonce": nonce,
            "X-Sms-Signature": sign(
                secret=config["secret"], timestamp=timestamp, nonce=nonce, body=body
            ),
        }
        try:
            response = self.session.post(
                config["url"], data=body, headers=headers, timeout=float(config["timeout"])
            )
        except requests.Timeout:
            raise DeliveryError(gettext("短信网关响应超时"), retryable=True) from None
        except requests.RequestException as exc:
            raise DeliveryError(
                gettext("无法连接短信网关（%(error)s）") % {"error": type(exc).__name__},
                retryable=True,
            ) from None
        self.check(response, phone=phone)

    def check(self, response: requests.Response, *, phone: str) -> None:
        status = response.status_code
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            answer = {}
        code = str(answer.get("code") or "")
        detail = scrub_text(str(answer.get("message") or "")).replace(phone, "***")[:120]
        if status >= 500 or status in RETRYABLE_HTTP:
            raise DeliveryError(
                gettext("短信网关暂时不可用（HTTP %(status)s）") % {"status": status},
                retryable=True,
            )
        if status >= 400:
            raise DeliveryError(
                gettext("短信网关拒绝请求（HTTP %(status)s %(code)s）")
                % {"status": status, "code": code or "-"},
                retryable=False,
            )
        if not code:
            raise DeliveryError(
                gettext("短信网关的应答无法识别（HTTP %(status)s）") % {"status": status},
                retryable=True,
            )
        if code == "OK":
            return
        reason = gettext("短信网关返回错误 %(code)s：%(detail)s") % {
            "code": code,
            "detail": detail or "-",
        }
        raise DeliveryError(reason, retryable=code in set(self.config["retryable_codes"]))
