"""明察暗访 records. Loaded by Django through services/models/__init__.py.

- `SupervisionVisit`: one visit report of a supervisor (监督员) — the day, the centre, what was
  checked (items of `CheckItem` plus free text), the findings, the photos (`VisitPhoto`, private
  uploads). Only its supervisor and the bureau's reviewers (`review_visit_report`) see it.
- `Rectification`: the case a report with findings opens for the centre's organisation (整改), on
  the shared case machinery (portal/cases): a ZG number, a deadline in working days, the timeline.

Life of a rectification (staff of the organisation's subtree, in the workbench):

    issued ──acknowledge──▶ rectifying ──rectify──▶ rectified (closed)
       ╰────────────────────rectify──────────────▶ rectified

- ``acknowledge`` 接收整改: ``note`` optional.
- ``rectify`` 提交整改报告: ``data["report"]`` the rectification report (required; ``note`` is used
  when ``report`` is absent). Closes the case; the report is the case's result.

The case's "applicant" is the organisation itself (its name, phone and e-mail), so the shared
notices (portal/cases/notifications.py) go to the organisation; no supervisor is named on it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.cases.errors import CaseValidationError
from portal.cases.models import Deadline, TrackedCase, Transition
from portal.cases.numbers import CaseKind
from portal.organisations import Organisation
from services.models.centres import ServiceCentrePage

MAX_FINDINGS = 2000
MAX_REPORT = 5000
MAX_SUMMARY = 500
MAX_PHOTOS = 6


class CheckItem(models.TextChoices):
    """What a supervisor checks on a visit (the bureau's fixed list)."""

    ATTENDANCE = "attendance", _("窗口人员在岗在位")
    CONDUCT = "conduct", _("服务态度与文明用语")
    ONE_TIME = "one_time", _("一次性告知")
    WAITING = "waiting", _("排队等候时间")
    PUBLICITY = "publicity", _("办事指南与收费标准公示")
    HOURS = "hours", _("按公布时间办公")
    RATING = "rating", _("好差评评价器使用")
    ENVIRONMENT = "environment", _("大厅环境与便民设施")
    ACCESSIBILITY = "accessibility", _("无障碍与适老化服务")


class SupervisionVisit(models.Model):
    """A supervisor's report of one unannounced visit to a service centre."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("监督员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit_date = models.DateField(_("暗访日期"), db_index=True)
    centre = models.ForeignKey(
        ServiceCentrePage,
        verbose_name=_("暗访中心"),
        on_delete=models.PROTECT,
        related_name="supervision_visits",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("中心所属机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.CharField(_("所在区"), max_length=40)
    checked_items = models.JSONField(_("检查事项"), default=list, blank=True)
    checked_other = models.CharField(_("其他检查内容"), max_length=200, blank=True)
    findings = models.TextField(_("发现问题"), max_length=MAX_FINDINGS, blank=True)
    has_findings = models.BooleanField(_("发现问题"), default=False, db_index=True)
    filed_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    public_summary = models.TextField(_("公开摘要"), max_length=MAX_SUMMARY, blank=True)
    summary_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("摘要审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary_approved_at = models.DateTimeField(_("摘要审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("明察暗访报告")
        verbose_name_plural = _("明察暗访报告")
        default_permissions = ()
        permissions = [
            ("file_visit_report", _("填报和查看本人的明察暗访报告")),
            ("review_visit_report", _("查阅全部明察暗访报告并审核公开摘要")),
        ]
        indexes = [models.Index(fields=["supervisor", "-visit_date"], name="visit_supervisor_idx")]

    def __str__(self) -> str:
        return f"{self.visit_date} {self.centre_id}"

    @property
    def summary_published(self) -> bool:
        return bool(self.public_summary and self.summary_approved_at)

    def checked_labels(self) -> list[str]:
        labels = [str(CheckItem(code).label) for code in self.checked_items if code in CheckItem]
        if self.checked_other:
            labels.append(self.checked_other)
        return labels


class RectificationStatus(models.TextChoices):
    ISSUED = "issued", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")


S = RectificationStatus


def rectification_days() -> int:
    """Working days an organisation has to rectify what a supervisor found (default 10)."""
    return int(getattr(settings, "SUPERVISION_RECTIFICATION_DAYS", 10))


class Rectification(TrackedCase):
    """整改: the case a visit report with findings opens for the centre's organisation."""

    KIND = CaseKind.RECTIFICATION
    STATUS = RectificationStatus
    INITIAL_STATUS = S.ISSUED
    CLOSED_STATUSES = (S.RECTIFIED,)
    PAUSED_STATUSES = ()
    TRANSITIONS = {
        "acknowledge": Transition("acknowledge", (S.ISSUED,), S.RECTIFYING, _("接收整改")),
        "rectify": Transition("rectify", (S.ISSUED, S.RECTIFYING), S.RECTIFIED, _("提交整改报告")),
    }

    # the organisation is the "applicant": its phone may be empty or a landline
    applicant_phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    visit = models.OneToOneField(
        SupervisionVisit,
        verbose_name=_("暗访报告"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("明察暗访整改")
        verbose_name_plural = _("明察暗访整改")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "due_date"], name="rectification_wb_idx"
            ),
        ]

    def compute_deadline(self) -> Deadline:
        deadline = super().compute_deadline()
        deadline.parts.insert(
            0,
            gettext("明察暗访发现的问题应自通知之日起%(n)d个工作日内整改完毕并报送整改报告")
            % {"n": self.limit_days},
        )
        return deadline

    @property
    def rectified_on_time(self) -> bool:
        return bool(
            self.status == S.RECTIFIED
            and self.rectified_on
            and self.due_date
            and self.rectified_on <= self.due_date
        )

    # Handlers of the transitions (see portal.cases.actions.case_transition) -----------------------
    def on_rectify(self, *, note, data, actor):
        text = str(data.get("report") or note or "").strip()
        if not text:
            raise CaseValidationError(
                gettext("请填写整改报告。"), {"report": [gettext("整改报告为必填项。")]}
            )
        if len(text) > MAX_REPORT:
            raise CaseValidationError(
                gettext("整改报告不能超过%(n)d字。") % {"n": MAX_REPORT},
                {"report": [gettext("内容过长。")]},
            )
        self.result = text
        self.rectified_on = timezone.localdate()
        return text


class VisitPhoto(models.Model):
    """A photo of a visit: checked by content (JPG/PNG), stored privately under a generated name,
    never public. `rectification` is set when the report opens a case, so the organisation's
    handlers download it through the workbench (logged like every case file)."""

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="photos")
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    original_name = models.CharField(_("原文件名"), max_length=120)
    stored_name = models.CharField(max_length=120, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("暗访照片")

    def __str__(self) -> str:
        return self.original_name

    # the shape of a case file in the shared case page and staff API
    material_code = "photo"
    round = 0

    @property
    def material_name(self) -> str:
        return gettext("暗访照片")

    @property
    def download_label(self) -> str:
        number = self.rectification.case_number if self.rectification_id else f"MCAF{self.visit_id}"
        return f"{number}-{gettext('暗访照片')}{self.pk}"
