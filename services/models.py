"""办事服务 pages: the service guide (办事指南, one per 事项, every GB/T 39554 element as a structured
field), the section index with its 表格下载 view, fee standards (收费标准), service commitments (服务承诺)
and the community affairs acceptance centres (社区事务受理中心).

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

from portal.editorial import OrganisationPageMixin
from portal.forms import OrganisationPageForm
from portal.prepublish import PrePublishCheckedMixin
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


class ServiceIndexPage(RoutablePageMixin, Page):
    """办事服务 (/bsfw/): guides filterable by topic, organisation, 事项类型 and online capability, with
    keyword search; `bgxz/` lists every downloadable form (表格下载)."""

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
        from .selectors import service_index_context

        return self.render(request, context_overrides=service_index_context(self, request.GET))

    @path("bgxz/", name="forms")
    def form_downloads(self, request):
        from .selectors import form_download_rows

        return self.render(
            request,
            context_overrides={"rows": form_download_rows(self)},
            template="services/form_downloads.html",
        )


class ServiceGuidePage(OrganisationPageMixin, PrePublishCheckedMixin, SegmentedSearchMixin, Page):
    """办事指南: one service item (事项), every GB/T 39554 element a structured field."""

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

    def get_context(self, request, *args, **kwargs):
        from .selectors import guide_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_detail_context(self))
        return context


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


class FeeType(models.TextChoices):
    GOVERNMENT_PRICED = "government_priced", _("政府定价")
    GOVERNMENT_GUIDED = "government_guided", _("政府指导价")


class FeeStandardPage(OrganisationPageMixin, Page):
    """收费标准: a table of fee items (e.g. 殡葬服务收费); guides link to the items they charge."""

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

    def get_context(self, request, *args, **kwargs):
        from .selectors import fee_standard_context

        context = super().get_context(request, *args, **kwargs)
        context.update(fee_standard_context(self))
        return context


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


class ServiceCommitmentPage(OrganisationPageMixin, Page):
    """服务承诺: structured pledges. A pledge about a service item carries its promised limit in
    working days, so it can be checked against real case durations."""

    base_form_class = OrganisationPageForm

    intro = RichTextField(_("说明"), blank=True, features=SIMPLE_TEXT_FEATURES)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("承诺单位"),
        on_delete=models.PROTECT,
        related_name="service_commitments",
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("organisation"),
        FieldPanel("supervision_phone"),
        InlinePanel("commitments", label=_("承诺事项"), min_num=1),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("服务承诺")
        verbose_name_plural = _("服务承诺")

    def get_context(self, request, *args, **kwargs):
        from .selectors import commitment_context

        context = super().get_context(request, *args, **kwargs)
        context.update(commitment_context(self))
        return context


class ServiceCommitment(Orderable):
    """One pledge: either about a service item with a promised limit, or a general one (一次告知)."""

    page = ParentalKey(ServiceCommitmentPage, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("承诺事项"), max_length=100)
    content = models.CharField(_("承诺内容"), max_length=500)
    service_item = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("对应办事事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), null=True, blank=True
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("content"),
        FieldPanel("service_item"),
        FieldPanel("promised_limit_days"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("承诺事项")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.promised_limit_days is not None and self.service_item_id is None:
            raise ValidationError({"service_item": _("承诺时限必须对应具体的办事事项。")})
        if self.service_item_id is not None:
            if self.promised_limit_days is None:
                raise ValidationError(
                    {"promised_limit_days": _("请填写该事项的承诺时限（工作日）。")}
                )
            statutory = self.service_item.statutory_limit_days
            if self.promised_limit_days > statutory:
                raise ValidationError(
                    {
                        "promised_limit_days": _(
                            "承诺时限不能超过该事项的法定办结时限（%(days)s个工作日）。"
                        )
                        % {"days": statutory}
                    }
                )


class ServiceCentreIndexPage(Page):
    """社区事务受理中心 index, filterable by district and by service item."""

    intro = models.CharField(_("导语"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = ["services.ServiceCentrePage"]

    class Meta:
        verbose_name = _("受理中心列表")

    def get_context(self, request, *args, **kwargs):
        from .selectors import centre_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(centre_index_context(self, request.GET))
        return context


class ServiceCentrePage(OrganisationPageMixin, SegmentedSearchMixin, Page):
    """社区事务受理服务中心: a one-stop centre and the service items it handles."""

    base_form_class = OrganisationPageForm

    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("对应机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="centre_pages",
    )
    district = models.CharField(_("所在区"), max_length=40)
    street = models.CharField(_("所在街道（镇）"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=60)
    transport = models.CharField(_("交通指引"), max_length=300, blank=True)
    notes = models.CharField(_("温馨提示"), max_length=300, blank=True)
    service_items = ParentalManyToManyField(
        ServiceGuidePage, verbose_name=_("受理事项"), blank=True, related_name="centres"
    )

    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.FilterField("district"),
        SegmentedSearchMixin.segmented_field(),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("district"), FieldPanel("street"), FieldPanel("address")],
            heading=_("位置"),
        ),
        FieldPanel("hours"),
        FieldPanel("phone"),
        FieldPanel("transport"),
        FieldPanel("notes"),
        FieldPanel("service_items"),
    ]
    # In the centre list (/bsfw/zx/), or in the section of the organisation that runs the centre.
    parent_page_types = ["services.ServiceCentreIndexPage", "services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("社区事务受理中心")
        verbose_name_plural = _("社区事务受理中心")

    def get_context(self, request, *args, **kwargs):
        from .selectors import centre_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(centre_detail_context(self))
        return context


# ---------------------------------------------------------------------------------------------
# The online case loop: applications (在线受理), their files, and ratings (好差评).

from portal.cases import CaseKind, TrackedCase, Transition  # noqa: E402


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，待受理")
    ACCEPTED = "accepted", _("已受理，办理中")
    CORRECTION_REQUESTED = "correction_requested", _("待补正材料")
    REJECTED = "rejected", _("不予受理")
    COMPLETED = "completed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("准予办理")
    DENIED = "denied", _("不予办理")


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("邮寄送达")
    ONLINE = "online", _("网上送达")


class Application(TrackedCase):
    """在线受理: one citizen's application for one service item."""

    KIND = CaseKind.APPLICATION
    STATUS = ApplicationStatus
    INITIAL_STATUS = ApplicationStatus.SUBMITTED
    CLOSED_STATUSES = (
        ApplicationStatus.REJECTED,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.WITHDRAWN,
    )
    PAUSED_STATUSES = (ApplicationStatus.CORRECTION_REQUESTED,)
    TRANSITIONS = {
        "accept": Transition(
            "accept", (ApplicationStatus.SUBMITTED,), ApplicationStatus.ACCEPTED, _("受理")
        ),
        "reject": Transition(
            "reject",
            (ApplicationStatus.SUBMITTED,),
            ApplicationStatus.REJECTED,
            _("不予受理"),
            note_required=True,
            note_label=_("不予受理的理由"),
        ),
        "request_correction": Transition(
            "request_correction",
            (ApplicationStatus.SUBMITTED,),
            ApplicationStatus.CORRECTION_REQUESTED,
            _("一次性告知补正"),
        ),
        "submit_correction": Transition(
            "submit_correction",
            (ApplicationStatus.CORRECTION_REQUESTED,),
            ApplicationStatus.SUBMITTED,
            _("提交补正材料"),
            by="citizen",
        ),
        "complete": Transition(
            "complete",
            (ApplicationStatus.ACCEPTED,),
            ApplicationStatus.COMPLETED,
            _("办结"),
        ),
        "withdraw": Transition(
            "withdraw",
            (
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.CORRECTION_REQUESTED,
            ),
            ApplicationStatus.WITHDRAWN,
            _("申请人撤回"),
            by="citizen",
        ),
    }

    service = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("办理事项"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    fields = models.JSONField(_("申请表内容"), default=dict, blank=True)
    correction_items = models.JSONField(_("补正材料清单"), default=list, blank=True)
    correction_count = models.PositiveSmallIntegerField(default=0, editable=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome.choices, blank=True)
    delivery = models.CharField(_("送达方式"), max_length=16, choices=Delivery.choices, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "due_date"], name="application_workbench_idx"
            )
        ]

    # Handlers of the transitions (see portal.cases.case_transition) ---------------------------
    def on_accept(self, *, note, data, actor):
        from django.utils import timezone

        self.accepted_at = timezone.now()

    def on_reject(self, *, note, data, actor):
        self.result = note

    def on_request_correction(self, *, note, data, actor):
        from portal.cases import CaseValidationError

        if self.correction_count:
            raise CaseValidationError(
                _("补正须一次性告知，本件已告知过补正，不能再次要求补正。"),
                {"items": [_("已告知过补正。")]},
            )
        items = [str(i).strip() for i in data.get("items") or [] if str(i).strip()]
        if not items:
            raise CaseValidationError(
                _("请一次性列出需要补正的全部材料或事项。"),
                {"items": [_("至少列出一项需要补正的内容。")]},
            )
        self.correction_items = items
        self.correction_count += 1
        listed = "；".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        return (_("请补正以下材料：%(items)s") % {"items": listed}) + (
            f"（{note}）" if note else ""
        )

    def on_submit_correction(self, *, note, data, actor):
        from django.utils import timezone

        # 补正 restarts the clock from the day the correction arrives.
        self.clock_start = timezone.localdate()

    def on_complete(self, *, note, data, actor):
        from portal.cases import CaseValidationError

        errors = {}
        if data.get("outcome") not in Outcome.values:
            errors["outcome"] = [_("请选择办理结果：准予办理或不予办理。")]
        if not (data.get("result") or "").strip():
            errors["result"] = [_("请填写办理结果说明。")]
        if data.get("delivery", Delivery.PICKUP) not in Delivery.values:
            errors["delivery"] = [_("送达方式不正确。")]
        if errors:
            raise CaseValidationError(_("办结信息不完整。"), errors)
        self.outcome = data["outcome"]
        self.result = data["result"].strip()
        self.delivery = data.get("delivery") or Delivery.PICKUP
        return f"{Outcome(self.outcome).label}：{self.result}"


