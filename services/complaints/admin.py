"""Staff report in the Wagtail admin (报表 → 投诉与差评统计): complaints and 差评 follow-ups per
organisation. Staff see their own organisation's subtree; superusers see every organisation."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from portal.organisations import subtree_ids

from .selectors import complaint_counts_by_organisation


def visible_organisation_ids(user) -> set[int] | None:
    """None (all) for superusers; the subtree of the staff member's organisation otherwise."""
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)
    return subtree_ids(profile.organisation) if profile else set()


def complaint_report(request):
    from django.shortcuts import render

    this_year = timezone.localdate().year
    raw_year = request.GET.get("year", "")
    year, error = None, ""
    if raw_year == "":
        year = this_year
    elif raw_year != "all":
        try:
            year = int(raw_year)
            if not 2000 <= year <= this_year + 1:
                raise ValueError
        except ValueError:
            year, error = (
                this_year,
                _("年份应为2000年至%(y)d年之间的四位数字。") % {"y": this_year + 1},
            )
    rows = complaint_counts_by_organisation(
        year, organisation_ids=visible_organisation_ids(request.user)
    )
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("received", "replied", "overdue", "follow_ups_open", "follow_ups_done")
    }
    return render(
        request,
        "services/complaints/admin_report.html",
        {
            "rows": rows,
            "totals": totals,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "error": error,
            "page_title": _("投诉与差评统计"),
        },
    )


def admin_urls():
    return [path("reports/complaints/", complaint_report, name="complaint_report")]


def reports_menu_item():
    return MenuItem(
        gettext_lazy("投诉与差评统计"),
        reverse("complaint_report"),
        name="complaint-report",
        icon_name="warning",
        order=950,
    )
