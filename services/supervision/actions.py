"""Writes of 明察暗访: a supervisor files a visit report (with a report with findings opening the
organisation's rectification case in the same transaction), and a reviewer approves the public
summary text of a report. The organisation's 接收整改 / 提交整改报告 are the shared `case_act`
(portal/cases/actions.py)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases.actions import case_create
from portal.cases.errors import CaseForbidden, CaseNotFound, CaseValidationError
from portal.uploads import files as uploads

from ..models.centres import ServiceCentrePage
from .models import (
    MAX_FINDINGS,
    MAX_PHOTOS,
    MAX_SUMMARY,
    CheckItem,
    Rectification,
    SupervisionVisit,
    VisitPhoto,
    rectification_days,
)
from .setup import is_supervision_reviewer, is_supervisor

UPLOAD_FOLDER = "supervision"  # in the private storage
MAX_OTHER = 200
IMAGE_TYPES = ("image/jpeg", "image/png")


def _check_photos(photos: list, errors: dict) -> list:
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("每份报告最多上传%(n)d张照片。") % {"n": MAX_PHOTOS}]
        return []
    checked = []
    for n, upload in enumerate(photos, start=1):
        name = _("照片%(n)d") % {"n": n}
        try:
            item = uploads.check_upload(upload, material_code="photo", material_name=name)
        except ValueError as exc:
            errors.setdefault("photos", []).append(str(exc))
            continue
        if item.content_type not in IMAGE_TYPES:
            errors.setdefault("photos", []).append(
                _("“%(m)s”不是照片：请上传 JPG 或 PNG 图片。") % {"m": name}
            )
            continue
        checked.append(item)
    return checked


def visit_report_file(
    *,
    supervisor,
    centre_id: int | None,
    visit_date: date | None,
    checked_items: list[str],
    checked_other: str = "",
    findings: str = "",
    photos: list | None = None,
) -> SupervisionVisit:
    """Check everything (all errors at once, Chinese, keyed by field), then in one transaction save
    the report and its photos and — when there are findings — open the rectification case
    for the centre's organisation, due `rectification_days()` working days after the filing day.
    Stored photos are removed again if anything fails."""
    if not is_supervisor(supervisor):
        raise CaseForbidden(_("只有监督员可以填报明察暗访报告。"))
    errors: dict[str, list[str]] = {}
    filed_at = timezone.now()
    today = timezone.localdate(filed_at)
    if visit_date is None:
        errors["visit_date"] = [_("请填写暗访日期。")]
    elif visit_date > today:
        errors["visit_date"] = [_("暗访日期不能晚于今天。")]
    elif (today - visit_date).days > 60:
        errors["visit_date"] = [_("只能填报60天内的暗访。")]
    centre = (
        ServiceCentrePage.objects.live().select_related("organisation").filter(pk=centre_id).first()
        if centre_id
        else None
    )
    if centre is None:
        errors["centre"] = [_("请选择暗访的社区事务受理中心。")]
    elif centre.organisation is None or not centre.organisation.is_active:
        errors["centre"] = [_("该中心尚未设置对应机构，无法转交整改，请联系市局。")]
    items = list(dict.fromkeys(checked_items or []))
    unknown = [code for code in items if code not in CheckItem.values]
    if unknown:
        errors["checked_items"] = [_("检查事项不在清单中：%(c)s。") % {"c": "、".join(unknown)}]
    checked_other = (checked_other or "").strip()
    if len(checked_other) > MAX_OTHER:
        errors["checked_other"] = [_("其他检查内容不能超过%(n)d个字。") % {"n": MAX_OTHER}]
    if not items and not checked_other:
        errors.setdefault("checked_items", []).append(
            _("请至少选择一项检查事项或填写其他检查内容。")
        )
    findings = (findings or "").strip()
    if len(findings) > MAX_FINDINGS:
        errors["findings"] = [
            _("发现问题不能超过%(n)d个字（当前%(len)d个）。")
            % {"n": MAX_FINDINGS, "len": len(findings)}
        ]
    checked_photos = _check_photos(list(photos or []), errors)
    if errors:
        raise CaseValidationError(_("暗访报告有误，请修改后重新提交。"), errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            visit = SupervisionVisit(
                supervisor=supervisor,
                visit_date=visit_date,
                centre=centre,
                organisation=centre.organisation,
                district=centre.district,
                checked_items=[code for code in CheckItem.values if code in items],
                checked_other=checked_other,
                findings=findings,
                has_findings=bool(findings),
                filed_at=filed_at,
            )
            visit.full_clean()
            visit.save()
            case = None
            if findings:
                org = centre.organisation
                case = Rectification(
                    visit=visit,
                    organisation=org,
                    applicant_name=org.name,
                    applicant_phone=org.phone,
                    applicant_email=org.email,
                    submitted_at=filed_at,
                    limit_days=rectification_days(),
                )
                case_create(
                    case,
                    note=_("明察暗访发现问题，已转交整改，请在整改期限内报送整改报告。"),
                )
            for n, item in enumerate(checked_photos, start=1):
                name = uploads.store(item, folder=UPLOAD_FOLDER)
                stored.append(name)
                VisitPhoto.objects.create(
                    visit=visit,
                    rectification=case,
                    # not the phone's file name, which may say who took it
                    original_name=f"{_('照片')}{n}.{item.extension}",
                    stored_name=name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                )
    except Exception:
        uploads.discard(stored)
        raise
    return visit


def visit_summary_approve(*, visit_id: int, text: str, actor) -> SupervisionVisit:
    """A reviewer (`review_visit_report`) sets the public summary of a report, which /hdjl/mcaf/
    then shows; an empty text withdraws it. Nothing else of a report is ever published."""
    if not is_supervision_reviewer(actor):
        raise CaseForbidden(_("只有市局审核人员可以审核公开摘要。"))
    text = (text or "").strip()
    if len(text) > MAX_SUMMARY:
        raise CaseValidationError(
            _("公开摘要不能超过%(n)d个字。") % {"n": MAX_SUMMARY},
            {"public_summary": [_("内容过长。")]},
        )
    with transaction.atomic():
        visit = SupervisionVisit.objects.select_for_update().filter(pk=visit_id).first()
        if visit is None:
            raise CaseNotFound(_("未找到该暗访报告。"))
        visit.public_summary = text
        visit.summary_approved_by = actor if text else None
        visit.summary_approved_at = timezone.now() if text else None
        visit.save(update_fields=["public_summary", "summary_approved_by", "summary_approved_at"])
    return visit


def referenced_files(names: set[str]) -> set[str]:
    """Which of the stored `names` a visit photo refers to (the orphan sweep's question)."""
    return set(
        VisitPhoto.objects.filter(stored_name__in=names).values_list("stored_name", flat=True)
    )
