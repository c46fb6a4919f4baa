"""The wire: e-mail through Django's mail backend, DingTalk and WeCom group robots over HTTP(S).

Each sender raises `DeliveryError` with a readable reason; the dispatcher logs it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator

from yigang.inputs import control_character

from .models import Robot, RobotKind

# The hosts robots may post to. A town's webhook URL is entered by its officer, so an unrestricted URL would let
# the server be pointed at any address (SSRF); a deployment behind a relay adds the relay's host here
# (settings.NOTIFY_WEBHOOK_HOSTS, docs/deployment.md).
DEFAULT_WEBHOOK_HOSTS = ("oapi.dingtalk.com", "qyapi.weixin.qq.com")
TIMEOUT_SECONDS = 10
# WeCom refuses text over 2048 bytes; DingTalk allows more. One limit keeps both safe.
MAX_TEXT_BYTES = 2000


class DeliveryError(Exception):
    """A message could not be delivered; the text says why (shown in the delivery log)."""


def webhook_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "NOTIFY_WEBHOOK_HOSTS", DEFAULT_WEBHOOK_HOSTS))


MAX_URL_LENGTH = 500


def check_webhook_url(url: str) -> str | None:
    """Why a webhook URL is refused, or None when it may be used.

    Checked in full, so that what the form accepts the sender can send: no spaces or control characters (a
    URL copied with a line break), ASCII only, a valid URL by Django's validator, a valid port, one of the
    robot hosts.
    """
    if not url or len(url) > MAX_URL_LENGTH:
        return f"Webhook 地址不能为空，且不超过 {MAX_URL_LENGTH} 个字符。"
    if any(c.isspace() for c in url) or control_character(url) is not None:
        return "Webhook 地址不能含空格、换行或其他不可见字符（复制时可能多带了），请重新粘贴。"
    if not url.isascii():
        return "Webhook 地址只能含英文字母、数字和符号（中文等须按 URL 编码），请从群机器人设置中直接复制。"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError:
        return "Webhook 地址格式不正确（主机或端口无效）。"
    if parts.scheme not in {"https", "http"}:
        return "Webhook 地址须以 https:// 开头。"
    if parts.username or parts.password:
        return "Webhook 地址不能包含用户名或密码。"
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return "Webhook 地址格式不正确，请从群机器人设置中直接复制完整地址。"
    if parts.fragment:
        return "Webhook 地址不能含“#”片段。"
    if (parts.hostname or "") not in webhook_hosts():
        allowed = "、".join(webhook_hosts())
        return f"Webhook 地址的主机须为：{allowed}（如需经内网转发，请系统管理员配置 NOTIFY_WEBHOOK_HOSTS）。"
    if parts.scheme == "http" and parts.hostname not in {"127.0.0.1", "localhost"}:
        return "Webhook 地址须使用 https://。"
    return None


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk's 加签: sign = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), both added to the URL."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A robot endpoint never redirects; following one would defeat the host check above.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect())


def post_robot(robot: Robot, text: str) -> str:
    """Post one text message to a group robot; return the server's answer or raise DeliveryError."""
    refusal = check_webhook_url(robot.url)
    if refusal:
        raise DeliveryError(refusal)
    url = robot.url
    if robot.kind == RobotKind.DINGTALK and robot.secret:
        url = dingtalk_signed_url(url, robot.secret)
    # Both DingTalk and WeCom take the same text message shape.
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme and host checked above
        url, data=payload, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(4096).decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {exc.read(500).decode('utf-8', 'replace')}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"无法连接：{getattr(exc, 'reason', exc)}") from None
    except Exception as exc:  # a bad URL, a broken answer (http.client's errors): this robot's failure only
        raise DeliveryError(f"发送失败：{type(exc).__name__}: {exc}"[:500]) from None
    if status >= 300:
        raise DeliveryError(f"HTTP {status}: {answer[:500]}")
    # Both answer {"errcode": 0, "errmsg": "ok"}; anything else (bad token, bad sign, throttled) is a failure.
    try:
        data = json.loads(answer)
    except ValueError:
        raise DeliveryError(f"无法识别的应答：{answer[:500]}") from None
    if not isinstance(data, dict) or data.get("errcode") != 0:
        raise DeliveryError(f"机器人拒收：{answer[:500]}")
    return answer[:500]


def email_enabled() -> bool:
    """E-mail goes out when an SMTP host is configured or a non-SMTP backend (tests, console) is chosen."""
    backend = settings.EMAIL_BACKEND
    return bool(settings.EMAIL_HOST) or not backend.endswith("smtp.EmailBackend")


def send_email(address: str, subject: str, body: str) -> str:
    try:
        sent = send_mail(subject, body, None, [address], fail_silently=False)
    except Exception as exc:  # any SMTP or socket failure is logged, never raised to the caller
        raise DeliveryError(f"邮件发送失败：{exc}") from None
    if not sent:
        raise DeliveryError("邮件发送失败：邮件服务器未接受")
    return "accepted"


def split_text(lines: list[str], header: str, limit: int = MAX_TEXT_BYTES) -> list[list[int]]:
    """Group line indexes into messages whose text (header + lines) stays under `limit` bytes."""
    chunks: list[list[int]] = []
    current: list[int] = []
    size = len(header.encode())
    for index, line in enumerate(lines):
        line_size = len(line.encode()) + 1
        if current and size + line_size > limit:
            chunks.append(current)
            current, size = [], len(header.encode())
        current.append(index)
        size += line_size
    if current:
        chunks.append(current)
    return chunks
