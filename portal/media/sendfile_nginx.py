"""A sendfile backend for nginx (`wagtail.utils.sendfile` calls it with the file's path): Django
has checked who asks; nginx sends the bytes from an `internal` location (deploy/nginx/media.conf).
Used when MEDIA_X_ACCEL is on; otherwise Django streams the file itself."""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse


def internal_locations() -> list[tuple[Path, str]]:
    """(directory, internal URL prefix) pairs, most specific first."""
    return [
        (Path(settings.PROTECTED_MEDIA_ROOT).resolve(), settings.MEDIA_X_ACCEL_PROTECTED_URL),
        ((Path(settings.MEDIA_ROOT) / "documents").resolve(), settings.MEDIA_X_ACCEL_DOCUMENTS_URL),
    ]


def sendfile(request, filename, **kwargs):
    path = Path(filename).resolve()
    for root, prefix in internal_locations():
        if path.is_relative_to(root):
            response = HttpResponse()
            response["X-Accel-Redirect"] = prefix + quote(path.relative_to(root).as_posix())
            return response
    raise ValueError(f"{path} is under no internal nginx location")
