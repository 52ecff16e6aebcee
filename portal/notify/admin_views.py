"""报表 › 未送达通知: the notices that could not be delivered, for their organisation's staff.

A superuser sees every notice; a staff member those of their organisation's subtree (the scope is
applied to the queryset: a notice outside it answers 404, also to 重发). The recipient is shown
masked; 重发 is a POST, logged in the audit log (portal.notice.resend)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from portal.organisations import user_organisation

from .actions import NoticeNotResendable, notice_resend
from .selectors import can_see_notices, notice_scope, scoped_notice, undelivered_notices

PER_PAGE = 50
SHOW_CHOICES = (
    ("failed", gettext_lazy("发送失败")),
    ("retrying", gettext_lazy("重试中")),
    ("all", gettext_lazy("全部未送达")),
)


class UndeliveredNoticesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_notices(request.user)


@require_http_methods(["GET", "HEAD"])
def notice_list(request):
    scope = notice_scope(request.user)
    show = request.GET.get("show") or "failed"
    if show not in dict(SHOW_CHOICES):
        show = "failed"
    paginator = Paginator(undelivered_notices(organisation_ids=scope, show=show), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "portal/notices/undelivered_list.html",
        {
            "page_obj": page,
            "notices": page.object_list,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "organisation": user_organisation(request.user),
        },
    )


@require_POST
def notice_resend_view(request, pk: int):
    scope = notice_scope(request.user)
    notice = scoped_notice(organisation_ids=scope, pk=pk)
    if notice is None:
        raise Http404(_("没有这条通知。"))
    try:
        notice = notice_resend(notice=notice, user=request.user)
    except NoticeNotResendable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已重新发送通知（%(channel)s → %(recipient)s）。")
            % {"channel": notice.get_channel_display(), "recipient": notice.masked_recipient},
        )
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "portal_undelivered_notices")
