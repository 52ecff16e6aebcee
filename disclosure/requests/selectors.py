"""Reads of 依申请公开 for the online form, the check-answers step and the applicant's reply page."""

from django.utils.translation import gettext as _

from portal.privacy import mask_id_number, mask_phone

from .actions import requestable_organisations
from .models import InformationRequest
from .rules import ApplicantType, InformationForm, OrganisationKindOfApplicant, RequestDelivery


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
