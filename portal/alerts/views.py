"""订阅 (/dy/): the subscribe form, the confirmation link and the one-click unsubscribe.

Every answer is no-store. The confirmation and the unsubscribe links open a page with one button
(a mail scanner that fetches links confirms or cancels nothing); the unsubscribe URL also takes the
RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) without a CSRF token — the signed token in
the URL is the authority, and a forged POST without it does nothing."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.errors import PortalError
from portal.http import no_store
from portal.security import ratelimit

from . import actions
from .models import Frequency
from .sources import AlertSourceError, get_source

FORM_FIELDS = ("email", "frequency", "csrfmiddlewaretoken", "source")


def _params(data) -> dict:
    return {k: v for k, v in data.items() if k not in FORM_FIELDS}


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET ?source=<xxgk|search|page>&<its filters> → the form; POST → a pending subscription and
    its confirmation mail (the same answer whether or not the address already subscribes)."""
    data = request.POST if request.method == "POST" else request.GET
    source_name = data.get("source", "")
    context = {
        "source": source_name,
        "frequencies": Frequency.choices,
        "frequency": data.get("frequency") or Frequency.DAILY,
        "email": data.get("email", "") if request.method == "POST" else "",
        "error": None,
        "field_errors": {},
    }
    try:
        source = get_source(source_name)
        params, description = source.clean(_params(data))
    except AlertSourceError as exc:
        context["error"] = exc.message
        return no_store(render(request, "portal/alerts/subscribe.html", context, status=404))
    context.update({"params": params, "description": description, "follow_url": source.url(params)})
    if request.method == "POST":
        try:
            actions.subscription_request(
                email=data.get("email", ""),
                source=source_name,
                data=_params(data),
                frequency=data.get("frequency", ""),
                client=ratelimit.client_ip(request),
            )
        except PortalError as exc:
            context["error"] = exc.message
            context["field_errors"] = exc.errors
            response = render(request, "portal/alerts/subscribe.html", context, status=exc.status)
            if exc.status == 429:
                response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
            return no_store(response)
        return no_store(render(request, "portal/alerts/requested.html", context))
    return no_store(render(request, "portal/alerts/subscribe.html", context))


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    if request.method == "GET":
        return no_store(render(request, "portal/alerts/confirm.html", {"token": token}))
    sub = actions.subscription_confirm(token=token)
    if sub is None:
        context = {"error": _("确认链接无效、已过期或已使用。如需订阅，请重新申请。")}
        return no_store(render(request, "portal/alerts/confirm.html", context, status=404))
    return no_store(render(request, "portal/alerts/confirmed.html", {"subscription": sub}))


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a token; the URL's token decides
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        sub = actions.subscription_from_unsubscribe_token(token)
        return no_store(
            render(request, "portal/alerts/unsubscribe.html", {"token": token, "subscription": sub})
        )
    actions.subscription_cancel(token=token)
    # The same answer for a subscription just deleted and one already gone: unsubscribing twice
    # is not an error (a mail client may retry).
    return no_store(render(request, "portal/alerts/unsubscribed.html", {}))
