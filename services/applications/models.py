"""在线受理: one citizen's online application for one service item (a case of the shared case
machinery, portal/cases), and its uploaded files."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases.errors import CaseValidationError
from portal.cases.models import TrackedCase, Transition
from portal.cases.numbers import CaseKind
from services.models.guides import ServiceGuidePage


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

    # Handlers of the transitions (see portal.cases.actions.case_transition) ---------------------------
    def on_accept(self, *, note, data, actor):
        self.accepted_at = timezone.now()

    def on_reject(self, *, note, data, actor):
        self.result = note

    def on_request_correction(self, *, note, data, actor):
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
        # 补正 restarts the clock from the day the correction arrives.
        self.clock_start = timezone.localdate()

    def on_complete(self, *, note, data, actor):
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

    @property
    def download_label(self) -> str:
        """What the download is called (the detected type adds the extension): the case and the
        material, never the citizen's own file name."""
        label = f"{self.application.case_number}-{self.material_name}"
        return label + (_("-补正%(n)d") % {"n": self.round} if self.round else "")
