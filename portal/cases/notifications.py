"""Tell the applicant about every public change of their case (by SMS and email, as a background
task). Connected to `case_event_committed`, which fires after the change commits."""

from django.dispatch import receiver

from portal.notify import notify

from .actions import case_event_committed

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


@receiver(case_event_committed)
def tell_the_applicant(sender, case, event, **kwargs):
    if not event.public:
        return
    service = getattr(case, "service", None)
    notify(
        phone=case.applicant_phone,
        email=case.applicant_email,
        template=template_for(event),
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
