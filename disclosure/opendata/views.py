"""/xxgk/sjxz/disclosures.csv and .jsonl: the last export, as files. Public and cacheable
(Cache-Control public with the site's max-ages: a new export bans them), with Last-Modified and an
ETag (the file's SHA-256), so a client or a harvester fetches them again only when they changed."""

from datetime import datetime

from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from portal.frontcache import policy
from portal.http import content_disposition

from . import selectors


@require_safe
def download(request, fmt: str):
    manifest = selectors.manifest()
    if manifest is None or fmt not in manifest["files"]:
        raise Http404
    entry = manifest["files"][fmt]
    etag = f'"{entry["sha256"]}"'
    modified = int(datetime.fromisoformat(manifest["generated_at"]).timestamp())
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers and since is not None and since >= modified
    ):
        response = HttpResponseNotModified()
    else:
        name, content_type = selectors.FORMATS[fmt]
        try:
            handle = selectors.storage().open(f"{selectors.FOLDER}/{name}", "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = content_disposition(name)
        response["Content-Length"] = str(entry["size"])
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    if policy.request_may_be_cached(request):
        max_age, s_maxage = policy.max_ages()
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    else:
        patch_cache_control(response, private=True, max_age=0)
    return response
