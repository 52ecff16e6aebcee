from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .context_processors import ELDER_COOKIE


@require_POST
def elder_mode_toggle(request):
    """Switch the elder-friendly mode (适老化: larger text, high contrast) on or off. Works without
    JavaScript; the choice lives in a cookie for a year."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(ELDER_COOKIE)
    return response


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    return render(request, "404.html", {"message": _("您访问的页面不存在或已被移除。")}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def api_not_found(request, path=""):
    """Unknown paths under /api/ answer in the API's own error shape, not with an HTML page."""
    return JsonResponse({"detail": _("未找到该接口。"), "errors": {}}, status=404)
