"""Request bodies: all of it or nothing.

Django reads a body through `LimitedStream`, which simply returns fewer bytes when the client stops
sending before Content-Length; the multipart parser (`ChunkIter` in django/http/multipartparser.py)
takes that end of input for the end of the body and drops the file it was reading
(`upload_interrupted`), so a client that aborted in the middle of an optional material's upload
used to get a case without that file. `RequestBodyMiddleware` wraps the stream: a body that ends
before its Content-Length raises `IncompleteBody` (a `MultiPartParserError`), so nothing sees a
partial POST — the request is answered 400 (the API in its JSON shape, see `portal.views`) and
creates nothing, and an Idempotency-Key is not used up by it. A Content-Length above
settings.REQUEST_MAX_BYTES is answered 413 before any byte is read."""

from io import IOBase

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class IncompleteBody(MultiPartParserError):
    """The body ended before its Content-Length (the client aborted or the connection broke)."""


class _CompleteStream(IOBase):
    """Reads like the stream it wraps; raises IncompleteBody at an end before `expected` bytes."""

    def __init__(self, stream, expected: int):
        self._stream = stream
        self.expected = expected
        self.received = 0

    def _check(self, data: bytes, size) -> bytes:
        self.received += len(data)
        if not data and size != 0 and self.received < self.expected:
            raise IncompleteBody(
                f"request body ended after {self.received} of {self.expected} bytes"
            )
        return data

    def read(self, size=-1, /):
        try:
            data = self._stream.read(size)
        except OSError as exc:  # a broken connection: the same as an early end
            raise IncompleteBody(str(exc)) from exc
        if (size is None or size < 0) and self.received + len(data) < self.expected:
            self.received += len(data)
            raise IncompleteBody(
                f"request body ended after {self.received} of {self.expected} bytes"
            )
        return self._check(data, size)

    def readline(self, size=-1, /):
        try:
            data = self._stream.readline(size)
        except OSError as exc:
            raise IncompleteBody(str(exc)) from exc
        return self._check(data, size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, message: str):
    """An error before any view ran: the API's JSON shape under /api/, a Chinese page elsewhere."""
    if is_api(request):
        response = JsonResponse({"detail": message, "errors": {}}, status=status)
    else:
        response = render(request, "400.html", {"message": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_body_message(exc: Exception | None) -> str:
    if isinstance(exc, IncompleteBody):
        return _("请求内容不完整（上传中断），未作任何处理，请重新提交。")
    if isinstance(exc, RequestDataTooBig):
        return fields_too_large_message()
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return _("提交的字段或文件过多。")
    return _("提交的数据格式有误（multipart 请求体无法解析），请检查后重新提交。")


def bad_body_status(exc: Exception | None) -> int:
    """413 for form fields or a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE, 400 for the rest."""
    return 413 if isinstance(exc, RequestDataTooBig) else 400


def fields_too_large_message() -> str:
    """Form fields or a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE (files are counted apart)."""
    return _("提交的表单字段或 JSON 内容过大（上限 %(kb)d KB，上传的文件不计在内）。") % {
        "kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024,
    }


def too_large_message() -> str:
    return _("提交的内容过大（上限 %(mb)d MB，单个文件不超过 %(file)d MB）。") % {
        "mb": settings.REQUEST_MAX_BYTES // 1024 // 1024,
        "file": settings.UPLOAD_MAX_FILE_BYTES // 1024 // 1024,
    }


class RequestBodyMiddleware:
    """First in the stack, before anything reads the body (CSRF reads request.POST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.REQUEST_MAX_BYTES:
                return error_response(request, 413, too_large_message())
            stream = getattr(request, "_stream", None)
            if length > 0 and stream is not None:
                request._stream = _CompleteStream(stream, length)
        return self.get_response(request)
