"""Writes of 依申请公开: submitting a request, the reply with its files and the applicant's 补正. The
other staff actions and the withdrawal are the shared `case_act` / `case_withdraw`
(portal/cases/actions.py). Each is one transaction."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cases.actions import case_act, case_create, case_transition
from portal.cases.errors import CaseValidationError
from portal.organisations import Organisation, OrganisationKind
from portal.privacy import validate_id_number, validate_phone
from portal.uploads import files as uploads

from .models import InformationRequest, InformationRequestFile
from .rules import (
    REPLY_LIMIT_DAYS,
    ApplicantType,
    InformationForm,
    OrganisationKindOfApplicant,
    RequestDelivery,
    receipt_date,
)

MAX_NAME = 100
UPLOAD_FOLDER = "disclosure-replies"  # reply files, in the private storage
MAX_ADDRESS = 200
MAX_DESCRIPTION = 2000
MAX_DOCUMENT_NUMBER = 100

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z); the last is
# a check character computed modulo 31 over the first 17.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_RE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """An 18-character unified social credit code (GB 32100): alphabet and check character."""
    value = (value or "").strip().upper().replace(" ", "")
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(value)}, code="length"
        )
    if not CREDIT_RE.match(value):
        raise ValidationError(
            _("统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）。"), code="format"
        )
    if credit_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum"
        )
    return value


def requestable_organisations():
    """Bodies that answer disclosure requests: every active organisation except the acceptance
    centres and window units (they are not 政府信息公开 bodies)."""
    return Organisation.objects.filter(is_active=True, live=True).exclude(
        kind__in=[OrganisationKind.CENTRE, OrganisationKind.UNIT]
    )


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def information_request_clean(data: dict) -> dict:
    """Validate a request's fields (names as in the API: DESIGN.md section 3). Returns the cleaned
    values ready for `information_request_submit`; CaseValidationError with every error at once."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    applicant_type = _text(data, "applicant_type")
    if applicant_type not in ApplicantType.values:
        error("applicant_type", _("请选择申请人类型：自然人，或法人或其他组织。"))
    cleaned["applicant_type"] = applicant_type
    legal = applicant_type == ApplicantType.LEGAL_PERSON

    name = _text(data, "applicant_name")
    if not name:
        error(
            "applicant_name",
            _("请填写法人或其他组织的名称。") if legal else _("请填写申请人姓名。"),
        )
    elif len(name) > MAX_NAME:
        error("applicant_name", _("名称不能超过%(n)d个字。") % {"n": MAX_NAME})
    cleaned["applicant_name"] = name

    cleaned["organisation_kind"] = ""
    cleaned["applicant_id_number"] = ""
    cleaned["credit_code"] = ""
    cleaned["contact_name"] = _text(data, "contact_name")[:50]
    if legal:
        kind = _text(data, "organisation_kind")
        if kind not in OrganisationKindOfApplicant.values:
            error(
                "organisation_kind",
                _(
                    "请选择法人或其他组织的类型：商业企业、科研机构、社会公益组织、法律服务机构或其他。"
                ),
            )
        cleaned["organisation_kind"] = kind
        try:
            cleaned["credit_code"] = validate_credit_code(_text(data, "credit_code"))
        except ValidationError as exc:
            errors.setdefault("credit_code", []).extend(exc.messages)
    elif applicant_type == ApplicantType.NATURAL_PERSON:
        try:
            cleaned["applicant_id_number"] = validate_id_number(_text(data, "applicant_id_number"))
        except ValidationError as exc:
            errors.setdefault("applicant_id_number", []).extend(exc.messages)

    try:
        cleaned["applicant_phone"] = validate_phone(_text(data, "applicant_phone"))
    except ValidationError as exc:
        errors.setdefault("applicant_phone", []).extend(exc.messages)

    email = _text(data, "applicant_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("applicant_email", _("电子邮箱格式不正确。"))
    cleaned["applicant_email"] = email

    address = _text(data, "applicant_address")
    if len(address) > MAX_ADDRESS:
        error("applicant_address", _("通信地址不能超过%(n)d个字。") % {"n": MAX_ADDRESS})
    cleaned["applicant_address"] = address
    postcode = _text(data, "postcode")
    if postcode and not re.fullmatch(r"\d{6}", postcode):
        error("postcode", _("邮政编码应为6位数字。"))
    cleaned["postcode"] = postcode

    description = _text(data, "description")
    if not description:
        error("description", _("请描述所需政府信息的名称、文号或便于查询的其他特征。"))
    elif len(description) > MAX_DESCRIPTION:
        error(
            "description",
            _("内容描述不能超过%(n)d个字（当前%(len)d个）。")
            % {"n": MAX_DESCRIPTION, "len": len(description)},
        )
    cleaned["description"] = description
    document_number = _text(data, "document_number")
    if len(document_number) > MAX_DOCUMENT_NUMBER:
        error("document_number", _("文号不能超过%(n)d个字。") % {"n": MAX_DOCUMENT_NUMBER})
    cleaned["document_number"] = document_number

    form = _text(data, "form")
    if form not in InformationForm.values:
        error("form", _("请选择信息的提供形式：纸质文本或电子文本。"))
    cleaned["form"] = form
    delivery = _text(data, "delivery")
    if delivery not in RequestDelivery.values:
        error("delivery", _("请选择获取信息的方式：邮寄、电子邮件、当面领取或网上获取。"))
    elif delivery == RequestDelivery.EMAIL and not email:
        error("applicant_email", _("选择电子邮件方式获取信息时，请填写电子邮箱。"))
    elif delivery == RequestDelivery.POST and not address:
        error("applicant_address", _("选择邮寄方式获取信息时，请填写通信地址。"))
    if form == InformationForm.PAPER and delivery in (
        RequestDelivery.EMAIL,
        RequestDelivery.ONLINE,
    ):
        error("delivery", _("纸质文本只能邮寄或当面领取。"))
    cleaned["delivery"] = delivery

    code = _text(data, "organisation")
    organisation = requestable_organisations().filter(code=code).first() if code else None
    if organisation is None:
        error(
            "organisation",
            _("请选择受理申请的机关。")
            if not code
            else _("机构代码“%(c)s”不存在或不受理政府信息公开申请。") % {"c": code[:20]},
        )
    cleaned["organisation"] = organisation

    if errors:
        raise CaseValidationError(_("申请信息有误，请修改后重新提交。"), errors)
    return cleaned


def information_request_submit(**data) -> tuple[InformationRequest, str]:
    """Validate (all errors at once) and create the request: numbered, query code, receipt date
    per Art. 31 (see disclosure/requests/models.py), 20-working-day clock. Returns (request, query code —
    show it once)."""
    cleaned = information_request_clean(data)
    with transaction.atomic():
        received = receipt_date()
        request = InformationRequest(
            **cleaned,
            received_on=received,
            clock_start=received,
            limit_days=REPLY_LIMIT_DAYS,
        )
        return case_create(request, note=_("政府信息公开申请已提交，等待受理。"))


def information_request_reply(
    request: InformationRequest,
    *,
    actor=None,
    organisation_ids: set[int] | None = None,
    version: int | None = None,
    note: str = "",
    reply_type: str,
    reason: str = "",
    letter: str,
    files: list | None = None,
) -> InformationRequest:
    """答复 with attached files (PDF/JPG/PNG, checked by content, stored privately). The files
    and the reply commit together; on any failure no file stays in storage."""
    checked, errors = [], {}
    for n, upload in enumerate(files or [], 1):
        title = uploads.safe_display_name(getattr(upload, "name", "")) or _("附件%(n)d") % {"n": n}
        try:
            checked.append(uploads.check_upload(upload, material_code="", material_name=title))
        except ValueError as exc:
            errors.setdefault("files", []).append(str(exc))
    if errors:
        raise CaseValidationError(_("答复附件有误。"), errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            updated = case_act(
                request,
                action="reply",
                actor=actor,
                organisation_ids=organisation_ids,
                version=version,
                note=note,
                data={"reply_type": reply_type, "reason": reason, "letter": letter},
            )
            for item in checked:
                name = uploads.store(item, folder=UPLOAD_FOLDER)
                stored.append(name)
                InformationRequestFile.objects.create(
                    request=updated,
                    title=item.material_name,
                    original_name=item.original_name,
                    stored_name=name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                )
    except BaseException:
        uploads.discard(stored)
        raise
    return updated


def information_request_submit_correction(
    request: InformationRequest,
    *,
    description: str = "",
    document_number: str | None = None,
    note: str = "",
) -> InformationRequest:
    """The applicant's 补正: a clearer description (and document number); restarts the clock."""
    data = {"description": description}
    if document_number is not None:
        data["document_number"] = document_number
    return case_transition(
        request, action="submit_correction", by="citizen", note=(note or "").strip(), data=data
    )


def referenced_files(names: set[str]) -> set[str]:
    """Which of the stored `names` a reply file refers to (the orphan sweep's question)."""
    return set(
        InformationRequestFile.objects.filter(stored_name__in=names).values_list(
            "stored_name", flat=True
        )
    )
