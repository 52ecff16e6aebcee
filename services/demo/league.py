"""Demo case history for the 区县排位 (/hdjl/pw/): a year of finished online applications and
监督投诉 per district (portal/demo/case_history.py), each district with its own punctuality, and
the bureau's default weights (区县排位权重)."""

from portal.demo.case_history import load_history
from portal.organisations import subtree_ids
from services.models import Application, Complaint, ServiceGuidePage
from services.ratings.league import league_weights

COMPLAINT_SUBJECTS = (
    "窗口等候时间过长",
    "办事指南材料说明不清",
    "工作人员解释不耐心",
    "电话无人接听",
)


def load(*, stdout=None) -> str:
    guides = list(
        ServiceGuidePage.objects.live()
        .filter(organisation__live=True)
        .select_related("organisation")
        .order_by("pk")
    )
    by_district: dict = {}

    def application_fields(rng, district, day):
        if district.pk not in by_district:
            ids = subtree_ids(district)
            by_district[district.pk] = [g for g in guides if g.organisation_id in ids]
        guide = rng.choice(by_district[district.pk] or guides)
        return {"service": guide, "organisation": guide.organisation}

    def complaint_fields(rng, district, day):
        return {
            "subject": rng.choice(COMPLAINT_SUBJECTS),
            "content": "投诉内容（演示数据）。",
            "category": "service_item",
        }

    applications = 0
    if guides:
        applications = load_history(
            Application,
            seed=2026_1501,
            per_month=(30, 45),
            limit_days=20,
            statuses=("completed", "rejected"),
            fields=application_fields,
        )
    complaints = load_history(
        Complaint,
        seed=2026_1502,
        per_month=(12, 18),
        limit_days=15,
        statuses=("replied", "rejected"),
        fields=complaint_fields,
    )
    weights = league_weights()  # creates the row with the default weights
    summary = (
        f"区县排位办件：新建在线申请{applications}件、投诉{complaints}件；"
        f"综合得分权重{'/'.join(str(w) for w in weights.values())}"
    )
    if stdout is not None:
        stdout.write(summary)
    return summary
