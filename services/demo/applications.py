"""Demo 在线受理 history for the service commitments page: seventeen applications of four committed
service items, submitted, accepted and completed over the twelve months before the load (most
within the promised working days, one per item late), so each pledge shows measured counts,
on-time rates and average days.

Created through the real actions (numbers, clocks, deadlines and events computed by the real
code) under `portal.demo.clock`, each step at its own moment; the timeline entries are dated the
same. Idempotent: an application is keyed by its service item and its applicant's (fictitious)
ID number and created only if none exists yet."""

import functools
import io
from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from portal.cases.actions import case_act
from portal.cases.errors import CalendarMissing
from portal.demo.clock import demo_clock
from portal.demo.site import read_fixture
from portal.privacy import id_check_char
from portal.workdays import WorkdayCalendarError, add_working_days
from services.applications.actions import application_submit
from services.models import Application, Outcome, ServiceGuidePage


@functools.cache
def placeholder_pdf() -> bytes:
    """A placeholder material: a real one-page PDF (the upload check parses PDFs)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# fixtures/services/applications.json: service item → the guide's fields, the completion note and
# the applicants (name, first 17 ID digits, phone, days before the load the application was made,
# working days from acceptance to completion).
APPLICATIONS_FIXTURE = "services/applications.json"


def load(*, stdout=None) -> str:
    created = skipped = 0
    today = timezone.localdate()
    items = read_fixture(APPLICATIONS_FIXTURE)
    guides = {g.code: g for g in ServiceGuidePage.objects.filter(code__in=items)}
    with transaction.atomic(), demo_clock() as clock:
        for code, item in items.items():
            guide = guides.get(code)
            if guide is None:
                continue
            fields, result = item["fields"], item["result"]
            materials = [m.code for m in guide.materials.all() if m.required]
            for n, row in enumerate(item["applicants"]):
                name, id17, phone = row["name"], row["id17"], row["phone"]
                days_ago, days_taken = row["days_ago"], row["working_days"]
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
            code: SimpleUploadedFile(
                f"{code}.pdf", placeholder_pdf(), content_type="application/pdf"
            )
            for code in materials
        },
    )
    accepted = add_working_days(submitted, 1)
    clock.set(accepted, time(10, 30))
    application = case_act(application, action="accept")
    clock.set(add_working_days(accepted, days_taken - 1), time(15, 0))
    application = case_act(
        application,
        action="complete",
        data={"outcome": Outcome.APPROVED, "result": result, "delivery": "online"},
    )
