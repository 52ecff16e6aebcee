"""政府信息公开工作年度报告 pages. Imported by disclosure/models.py so Django sees the models.

`AnnualReportIndexPage` (/xxgk/ndbg/) lists the published reports by year and organisation.
`AnnualReportPage` is one report: the figures computed from the records are frozen in `figures`
(written only by `disclosure.annual_report.actions.annual_report_generate`, never through the edit form); the
figures only staff know (行政处罚/强制, 收费, 复议/诉讼, optionally 行政许可) are fields; the narrative
sections are rich text. One report per (year, organisation)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal.blocks import RICH_TEXT_FEATURES
from portal.editorial.forms import PortalPageForm
from portal.editorial.prepublish import PrePublishCheckedMixin
from portal.editorial.sections import OrganisationPageMixin
from portal.pages import SelectorContextMixin


class AnnualReportIndexPage(SelectorContextMixin, Page):
    """政府信息公开工作年度报告: the published reports, newest year first."""

    context_selector = "disclosure.annual_report.selectors.annual_report_index_context"

    intro = models.CharField(_("导语"), max_length=300, blank=True)

    base_form_class = PortalPageForm  # slugs from Chinese titles
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = ["disclosure.AnnualReportPage"]

    class Meta:
        verbose_name = _("政府信息公开工作年度报告栏目")
        verbose_name_plural = _("政府信息公开工作年度报告栏目")


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class AnnualReportPage(
    SelectorContextMixin, OrganisationPageMixin, PrePublishCheckedMixin, RoutablePageMixin, Page
):
    context_selector = "disclosure.annual_report.selectors.annual_report_context"
    base_form_class = PortalPageForm  # slugs from Chinese titles

    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("报告机构"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    overview = RichTextField(_("一、总体情况"), blank=True, features=RICH_TEXT_FEATURES)
    problems = RichTextField(
        _("五、存在的主要问题及改进情况"), blank=True, features=RICH_TEXT_FEATURES
    )
    other_matters = RichTextField(
        _("六、其他需要报告的事项"), blank=True, features=RICH_TEXT_FEATURES
    )
    # Frozen by the generator: see disclosure/annual_report/figures.py for the structure.
    figures = models.JSONField(_("统计数据快照"), default=dict, blank=True, editable=False)
    generated_at = models.DateTimeField(_("数据生成时间"), null=True, blank=True, editable=False)

    # Entered by staff (table 二).
    licence_decisions = models.PositiveIntegerField(
        _("行政许可本年处理决定数量（人工填报）"),
        null=True,
        blank=True,
        help_text=_("留空则采用系统统计数（行政许可类事项本年办结的办件数）。"),
    )
    penalty_decisions = _count(_("行政处罚本年处理决定数量"))
    enforcement_decisions = _count(_("行政强制本年处理决定数量"))
    fee_amount = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=12,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # Entered by staff (table 四); each group's 总计 is computed.
    review_upheld = _count(_("行政复议：结果维持"))
    review_corrected = _count(_("行政复议：结果纠正"))
    review_other = _count(_("行政复议：其他结果"))
    review_pending = _count(_("行政复议：尚未审结"))
    litigation_direct_upheld = _count(_("未经复议直接起诉：结果维持"))
    litigation_direct_corrected = _count(_("未经复议直接起诉：结果纠正"))
    litigation_direct_other = _count(_("未经复议直接起诉：其他结果"))
    litigation_direct_pending = _count(_("未经复议直接起诉：尚未审结"))
    litigation_after_review_upheld = _count(_("复议后起诉：结果维持"))
    litigation_after_review_corrected = _count(_("复议后起诉：结果纠正"))
    litigation_after_review_other = _count(_("复议后起诉：其他结果"))
    litigation_after_review_pending = _count(_("复议后起诉：尚未审结"))

    content_panels = Page.content_panels + [
        FieldRowPanel(
            [FieldPanel("year", read_only=True), FieldPanel("organisation", read_only=True)]
        ),
        HelpPanel(
            _(
                "表二中规章、规范性文件的件数和表三的全部数字由“报表 › 政府信息公开年度报告”"
                "根据公开目录和依申请公开记录生成，不能在此修改；需要更新时请重新生成草稿。"
            )
        ),
        FieldPanel("overview"),
        MultiFieldPanel(
            [
                FieldPanel("licence_decisions"),
                FieldRowPanel(
                    [FieldPanel("penalty_decisions"), FieldPanel("enforcement_decisions")]
                ),
                FieldPanel("fee_amount"),
            ],
            heading=_("二、主动公开政府信息情况（人工填报部分）"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel(f"{prefix}_{name}")
                        for name in ("upheld", "corrected", "other", "pending")
                    ]
                )
                for prefix in ("review", "litigation_direct", "litigation_after_review")
            ],
            heading=_("四、政府信息公开行政复议、行政诉讼情况（总计自动计算）"),
            help_text=_(
                "填报以本机关为被申请人或被告的案件（含所属单位的申请引起的），不含下级行政机关"
                "的案件：下级行政机关在其本机关年度报告中填报。"
            ),
        ),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    ]
    parent_page_types = ["disclosure.AnnualReportIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation"], name="unique_annual_report_per_org_year"
            )
        ]

    def clean(self):
        from ..models import sanitise_rich_text
        from .figures import table3_errors

        super().clean()
        for name in ("overview", "problems", "other_matters"):
            setattr(self, name, sanitise_rich_text(getattr(self, name)))
        if self.year and self.organisation_id:
            duplicate = AnnualReportPage.objects.filter(
                year=self.year, organisation_id=self.organisation_id
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    _("%(org)s%(year)d年的年度报告已经存在，每个机构每年只能有一份年度报告。")
                    % {"org": self.organisation.name, "year": self.year}
                )
        if not self.figures:
            raise ValidationError(
                _("年度报告须通过“报表 › 政府信息公开年度报告”生成统计数据，不能直接新建。")
            )
        if self.figures.get("scope") == "consolidated":
            raise ValidationError(
                _("汇总统计不是法定年度报告，不能作为年度报告保存或发布，请重新生成本机关的数据。")
            )
        errors = table3_errors(self.figures)
        if errors:
            raise ValidationError(errors)

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    def _download(self, content: bytes, extension: str, content_type: str) -> HttpResponse:
        from .tables import download_filename

        if not self.live:
            raise Http404
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, download_filename(self, extension)
        )
        return response

    @path("xlsx/", name="xlsx")
    def xlsx(self, request):
        from .tables import report_xlsx

        return self._download(
            report_xlsx(self),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @path("csv/", name="csv")
    def csv(self, request):
        from .tables import report_csv

        return self._download(report_csv(self), "csv", "text/csv; charset=utf-8")
