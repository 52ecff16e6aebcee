"""Demo 在线受理 history for the service commitments page: seventeen applications of four committed
service items, submitted, accepted and completed over the twelve months before the load (most
within the promised working days, one per item late), so each pledge shows measured counts,
on-time rates and average days.

Created through the real actions (numbers, clocks, deadlines and events computed by the real
code) under `portal.demo_clock`, each step at its own moment; the timeline entries are dated the
same. Idempotent: an application is keyed by its service item and its applicant's (fictitious)
ID number and created only if none exists yet."""

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from portal.cases import CalendarMissing
from portal.demo_clock import demo_clock
from portal.privacy import id_check_char
from portal.workdays import WorkdayCalendarError, add_working_days

from .actions import application_act, application_submit
from .models import Application, Outcome, ServiceGuidePage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # a placeholder material

# service item → (fields, completion note, [(applicant, ID body, phone, days ago, working days
# from acceptance to completion)])
APPLICATIONS = {
    "310000-MZ-HY-0005": (
        {"query_reason": "公证", "registration_year": "2008"},
        "已出具婚姻登记档案查询证明",
        [
            ("高某某", "31010419800101021", "13800000201", 320, 1),
            ("曹某某", "31010519850202032", "13800000202", 250, 2),
            ("邓某某", "31010619900303043", "13800000203", 170, 1),
            ("许某某", "31010719750404054", "13800000204", 90, 4),
            ("韩某某", "31010919880505065", "13800000205", 30, 2),
        ],
    ),
    "310000-MZ-BZ-0004": (
        {"deceased_name": "蒋某某", "cremation_date": "2026-01-05", "relation": "子女"},
        "审核通过，补贴已发放",
        [
            ("蒋某某", "31011019700606076", "13800000206", 280, 3),
            ("沈某某", "31011219680707087", "13800000207", 150, 4),
            ("杜某某", "31011419810918101", "13800000215", 100, 2),
            ("唐某某", "31011319721208098", "13800000208", 60, 7),
        ],
    ),
    "310101-MZ-JZ-0003": (
        {"hardship_type": "突发重大疾病", "situation": "家庭成员突发重病，医疗支出骤增。"},
        "准予临时救助，救助金已发放",
        [
            ("冯某某", "31010119660909109", "13800000209", 300, 6),
            ("袁某某", "31010119791010110", "13800000210", 200, 9),
            ("戴某某", "31010119870623112", "13800000216", 110, 7),
            ("彭某某", "31010119831111121", "13800000211", 45, 13),
        ],
    ),
    "310104-MZ-YL-0003": (
        {"bank_name": "上海银行", "account_holder_is_applicant": "true"},
        "核验通过，津贴按月发放",
        [
            ("董某某", "31010419500212132", "13800000212", 230, 5),
            ("潘某某", "31010419480313143", "13800000213", 120, 8),
            ("夏某某", "31010419550826123", "13800000217", 75, 6),
            ("田某某", "31010419520414154", "13800000214", 20, 12),
        ],
    ),
}


def load(*, stdout=None) -> str:
    created = skipped = 0
    today = timezone.localdate()
    guides = {g.code: g for g in ServiceGuidePage.objects.filter(code__in=APPLICATIONS)}
    with transaction.atomic(), demo_clock() as clock:
        for code, (fields, result, rows) in APPLICATIONS.items():
            guide = guides.get(code)
            if guide is None:
                continue
            materials = [m.code for m in guide.materials.all() if m.required]
            for n, (name, id17, phone, days_ago, days_taken) in enumerate(rows):
                id_number = id17 + id_check_char(id17)
                if Application.objects.filter(
                    service=guide, applicant_id_number=id_number
                ).exists():
                    continue
                try:
                    with transaction.atomic():
                        _create(
                            clock, guide, fields, result, materials, today, n,
                            name, id_number, phone, days_ago, days_taken,
                        )  # fmt: skip
                except (WorkdayCalendarError, CalendarMissing):
                    skipped += 1
                    continue
                created += 1
    summary = f"在线受理办结记录：新建{created}件"
    if skipped:
        summary += f"，{skipped}件因工作日历缺少数据暂未生成"
    if stdout is not None:
        stdout.write(summary)
    return summary


def _create(
    clock, guide, fields, result, materials, today, n, name, id_number, phone, days_ago, days_taken
):
    # submitted on a working day `days_ago` before the load; accepted the next working day
    clock.restart()
    submitted = add_working_days(today - timedelta(days=days_ago + 1), 1)
    clock.set(submitted, time(9, 10 + 7 * n))
    application, _code = application_submit(
        service=guide,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        fields=fields,
        files={
            code: SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf")
            for code in materials
        },
    )
    accepted = add_working_days(submitted, 1)
    clock.set(accepted, time(10, 30))
    application = application_act(
        application, action="accept", actor=None, organisation_ids=None, version=None
    )
    clock.set(add_working_days(accepted, days_taken - 1), time(15, 0))
    application = application_act(
        application,
        action="complete",
        actor=None,
        organisation_ids=None,
        version=None,
        data={"outcome": Outcome.APPROVED, "result": result, "delivery": "online"},
    )
