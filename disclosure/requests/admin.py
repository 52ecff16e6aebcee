"""Admin (报表 › 依申请公开答复核查): the replied requests of the user's organisations whose recorded
outcome breaks an outcome rule (`outcome_rule_audit`), for staff to review case by case. Read
only: nothing is changed or recounted. Case handlers only, scoped like the workbench."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from portal.cases.permissions import case_refusal
from portal.organisations import subtree_ids

from .selectors import outcome_rule_audit


def outcome_audit_view(request):
    refusal = case_refusal(request.user)
    if refusal is not None:
        return render(
            request,
            "disclosure/requests/admin_outcome_audit.html",
            {"page_title": _("依申请公开答复核查"), "refusal": refusal, "items": []},
            status=403,
        )
    profile = getattr(request.user, "staff_profile", None)
    # a superuser without an organisation sees everything
    scope = subtree_ids(profile.organisation) if profile is not None else None
    return render(
        request,
        "disclosure/requests/admin_outcome_audit.html",
        {
            "page_title": _("依申请公开答复核查"),
            "items": outcome_rule_audit(organisation_ids=scope),
        },
    )


def admin_urls():
    return [
        path(
            "reports/disclosure-outcome-audit/",
            outcome_audit_view,
            name="disclosure_outcome_audit",
        )
    ]


def reports_menu_item():
    return MenuItem(
        gettext_lazy("依申请公开答复核查"),
        reverse("disclosure_outcome_audit"),
        name="disclosure-outcome-audit",
        icon_name="warning",
        order=965,
    )
