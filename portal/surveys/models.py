"""The questionnaire (versioned: frozen once sent, so answers always refer to the questions they
answered), the monthly draw per organisation, the invitation (one per sampled case, holding only
the token's hash — never the applicant's phone or e-mail) and the answers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from portal.organisations import Organisation


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("五级满意度")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字意见")


# 5 非常满意 … 1 非常不满意, the national 好差评 levels
SCALE_CHOICES = [
    (5, _("非常满意")),
    (4, _("满意")),
    (3, _("基本满意")),
    (2, _("不满意")),
    (1, _("非常不满意")),
]
SATISFIED_SCORES = (5, 4, 3)


class Questionnaire(ClusterableModel):
    title = models.CharField(_("问卷名称"), max_length=100)
    intro = models.TextField(_("问卷说明"), blank=True, help_text=_("显示在答卷页面顶部。"))
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    active = models.BooleanField(
        _("用于每月抽样"), default=False, help_text=_("每月抽样时使用启用的问卷（只能启用一份）。")
    )
    sample_size = models.PositiveSmallIntegerField(
        _("每个机构每月最多抽取（件）"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    sample_rate = models.PositiveSmallIntegerField(
        _("抽样比例（%）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("每个机构当月已办结办件的抽取比例，不超过上面的件数，至少抽取1件。"),
    )
    link_days = models.PositiveSmallIntegerField(
        _("答卷链接有效期（天）"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    frozen_at = models.DateTimeField(_("首次发出时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="one_active_questionnaire",
                violation_error_message=_("已有一份问卷用于每月抽样，请先停用那一份。"),
            )
        ]
        permissions = [
            ("view_survey_report", _("查看满意度调查报表")),
            ("review_survey_text", _("审核问卷文字意见")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Question(Orderable):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    choices = models.TextField(
        _("选项"), blank=True, help_text=_("单选、多选题填写，每行一个选项。")
    )
    required = models.BooleanField(_("必答"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self) -> str:
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyDraw(models.Model):
    """One organisation's sample of one month: what it was drawn from, with which seed."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="draws"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    seed = models.CharField(_("随机种子"), max_length=200)
    population = models.PositiveIntegerField(_("当月办结件数"))
    no_contact = models.PositiveIntegerField(_("无联系方式未抽取"))
    sampled = models.PositiveIntegerField(_("抽取件数"))
    drawn_at = models.DateTimeField(_("抽样时间"))

    class Meta:
        verbose_name = _("问卷抽样")
        verbose_name_plural = _("问卷抽样")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "month"], name="one_survey_draw_per_month"
            )
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}-{self.month:02d}"


class SurveyInvitation(models.Model):
    """One sampled case. A case is sampled at most once (unique case number). The link's token is
    kept only as its SHA-256; phone and e-mail stay on the case (the notices hold the message)."""

    draw = models.ForeignKey(
        SurveyDraw, verbose_name=_("抽样"), on_delete=models.PROTECT, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    case_kind = models.CharField(_("办件类别"), max_length=32)
    case_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("发出时间"))
    expires_at = models.DateTimeField(_("链接有效期至"))
    answered_at = models.DateTimeField(_("答卷时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问卷邀请")
        verbose_name_plural = _("问卷邀请")

    def __str__(self) -> str:
        return self.case_number


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("不予公开")


class SurveyAnswer(models.Model):
    """One answer to one question: a score, one chosen option (a multiple choice gives one row per
    option) or a text. Only text has a review state; only approved text is ever shown."""

    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, choices=SCALE_CHOICES
    )
    choice = models.CharField(_("选项"), max_length=200, blank=True)
    text = models.TextField(_("文字意见"), blank=True)
    review_status = models.CharField(
        _("审核状态"), max_length=16, choices=ReviewStatus.choices, blank=True, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问卷答案")
        verbose_name_plural = _("问卷答案")

    def __str__(self) -> str:
        return f"{self.invitation_id}/{self.question_id}"
