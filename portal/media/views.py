"""Serving Wagtail documents and protected image files after the checks in privacy.py."""

import os

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag, require_http_methods
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.images import get_image_model
from wagtail.utils import sendfile_streaming_backend
from wagtail.utils.sendfile import sendfile

from portal.http import no_store

from . import sendfile_nginx
from .privacy import PUBLIC, document_visibility, image_visible
from .storage import is_protected_name


def _send(request, path: str, **options):
    if not settings.MEDIA_X_ACCEL:
        response = sendfile(request, path, backend=sendfile_streaming_backend.sendfile, **options)
    else:
        response = sendfile(request, path, backend=sendfile_nginx.sendfile, **options)
        del response["Content-Length"]  # the body is empty; nginx sends the file and its length
    if response.get("Content-Encoding") in ("None", ""):
        del response["Content-Encoding"]  # wagtail.utils.sendfile writes a guessed None
    return response


@require_http_methods(["GET", "HEAD"])
def serve_document(request, document_id: int, document_filename: str):
    """/documents/<id>/<name>: Wagtail's URL, our rules. A document nobody may see here does not
    exist (404, the same as an unknown id); a public one may be kept by a shared cache but is
    revalidated each time (ETag), so an unpublish takes effect at once; a permitted one is never
    stored."""
    document = get_object_or_404(
        get_document_model().objects.select_related("collection"), id=document_id
    )
    if document.filename != document_filename:
        raise Http404
    visibility = document_visibility(document, request)
    if visibility is None:
        raise Http404
    document_served.send(sender=type(document), instance=document, request=request)

    @etag(lambda _request: getattr(document, "file_hash", None) or None)
    def send(request):
        try:
            path = document.file.path
        except (NotImplementedError, ValueError):
            raise Http404 from None
        return _send(
            request,
            path,
            attachment=document.content_disposition != "inline",
            attachment_filename=document.filename,
            mimetype=document.content_type,
        )

    response = send(request)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    if visibility == PUBLIC:
        patch_cache_control(response, public=True, no_cache=True)
        return response
    return no_store(response)


@require_http_methods(["GET", "HEAD"])
def protected_media(request, name: str):
    """The URL of an image file of a private collection (original or rendition): served to whom
    the collection's restrictions admit and to staff who may use the image; 404 for everyone
    else. Never cached."""
    if not is_protected_name(name):
        raise Http404
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    rendition = Rendition.objects.select_related("image__collection").filter(file=name).first()
    image = (
        rendition.image
        if rendition
        else Image.objects.select_related("collection").filter(file=name).first()
    )
    if image is None or not image_visible(image, request):
        raise Http404
    file = rendition.file if rendition else image.file
    if not os.path.exists(file.path):
        raise Http404
    response = _send(request, file.path)
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)
