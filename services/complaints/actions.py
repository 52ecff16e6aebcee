"""Writes of 监督投诉: the submission. Staff actions and the complainant's withdrawal are the shared
`case_act` / `case_withdraw` (portal/cases/actions.py)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cases.actions import case_create
from portal.cases.errors import CaseValidationError
from portal.organisations import Organisation
from portal.privacy import validate_phone
from portal.security import ratelimit
from services.models import ServiceGuidePage

from .models import Complaint, ComplaintCategory

# Submissions per client address per hour, on the web form and the API together.
COMPLAINT_SUBMIT_LIMIT = ratelimit.Limit("complaint-submit", 20, 3600)

MAX_NAME = 50
MAX_SUBJECT = 100
MAX_CONTENT = 2000


def city_bureau() -> Organisation | None:
    """The organisation at the top of the tree (市民政局): it receives complaints naming no one."""
    return Organisation.objects.filter(parent__isnull=True, is_active=True).order_by("pk").first()


def _resolve_target(
    organisation_code: str, service_code: str, errors: dict
) -> tuple[Organisation | None, ServiceGuidePage | None]:
    service = None
    organisation = None
    service_code = (service_code or "").strip()
    organisation_code = (organisation_code or "").strip()
    if service_code:
        service = (
            ServiceGuidePage.objects.live()
            .select_related("organisation")
            .filter(code=service_code)
            .first()
        )
        if service is None:
            errors["service_item"] = [_("未找到编码为“%(c)s”的办事事项。") % {"c": service_code}]
    if organisation_code:
        organisation = Organisation.objects.filter(
            code=organisation_code, is_active=True, live=True
        ).first()
        if organisation is None:
            errors["organisation"] = [_("未找到代码为“%(c)s”的机构。") % {"c": organisation_code}]
    elif service is not None:
        organisation = service.organisation
    elif not service_code:
        organisation = city_bureau()
        if organisation is None:
            errors["organisation"] = [_("系统尚未设置受理投诉的机构。")]
    return organisation, service


def complaint_submit(
    *,
    subject: str,
    content: str,
    complainant_name: str,
    complainant_phone: str,
    complainant_email: str = "",
    organisation: str = "",
    service_item: str = "",
    category: str = "",
    publish_consent: bool = False,
    submitted_at: datetime | None = None,
) -> tuple[Complaint, str]:
    """Validate everything (all errors at once, keyed by the API's field names), then create the
    case. `organisation` and `service_item` are codes: a complaint about a service item goes to
    that item's organisation unless one is named; naming neither sends it to the city bureau.
    `category` defaults to the service item when one is given, else the organisation.
    Returns (complaint, the query code shown once)."""
    errors: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    content = (content or "").strip()
    name = (complainant_name or "").strip()
    if not subject:
        errors["subject"] = [_("请填写投诉主题。")]
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = [
            _("投诉主题不能超过%(n)d个字（当前%(len)d个）。")
            % {"n": MAX_SUBJECT, "len": len(subject)}
        ]
    if not content:
        errors["content"] = [_("请填写投诉内容。")]
    elif len(content) > MAX_CONTENT:
        errors["content"] = [
            _("投诉内容不能超过%(n)d个字（当前%(len)d个）。")
            % {"n": MAX_CONTENT, "len": len(content)}
        ]
    if not name:
        errors["complainant_name"] = [_("请填写投诉人姓名。")]
    elif len(name) > MAX_NAME:
        errors["complainant_name"] = [_("姓名不能超过%(n)d个字。") % {"n": MAX_NAME}]
    try:
        phone = validate_phone(complainant_phone)
    except ValidationError as exc:
        errors["complainant_phone"] = exc.messages
        phone = ""
    email = (complainant_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["complainant_email"] = [_("电子邮箱格式不正确，如 name@example.com。")]
    org, service = _resolve_target(organisation, service_item, errors)
    category = (category or "").strip() or (
        ComplaintCategory.SERVICE_ITEM
        if (service_item or "").strip()
        else ComplaintCategory.ORGANISATION
    )
    if category not in ComplaintCategory.values:
        errors["category"] = [
            _("投诉类别应为以下之一：%(c)s。")
            % {"c": "、".join(f"{v}（{label}）" for v, label in ComplaintCategory.choices)}
        ]
    elif category == ComplaintCategory.SERVICE_ITEM and not (service_item or "").strip():
        errors.setdefault("service_item", []).append(_("投诉办事事项时，请选择所涉及的事项。"))
    if not isinstance(publish_consent, bool):
        errors["publish_consent"] = [_("请输入 true 或 false。")]
    if errors:
        raise CaseValidationError(_("投诉信息有误，请修改后重新提交。"), errors)

    with transaction.atomic():
        complaint = Complaint(
            subject=subject,
            content=content,
            category=category,
            service=service,
            organisation=org,
            applicant_name=name,
            applicant_phone=phone,
            applicant_email=email,
            publish_consent=publish_consent,
            limit_days=settings.COMPLAINT_HANDLING_DAYS,
        )
        if submitted_at is not None:
            complaint.submitted_at = submitted_at
        return case_create(complaint, note=_("投诉已提交，等待受理。"))
