"""办事服务 pages. This is the core of the service guide that the case machinery relies on
(code, organisation, limits, materials, the guide's own form fields); the full GB/T 39554 element
set is built on top of it."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index


class ServiceGuidePage(Page):
    """办事指南: one service item (事项)."""

    code = models.CharField(
        _("事项编码"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z\-]{4,40}$", _("事项编码应为4至40位字母、数字或连字符。"))
        ],
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("实施主体"),
        on_delete=models.PROTECT,
        related_name="service_guides",
    )
    statutory_limit_days = models.PositiveSmallIntegerField(
        _("法定办结时限（工作日）"), validators=[MinValueValidator(0)]
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("承诺办结时限（工作日）"), validators=[MinValueValidator(0)]
    )
    online_application_open = models.BooleanField(_("开放网上申请"), default=False)
    consult_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.FilterField("online_application_open"),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("organisation")], heading=_("基本信息")),
        MultiFieldPanel(
            [FieldPanel("statutory_limit_days"), FieldPanel("promised_limit_days")],
            heading=_("办结时限"),
        ),
        InlinePanel("materials", label=_("申请材料")),
        MultiFieldPanel(
            [
                FieldPanel("online_application_open"),
                InlinePanel("form_fields", label=_("申请表单字段")),
            ],
            heading=_("网上办理"),
        ),
        MultiFieldPanel(
            [FieldPanel("consult_phone"), FieldPanel("complaint_phone")], heading=_("咨询与监督")
        ),
    ]

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def clean(self):
        super().clean()
        if (
            self.promised_limit_days is not None
            and self.statutory_limit_days is not None
            and self.promised_limit_days > self.statutory_limit_days
        ):
            raise ValidationError({"promised_limit_days": _("承诺办结时限不能超过法定办结时限。")})


class MaterialKind(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "original_and_copy", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子材料")


class ServiceMaterial(Orderable):
    """申请材料: one required or optional material of a guide; online, one upload each."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    code = models.SlugField(
        _("材料编码"), max_length=40, help_text=_("在表单和接口中使用，如 id_card。")
    )
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必需"), default=True)
    kind = models.CharField(
        _("材料形式"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("required"),
        FieldPanel("kind"),
        FieldPanel("copies"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("申请材料")
        constraints = [
            models.UniqueConstraint(fields=["page", "code"], name="unique_material_code_per_guide")
        ]

    def __str__(self) -> str:
        return self.name


class FormFieldType(models.TextChoices):
    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    DATE = "date", _("日期")
    NUMBER = "number", _("数字")
    CHOICE = "choice", _("单选")
    BOOLEAN = "boolean", _("是/否")


class GuideFormField(Orderable):
    """A field of the guide's own online form (besides the applicant's identity and the materials)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("字段键"), max_length=40)
    label = models.CharField(_("字段名称"), max_length=100)
    field_type = models.CharField(
        _("类型"), max_length=16, choices=FormFieldType.choices, default=FormFieldType.TEXT
    )
    required = models.BooleanField(_("必填"), default=True)
    choices = models.CharField(
        _("选项"), max_length=500, blank=True, help_text=_("单选的选项，用“|”分隔。")
    )
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    max_length = models.PositiveSmallIntegerField(_("最大长度"), default=200)

    panels = [
        FieldPanel("key"),
        FieldPanel("label"),
        FieldPanel("field_type"),
        FieldPanel("required"),
        FieldPanel("choices"),
        FieldPanel("help_text"),
        FieldPanel("max_length"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("表单字段")
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="unique_form_field_key_per_guide")
        ]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]
