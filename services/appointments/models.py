"""预约办理 data. A centre (`ServiceCentrePage`, the marriage registry too) offers a guide's service
for booking (`BookableService`: counter type, slot length, seats per slot, both parties or one)
with weekly `OpeningPeriod`s; `Closure`s take days out; `Slot` rows are generated from these and the
working-day calendar; an `Appointment` takes one seat of a slot. Capacity is held twice: booking
locks the slot row (SELECT … FOR UPDATE) and the database refuses `booked > capacity`."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class BookableService(ClusterableModel):
    """One service item (a guide) bookable at one centre (edited in 办事服务 › 预约设置 with its
    opening periods inline, hence a cluster)."""

    centre = models.ForeignKey(
        "services.ServiceCentrePage",
        verbose_name=_("受理中心"),
        on_delete=models.CASCADE,
        related_name="bookable_services",
    )
    guide = models.ForeignKey(
        "services.ServiceGuidePage",
        verbose_name=_("办事事项"),
        on_delete=models.CASCADE,
        related_name="bookable_services",
    )
    counter = models.CharField(_("窗口类型"), max_length=40, default="综合窗口")
    slot_minutes = models.PositiveSmallIntegerField(_("每个时段（分钟）"), default=30)
    capacity = models.PositiveSmallIntegerField(_("每个时段可预约人数"), default=2)
    both_parties = models.BooleanField(
        _("需双方到场"), default=False, help_text=_("如结婚登记：预约时须填写双方信息。")
    )
    is_active = models.BooleanField(_("开放预约"), default=True)

    class Meta:
        verbose_name = _("可预约事项")
        verbose_name_plural = _("可预约事项")
        constraints = [
            models.UniqueConstraint(fields=["centre", "guide"], name="unique_bookable_service"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(capacity__gte=1), name="bookable_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.title} · {self.guide.title}"


class OpeningPeriod(models.Model):
    """Weekly hours of a bookable service's counter, e.g. 周一 09:00–11:30."""

    bookable = ParentalKey(BookableService, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        verbose_name = _("开放时间")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="period_order",
                violation_error_message=_("结束时间须晚于开始时间。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Closure(models.Model):
    """A day a centre (or one of its bookable services) does not take visits, with the reason."""

    centre = models.ForeignKey(
        "services.ServiceCentrePage", on_delete=models.CASCADE, related_name="closures"
    )
    bookable = models.ForeignKey(
        BookableService,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("留空表示整个中心"),
    )
    day = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("停止预约")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class Slot(models.Model):
    bookable = models.ForeignKey(BookableService, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField()
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("预约时段")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["bookable", "start"], name="unique_slot_start"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["bookable", "day"], name="slot_bookable_day_idx")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} ({self.booked}/{self.capacity})"

    @property
    def free(self) -> int:
        return 0 if self.closed_reason else max(self.capacity - self.booked, 0)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("未到场")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("因停止预约取消")


class Appointment(models.Model):
    """One booked seat. `reference` + the code (shown once, stored as an HMAC like a query code)
    let the citizen look it up, move it once and cancel it."""

    reference = models.CharField(_("预约号"), max_length=20, unique=True)
    code_hash = models.CharField(max_length=128)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    bookable = models.ForeignKey(
        BookableService, on_delete=models.PROTECT, related_name="appointments"
    )
    guide = models.ForeignKey(
        "services.ServiceGuidePage", on_delete=models.PROTECT, related_name="appointments"
    )
    day = models.DateField()
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20)
    partner_name = models.CharField(_("另一方姓名"), max_length=50, blank=True)
    partner_id_number = models.CharField(_("另一方身份证号码"), max_length=18, blank=True)
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    status_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    application = models.ForeignKey(
        "services.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["slot__start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "guide", "day"],
                condition=Q(status="booked"),
                name="one_active_appointment_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["id_number", "status"], name="appointment_person_idx"),
            models.Index(fields=["bookable", "day"], name="appointment_day_idx"),
        ]

    def __str__(self) -> str:
        return self.reference
