"""监督投诉: a complaint about a service item, an organisation or staff conduct, on the shared case
machinery (portal/cases). Loaded by Django through services/models/__init__.py.

Life of a complaint (staff actions unless marked):

    submitted ──acknowledge──▶ acknowledged ──handle──▶ handling ──reply──▶ replied (closed)
        │                           │    ╰──────────reply──────────────────▶ replied
        ╰──reject──▶ rejected ◀─reject┘
    submitted / acknowledged / handling ──withdraw (complainant)──▶ withdrawn

The `data` each action takes through `case_transition(case, action=..., note=..., data=...)`:

- ``acknowledge`` 受理: none; ``note`` optional, shown to the complainant.
- ``handle`` 办理: none; ``note`` required, an internal note (the event is not public). May be taken
  again while handling to add notes.
- ``reply`` 答复: ``data["reply"]`` the reply text (required; ``note`` is used when ``reply`` is
  absent). Closes the case; the reply is the case's result and, with ``publish_consent``, appears on
  the public list of replies with personal data removed.
- ``reject`` 不予受理: ``data["reason"]`` one of ``RejectReason`` (default ``other``); ``note``
  required, the explanation given to the complainant.
- ``withdraw`` 撤回 (by the complainant, ``by="citizen"``): ``note`` optional.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal.cases.errors import CaseValidationError
from portal.cases.models import Deadline, TrackedCase, Transition
from portal.cases.numbers import CaseKind
from portal.search import SegmentedSearchMixin
from services.models.guides import ServiceGuidePage

MAX_REPLY = 5000


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，待受理")
    ACKNOWLEDGED = "acknowledged", _("已受理")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class ComplaintCategory(models.TextChoices):
    SERVICE_ITEM = "service_item", _("办事事项")
    ORGANISATION = "organisation", _("机构履职")
    STAFF_CONDUCT = "staff_conduct", _("工作人员作风")


class RejectReason(models.TextChoices):
    NOT_OUR_DUTY = "not_our_duty", _("不属于本机关职责")
    UNCLEAR = "unclear", _("投诉事项不明确")
    DUPLICATE = "duplicate", _("重复投诉")
    OTHER_CHANNEL = "other_channel", _("应通过诉讼、复议等法定途径解决")
    OTHER = "other", _("其他")


S = ComplaintStatus


def complaint_handling_days() -> int:
    return int(getattr(settings, "COMPLAINT_HANDLING_DAYS", 15))


class Complaint(SegmentedSearchMixin, index.Indexed, TrackedCase):
    """监督投诉. The complainant is the case's applicant (applicant_name / _phone / _email).

    In the site search (答复公开, services/complaints/search.py): only published replies (replied,
    with the complainant's consent) are indexed, and only as published — subject, complaint and
    reply with personal data removed. Never the name, phone, e-mail or ID number."""

    KIND = CaseKind.COMPLAINT
    STATUS = ComplaintStatus
    INITIAL_STATUS = S.SUBMITTED
    CLOSED_STATUSES = (S.REPLIED, S.REJECTED, S.WITHDRAWN)
    PAUSED_STATUSES = ()
    TRANSITIONS = {
        "acknowledge": Transition("acknowledge", (S.SUBMITTED,), S.ACKNOWLEDGED, _("受理投诉")),
        "handle": Transition(
            "handle",
            (S.ACKNOWLEDGED, S.HANDLING),
            S.HANDLING,
            _("办理"),
            note_required=True,
            note_label=_("办理情况（内部记录）"),
            public=False,
        ),
        "reply": Transition("reply", (S.ACKNOWLEDGED, S.HANDLING), S.REPLIED, _("答复")),
        "reject": Transition(
            "reject",
            (S.SUBMITTED, S.ACKNOWLEDGED),
            S.REJECTED,
            _("不予受理"),
            note_required=True,
            note_label=_("不予受理的理由"),
        ),
        "withdraw": Transition(
            "withdraw",
            (S.SUBMITTED, S.ACKNOWLEDGED, S.HANDLING),
            S.WITHDRAWN,
            _("投诉人撤回"),
            by="citizen",
        ),
    }

    subject = models.CharField(_("投诉主题"), max_length=100)
    content = models.TextField(_("投诉内容"), max_length=2000)
    category = models.CharField(_("投诉类别"), max_length=20, choices=ComplaintCategory.choices)
    service = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("涉及事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    publish_consent = models.BooleanField(
        _("同意公开答复"),
        default=False,
        help_text=_("投诉人同意在隐去个人信息后公开答复内容。"),
    )
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True, db_index=True)
    reject_reason = models.CharField(
        _("不予受理原因"), max_length=20, choices=RejectReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("监督投诉")
        verbose_name_plural = _("监督投诉")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "due_date"], name="complaint_workbench_idx"
            ),
            models.Index(
                fields=["status", "publish_consent", "replied_at"], name="complaint_pub_idx"
            ),
        ]

    # Indexed by services/complaints/search.py when published, not on every save of every case.
    search_auto_update = False
    search_fields = [
        index.SearchField("public_subject"),
        index.SearchField("public_text"),
        index.FilterField("status"),
        index.FilterField("publish_consent"),
        SegmentedSearchMixin.segmented_field(),
    ]

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(status=S.REPLIED, publish_consent=True)

    @property
    def is_published(self) -> bool:
        return self.status == S.REPLIED and self.publish_consent

    def _redacted(self, text: str) -> str:
        from .selectors import redact

        if not self.is_published:
            return ""
        return redact(
            text, name=self.applicant_name, phone=self.applicant_phone, email=self.applicant_email
        )

    def public_subject(self) -> str:
        return self._redacted(self.subject)

    def public_text(self) -> str:
        """The complaint and its reply as published (答复公开)."""
        return self._redacted(f"{self.content}\n{self.result}")

    @property
    def reply(self) -> str:
        """The reply text (stored as the case's result) once replied."""
        return self.result if self.status == S.REPLIED else ""

    def compute_deadline(self) -> Deadline:
        deadline = super().compute_deadline()
        deadline.parts.insert(
            0,
            gettext("投诉应自收到之日起%(n)d个工作日内答复（按本市监督投诉办理规定设定的办理时限）")
            % {"n": self.limit_days},
        )
        return deadline

    # Handlers of the transitions (see portal.cases.actions.case_transition) ---------------------------
    def on_acknowledge(self, *, note, data, actor):
        self.acknowledged_at = timezone.now()

    def on_handle(self, *, note, data, actor):
        return note

    def on_reply(self, *, note, data, actor):
        text = str(data.get("reply") or note or "").strip()
        if not text:
            raise CaseValidationError(
                gettext("请填写答复内容。"), {"reply": [gettext("答复内容为必填项。")]}
            )
        if len(text) > MAX_REPLY:
            raise CaseValidationError(
                gettext("答复内容不能超过%(n)d字。") % {"n": MAX_REPLY},
                {"reply": [gettext("内容过长。")]},
            )
        self.result = text
        self.replied_at = timezone.now()
        return text

    def on_reject(self, *, note, data, actor):
        reason = data.get("reason") or RejectReason.OTHER
        if reason not in RejectReason.values:
            raise CaseValidationError(
                gettext("不予受理原因不正确。"),
                {
                    "reason": [
                        gettext("应为以下之一：%(c)s。") % {"c": "、".join(RejectReason.values)}
                    ]
                },
            )
        self.reject_reason = reason
        label = RejectReason(reason).label
        self.result = note if reason == RejectReason.OTHER else f"{label}：{note}"
        return self.result
