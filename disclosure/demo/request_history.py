"""Demo 依申请公开 history for the 2025 annual report: twenty requests to the city bureau and the
two demo district bureaus, received from December 2024 to December 2025 — applicants of every
column of table 三, replies of several Art. 36 types and reasons, one withdrawal, one request
carried over from 2024 and two carried forward into 2026 (replied in January 2026).

Each request is created through the real actions (numbers, receipt dates, deadlines, corrections,
extensions and replies computed by the real code) under `portal.demo.clock`, every step at its own
moment; the timeline entries are dated the same. Idempotent like requests.py: a request is keyed
by the marker at the end of its description and created only if no request carries it yet."""

from datetime import date, time

from django.db import transaction

from portal.demo.clock import demo_clock
from portal.demo.site import read_fixture
from portal.workdays import add_working_days

from ..requests.models import InformationRequest
from .requests import apply_step, submit

MARKER = "〔往年演示{n:02d}〕"
# fixtures/disclosure/request_history.json: requests as in disclosure/demo/requests.py, with the day each was
# submitted, and each step starting with the working days after the previous step (after the
# receipt date for the first): [days, "accept"], [days, "reply", type, reason, body], ...


def load(*, organisations: dict, stdout=None) -> str:
    """Create the history requests that do not exist yet (one transaction)."""
    created = 0
    with transaction.atomic(), demo_clock() as clock:
        for n, row in enumerate(read_fixture("disclosure/request_history.json"), 1):
            marker = MARKER.format(n=n)
            if InformationRequest.objects.filter(description__endswith=marker).exists():
                continue
            clock.restart()
            clock.set(date.fromisoformat(row["submitted"]), time(9, 30 + n))
            case = submit(row, marker=marker, organisations=organisations)
            day = case.received_on
            for days, kind, *args in row["steps"]:
                day = add_working_days(day, days)
                clock.set(day, time(10 + n % 6, 5 * (n % 10)))
                case = apply_step(
                    case,
                    kind,
                    args,
                    marker=marker,
                    withdraw_note="申请人表示已通过其他途径获得所需信息",
                )
            created += 1
    total = InformationRequest.objects.filter(description__contains="〔往年演示").count()
    summary = f"依申请公开历史（2025年度报告）：新建{created}件，共{total}件"
    if stdout is not None:
        stdout.write(summary)
    return summary
