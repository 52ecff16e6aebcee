"""Writes for the annual report: generating or refreshing the DRAFT of an `AnnualReportPage`.
Never publishes: publishing is the normal Wagtail publish (and its workflow)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.publish_page_revision import PublishPageRevisionAction

from portal.editorial.sections import Area, section_for
from portal.organisations import Organisation, reporting_organ, subtree_ids
from portal.pages import unique_child_slug

from .figures import annual_report_figures, check_table3
from .models import AnnualReportIndexPage, AnnualReportPage


class AnnualReportError(Exception):
    """A report cannot be generated; the message says why, in Chinese."""


def report_title(*, year: int, organisation: Organisation) -> str:
    return _("%(organisation)s%(year)d年政府信息公开工作年度报告") % {
        "organisation": organisation.name,
        "year": year,
    }


def visible_organisations(user):
    """The organisations `user` may report on: superusers all, staff their subtree."""
    if user.is_superuser:
        return Organisation.objects.all()
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=subtree_ids(profile.organisation))


def annual_report_check_access(*, user, organisation: Organisation, page=None, index=None):
    """Raise PermissionDenied unless `user` may generate this organisation's report: the
    organisation is in the user's subtree (superusers: any) and Wagtail's page permissions allow
    editing the existing report (or adding one below the index)."""
    if (
        not user.is_superuser
        and not visible_organisations(user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied(_("您只能为本机构及下属机构生成年度报告。"))
    if page is not None and not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(_("您没有编辑这份年度报告的权限。"))
    if (
        page is None
        and index is not None
        and not index.permissions_for_user(user).can_add_subpage()
    ):
        raise PermissionDenied(_("您没有新建年度报告的权限。"))


REPORT_INDEX_SLUG = "ndbg"


def report_index_for(organisation: Organisation, *, user=None) -> AnnualReportIndexPage:
    """The 年度报告 column of `organisation`'s own disclosure section (a district's report lives
    under /xxgk/<district>/ndbg/, the bureau's under /xxgk/ndbg/), created in that section the
    first time one of its reports is generated. Call inside the generating transaction."""
    section = section_for(organisation, Area.DISCLOSURE)
    if section is None:
        index = AnnualReportIndexPage.objects.order_by("depth", "path").first()
        if index is None:
            raise AnnualReportError(
                _("尚未建立“政府信息公开工作年度报告”栏目，请先在公开目录下新建。")
            )
        return index
    index = AnnualReportIndexPage.objects.child_of(section.page).order_by("path").first()
    if index is not None:
        return index
    parent = section.page.specific
    if user is not None and not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied(_("您没有新建年度报告的权限。"))
    index = AnnualReportIndexPage(
        title=_("政府信息公开工作年度报告"),
        slug=unique_child_slug(parent, REPORT_INDEX_SLUG),
        intro=_("%(organisation)s历年政府信息公开工作年度报告。")
        % {"organisation": section.organisation.name},
    )
    parent.add_child(instance=index)
    # An empty listing column, not content: it goes live at once (no review; the editor holds no
    # publish right, so the permission check is skipped, but the log names them).
    revision = index.save_revision(user=user, log_action=True)
    PublishPageRevisionAction(revision, user=user).execute(skip_permission_checks=True)
    return index


FIRST_REPORT_YEAR = 2008  # the 2007 条例 took effect on 1 May 2008


def check_report_year(year: int) -> None:
    """A report is of a finished year: from 2008 to last year. The running year is refused (its
    figures change every day); `annual_report_preview` shows them, marked as unofficial."""
    last = timezone.localdate().year - 1
    if year > last:
        raise AnnualReportError(
            _(
                "%(year)d年度尚未结束，年度报告须在该年度结束后生成（可生成%(first)d年至"
                "%(last)d年的报告；本年度可“预览”截至今日的非正式统计）。"
            )
            % {"year": year, "first": FIRST_REPORT_YEAR, "last": last}
        )
    if year < FIRST_REPORT_YEAR:
        raise AnnualReportError(
            _("报告年度应在%(first)d年至%(last)d年之间。")
            % {"first": FIRST_REPORT_YEAR, "last": last}
        )


def check_reporting_organ(organisation: Organisation) -> None:
    """Only a 行政机关 publishes a statutory report; a unit's requests are in its organ's."""
    if organisation.is_reporting_organ:
        return
    organ = reporting_organ(organisation)
    raise AnnualReportError(
        _("%(unit)s是所属单位，不单独编制政府信息公开年度报告，其数据计入%(organ)s的年度报告。")
        % {"unit": organisation.name, "organ": organ.name if organ else _("上级行政机关")}
    )


def annual_report_generate(
    *, year: int, organisation: Organisation, user=None
) -> tuple[AnnualReportPage, bool]:
    """Compute the figures of `organisation`'s report for `year` and write them into a new draft
    revision (creating the page as a draft under /xxgk/ndbg/ if it does not exist yet). Returns
    (page with the draft's content, created). The draft lives in the organisation's own section
    (`report_index_for`). `user` None skips the access check (demo loader and management use
    only); views always pass the user. Refuses with AnnualReportError if the year
    is not over yet (the running year has only `annual_report_preview`) or before 2008, or
    AnnualReportInconsistent if table 三 does not balance."""
    check_report_year(year)
    check_reporting_organ(organisation)
    with transaction.atomic():
        # One generation at a time per organisation: the unique constraint is the backstop.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        existing = AnnualReportPage.objects.filter(year=year, organisation=organisation).first()
        if user is not None and existing is not None:
            annual_report_check_access(user=user, organisation=organisation, page=existing)
        if user is not None and existing is None:
            annual_report_check_access(user=user, organisation=organisation)
        index = None if existing is not None else report_index_for(organisation, user=user)
        if user is not None and existing is None:
            annual_report_check_access(user=user, organisation=organisation, index=index)
        figures = annual_report_figures(year=year, organisation=organisation)
        check_table3(figures)
        now = timezone.now()
        if existing is not None:
            page = existing.get_latest_revision_as_object()
            page.figures = figures
            page.generated_at = now
            page.save_revision(user=user, log_action=True)
            return page, False
        page = AnnualReportPage(
            title=report_title(year=year, organisation=organisation),
            slug=f"{year}-{organisation.code}".lower(),
            year=year,
            organisation=organisation,
            figures=figures,
            generated_at=now,
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        return page, True
