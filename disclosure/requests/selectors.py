"""Reads of 依申请公开 for the online form, the check-answers step and the applicant's reply page,
and the staff's list of recorded outcomes that break the outcome rules."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases.statistics import deadline_counts
from portal.privacy import mask_id_number, mask_phone
from portal.workdays import WorkdayCalendarError

from .actions import requestable_organisations
from .models import InformationRequest, RequestStatus
from .rules import (
    ApplicantType,
    InformationForm,
    OrganisationKindOfApplicant,
    ReplyType,
    RequestDelivery,
)


def request_check_answers(submission: dict) -> list[tuple[str, str]]:
    """(label, value) rows for the check-answers step; ID numbers and phones masked."""
    legal = submission.get("applicant_type") == ApplicantType.LEGAL_PERSON
    organisation = requestable_organisations().filter(code=submission.get("organisation")).first()

    def label_of(choices, value):
        return str(dict(choices).get(value, value))

    rows = [
        (_("申请人类型"), label_of(ApplicantType.choices, submission.get("applicant_type"))),
        (_("名称") if legal else _("姓名"), submission.get("applicant_name", "")),
    ]
    if legal:
        rows += [
            (
                _("组织类型"),
                label_of(OrganisationKindOfApplicant.choices, submission.get("organisation_kind")),
            ),
            (_("统一社会信用代码"), submission.get("credit_code", "").upper()),
            (_("联系人"), submission.get("contact_name", "")),
        ]
    else:
        rows.append((_("身份证号码"), mask_id_number(submission.get("applicant_id_number", ""))))
    rows += [
        (_("联系电话"), mask_phone(submission.get("applicant_phone", ""))),
        (_("电子邮箱"), submission.get("applicant_email", "")),
        (_("通信地址"), submission.get("applicant_address", "")),
        (_("邮政编码"), submission.get("postcode", "")),
        (_("申请公开的机关"), organisation.name if organisation else ""),
        (_("所需信息的内容描述"), submission.get("description", "")),
        (_("文号"), submission.get("document_number", "")),
        (_("信息的指定提供形式"), label_of(InformationForm.choices, submission.get("form"))),
        (_("获取信息的方式"), label_of(RequestDelivery.choices, submission.get("delivery"))),
    ]
    return [(label, value) for label, value in rows if value]


def request_for_applicant(case_number: str) -> InformationRequest | None:
    """The request with its organisation and reply files, for the applicant's reply page."""
    return (
        InformationRequest.objects.select_related("organisation")
        .prefetch_related("reply_files")
        .filter(case_number=case_number)
        .first()
    )


@dataclass(frozen=True)
class OutcomeRuleBreach:
    """A replied request whose recorded outcome breaks one of the outcome rules."""

    case_number: str
    organisation: str
    received_on: date
    replied_on: date | None
    outcome: str
    problem: str


def outcome_rule_audit(*, organisation_ids: set[int] | None = None) -> list[OutcomeRuleBreach]:
    """Replied requests recorded before the outcome rules were checked (or imported) whose
    outcome breaks them: （四）3 without an answered 补正, （六）1 without a lapsed unanswered 补正
    notice, any （六）2. For staff to review: the records and the reports are left as they are
    (nothing is recounted). One query; the reasons concerned are rare, so the list is short."""
    rule_reasons = Q(reply_type=ReplyType.UNABLE, reply_reason="still_unclear") | Q(
        reply_type=ReplyType.OTHER, reply_reason__in=("no_correction", "unpaid_fee")
    )
    qs = (
        InformationRequest.objects.filter(status=RequestStatus.REPLIED)
        .filter(rule_reasons)
        .select_related("organisation")
        .order_by("organisation__sort_order", "received_on", "case_number")
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    found = []
    for request in qs:
        day = request.replied_on or timezone.localdate(request.closed_at or timezone.now())
        # What the applicant had done by the reply: a 补正 received later cannot count.
        if request.correction_received_on and request.correction_received_on > day:
            request.correction_received_on = None
        try:
            errors = request.outcome_rule_errors(request.reply_type, request.reply_reason, on=day)
        except WorkdayCalendarError as exc:
            errors = {"reason": [str(exc)]}
        if errors:
            found.append(
                OutcomeRuleBreach(
                    case_number=request.case_number,
                    organisation=request.organisation.name,
                    received_on=request.received_on,
                    replied_on=request.replied_on,
                    outcome=request.reply_summary,
                    problem="；".join(m for messages in errors.values() for m in messages),
                )
            )
    return found


def request_deadline_counts(*, periods: dict, today: date) -> dict:
    """依申请公开按期答复: per organisation and period, the requests that came due or were answered
    in it and those answered by their due date (the rule of portal.cases.statistics, which the
    区县排位 asks through its slot). One query."""
    return deadline_counts(InformationRequest.objects.all(), periods=periods, today=today)