class ApplicationFile(models.Model):
    """An uploaded material: stored privately under a generated name (never under MEDIA_URL)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material_code = models.CharField(_("材料编码"), max_length=40)
    material_name = models.CharField(_("材料名称"), max_length=200)
    round = models.PositiveSmallIntegerField(
        _("提交轮次"), default=0, help_text=_("0 为首次提交，1 为补正。")
    )
    original_name = models.CharField(_("原文件名"), max_length=120)
    stored_name = models.CharField(max_length=120, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("申请材料文件")

    def __str__(self) -> str:
        return f"{self.material_name} ({self.original_name})"


class RatingScore(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class FollowUpStatus(models.TextChoices):
    NONE = "", _("无需整改")
    OPEN = "open", _("待整改回访")
    DONE = "done", _("已整改回访")


class Rating(models.Model):
    """好差评: one rating per finished case, of any kind. A 差评 (score ≤ 2) opens a follow-up task
    for the organisation, due in 5 working days."""

    case_kind = models.CharField(_("办件类别"), max_length=32, choices=CaseKind.choices)
    case_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("被评价机构"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    service = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("办理事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(_("评价"), choices=RatingScore.choices)
    comment = models.TextField(_("评价内容"), blank=True, max_length=500)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    follow_up_status = models.CharField(
        _("整改状态"),
        max_length=8,
        choices=FollowUpStatus.choices,
        blank=True,
        default=FollowUpStatus.NONE,
    )
    follow_up_due = models.DateField(_("整改期限"), null=True, blank=True)
    follow_up_note = models.TextField(_("整改回访情况"), blank=True)
    follow_up_closed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_score_display()}"

    @property
    def is_negative(self) -> bool:
        return self.score <= RatingScore.DISSATISFIED


from .complaints import Complaint  # noqa: E402,F401
