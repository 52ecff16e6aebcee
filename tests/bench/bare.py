"""A bare Django view, the yardstick of the web benchmark: the same Django and gunicorn, no
middleware, no database, one tiny HTML response (`gunicorn tests.bench.bare:application`)."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAGE = "<!DOCTYPE html><html lang='zh-CN'><title>阳光政务</title><p>你好</p></html>"


def bare(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", bare)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only-bare-django-view-" + "x" * 40,  # noqa: S106 - benchmark yardstick
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

application = get_wsgi_application()
