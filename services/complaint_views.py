"""Public pages of 监督投诉: the form (/hdjl/ts/) and the published replies (/hdjl/dfgk/)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import ratelimit
from portal.cases import CaseValidationError

from .complaint_actions import COMPLAINT_SUBMIT_LIMIT, complaint_submit
from .complaint_forms import ComplaintForm
from .complaint_selectors import published_replies, published_reply_entries

REPLIES_PER_PAGE = 10


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    """我要投诉. On success the confirmation shows the case number and the query code once; the
    answer is never cached (no-store)."""
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        client = ratelimit.client_ip(request)
        if ratelimit.is_limited(COMPLAINT_SUBMIT_LIMIT, client):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请一小时后再试，或拨打监督投诉电话。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                complaint, query_code = complaint_submit(
                    subject=data["subject"],
                    content=data["content"],
                    complainant_name=data["complainant_name"],
                    complainant_phone=data["complainant_phone"],
                    complainant_email=data["complainant_email"],
                    organisation=data["organisation"],
                    service_item=data["service_item"],
                    category=data["category"],
                    publish_consent=data["publish_consent"],
                )
            except CaseValidationError as exc:
                for field, messages in exc.errors.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
            else:
                ratelimit.hit(COMPLAINT_SUBMIT_LIMIT, client)
                return render(
                    request,
                    "services/complaints/submitted.html",
                    {"complaint": complaint, "query_code": query_code},
                )
    else:
        form = ComplaintForm()
    return render(
        request,
        "services/complaints/form.html",
        {
            "form": form,
            "error_summary": form.error_summary() if form.is_bound else [],
            "handling_days": settings.COMPLAINT_HANDLING_DAYS,
        },
    )


@require_http_methods(["GET", "HEAD"])
def complaint_replies(request):
    """答复公开: replies the complainants agreed to publish, newest first, personal data removed."""
    paginator = Paginator(published_replies(), REPLIES_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "services/complaints/replies.html",
        {
            "page_obj": page_obj,
            "entries": published_reply_entries(page_obj.object_list),
            "paginator": paginator,
        },
    )
