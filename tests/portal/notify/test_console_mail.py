"""Readable dev mail (portal/notify/console_mail.py): the console shows Chinese subjects and
bodies as text, not the base64 Django's console backend prints."""

import importlib
import io

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

from portal.notify.console_mail import ReadableConsoleBackend

BODY = "您好：您的办件 SQ20261129000123X 已受理，请凭查询码在“办件查询”栏目查看进度。"


def _message():
    message = EmailMultiAlternatives(
        subject="【阳光政务】办件已受理",
        body=BODY,
        from_email="阳光政务 <noreply@example.gov.cn>",
        to=["张三 <zhangsan@example.com>"],
        bcc=["audit@example.gov.cn"],
    )
    message.attach_alternative(f"<p>{BODY}</p>", "text/html")
    message.attach("回执.pdf", b"%PDF-1.4 test", "application/pdf")
    return message


def _printed(backend_class) -> str:
    stream = io.StringIO()
    assert backend_class(stream=stream).send_messages([_message()]) == 1
    return stream.getvalue()


def test_djangos_console_hides_the_chinese_body():
    """The problem: the body is not there as text."""
    assert BODY not in _printed(DjangoConsoleBackend)


def test_the_readable_console_shows_headers_body_and_attachments():
    out = _printed(ReadableConsoleBackend)
    assert "Subject: 【阳光政务】办件已受理" in out
    assert "To: 张三 <zhangsan@example.com>" in out
    assert "From: 阳光政务 <noreply@example.gov.cn>" in out
    assert "Bcc: audit@example.gov.cn" in out
    assert out.count(BODY) == 2  # the text part and the HTML part
    assert "[HTML 正文]" in out
    assert "[附件] 回执.pdf (application/pdf, 13 字节)" in out
    assert "base64" not in out and "Content-Transfer-Encoding" not in out
    assert out.endswith("-" * 79 + "\n")


def test_dev_and_demo_settings_print_readable_mail():
    dev = importlib.import_module("portal.settings.dev")
    assert dev.MAILERS["default"]["BACKEND"] == "portal.notify.console_mail.ReadableConsoleBackend"
