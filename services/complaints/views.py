"""Public pages of 监督投诉: the form (/hdjl/ts/), the published replies (/hdjl/dfgk/) and each
published reply on its own (/hdjl/dfgk/<id>/, where the site search links)."""

import time

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.errors import PortalError, RateLimited
from portal.idempotency import new_form_token, run_once_per_form_token, valid_form_token
from portal.security import ratelimit
from portal.security.quotas import QuotaExceeded, quota_response, submission_quota

from .actions import COMPLAINT_SUBMIT_LIMIT, complaint_submit
from .forms import ComplaintForm
from .models import Complaint
from .selectors import published_replies, published_reply_entries

REPLIES_PER_PAGE = 10
# A resubmitted form (double click, back and resubmit) shows the query code again only this long.
CODE_REPLAY_SECONDS = 15 * 60


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    """我要投诉. On success the confirmation shows the case number and the query code; the answer
    is never cached (no-store). The form carries a one-time token (portal/idempotency.py
    run_once_per_form_token): a double click or a resubmission creates one complaint and shows
    the same confirmation — with the query code only within CODE_REPLAY_SECONDS of the
    submission."""
    token = request.POST.get("form_token", "") if request.method == "POST" else ""
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        client = ratelimit.client_ip(request)
        if form.is_valid():
            data = form.cleaned_data

            def create() -> tuple[int, dict]:
                if ratelimit.is_limited(COMPLAINT_SUBMIT_LIMIT, client):
                    raise RateLimited(_("提交过于频繁，请一小时后再试，或拨打监督投诉电话。"))
                submission_quota(client=client, applicant=data["complainant_phone"])
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
                ratelimit.hit(COMPLAINT_SUBMIT_LIMIT, client)
                return 201, {
                    "case_number": complaint.case_number,
                    "query_code": query_code,
                    "submitted_ts": time.time(),
                }

            try:
                _status, answer = run_once_per_form_token(
                    scope="web-complaint", token=token, fn=create
                )
            except QuotaExceeded as exc:
                return quota_response(request, exc)
            except PortalError as exc:
                if not exc.errors:
                    form.add_error(None, exc.message)
                for field, messages in exc.errors.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
            else:
                complaint = Complaint.objects.select_related("organisation").get(
                    case_number=answer["case_number"]
                )
                fresh = time.time() - answer.get("submitted_ts", 0) < CODE_REPLAY_SECONDS
                return render(
                    request,
                    "services/complaints/submitted.html",
                    {"complaint": complaint, "query_code": answer["query_code"] if fresh else ""},
                )
    else:
        form = ComplaintForm()
    return render(
        request,
        "services/complaints/form.html",
        {
            "form": form,
            "form_token": token if valid_form_token(token) else new_form_token(),
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


@require_http_methods(["GET", "HEAD"])
def complaint_reply(request, pk: int):
    """One published reply (the site search links here). Anything not published is not found,
    exactly as a number that does not exist."""
    complaint = published_replies().filter(pk=pk).first()
    if complaint is None:
        raise Http404(_("没有这条公开答复。"))
    (entry,) = published_reply_entries([complaint])
    return render(request, "services/complaints/reply.html", {"e": entry})
