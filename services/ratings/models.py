"""好差评: one rating per finished case of any kind; a 差评 opens a follow-up for the organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cases.numbers import CaseKind
from services.models.guides import ServiceGuidePage


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
        # 好差评结果公开 aggregates one period (a year or a month) at a time.
        indexes = [models.Index(fields=["created_at"], name="rating_created_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_score_display()}"

    @property
    def is_negative(self) -> bool:
        return self.score <= RatingScore.DISSATISFIED
