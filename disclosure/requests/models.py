"""依申请公开: applications for government information (条例 2019, Art. 27–45) on the shared case
machinery (portal/cases). Imported by disclosure/models.py so Django sees the models.

The receipt date, the time limits and the categories are the 条例's (rules.py).

The 20-working-day clock (Art. 33) counts from the day after receipt; a 补正 restarts it from the
correction's receipt date; third-party consultation time (Art. 32) is excluded (`excluded_days`);
an extension (once, ≤ 20 working days) adds `extension_days`.
"""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.cases.errors import CaseValidationError
from portal.cases.models import Deadline, TrackedCase, Transition
from portal.cases.numbers import CaseKind
from portal.formats import cn_date
from portal.workdays import add_working_days, working_days_between

from .rules import (
    CORRECTION_WINDOW_DAYS,
    MAX_EXTENSION_DAYS,
    REPLY_REASONS,
    RETIRED_REASONS,
    THIRD_PARTY_DAYS,
    ApplicantType,
    InformationForm,
    OrganisationKindOfApplicant,
    ReplyType,
    RequestDelivery,
    correction_period_limits,
    reason_label,
    receipt_date,
)


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("已提交，待受理")
    ACCEPTED = "accepted", gettext_lazy("已受理，办理中")
    CORRECTION_REQUESTED = "correction_requested", gettext_lazy("待补正")
    CONSULTING = "consulting", gettext_lazy("征求第三方意见中")
    REPLIED = "replied", gettext_lazy("已答复")
    WITHDRAWN = "withdrawn", gettext_lazy("申请人已撤回")


S = RequestStatus
OPEN_STATUSES = (S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.CONSULTING)


