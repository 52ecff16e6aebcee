"""Reads of 监督投诉: the public list of replies (答复公开, personal data removed) and the counts per
organisation for the staff reports."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from portal.organisations import Organisation
from portal.privacy import normalise_phone, scrub_text
from services.models import FollowUpStatus, Rating

from .models import Complaint, ComplaintStatus

REDACTED = "×××"
HONORIFICS = ("先生", "女士", "小姐", "老师", "阿姨", "师傅", "同志")


def _name_tokens(name: str) -> list[str]:
    """The strings that identify the complainant by name: the full name, the given name when it has
    two or more characters (王小明 → 小明), and surname + honorific (王先生, 王女士 …). Longest first, so
    the full name is replaced before its parts."""
    name = (name or "").strip()
    if not name:
        return []
    tokens = {name}
    if re.fullmatch(r"[\u4e00-\u9fff·]+", name):
        if len(name) >= 3:
            tokens.add(name[1:])
        if len(name) >= 4:  # a two-character surname (欧阳, 司马 …)
            tokens.add(name[2:])
            tokens.update(name[:2] + h for h in HONORIFICS)
        tokens.update(name[0] + h for h in HONORIFICS)
    else:
        tokens.update(part for part in name.split() if len(part) >= 2)
    return sorted(tokens, key=len, reverse=True)


def redact(text: str, *, name: str = "", phone: str = "", email: str = "") -> str:
    """Free text made fit to publish: the complainant's own name, phone and email are replaced, then
    any ID number or mobile number left is masked (portal.privacy.scrub_text)."""
    text = text or ""
    for token in _name_tokens(name):
        text = re.sub(re.escape(token), REDACTED, text, flags=re.IGNORECASE)
    phone = normalise_phone(phone)
    if phone:
        digits = phone.replace("-", "")
        # the number as written with or without the area-code hyphen or spaces
        pattern = r"[\s-]?".join(re.escape(c) for c in digits)
        text = re.sub(rf"(?<!\d){pattern}(?!\d)", REDACTED, text)
    if email:
        text = re.sub(re.escape(email.strip()), REDACTED, text, flags=re.IGNORECASE)
    return scrub_text(text)


@dataclass(frozen=True)
class PublishedReply:
    pk: int
    subject: str
    category_label: str
    organisation: str
    service_item: str
    submitted_at: datetime
    replied_at: datetime | None
    content: str
    reply: str


def published_replies() -> QuerySet[Complaint]:
    """Replied complaints whose complainant agreed to publication, newest reply first."""
    return (
        Complaint.objects.filter(status=ComplaintStatus.REPLIED, publish_consent=True)
        .select_related("organisation", "service")
        .order_by("-replied_at", "-pk")
    )


def published_reply_entries(complaints) -> list[PublishedReply]:
    """The public form of each complaint: no name, phone or email; free text redacted."""
    entries = []
    for c in complaints:
        personal = {
            "name": c.applicant_name,
            "phone": c.applicant_phone,
            "email": c.applicant_email,
        }
        entries.append(
            PublishedReply(
                pk=c.pk,
                subject=redact(c.subject, **personal),
                category_label=str(c.get_category_display()),
                organisation=c.organisation.name,
                service_item=c.service.title if c.service_id else "",
                submitted_at=c.submitted_at,
                replied_at=c.replied_at,
                content=redact(c.content, **personal),
                reply=redact(c.result, **personal),
            )
        )
    return entries


@dataclass
class OrganisationComplaintCounts:
    organisation: Organisation
    received: int = 0
    replied: int = 0
    overdue: int = 0
    follow_ups_open: int = 0
    follow_ups_done: int = 0

    @property
    def follow_ups(self) -> int:
        return self.follow_ups_open + self.follow_ups_done


def complaint_counts_by_organisation(
    year: int | None = None, *, organisation_ids: set[int] | None = None
) -> list[OrganisationComplaintCounts]:
    """For every active organisation (and any other with figures), limited to `organisation_ids`
    when given: complaints received (submitted in `year`, or ever), replied, overdue (open past
    the due date, or replied after it), and the 差评 follow-ups (ratings whose follow-up is open
    or done, made in `year`). Three queries whatever the volume."""
    today = timezone.localdate()
    complaints = Complaint.objects.all()
    ratings = Rating.objects.filter(follow_up_status__in=[FollowUpStatus.OPEN, FollowUpStatus.DONE])
    if organisation_ids is not None:
        complaints = complaints.filter(organisation_id__in=organisation_ids)
        ratings = ratings.filter(organisation_id__in=organisation_ids)
    if year is not None:
        complaints = complaints.filter(submitted_at__year=year)
        ratings = ratings.filter(created_at__year=year)
    open_statuses = [s for s in ComplaintStatus.values if s not in Complaint.CLOSED_STATUSES]
    overdue = Q(status__in=open_statuses, due_date__lt=today) | Q(
        status=ComplaintStatus.REPLIED, replied_at__date__gt=F("due_date")
    )
    complaint_rows = {
        row["organisation_id"]: row
        for row in complaints.order_by()
        .values("organisation_id")
        .annotate(
            received=Count("pk"),
            replied=Count("pk", filter=Q(status=ComplaintStatus.REPLIED)),
            overdue=Count("pk", filter=overdue),
        )
    }
    rating_rows = {
        row["organisation_id"]: row
        for row in ratings.order_by()
        .values("organisation_id")
        .annotate(
            open=Count("pk", filter=Q(follow_up_status=FollowUpStatus.OPEN)),
            done=Count("pk", filter=Q(follow_up_status=FollowUpStatus.DONE)),
        )
    }
    result = []
    with_figures = set(complaint_rows) | set(rating_rows)
    organisations = Organisation.objects.filter(Q(is_active=True) | Q(pk__in=with_figures))
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    for org in organisations.order_by("sort_order", "code"):
        c = complaint_rows.get(org.pk, {})
        r = rating_rows.get(org.pk, {})
        result.append(
            OrganisationComplaintCounts(
                organisation=org,
                received=c.get("received", 0),
                replied=c.get("replied", 0),
                overdue=c.get("overdue", 0),
                follow_ups_open=r.get("open", 0),
                follow_ups_done=r.get("done", 0),
            )
        )
    return result
