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
