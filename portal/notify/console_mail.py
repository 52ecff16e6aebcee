"""Readable e-mail on the console for development and the demo (issue 14).

Django's console backend prints the MIME message as sent: a Chinese body is base64 (or
quoted-printable) and unreadable. This one prints what a reader would see: the headers decoded,
each text part decoded to UTF-8, and the name, type and size of every attachment.

    MAILERS = {"default": {"BACKEND": "portal.notify.console_mail.ReadableConsoleBackend"}}
"""

from __future__ import annotations

from email import message_from_bytes, policy

from django.core.mail.backends.console import EmailBackend

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Date", "Subject")


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        self.stream.write(render_readable(message) + "\n" + "-" * 79 + "\n")


def render_readable(message) -> str:
    """The e-mail as text: decoded headers, a blank line, then each part."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    lines = [f"{name}: {parsed[name]}" for name in HEADERS if parsed[name] is not None]
    bcc = getattr(message, "bcc", None)
    if bcc and parsed["Bcc"] is None:
        lines.append(f"Bcc: {', '.join(bcc)}")
    lines.append("")
    for part in parsed.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        content_type = part.get_content_type()
        if filename or part.get_content_maintype() not in {"text"}:
            size = len(part.get_payload(decode=True) or b"")
            lines.append(f"[附件] {filename or '（无文件名）'} ({content_type}, {size} 字节)")
        elif content_type == "text/html":
            lines += ["[HTML 正文]", part.get_content().rstrip("\n")]
        else:
            lines.append(part.get_content().rstrip("\n"))
        lines.append("")
    return "\n".join(lines).rstrip("\n")
