"""Demo 依申请公开 requests: a dozen cases in every state across two district bureaus, including
replies of several types (fixtures/disclosure/requests.json). Idempotent: each demo request
carries a fixed marker at the end of its description and is created only if no request carries it
yet (state changes are history, so an existing demo request is left as it is).

The fixture's requests name their applicant (`natural_person` with the first 17 ID digits, or
`legal_person` with the first 17 characters of the credit code: the check characters are computed
here) and their steps: ["accept"], ["correct", items], ["consult", third party],
["extend", days, reason], ["reply", type, reason, body], ["fix", description], ["withdraw"].

A row with `days_ago` happened in the past (a reply that needs time to pass, such as （六）1 逾期不补正
after the 补正 period lapsed): it is submitted that many calendar days ago and each step starts with
the working days after the previous step, as in request_history.py, under `portal.demo.clock`."""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.cases.actions import case_act, case_withdraw
from portal.cases.errors import CalendarMissing
from portal.demo.clock import demo_clock
from portal.demo.site import read_fixture
from portal.formats import cn_date
from portal.privacy import id_check_char
from portal.workdays import WorkdayCalendarError, add_working_days

from ..requests.actions import (
    credit_check_char,
    information_request_submit,
    information_request_submit_correction,
)
from ..requests.models import InformationRequest

MARKER = "〔演示{n:02d}〕"
LETTER = (
    "{name}：\n本机关于{received}收到您提出的政府信息公开申请。经审查，{body}\n"
    "如对本答复不服，可以在收到本答复之日起60日内申请行政复议，或者在6个月内提起行政诉讼。"
)


def applicant_fields(applicant: dict) -> dict:
    """The submission's applicant fields from a fixture's applicant."""
    extra = {
        k: v
        for k, v in applicant.items()
        if k not in ("type", "name", "id17", "code17", "kind", "phone", "contact")
    }
    fields = {
        "applicant_type": applicant["type"],
        "applicant_name": applicant["name"],
        "applicant_phone": applicant["phone"],
        **extra,
    }
    if applicant["type"] == "natural_person":
        fields["applicant_id_number"] = applicant["id17"] + id_check_char(applicant["id17"])
    else:
        fields["organisation_kind"] = applicant["kind"]
        fields["credit_code"] = applicant["code17"] + credit_check_char(applicant["code17"])
        fields["contact_name"] = applicant["contact"]
    return fields


def submit(row: dict, *, marker: str, organisations: dict) -> InformationRequest:
    case, _code = information_request_submit(
        **applicant_fields(row["applicant"]),
        description=f"{row['description']}{marker}",
        document_number=row["document_number"],
        form=row["form"],
        delivery=row["delivery"],
        organisation=organisations[row["organisation"]].code,
    )
    return case


def apply_step(
    case: InformationRequest, kind: str, args: list, *, marker: str, withdraw_note: str
) -> InformationRequest:
    """One step of a demo request, through the real actions."""
    if kind == "accept":
        return case_act(case, action="accept")
    if kind == "correct":
        return case_act(case, action="request_correction", data={"items": args[0]})
    if kind == "fix":  # the corrected description replaces the old one: keep the marker
        return information_request_submit_correction(case, description=f"{args[0]}{marker}")
    if kind == "consult":
        return case_act(case, action="start_consultation", data={"third_party": args[0]})
    if kind == "extend":
        return case_act(case, action="extend", data={"days": args[0], "reason": args[1]})
    if kind == "reply":
        reply_type, reason, body = args
        letter = LETTER.format(
            name=case.applicant_name, received=cn_date(case.received_on), body=body
        )
        return case_act(
            case,
            action="reply",
            data={"reply_type": reply_type, "reason": reason, "letter": letter},
        )
    if kind == "withdraw":
        return case_withdraw(case, note=withdraw_note)
    raise ValueError(kind)


def _load_back_dated(row: dict, *, marker: str, organisations: dict) -> InformationRequest:
    today = timezone.localdate()
    with demo_clock() as clock:
        clock.set(today - timedelta(days=row["days_ago"]), time(9, 30))
        case = submit(row, marker=marker, organisations=organisations)
        day = case.received_on
        for days, kind, *args in row["steps"]:
            day = add_working_days(day, days)
            if day > today:
                raise ValueError(f"demo request {marker}: step {kind} would be in the future")
            clock.set(day, time(10, 0))
            case = apply_step(
                case, kind, args, marker=marker, withdraw_note="申请人来电表示已通过其他途径获得"
            )
    return case


def load(*, organisations: dict, stdout=None) -> str:
    """Create the demo requests that do not exist yet. A deadline in next year before its
    schedule is entered is provisional (预计, portal/workdays.py); a request whose dates reach a
    year the calendar cannot count even provisionally is skipped and counted in the summary; a
    later run creates it."""
    created = skipped = 0
    with transaction.atomic():
        for n, row in enumerate(read_fixture("disclosure/requests.json"), 1):
            marker = MARKER.format(n=n)
            if InformationRequest.objects.filter(description__endswith=marker).exists():
                continue
            try:
                with transaction.atomic():
                    if row.get("days_ago"):
                        _load_back_dated(row, marker=marker, organisations=organisations)
                    else:
                        case = submit(row, marker=marker, organisations=organisations)
                        for kind, *args in row["steps"]:
                            case = apply_step(
                                case,
                                kind,
                                args,
                                marker=marker,
                                withdraw_note="申请人来电表示已通过其他途径获得",
                            )
            except (WorkdayCalendarError, CalendarMissing):  # no calendar data yet
                skipped += 1
                continue
            created += 1
    total = InformationRequest.objects.filter(description__contains="〔演示").count()
    summary = f"依申请公开：新建{created}件，演示申请共{total}件"
    if skipped:
        summary += f"，{skipped}件因工作日历缺少下一年度数据暂未生成"
    if stdout is not None:
        stdout.write(summary)
    return summary
