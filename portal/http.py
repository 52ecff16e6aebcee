"""HTTP helpers shared by views and the API."""

from urllib.parse import quote

from django.http import FileResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


def no_store(response):
    """Never kept by a browser or a shared cache: every answer that shows case data, a query code
    or a form bound to one browser."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """`Content-Disposition` with an ASCII `filename` fallback and the exact name as RFC 5987
    `filename*` (UTF-8, percent-encoded), so Chinese names survive and nothing in the name can
    break out of the header."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = "".join(ch for ch in stem if 32 <= ord(ch) < 127 and ch not in '"\\;%/')
    ascii_stem = ascii_stem.strip(" -_.") or "file"
    ascii_name = f"{ascii_stem}.{extension}" if extension.isascii() and extension else ascii_stem
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def private_download(handle, *, filename: str, content_type: str):
    """A private file (a case file, a reply file) as an attachment: named and typed by us, never
    sniffed by the browser, never stored by a cache, sandboxed if opened anyway."""
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return no_store(response)


def absolute_page_url(page, request) -> str:
    """A page's absolute URL on the host the request came to (https behind the proxy), not the
    Site record's hostname: `make run` serves 127.0.0.1:8000 while the demo Site says localhost,
    and a production site answering on its public name gets the same result either way."""
    return request.build_absolute_uri(page.get_url(request))
