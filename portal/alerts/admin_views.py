"""报表 › 邮件订阅: who follows what, the addresses masked (nobody in the admin needs them; the
sending side reads them from the row). For users with `portal.view_subscription` (superusers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from wagtail.admin.menu import MenuItem

from .models import Frequency, SubscriptionStatus
from .selectors import can_see_subscriptions, subscription_counts, subscription_list
from .sources import all_sources

PER_PAGE = 50


class SubscriptionsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_subscriptions(request.user)


@require_http_methods(["GET", "HEAD"])
def subscriptions(request):
    if not can_see_subscriptions(request.user):
        raise PermissionDenied
    sources = {s.name: s.label for s in all_sources()}
    source = request.GET.get("source") if request.GET.get("source") in sources else ""
    status = request.GET.get("status") if request.GET.get("status") in SubscriptionStatus else ""
    page = Paginator(subscription_list(source=source, status=status), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "portal/alerts/admin_list.html",
        {
            "page_obj": page,
            "subscriptions": page.object_list,
            "sources": sources,
            "source": source,
            "status": status,
            "statuses": SubscriptionStatus.choices,
            "counts": [
                {
                    "label": "{} · {} · {}".format(
                        sources.get(c["source"], c["source"]),
                        Frequency(c["frequency"]).label,
                        SubscriptionStatus(c["status"]).label,
                    ),
                    "n": c["n"],
                }
                for c in subscription_counts()
            ],
        },
    )
