"""The abstract case every kind shares (`TrackedCase`), its append-only timeline and audit record
(`CaseEvent`), the serial counter behind case numbers (`CaseSequence`), and the two value types the
kinds declare with: `Transition` (one row of a kind's transition table) and `Deadline` (how a due
date was computed)."""

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.formats import cn_date
from portal.organisations import Organisation
from portal.privacy import mask_id_number, mask_name, mask_phone
from portal.workdays import (
    WorkdayCalendarError,
    add_working_days,
    provisional_calendar,
    provisional_note,
    provisional_years,
)

from .numbers import CaseKind

logger = logging.getLogger(__name__)


class CaseSequence(models.Model):
    """The last serial handed out per kind and day; rows are locked while a number is taken."""

    kind = models.CharField(max_length=32, choices=CaseKind.choices)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="unique_case_sequence")]
        verbose_name = gettext_lazy("受理编号序列")

    def __str__(self) -> str:
        return f"{self.kind} {self.day} {self.last}"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: str
    by: str = "staff"  # who may take it: "staff" or "citizen"
    note_required: bool = False
    note_label: str = ""
    public: bool = True  # shown on the citizen's timeline


@dataclass
class Deadline:
    """How a due date was computed, for the case page and the lookup."""

    start: date | None
    limit_days: int
    extension_days: int = 0
    excluded_days: int = 0
    due: date | None = None
    paused: bool = False
    pending_year: int | None = None  # the calendar lacks this year: due date not yet known
    # years whose holidays were counted provisionally (next year's schedule not entered): the due
    # date is 预计, recomputed when the schedule is entered
    provisional_years: set[int] = field(default_factory=set)

    @property
    def provisional(self) -> bool:
        return bool(self.due and self.provisional_years)

    parts: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "；".join(self.parts)


