"""办事指南: the service guide (one per 事项, every GB/T 39554 element as a structured field) and the
办事服务 section index with its 表格下载 view.

The core of the guide (code, organisation, limits, `materials`, `form_fields`) is what the case
machinery relies on: extend it, never rename it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.editorial.forms import OrganisationPageForm, PortalPageForm
from portal.editorial.prepublish import PrePublishCheckedMixin
from portal.editorial.sections import Area, OrganisationPageMixin, SectionPageMixin
from portal.pages import SelectorContextMixin
from portal.search import SegmentedSearchMixin

SIMPLE_TEXT_FEATURES = ["bold", "ol", "ul", "link"]


class ServiceTopic(models.TextChoices):
    MARRIAGE = "marriage", _("婚姻登记")
    FUNERAL = "funeral", _("殡葬服务")
    ELDERLY = "elderly", _("养老服务")
    ASSISTANCE = "assistance", _("社会救助")
    SOCIAL_ORG = "social_org", _("社会组织")
    ADOPTION = "adoption", _("收养登记")
    DISABILITY = "disability", _("残疾人福利")
    CHILDREN = "children", _("儿童福利")
    OTHER = "other", _("其他")


class ItemType(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    BENEFIT = "benefit", _("行政给付")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    OTHER_POWER = "other_power", _("其他行政权力")


class CaseType(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class OnlineDepth(models.IntegerChoices):
    INFO = 1, _("一级：网上提供办事指南")
    FORMS = 2, _("二级：网上下载表格、预约")
    PRE_REVIEW = 3, _("三级：网上申请、预审")
    FULL = 4, _("四级：全程网上办理")


class ResultDelivery(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("邮寄送达")
    PICKUP_OR_POST = "pickup_or_post", _("窗口领取或邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    TRANSFER = "transfer", _("银行发放")


class ServiceIndexPage(SectionPageMixin, RoutablePageMixin, Page):
    """办事服务 (/bsfw/): guides filterable by topic, organisation, 事项类型 and online capability, with
    keyword search; `bgxz/` lists every downloadable form (表格下载)."""

    editorial_area = Area.SERVICES
    base_form_class = PortalPageForm  # slugs from Chinese titles

    intro = models.CharField(_("导语"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "services.ServiceIndexPage",
        "services.ServiceGuidePage",
        "services.FeeStandardPage",
        "services.ServiceCommitmentPage",
        "services.ServiceCentreIndexPage",
        "portal.StandardPage",
    ]

    class Meta:
        verbose_name = _("办事服务首页")

    @path("")
    def guide_list(self, request):
        from services.selectors import service_index_context

        return self.render(request, context_overrides=service_index_context(self, request.GET))

    @path("bgxz/", name="forms")
    def form_downloads(self, request):
        from services.selectors import form_download_rows

        return self.render(
            request,
            context_overrides={"rows": form_download_rows(self)},
            template="services/form_downloads.html",
        )


class ServiceGuidePage(
    SelectorContextMixin, OrganisationPageMixin, PrePublishCheckedMixin, SegmentedSearchMixin, Page
):
    """办事指南: one service item (事项), every GB/T 39554 element a structured field."""

    context_selector = "services.selectors.guide_detail_context"

    base_form_class = OrganisationPageForm

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

    summary = models.CharField(_("事项简介"), max_length=300, blank=True)
    topic = models.CharField(
        _("主题分类"), max_length=20, choices=ServiceTopic.choices, default=ServiceTopic.OTHER
    )
    item_type = models.CharField(
        _("事项类型"),
        max_length=20,
        choices=ItemType.choices,
        default=ItemType.PUBLIC_SERVICE,
    )
    acceptance_conditions = RichTextField(_("受理条件"), blank=True, features=SIMPLE_TEXT_FEATURES)
    case_type = models.CharField(
        _("办件类型"), max_length=10, choices=CaseType.choices, default=CaseType.PROMISED
    )
    visits_required = models.PositiveSmallIntegerField(
        _("到现场次数"), default=1, validators=[MaxValueValidator(10)]
    )
    online_depth = models.PositiveSmallIntegerField(
        _("网上办理深度"), choices=OnlineDepth.choices, default=OnlineDepth.INFO
    )
    is_free = models.BooleanField(_("不收费"), default=True)
    fee_items = ParentalManyToManyField(
        "services.FeeItem", verbose_name=_("收费项目"), blank=True, related_name="guides"
    )
    fee_note = models.CharField(_("收费说明"), max_length=300, blank=True)
    venue = models.CharField(
        _("办理地点"),
        max_length=300,
        blank=True,
        help_text=_("在社区事务受理中心以外办理时填写；受理中心在“受理中心”页面关联本事项。"),
    )
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    result_name = models.CharField(_("审批结果"), max_length=200, blank=True)
    result_delivery = models.CharField(
        _("结果送达方式"),
        max_length=20,
        choices=ResultDelivery.choices,
        default=ResultDelivery.PICKUP,
    )
    result_sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("审批结果样本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("summary"),
        index.SearchField("acceptance_conditions"),
        index.FilterField("online_application_open"),
        index.FilterField("topic"),
        index.FilterField("item_type"),
        SegmentedSearchMixin.segmented_field(),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("summary"),
                FieldPanel("topic"),
                FieldPanel("item_type"),
                FieldPanel("organisation"),
            ],
            heading=_("基本信息"),
        ),
        InlinePanel("legal_bases", label=_("设定依据")),
        FieldPanel("acceptance_conditions"),
        InlinePanel("materials", label=_("申请材料")),
        InlinePanel("steps", label=_("办理流程")),
        MultiFieldPanel(
            [
                FieldPanel("case_type"),
                FieldPanel("statutory_limit_days"),
                FieldPanel("promised_limit_days"),
                FieldPanel("visits_required"),
            ],
            heading=_("办结时限"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_free"), FieldPanel("fee_items"), FieldPanel("fee_note")],
            heading=_("收费"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("office_hours")], heading=_("办理地点和时间")
        ),
        MultiFieldPanel(
            [
                FieldPanel("online_depth"),
                FieldPanel("online_application_open"),
                InlinePanel("form_fields", label=_("申请表单字段")),
            ],
            heading=_("网上办理"),
        ),
        MultiFieldPanel(
            [FieldPanel("result_name"), FieldPanel("result_delivery"), FieldPanel("result_sample")],
            heading=_("审批结果"),
        ),
        MultiFieldPanel(
            [FieldPanel("consult_phone"), FieldPanel("complaint_phone")], heading=_("咨询与监督")
        ),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.promised_limit_days is not None
            and self.statutory_limit_days is not None
            and self.promised_limit_days > self.statutory_limit_days
        ):
            errors["promised_limit_days"] = _("承诺办结时限不能超过法定办结时限。")
        if self.case_type == CaseType.INSTANT and self.promised_limit_days:
            errors.setdefault("case_type", _("即办件应当场办结，承诺办结时限应为0个工作日。"))
        if self.online_depth == OnlineDepth.FULL and not self.online_application_open:
            errors["online_depth"] = _("全程网上办理的事项必须开放网上申请。")
        if self.visits_required == 0 and self.online_depth != OnlineDepth.FULL:
            errors["visits_required"] = _("到现场次数为0的事项，网上办理深度应为四级（全程网办）。")
        has_fees = bool(list(self.fee_items.all()))
        if self.is_free and has_fees:
            errors["fee_items"] = _("不收费的事项不能关联收费项目。")
        elif not self.is_free and not has_fees:
            errors["fee_items"] = _("收费事项请关联至少一个收费项目。")
        if errors:
            raise ValidationError(errors)

    @property
    def apply_url(self) -> str | None:
        """Where the online application form lives, when online application is open."""
        if not self.online_application_open:
            return None
        url = self.url
        return f"{url}apply/" if url else None

    def fee_summary(self) -> str:
        """“免费” or the linked fee items, from the prefetched relation (no query of its own)."""
        if self.is_free:
            return str(_("不收费"))
        return "；".join(item.label for item in self.fee_items.all())


class LegalBasis(Orderable):
    """设定依据: a law or regulation, the article, and its text."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="legal_bases")
    law_name = models.CharField(_("法律法规名称"), max_length=200)
    article = models.CharField(_("条款"), max_length=60, blank=True)
    text = models.TextField(_("条款内容"), blank=True)

    panels = [FieldPanel("law_name"), FieldPanel("article"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("设定依据")

    def __str__(self) -> str:
        return f"{self.law_name}{self.article}"


class ProcessStep(Orderable):
    """办理流程: one ordered step."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节名称"), max_length=60)
    description = models.CharField(_("办理内容"), max_length=500, blank=True)
    time_limit = models.CharField(_("时限"), max_length=60, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("time_limit")]

    class Meta(Orderable.Meta):
        verbose_name = _("办理环节")

    def __str__(self) -> str:
        return self.name


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
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("空白表格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("填写样本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("required"),
        FieldPanel("kind"),
        FieldPanel("copies"),
        FieldPanel("notes"),
        FieldPanel("blank_form"),
        FieldPanel("sample"),
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
    # Numbers: the range the server accepts (an income or a head count is never negative).
    min_value = models.DecimalField(
        _("最小值"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal(0),
        help_text=_("数字字段允许的最小值；留空表示不限。"),
    )
    max_value = models.DecimalField(
        _("最大值"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("数字字段允许的最大值；留空表示不限。"),
    )

    panels = [
        FieldPanel("key"),
        FieldPanel("label"),
        FieldPanel("field_type"),
        FieldPanel("required"),
        FieldPanel("choices"),
        FieldPanel("help_text"),
        FieldPanel("max_length"),
        FieldPanel("min_value"),
        FieldPanel("max_value"),
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
