"""Writes of 在线受理: checking and submitting an application with its files, and the applicant's
补正; staff actions and withdrawal are the shared `case_act` / `case_withdraw`
(portal/cases/actions.py). Each is one transaction."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cases.actions import case_create, case_transition
from portal.cases.errors import CaseValidationError
from portal.privacy import validate_id_number, validate_phone
from portal.uploads import files as uploads
from services.models import Application, ApplicationFile, FormFieldType, ServiceGuidePage

MAX_NAME = 50
UPLOAD_FOLDER = "applications"  # in the private storage
MAX_ADDRESS = 200


def _clean_guide_fields(service: ServiceGuidePage, values: dict, errors: dict) -> dict:
    """Validate the guide's own fields; unknown keys are refused rather than silently dropped."""
    values = dict(values or {})
    cleaned = {}
    definitions = list(service.form_fields.all())
    known = {f.key for f in definitions}
    for key in values:
        if key not in known:
            errors.setdefault(f"fields.{key}", []).append(_("该事项没有此申请项。"))
    for definition in definitions:
        raw = values.get(definition.key)
        text = "" if raw is None else str(raw).strip()
        field_key = f"fields.{definition.key}"
        if not text:
            if definition.required and definition.field_type != FormFieldType.BOOLEAN:
                errors.setdefault(field_key, []).append(
                    _("请填写“%(f)s”。") % {"f": definition.label}
                )
            cleaned[definition.key] = (
                False if definition.field_type == FormFieldType.BOOLEAN else ""
            )
            continue
        if definition.field_type in (FormFieldType.TEXT, FormFieldType.TEXTAREA):
            if len(text) > definition.max_length:
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”不能超过%(n)d个字（当前%(len)d个）。")
                    % {"f": definition.label, "n": definition.max_length, "len": len(text)}
                )
            cleaned[definition.key] = text
        elif definition.field_type == FormFieldType.DATE:
            try:
                cleaned[definition.key] = date.fromisoformat(text).isoformat()
            except ValueError:
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”应为日期，格式 YYYY-MM-DD。") % {"f": definition.label}
                )
        elif definition.field_type == FormFieldType.NUMBER:
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”应为数字。") % {"f": definition.label}
                )
            elif definition.min_value is not None and number < definition.min_value:
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”不能小于%(n)s。")
                    % {"f": definition.label, "n": _number_text(definition.min_value)}
                )
            elif definition.max_value is not None and number > definition.max_value:
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”不能大于%(n)s。")
                    % {"f": definition.label, "n": _number_text(definition.max_value)}
                )
            else:
                cleaned[definition.key] = str(number)
        elif definition.field_type == FormFieldType.CHOICE:
            if text not in definition.choice_list():
                errors.setdefault(field_key, []).append(
                    _("“%(f)s”应为以下之一：%(c)s。")
                    % {"f": definition.label, "c": "、".join(definition.choice_list())}
                )
            cleaned[definition.key] = text
        elif definition.field_type == FormFieldType.BOOLEAN:
            cleaned[definition.key] = text.lower() in {"1", "true", "yes", "on", "是"}
    return cleaned