class InformationRequest(TrackedCase):
    """依申请公开: one application for government information.

    Actions for `case_transition(case, action=..., note=..., data=...)` and their `data` keys:

    staff
      - ``accept`` (受理): submitted → accepted. No data.
      - ``request_correction`` (一次性告知补正): submitted/accepted → correction_requested.
        ``items``: list of strings, everything that must be corrected (required, at least one);
        ``period_days``: the 补正 period in working days after the notice day (optional: the
        settings' default; within DISCLOSURE_CORRECTION_PERIOD's limits), recorded with the notice
        as `correction_period_days` and its last day `correction_due_on`.
        Only once, and only within 7 working days of receipt. Pauses the clock.
      - ``start_consultation`` (征求第三方意见): accepted → consulting. ``third_party``: who is
        consulted (required). The third party has 15 working days; the clock is paused.
      - ``end_consultation`` (第三方意见已收到): consulting → accepted. ``opinion``: summary
        (optional). The working days after the start day up to and including today are added to
        `excluded_days`.
      - ``extend`` (延长答复期限): accepted → accepted (once; during a consultation the clock is
        paused, so extend after it ends). ``days``: 1–20,
        ``reason`` (or the note): required. Refused after the due date. Public on the timeline.
      - ``reply`` (答复): submitted/accepted → replied; from correction_requested only with
        reply_type ``other`` + reason ``no_correction``. ``reply_type`` (ReplyType slug),
        ``reason`` (slug from REPLY_REASONS, required for types that have reasons, refused for
        others), ``letter`` (the reply letter's text, required; private to the applicant). Files
        are attached by `disclosure.requests.actions.information_request_reply`. The outcome
        rules (`outcome_rule_errors`): （四）3 补正后申请内容仍不明确 only after a 补正 the applicant
        answered; （六）1 逾期不补正 only while a 补正 notice is unanswered and its period has
        passed; （六）2 逾期未缴费 never (no fee notice exists: RETIRED_REASONS).

    citizen (by="citizen")
      - ``submit_correction`` (提交补正): correction_requested → submitted. ``description`` and
        ``document_number`` (optional new values); the clock restarts from the correction's
        receipt date.
      - ``withdraw`` (撤回申请): any open status → withdrawn. ``reason`` (or the note): why,
        required. From /cx/ and POST /api/v1/cases/{case_number}/withdraw.

    staff, for the applicant
      - ``record_withdrawal`` (登记申请人撤回): any open status → withdrawn, when the applicant
        withdrew in writing or in person. ``reason`` (or the note): required.

    A withdrawal is counted in the annual report's table 三 under （六）其他处理 3.其他, as the 2021
    format's notes say (it has no row of its own).
    """

    KIND = CaseKind.DISCLOSURE_REQUEST
    STATUS = RequestStatus
    INITIAL_STATUS = S.SUBMITTED
    CLOSED_STATUSES = (S.REPLIED, S.WITHDRAWN)
    PAUSED_STATUSES = (S.CORRECTION_REQUESTED, S.CONSULTING)
    TRANSITIONS = {
        "accept": Transition("accept", (S.SUBMITTED,), S.ACCEPTED, gettext_lazy("受理")),
        "request_correction": Transition(
            "request_correction",
            (S.SUBMITTED, S.ACCEPTED),
            S.CORRECTION_REQUESTED,
            gettext_lazy("一次性告知补正"),
        ),
        "submit_correction": Transition(
            "submit_correction",
            (S.CORRECTION_REQUESTED,),
            S.SUBMITTED,
            gettext_lazy("提交补正"),
            by="citizen",
        ),
        "start_consultation": Transition(
            "start_consultation",
            (S.ACCEPTED,),
            S.CONSULTING,
            gettext_lazy("征求第三方意见"),
        ),
        "end_consultation": Transition(
            "end_consultation",
            (S.CONSULTING,),
            S.ACCEPTED,
            gettext_lazy("第三方意见征询结束"),
        ),
        "extend": Transition("extend", (S.ACCEPTED,), S.ACCEPTED, gettext_lazy("延长答复期限")),
        "reply": Transition(
            "reply",
            (S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED),
            S.REPLIED,
            gettext_lazy("答复"),
        ),
        "withdraw": Transition(
            "withdraw", OPEN_STATUSES, S.WITHDRAWN, gettext_lazy("申请人撤回"), by="citizen"
        ),
        "record_withdrawal": Transition(
            "record_withdrawal",
            OPEN_STATUSES,
            S.WITHDRAWN,
            gettext_lazy("登记申请人撤回"),
        ),
    }

    applicant_type = models.CharField(
        gettext_lazy("申请人类型"), max_length=20, choices=ApplicantType.choices
    )
    organisation_kind = models.CharField(
        gettext_lazy("法人或其他组织类型"),
        max_length=20,
        choices=OrganisationKindOfApplicant.choices,
        blank=True,
    )
    credit_code = models.CharField(gettext_lazy("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(gettext_lazy("联系人"), max_length=50, blank=True)
    applicant_address = models.CharField(gettext_lazy("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(gettext_lazy("邮政编码"), max_length=6, blank=True)
    description = models.TextField(gettext_lazy("所需信息的内容描述"), max_length=2000)
    document_number = models.CharField(gettext_lazy("文号"), max_length=100, blank=True)
    form = models.CharField(
        gettext_lazy("信息的指定提供形式"), max_length=12, choices=InformationForm.choices
    )
    delivery = models.CharField(
        gettext_lazy("获取信息的方式"), max_length=12, choices=RequestDelivery.choices
    )
    received_on = models.DateField(gettext_lazy("收到申请日期"))

    correction_items = models.JSONField(gettext_lazy("补正事项"), default=list, blank=True)
    correction_count = models.PositiveSmallIntegerField(default=0, editable=False)
    correction_requested_on = models.DateField(gettext_lazy("告知补正日期"), null=True, blank=True)
    correction_received_on = models.DateField(gettext_lazy("收到补正日期"), null=True, blank=True)
    # The period stated in the notice (working days after the notice day) and its last day.
    # Null on notices recorded before the period was (they are listed by outcome_rule_audit).
    correction_period_days = models.PositiveSmallIntegerField(
        gettext_lazy("补正期限（工作日）"), null=True, blank=True
    )
    correction_due_on = models.DateField(gettext_lazy("补正期限届满日"), null=True, blank=True)
    # [{"third_party", "start", "end", "days", "opinion"}], dates ISO.
    consultations = models.JSONField(gettext_lazy("征求第三方意见"), default=list, blank=True)
    extension_reason = models.TextField(gettext_lazy("延期理由"), blank=True)
    extended_on = models.DateField(gettext_lazy("延期日期"), null=True, blank=True)

    withdrawal_reason = models.CharField(gettext_lazy("撤回理由"), max_length=500, blank=True)

    reply_type = models.CharField(
        gettext_lazy("答复类型"), max_length=20, choices=ReplyType.choices, blank=True
    )
    reply_reason = models.CharField(gettext_lazy("答复理由"), max_length=32, blank=True)
    reply_letter = models.TextField(gettext_lazy("答复书"), blank=True)
    replied_on = models.DateField(gettext_lazy("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("政府信息公开申请")
        verbose_name_plural = gettext_lazy("政府信息公开申请")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "due_date"], name="inforequest_workbench_idx"
            ),
            models.Index(fields=["organisation", "received_on"], name="inforequest_report_idx"),
        ]

    # -- labels ------------------------------------------------------------------------------
    @property
    def reply_reason_label(self) -> str:
        return reason_label(self.reply_type, self.reply_reason)

    @property
    def reply_summary(self) -> str:
        if not self.reply_type:
            return ""
        label = str(ReplyType(self.reply_type).label)
        reason = self.reply_reason_label
        return f"{label}（{reason}）" if reason else label

    @property
    def open_consultation(self) -> dict | None:
        if self.consultations and not self.consultations[-1].get("end"):
            return self.consultations[-1]
        return None

    def correction_deadline(self) -> date:
        """The last day on which a 补正 may be asked for: 7 working days after receipt."""
        return add_working_days(self.received_on, CORRECTION_WINDOW_DAYS)

    def correction_lapse_day(self) -> date | None:
        """The last day of the 补正 period: as recorded with the notice; for a notice recorded
        before periods were, the settings' default period after the notice day (said so wherever
        it is used). None without a notice."""
        if self.correction_requested_on is None:
            return None
        if self.correction_due_on is not None:
            return self.correction_due_on
        return add_working_days(self.correction_requested_on, correction_period_limits()["default"])

    def outcome_rule_errors(self, reply_type: str, reason: str, *, on: date) -> dict:
        """The 条例's preconditions of an outcome decided `on` a day: {field: [Chinese message
        naming the rule]}, empty when they hold. Used by `on_reply` (every reply, web and API)
        and by `outcome_rule_audit` for records made before the rules were checked."""
        key = (str(reply_type), str(reason))
        if key in RETIRED_REASONS:
            return {
                "reason": [
                    _(
                        "不能选择（六）2“申请人逾期未按收费通知要求缴纳费用”：本系统不发出信息处理费"
                        "收费通知，没有收费通知就不存在逾期未缴费。"
                    )
                ]
            }
        if key == (ReplyType.UNABLE.value, "still_unclear"):
            if self.correction_requested_on is None:
                return {
                    "reason": [
                        _(
                            "不能选择（四）3“补正后申请内容仍不明确”：本申请未告知补正。申请内容"
                            "不明确的，应先一次性告知补正（条例第三十条）。"
                        )
                    ]
                }
            if self.correction_received_on is None:
                return {
                    "reason": [
                        _(
                            "不能选择（四）3“补正后申请内容仍不明确”：申请人尚未提交补正，须在"
                            "收到补正后才能认定补正后仍不明确。"
                        )
                    ]
                }
        if key == (ReplyType.OTHER.value, "no_correction"):
            if self.correction_requested_on is None:
                return {
                    "reason": [
                        _(
                            "不能选择（六）1“逾期不补正”：本申请未告知补正，只有告知补正且补正"
                            "期限届满后申请人仍未补正的，才能以此结案（条例第三十条）。"
                        )
                    ]
                }
            if self.correction_received_on is not None:
                return {
                    "reason": [
                        _(
                            "不能选择（六）1“逾期不补正”：申请人已于%(day)s提交补正，不属于逾期"
                            "不补正。"
                        )
                        % {"day": cn_date(self.correction_received_on)}
                    ]
                }
            lapse = self.correction_lapse_day()
            if on <= lapse:
                return {
                    "reason": [
                        _(
                            "不能选择（六）1“逾期不补正”：补正期限至%(due)s届满（%(basis)s），"
                            "期限届满后申请人仍未补正的，方可以此结案。"
                        )
                        % {
                            "due": cn_date(lapse),
                            "basis": (
                                _("告知补正时确定为%(n)d个工作日")
                                % {"n": self.correction_period_days}
                                if self.correction_due_on is not None
                                else _("告知书未记录补正期限，按默认%(n)d个工作日计")
                                % {"n": correction_period_limits()["default"]}
                            ),
                        }
                    ]
                }
        return {}

    # -- deadline: the shared engine plus this kind's pauses ---------------------------------
    def compute_deadline(self) -> Deadline:
        deadline = Deadline(
            start=self.clock_start,
            limit_days=self.limit_days,
            extension_days=self.extension_days,
            excluded_days=self.excluded_days,
        )
        parts = deadline.parts
        if self.clock_start is None:
            parts.append(_("尚未起算"))
            return deadline
        parts.append(
            _(
                "%(received)s收到申请，自次日起%(n)d个工作日内答复（法定节假日和周末不计，调休上班日计入）"
            )
            % {"received": cn_date(self.received_on), "n": self.limit_days}
        )
        if self.correction_requested_on:
            parts.append(
                _("%(day)s一次性告知补正，补正期间不计时")
                % {"day": cn_date(self.correction_requested_on)}
                + (
                    _("（补正期限%(n)d个工作日，至%(due)s）")
                    % {"n": self.correction_period_days, "due": cn_date(self.correction_due_on)}
                    if self.correction_due_on and self.correction_period_days
                    else ""
                )
            )
        if self.correction_received_on:
            parts.append(
                _("%(day)s收到补正，答复期限自该日次日重新起算")
                % {"day": cn_date(self.correction_received_on)}
            )
        for item in self.consultations:
            start = date.fromisoformat(item["start"])
            if item.get("end"):
                parts.append(
                    _("%(start)s至%(end)s征求第三方意见，%(n)d个工作日不计入")
                    % {
                        "start": cn_date(start),
                        "end": cn_date(date.fromisoformat(item["end"])),
                        "n": item["days"],
                    }
                )
            else:
                parts.append(
                    _("%(start)s起征求第三方意见（第三方应在%(due)s前提出意见），期间不计时")
                    % {
                        "start": cn_date(start),
                        "due": cn_date(add_working_days(start, THIRD_PARTY_DAYS)),
                    }
                )
        if self.extension_days:
            parts.append(
                _("%(day)s延长答复期限%(n)d个工作日，理由：%(reason)s")
                % {
                    "day": cn_date(self.extended_on) if self.extended_on else "",
                    "n": self.extension_days,
                    "reason": self.extension_reason,
                }
            )
        if self.is_paused:
            deadline.paused = True
            parts.append(
                _("当前计时暂停，收到补正后重新起算")
                if self.status == S.CORRECTION_REQUESTED
                else _("当前计时暂停，第三方意见征询结束后继续计算")
            )
            return deadline
        deadline.due = add_working_days(
            self.clock_start, self.limit_days + self.extension_days + self.excluded_days
        )
        parts.append(_("答复期限为%(due)s") % {"due": cn_date(deadline.due)})
        return deadline

    # -- transition handlers (see portal.cases.actions.case_transition) ------------------------------
    def on_request_correction(self, *, note, data, actor):
        today = timezone.localdate()
        if self.correction_count:
            raise CaseValidationError(
                _("补正须一次性告知，本申请已告知过补正，不能再次要求补正。"),
                {"items": [_("已告知过补正。")]},
            )
        last_day = self.correction_deadline()
        if today > last_day:
            raise CaseValidationError(
                _(
                    "告知补正应在收到申请之日起7个工作日内作出（本申请%(received)s收到，"
                    "最迟%(last)s），现已超过期限，不能再要求补正。"
                )
                % {"received": cn_date(self.received_on), "last": cn_date(last_day)},
                {"action": [_("已超过告知补正的期限。")]},
            )
        items = [str(i).strip() for i in data.get("items") or [] if str(i).strip()]
        if not items:
            raise CaseValidationError(
                _("请一次性列出需要补正的全部事项。"),
                {"items": [_("至少列出一项需要补正的内容。")]},
            )
        limits = correction_period_limits()
        raw = data.get("period_days")
        try:
            period = limits["default"] if raw in (None, "") else int(raw)
        except (TypeError, ValueError):
            period = 0
        if not limits["min"] <= period <= limits["max"]:
            message = _("补正期限应为%(min)d至%(max)d个工作日。") % limits
            raise CaseValidationError(message, {"period_days": [message]})
        self.correction_items = items
        self.correction_count += 1
        self.correction_requested_on = today
        self.correction_period_days = period
        self.correction_due_on = add_working_days(today, period)
        listed = "；".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        return (
            _(
                "请补正以下内容：%(items)s。请于%(due)s前（告知之日起%(n)d个工作日内）补正；"
                "无正当理由逾期不补正的，视为放弃申请。"
            )
            % {"items": listed, "due": cn_date(self.correction_due_on), "n": period}
        ) + (f"（{note}）" if note else "")

    def on_submit_correction(self, *, note, data, actor):
        description = str(data.get("description") or "").strip()
        if len(description) > 2000:
            raise CaseValidationError(
                _("内容描述不能超过2000字。"), {"description": [_("内容过长。")]}
            )
        if description:
            self.description = description
        if "document_number" in data:
            self.document_number = str(data.get("document_number") or "").strip()[:100]
        if not description and not note:
            message = _("请填写补正后的内容描述或补正说明。")
            raise CaseValidationError(message, {"description": [message]})
        # 补正 restarts the 20-day clock from the correction's receipt date.
        self.correction_received_on = receipt_date()
        self.clock_start = self.correction_received_on

    def on_start_consultation(self, *, note, data, actor):
        third_party = str(data.get("third_party") or "").strip()
        if not third_party:
            raise CaseValidationError(
                _("请填写征求意见的第三方。"), {"third_party": [_("此项为必填项。")]}
            )
        today = timezone.localdate()
        self.consultations = [
            *self.consultations,
            {"third_party": third_party[:200], "start": today.isoformat(), "end": "", "days": 0},
        ]
        return _(
            "已书面征求第三方意见，第三方应在%(due)s前提出意见，征求意见期间不计入答复期限。"
        ) % {"due": cn_date(add_working_days(today, THIRD_PARTY_DAYS))} + (
            f"（{note}）" if note else ""
        )

    def on_end_consultation(self, *, note, data, actor):
        current = self.open_consultation
        if current is None:  # a consulting case always has one open; guard corrupted data
            raise CaseValidationError(_("没有正在进行的第三方意见征询。"))
        today = timezone.localdate()
        days = max(0, working_days_between(date.fromisoformat(current["start"]), today))
        closed = {
            **current,
            "end": today.isoformat(),
            "days": days,
            "opinion": str(data.get("opinion") or "").strip()[:500],
        }
        self.consultations = [*self.consultations[:-1], closed]
        self.excluded_days += days
        return _("第三方意见征询结束，%(n)d个工作日不计入答复期限。") % {"n": days} + (
            f"（{note}）" if note else ""
        )

    def on_extend(self, *, note, data, actor):
        today = timezone.localdate()
        errors = {}
        if self.extension_days:
            raise CaseValidationError(
                _("答复期限只能延长一次，本申请已延长过。"), {"days": [_("已延长过。")]}
            )
        if self.due_date and today > self.due_date:
            raise CaseValidationError(
                _("答复期限（%(due)s）已过，不能再延长。") % {"due": cn_date(self.due_date)},
                {"days": [_("已超过答复期限。")]},
            )
        try:
            days = int(data.get("days"))
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            errors["days"] = [_("延长期限应为1至20个工作日。")]
        reason = str(data.get("reason") or note or "").strip()
        if not reason:
            errors["reason"] = [_("请填写延期理由，延期须告知申请人。")]
        if errors:
            raise CaseValidationError(_("延期信息不完整。"), errors)
        self.extension_days = days
        self.extension_reason = reason
        self.extended_on = today
        due = self.compute_deadline().due
        message = _(
            "经政府信息公开工作机构负责人同意，答复期限延长%(n)d个工作日，理由：%(reason)s。"
        )
        message = message % {"n": days, "reason": reason}
        if due:
            message += _("延长后的答复期限为%(due)s。") % {"due": cn_date(due)}
        return message

    def _withdrawal_reason(self, *, note, data) -> str:
        reason = str(data.get("reason") or note or "").strip()
        if not reason:
            message = _("请填写撤回申请的理由。")
            raise CaseValidationError(message, {"reason": [message]})
        if len(reason) > 500:
            message = _("撤回理由不能超过500字。")
            raise CaseValidationError(message, {"reason": [message]})
        self.withdrawal_reason = reason
        return reason

    def on_withdraw(self, *, note, data, actor):
        reason = self._withdrawal_reason(note=note, data=data)
        return _("申请人撤回政府信息公开申请，理由：%(reason)s。本申请不再办理。") % {
            "reason": reason
        }

    def on_record_withdrawal(self, *, note, data, actor):
        reason = self._withdrawal_reason(note=note, data=data)
        return _(
            "申请人已书面或当面撤回政府信息公开申请（由工作人员登记），理由：%(reason)s。"
            "本申请不再办理。"
        ) % {"reason": reason}

    def on_reply(self, *, note, data, actor):
        reply_type = str(data.get("reply_type") or "")
        reason = str(data.get("reason") or "")
        letter = str(data.get("letter") or "").strip()
        errors: dict[str, list[str]] = {}
        if reply_type not in ReplyType.values:
            errors["reply_type"] = [
                _("请选择答复类型：%(types)s。")
                % {"types": "、".join(str(t.label) for t in ReplyType)}
            ]
        else:
            reasons = dict(REPLY_REASONS[reply_type])
            label = ReplyType(reply_type).label
            if reasons and reason not in reasons:
                errors["reason"] = [
                    _("“%(type)s”须选择理由：%(reasons)s。")
                    % {"type": label, "reasons": "、".join(str(r) for r in reasons.values())}
                ]
            elif not reasons and reason:
                errors["reason"] = [_("“%(type)s”不需要选择理由。") % {"type": label}]
        if self.status == S.CORRECTION_REQUESTED and not (
            reply_type == ReplyType.OTHER and reason == "no_correction"
        ):
            errors.setdefault("reply_type", []).append(
                _("等待补正的申请只能以“申请人无正当理由逾期不补正”结案，或等待申请人补正。")
            )
        for field, messages in self.outcome_rule_errors(
            reply_type, reason, on=timezone.localdate()
        ).items():
            errors.setdefault(field, []).extend(messages)
        if not letter:
            errors["letter"] = [_("请填写答复书内容。")]
        elif len(letter) > 20000:
            errors["letter"] = [_("答复书不能超过20000字。")]
        if errors:
            raise CaseValidationError(_("答复信息有误。"), errors)
        self.reply_type = reply_type
        self.reply_reason = reason
        self.reply_letter = letter
        self.replied_on = timezone.localdate()
        self.result = self.reply_summary
        return _("已作出答复：%(summary)s。答复书可凭受理编号和查询码查看。") % {
            "summary": self.reply_summary
        } + (f"（{note}）" if note else "")


class InformationRequestFile(models.Model):
    """A file attached to the reply (答复书附件). Stored in the private storage under a generated
    name, never under MEDIA_URL; served only to the applicant (after a lookup) and to staff."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="reply_files"
    )
    title = models.CharField(gettext_lazy("附件名称"), max_length=200)
    original_name = models.CharField(gettext_lazy("原文件名"), max_length=120)
    stored_name = models.CharField(max_length=120, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = gettext_lazy("答复附件")
        verbose_name_plural = gettext_lazy("答复附件")

    def __str__(self) -> str:
        return self.title

    @property
    def download_label(self) -> str:
        """What the download is called (the detected type adds the extension): the case and the
        attachment's title without whatever extension the uploader's name had."""
        stem = self.title.rsplit(".", 1)[0] if "." in self.title else self.title
        return f"{self.request.case_number}-{stem}"