class TrackedCase(models.Model):
    """Fields and behaviour every case kind shares. A concrete kind sets KIND, STATUS (TextChoices),
    INITIAL_STATUS, CLOSED_STATUSES, PAUSED_STATUSES and TRANSITIONS, and may define
    `on_<action>(self, *, note, data, actor)` handlers that validate and record the action's data
    (raise CaseValidationError) and return an optional public note."""

    KIND: ClassVar[str]
    STATUS: ClassVar[type[models.TextChoices]]
    INITIAL_STATUS: ClassVar[str] = "submitted"
    CLOSED_STATUSES: ClassVar[tuple[str, ...]] = ()
    PAUSED_STATUSES: ClassVar[tuple[str, ...]] = ()
    TRANSITIONS: ClassVar[dict[str, Transition]] = {}

    case_number = models.CharField(
        gettext_lazy("受理编号"), max_length=20, unique=True, editable=False
    )
    query_code_hash = models.CharField(max_length=128, editable=False)
    status = models.CharField(gettext_lazy("状态"), max_length=32, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=gettext_lazy("承办机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_name = models.CharField(gettext_lazy("姓名"), max_length=100)
    applicant_id_number = models.CharField(gettext_lazy("证件号码"), max_length=32, blank=True)
    applicant_phone = models.CharField(gettext_lazy("联系电话"), max_length=20)
    applicant_email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    submitted_at = models.DateTimeField(
        gettext_lazy("提交时间"), default=timezone.now, db_index=True
    )
    # The deadline engine's inputs: the clock starts the day after clock_start and runs limit_days
    # working days, plus extension_days, plus excluded_days (e.g. third-party consultation).
    clock_start = models.DateField(gettext_lazy("起算日"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(gettext_lazy("办理时限（工作日）"), default=0)
    extension_days = models.PositiveSmallIntegerField(gettext_lazy("延长（工作日）"), default=0)
    excluded_days = models.PositiveSmallIntegerField(
        gettext_lazy("不计入时限（工作日）"), default=0
    )
    due_date = models.DateField(gettext_lazy("办理期限"), null=True, blank=True, db_index=True)
    deadline_explanation = models.TextField(gettext_lazy("期限计算说明"), blank=True)
    due_date_provisional = models.BooleanField(
        gettext_lazy("办理期限为预计"),
        default=False,
        help_text=gettext_lazy(
            "下一年度节假日安排尚未录入，期限按法定节假日推算，录入后重新计算。"
        ),
    )
    closed_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    result = models.TextField(gettext_lazy("办理结果"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.case_number

    # -- status ------------------------------------------------------------------------------
    @property
    def status_label(self) -> str:
        try:
            return str(self.STATUS(self.status).label)
        except ValueError:
            return self.status

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status in self.PAUSED_STATUSES

    @property
    def overdue(self) -> bool:
        return bool(
            self.due_date
            and not self.is_closed
            and not self.is_paused
            and timezone.localdate() > self.due_date
        )

    @property
    def due_soon(self) -> bool:
        if not self.due_date or self.is_closed or self.is_paused or self.overdue:
            return False
        return (self.due_date - timezone.localdate()).days <= 3

    def available_actions(self, by: str = "staff") -> list[Transition]:
        return [t for t in self.TRANSITIONS.values() if self.status in t.sources and t.by == by]

    # -- deadline ----------------------------------------------------------------------------
    def compute_deadline(self) -> Deadline:
        deadline = Deadline(
            start=self.clock_start,
            limit_days=self.limit_days,
            extension_days=self.extension_days,
            excluded_days=self.excluded_days,
        )
        if self.clock_start is None:
            deadline.parts.append(_("尚未起算"))
            return deadline
        deadline.parts.append(
            _("自%(start)s次日起算%(n)d个工作日（法定节假日和周末不计，调休上班日计入）")
            % {"start": cn_date(self.clock_start), "n": self.limit_days}
        )
        if self.extension_days:
            deadline.parts.append(_("延长%(n)d个工作日") % {"n": self.extension_days})
        if self.excluded_days:
            deadline.parts.append(
                _("征求第三方意见等%(n)d个工作日不计入") % {"n": self.excluded_days}
            )
        if self.is_paused:
            deadline.paused = True
            deadline.parts.append(_("当前计时暂停，补正材料收到后重新起算"))
            return deadline
        deadline.due = add_working_days(
            self.clock_start, self.limit_days + self.extension_days + self.excluded_days
        )
        deadline.parts.append(_("办理期限为%(due)s") % {"due": cn_date(deadline.due)})
        return deadline

    def deadline(self) -> Deadline:
        """The deadline, or — when the working-day calendar has no data for a year the count
        reaches (each year's schedule is published in November) — a pending deadline that says
        so. Never a guess: the due date stays empty until the schedule is entered, and then
        `recompute_pending_deadlines` fills it in."""
        try:
            with provisional_calendar():
                deadline = self.compute_deadline()
                years = provisional_years()
            if years and deadline.due is not None:
                deadline.provisional_years = years
                deadline.parts.append(provisional_note(years))
            return deadline
        except WorkdayCalendarError as exc:
            logger.error("Deadline of %s pending: no holiday schedule for %s", self.KIND, exc.year)
            pending = Deadline(
                start=self.clock_start,
                limit_days=self.limit_days,
                extension_days=self.extension_days,
                excluded_days=self.excluded_days,
                pending_year=exc.year,
            )
            pending.parts.append(
                _("自%(start)s次日起算%(n)d个工作日")
                % {
                    "start": cn_date(self.clock_start),
                    "n": self.limit_days + self.extension_days + self.excluded_days,
                }
            )
            pending.parts.append(
                _("%(year)d年法定节假日安排尚未发布录入，办理期限待定，录入后自动计算")
                % {"year": exc.year}
            )
            return pending

    def recompute_deadline(self) -> Deadline:
        deadline = self.deadline()
        if not self.is_closed:
            self.due_date = deadline.due
            self.deadline_explanation = deadline.explanation
            self.due_date_provisional = deadline.provisional
        return deadline

    # -- masked applicant --------------------------------------------------------------------
    def masked_applicant(self) -> dict[str, str]:
        return {
            "name": mask_name(self.applicant_name),
            "id_number": mask_id_number(self.applicant_id_number)
            if self.applicant_id_number
            else "",
            "phone": mask_phone(self.applicant_phone),
        }

    def staff_applicant(self, *, unmasked: bool = False) -> dict:
        """The applicant as staff see them: the name, e-mail and address in full, the ID number
        and phone masked unless `unmasked` (an audited, permission-checked act:
        portal/cases/permissions.py, actions.case_access_record)."""
        id_number, phone = self.applicant_id_number, self.applicant_phone
        if not unmasked:
            id_number = mask_id_number(id_number) if id_number else ""
            phone = mask_phone(phone) if phone else ""
        return {
            "name": self.applicant_name,
            "id_number": id_number,
            "phone": phone,
            "email": self.applicant_email,
            "address": getattr(self, "applicant_address", ""),
            "masked": not unmasked,
        }

    def timeline(self):
        return CaseEvent.objects.filter(kind=self.KIND, case_number=self.case_number).order_by(
            "at", "pk"
        )


def case_models() -> dict[str, type[TrackedCase]]:
    """Every concrete case model (each kind's TrackedCase subclass), by kind."""
    return {m.KIND: m for m in apps.get_models() if issubclass(m, TrackedCase)}


class CaseEvent(models.Model):
    """One entry of a case's timeline and its audit record (who, which organisation, when, what).
    Append-only: never updated, never deleted."""

    kind = models.CharField(gettext_lazy("类别"), max_length=32, choices=CaseKind.choices)
    case_number = models.CharField(gettext_lazy("受理编号"), max_length=20, db_index=True)
    action = models.CharField(gettext_lazy("操作"), max_length=40)
    action_label = models.CharField(gettext_lazy("操作名称"), max_length=60)
    status_from = models.CharField(gettext_lazy("原状态"), max_length=32, blank=True)
    status_to = models.CharField(gettext_lazy("新状态"), max_length=32)
    status_label = models.CharField(gettext_lazy("状态名称"), max_length=60)
    note = models.TextField(gettext_lazy("说明"), blank=True)
    data = models.JSONField(gettext_lazy("数据"), default=dict, blank=True)
    public = models.BooleanField(gettext_lazy("对申请人可见"), default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "case_number", "at"], name="caseevent_case_idx")]
        verbose_name = gettext_lazy("办件记录")
        verbose_name_plural = gettext_lazy("办件记录")

    def __str__(self) -> str:
        return f"{self.case_number} {self.action_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("CaseEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("CaseEvent is append-only")


class CaseAccess(models.TextChoices):
    """What a staff member did with a case that the access log records."""

    VIEW = "view", gettext_lazy("查看办件")
    UNMASK = "unmask", gettext_lazy("查看完整个人信息")
    DOWNLOAD = "download", gettext_lazy("下载材料")


class CaseAccessChannel(models.TextChoices):
    ADMIN = "admin", gettext_lazy("办件工作台")
    API = "api", gettext_lazy("接口")


class CaseAccessLog(models.Model):
    """Who looked at which case, when, from which organisation, and how (the case page, a file,
    the staff API; unmasking the applicant's ID number and phone is its own entry). Append-only:
    never updated, never deleted. `case_organisation` is the case's organisation at the time, so
    an organisation's lead reviews the entries of the cases of their subtree.

    The model also carries the case permissions (app label `portal`): `handle_case` (办件工作台,
    case pages, files, staff API), `view_personal_data` (unmask a case's ID number and phone) and
    `review_case_access` (报表 › 办件访问记录)."""

    at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("用户"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        Organisation,
        verbose_name=gettext_lazy("用户所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(gettext_lazy("类别"), max_length=32, choices=CaseKind.choices)
    case_number = models.CharField(gettext_lazy("受理编号"), max_length=20, db_index=True)
    case_organisation = models.ForeignKey(
        Organisation,
        verbose_name=gettext_lazy("承办机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    access = models.CharField(gettext_lazy("操作"), max_length=16, choices=CaseAccess.choices)
    channel = models.CharField(
        gettext_lazy("途径"), max_length=8, choices=CaseAccessChannel.choices
    )
    detail = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case_organisation", "-at"], name="caseaccess_org_at_idx"),
        ]
        verbose_name = gettext_lazy("办件访问记录")
        verbose_name_plural = gettext_lazy("办件访问记录")
        default_permissions = ()
        permissions = [
            ("handle_case", gettext_lazy("办理办件（办件工作台、办件页、材料下载、办件接口）")),
            ("view_personal_data", gettext_lazy("查看办件申请人完整证件号码和电话")),
            ("review_case_access", gettext_lazy("查阅本机构及下级机构的办件访问记录")),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_access_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("CaseAccessLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("CaseAccessLog is append-only")

    def user_display(self) -> str:
        name, username = self.user.get_full_name(), self.user.get_username()
        return f"{name}（{username}）" if name else username
