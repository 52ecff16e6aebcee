"""Demo 依申请公开 history for the 区县排位 (/hdjl/pw/): a year of answered requests to each
district bureau (portal/demo/case_history.py), 予以公开 or 部分公开. The bureau's own requests and
its 2025 annual report are not touched (the districts' requests are not in the bureau's report)."""

from datetime import timedelta

from portal.demo.case_history import load_history

from ..requests.models import InformationRequest

TOPICS = ("本区最低生活保障资金发放情况", "本区养老服务补贴标准", "本区社区事务受理中心办件统计")


def load(*, stdout=None) -> str:
    def fields(rng, district, day):
        return {
            "applicant_type": "natural_person",
            "description": f"申请公开{rng.choice(TOPICS)}（演示数据）。",
            "form": "electronic",
            "delivery": "email",
            "received_on": day,
            "reply_type": rng.choice(("disclose", "disclose", "partial")),
            "reply_letter": "经审查，现将所申请的政府信息提供给您（演示数据）。",
            "replied_on": day + timedelta(days=rng.randint(10, 25)),
        }

    created = load_history(
        InformationRequest,
        seed=2026_1503,
        per_month=(12, 16),
        limit_days=20,
        statuses=("replied",),
        fields=fields,
    )
    summary = f"区县排位依申请公开：新建{created}件"
    if stdout is not None:
        stdout.write(summary)
    return summary
