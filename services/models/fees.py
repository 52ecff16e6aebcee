"""收费标准: fee standard pages and their fee items; guides link to the items they charge."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from portal.editorial.forms import OrganisationPageForm
from portal.editorial.sections import OrganisationPageMixin
from portal.pages import SelectorContextMixin


class FeeType(models.TextChoices):
    GOVERNMENT_PRICED = "government_priced", _("政府定价")
    GOVERNMENT_GUIDED = "government_guided", _("政府指导价")


class FeeStandardPage(SelectorContextMixin, OrganisationPageMixin, Page):
    """收费标准: a table of fee items (e.g. 殡葬服务收费); guides link to the items they charge."""

    context_selector = "services.selectors.fee_standard_context"

    base_form_class = OrganisationPageForm

    intro = models.CharField(_("说明"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("收费单位"),
        on_delete=models.PROTECT,
        related_name="fee_standards",
    )
    complaint_phone = models.CharField(_("价格举报电话"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("organisation"),
        FieldPanel("complaint_phone"),
        InlinePanel("items", label=_("收费项目"), min_num=1),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")


class FeeItem(Orderable):
    """One fee item: name, unit, amount in yuan (a decimal), price type, basis and approval."""

    page = ParentalKey(FeeStandardPage, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("项目编码"), max_length=40)
    name = models.CharField(_("收费项目"), max_length=100)
    unit = models.CharField(_("计费单位"), max_length=30, help_text=_("如 具、次、年。"))
    amount = models.DecimalField(
        _("收费标准（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fee_type = models.CharField(
        _("价格类型"),
        max_length=20,
        choices=FeeType.choices,
        default=FeeType.GOVERNMENT_PRICED,
    )
    legal_basis = models.CharField(_("收费依据"), max_length=300)
    approval_number = models.CharField(
        _("物价批准文号"), max_length=100, help_text=_("如 沪价费〔2015〕12号。")
    )
    effective_date = models.DateField(_("执行日期"))
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldPanel("amount"),
        FieldPanel("fee_type"),
        FieldPanel("legal_basis"),
        FieldPanel("approval_number"),
        FieldPanel("effective_date"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("收费项目")
        constraints = [
            models.UniqueConstraint(fields=["page", "code"], name="unique_fee_item_code_per_page"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="fee_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """e.g. 遗体接运费 300.00元/具（政府指导价：最高限价）."""
        text = _("%(name)s %(amount)s元/%(unit)s") % {
            "name": self.name,
            "amount": self.amount,
            "unit": self.unit,
        }
        if self.fee_type == FeeType.GOVERNMENT_GUIDED:
            text += str(_("（政府指导价）"))
        return text