def _number_text(value: Decimal) -> str:
    """2.00 → "2", 2.50 → "2.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_files(
    service: ServiceGuidePage, files: dict, errors: dict, *, only: list[str] | None = None
) -> list:
    materials = {m.code: m for m in service.materials.all()}
    checked = []
    for key in files:
        if key not in materials:
            errors.setdefault(f"material_{key}", []).append(_("该事项没有此申请材料。"))
    for code, material in materials.items():
        if only is not None and code not in only:
            continue
        upload = files.get(code)
        if upload is None:
            if material.required and only is None:
                errors.setdefault(f"material_{code}", []).append(
                    _("请上传“%(m)s”。") % {"m": material.name}
                )
            continue
        try:
            checked.append(
                uploads.check_upload(upload, material_code=code, material_name=material.name)
            )
        except ValueError as exc:
            errors.setdefault(f"material_{code}", []).append(str(exc))
    return checked


def _save_files(application: Application, checked: list, *, round: int, stored: list[str]) -> None:
    for item in checked:
        name = uploads.store(item, folder=UPLOAD_FOLDER)
        stored.append(name)
        ApplicationFile.objects.create(
            application=application,
            material_code=item.material_code,
            material_name=item.material_name,
            round=round,
            original_name=item.original_name,
            stored_name=name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
        )


@dataclass
class CheckedApplication:
    """An application that passed every check, ready to be submitted (or shown for review)."""

    service: ServiceGuidePage
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    applicant_email: str
    fields: dict
    uploads: list = dc_field(default_factory=list)


def application_check(
    *,
    service: ServiceGuidePage,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    applicant_address: str = "",
    applicant_email: str = "",
    fields: dict | None = None,
    files: dict | None = None,
) -> CheckedApplication:
    """Validate everything an application needs, reporting all errors at once
    (CaseValidationError, keys as in the API: `applicant_id_number`, `fields.reason`,
    `material_id_card`). Writes nothing."""
    errors: dict[str, list[str]] = {}
    if not service.live or not service.online_application_open:
        raise CaseValidationError(
            _("该事项暂未开放网上申请。"), {"service_item": [_("该事项暂未开放网上申请。")]}
        )
    name = (applicant_name or "").strip()
    if not name:
        errors["applicant_name"] = [_("请填写申请人姓名。")]
    elif len(name) > MAX_NAME:
        errors["applicant_name"] = [_("姓名不能超过%(n)d个字。") % {"n": MAX_NAME}]
    id_number = ""
    if not (applicant_id_number or "").strip():
        errors["applicant_id_number"] = [_("请填写身份证号码。")]
    else:
        try:
            id_number = validate_id_number(applicant_id_number)
        except ValidationError as exc:
            errors["applicant_id_number"] = exc.messages
    phone = ""
    if not (applicant_phone or "").strip():
        errors["applicant_phone"] = [_("请填写联系电话。")]
    else:
        try:
            phone = validate_phone(applicant_phone)
        except ValidationError as exc:
            errors["applicant_phone"] = exc.messages
    address = (applicant_address or "").strip()
    if len(address) > MAX_ADDRESS:
        errors["applicant_address"] = [_("地址不能超过%(n)d个字。") % {"n": MAX_ADDRESS}]
    cleaned_fields = _clean_guide_fields(service, fields or {}, errors)
    checked = _check_files(service, files or {}, errors)
    if errors:
        raise CaseValidationError(_("申请信息有误，请修改后重新提交。"), errors)
    return CheckedApplication(
        service=service,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_address=address,
        applicant_email=(applicant_email or "").strip(),
        fields=cleaned_fields,
        uploads=checked,
    )


def application_submit(
    *,
    service: ServiceGuidePage,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    applicant_address: str = "",
    applicant_email: str = "",
    fields: dict | None = None,
    files: dict | None = None,
) -> tuple[Application, str]:
    """Validate everything first (all errors at once), then create the case and store its files in
    one transaction. Returns (application, query code shown once). On any failure nothing is left
    behind: no case, no number spent, no file in storage."""
    checked = application_check(
        service=service,
        applicant_name=applicant_name,
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone,
        applicant_address=applicant_address,
        applicant_email=applicant_email,
        fields=fields,
        files=files,
    )
    return application_submit_checked(checked)


def application_submit_checked(checked: CheckedApplication) -> tuple[Application, str]:
    """Submit an application that `application_check` accepted: the case and its files in one
    transaction; on failure the files already written are removed again."""
    service = checked.service
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = Application(
                service=service,
                organisation=service.organisation,
                applicant_name=checked.applicant_name,
                applicant_id_number=checked.applicant_id_number,
                applicant_phone=checked.applicant_phone,
                applicant_email=checked.applicant_email,
                applicant_address=checked.applicant_address,
                fields=checked.fields,
                limit_days=service.promised_limit_days,
            )
            application, query_code = case_create(application, note=_("网上申请已提交，等待受理。"))
            _save_files(application, checked.uploads, round=0, stored=stored)
    except BaseException:
        uploads.discard(stored)
        raise
    return application, query_code


def application_submit_correction(
    application: Application, *, files: dict, note: str = ""
) -> Application:
    """The citizen answers a 补正 request with new files (those asked for); restarts the clock."""
    errors: dict[str, list[str]] = {}
    if application.status != Application.STATUS.CORRECTION_REQUESTED:
        raise CaseValidationError(
            _("该办件当前不需要补正。"), {"status": [_("当前状态不需要补正。")]}
        )
    if not files and not (note or "").strip():
        message = _("请上传补正材料或填写补正说明。")
        raise CaseValidationError(message, {"__all__": [message]})
    checked = _check_files(application.service, files, errors, only=list(files))
    if errors:
        raise CaseValidationError(_("补正材料有误，请修改后重新提交。"), errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            updated = case_transition(
                application, action="submit_correction", by="citizen", note=(note or "").strip()
            )
            _save_files(updated, checked, round=updated.correction_count, stored=stored)
    except BaseException:
        uploads.discard(stored)
        raise
    return updated


def referenced_files(names: set[str]) -> set[str]:
    """Which of the stored `names` an application's file refers to (the orphan sweep's question)."""
    return set(
        ApplicationFile.objects.filter(stored_name__in=names).values_list("stored_name", flat=True)
    )
