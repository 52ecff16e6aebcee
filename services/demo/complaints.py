"""Demo 监督投诉: about ten complaints in every state, several replied with consent so that
/hdjl/dfgk/ has content. Idempotent: a complaint is found by its subject and never duplicated.
Called from services/demo/__init__.py: `complaints.load(home=..., organisations=..., stdout=...)`."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.cases.actions import case_transition, case_withdraw
from services.complaints.actions import complaint_submit
from services.complaints.models import Complaint

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "services" / "complaints.json"


@transaction.atomic
def load(*, home=None, organisations=None, stdout=None) -> str:
    with open(FIXTURE, encoding="utf-8") as fh:
        rows = json.load(fh)
    existing = set(
        Complaint.objects.filter(subject__in=[r["subject"] for r in rows]).values_list(
            "subject", flat=True
        )
    )
    created = 0
    for row in rows:
        if row["subject"] in existing:
            continue
        organisation = row.get("organisation", "")
        if organisation and organisations is not None and organisation not in organisations:
            organisation = ""  # a trimmed demo tree: the city bureau receives it
        complaint, _code = complaint_submit(
            subject=row["subject"],
            content=row["content"],
            complainant_name=row["complainant_name"],
            complainant_phone=row["complainant_phone"],
            organisation=organisation,
            service_item=row.get("service_item", ""),
            category=row.get("category", ""),
            publish_consent=row.get("publish_consent", False),
            submitted_at=timezone.now() - timedelta(days=row.get("days_ago", 0)),
        )
        for action, note, data in row.get("steps", []):
            complaint = case_transition(complaint, action=action, note=note, data=data)
        if row.get("withdraw"):
            case_withdraw(complaint, note=row["withdraw"])
        created += 1
    total = Complaint.objects.count()
    return f"{created} complaints created, {total} in all"
