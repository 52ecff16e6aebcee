"""Tell the applicant about every public change of their case (by SMS and email, as a background
task). Connected to `case_event_recorded`, inside the transaction of the change: the notices are
recorded with the change (and rolled back with it) and sent once it commits. Each notice belongs to
the case's organisation, whose staff see it in 报表 › 未送达通知 if it cannot be delivered."""

import logging

from django.db import transaction
from django.dispatch import receiver

from portal.notify import notify

from .actions import case_event_recorded

logger = logging.getLogger(__name__)

TEMPLATES = {
    "submitted": "case_submitted",
    "accepted": "case_accepted",
    "correction_requested": "case_correction_requested",
    "rejected": "case_rejected",
    "completed": "case_completed",
}


def template_for(event) -> str:
    if event.action == "submit" or event.status_to != "submitted":
        return TEMPLATES.get(event.status_to, "case_updated")
    return "case_updated"  # e.g. a correction received: back to "submitted", not a new submission


@receiver(case_event_recorded)
def tell_the_applicant(sender, case, event, **kwargs):
    if not event.public:
        return
    service = getattr(case, "service", None)
    try:
        # A savepoint: a notice that cannot even be recorded is logged, and never undoes the
        # change it was about.
        with transaction.atomic():
            _notify(case, event, service)
    except Exception:
        logger.exception("办件 %s 的通知未能记录", case.case_number)


def _notify(case, event, service) -> None:
    notify(
        phone=case.applicant_phone,
        email=case.applicant_email,
        template=template_for(event),
        organisation=case.organisation,
        reference=case.case_number,
        context={
            "case_number": case.case_number,
            "status_label": event.status_label,
            "action_label": event.action_label,
            "due_date": case.due_date,
            # The templates end the sentence themselves ("理由：…。").
            "note": event.note.rstrip("。．.！!？?；;，, \n"),
            "service_name": service.title if service is not None else "",
            "phone": (getattr(service, "consult_phone", "") or case.organisation.phone)
            if service
            else case.organisation.phone,
        },
    )
