"""好差评: one rating per finished case of any kind; a 差评 opens a follow-up for the organisation."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

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


# The measures of the 区县排位 (services/ratings/league.py), in the order of the table, with the
# weights the demo and a new installation start from.
LEAGUE_MEASURES = (
    ("satisfaction", _("满意率"), 40),
    ("on_time", _("按时办结率"), 20),
    ("rectification", _("差评整改率"), 15),
    ("complaint_on_time", _("投诉按期答复率"), 15),
    ("disclosure_on_time", _("依申请公开按期答复率"), 10),
)


def _weight_field(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)], help_text=_("百分比，0–100")
    )


@register_setting(icon="list-ol")
class LeagueWeights(BaseGenericSetting):
    """区县排位的综合得分权重 (percentages of the combined score, summing to 100), set by the bureau
    and printed with the table."""

    satisfaction_weight = _weight_field(_("满意率权重"), 40)
    on_time_weight = _weight_field(_("按时办结率权重"), 20)
    rectification_weight = _weight_field(_("差评整改率权重"), 15)
    complaint_on_time_weight = _weight_field(_("投诉按期答复率权重"), 15)
    disclosure_on_time_weight = _weight_field(_("依申请公开按期答复率权重"), 10)

    panels = [
        HelpPanel(
            content=_(
                "综合得分＝各项比率×权重之和。各项权重为0至100的整数，合计须为100。"
                "某区某项样本不足时，该项不计分，其余各项按权重比例折算。"
            )
        ),
        MultiFieldPanel(
            [FieldPanel(f"{key}_weight") for key, _label, _default in LEAGUE_MEASURES],
            heading=_("各项权重"),
        ),
    ]

    class Meta:
        verbose_name = _("区县排位权重")
        verbose_name_plural = _("区县排位权重")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def weights(self) -> dict[str, int]:
        return {key: getattr(self, f"{key}_weight") for key, _label, _default in LEAGUE_MEASURES}

    def clean(self):
        super().clean()
        weights = self.weights()
        # The message goes on every weight's field: the admin's settings form shows field errors.
        negative = [key for key, w in weights.items() if w is not None and w < 0]
        if negative:
            raise ValidationError({f"{key}_weight": _("权重不能为负数。") for key in negative})
        if None in weights.values():
            return  # the field's own error (required) says it
        total = sum(weights.values())
        if total != 100:
            message = _("各项权重合计须为100，现为%(total)d。") % {"total": total}
            raise ValidationError({f"{key}_weight": message for key in weights})
