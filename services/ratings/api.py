"""GET /api/v1/ratings/summary: the published 好差评 figures of an organisation (with its subtree)
for a year or a month (the same figures as /hdjl/hcp/); GET /api/v1/league: the 区县排位 (the same
table as /hdjl/pw/)."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from portal.apiutils import ApiError, ErrorOut
from portal.frontcache.policy import public_cache
from portal.organisations import Organisation

from .league import MEASURES, league_table, period_key
from .selectors import SCORES, rating_summary

router = Router(tags=["ratings"])


class RatingOrganisationOut(Schema):
    code: str
    name: str


class RatingSummaryOut(Schema):
    organisation: RatingOrganisationOut
    period: str = Field(description="“2026” 或 “2026-11”")
    ratings: int = Field(description="评价数（含下级机构）")
    by_score: dict[str, int] = Field(description="各等级评价数，“1”（非常不满意）至“5”（非常满意）")
    good: int = Field(description="好评数：非常满意、满意、基本满意（5、4、3）")
    good_rate: float | None = Field(description="好评率，0–1；评价数不足公开最低样本量时为 null")
    bad: int = Field(description="差评数：不满意、非常不满意（2、1）")
    rectified_on_time: int = Field(description="在整改期限内办结整改回访的差评数")
    rectification_rate: float | None = Field(
        description="差评整改率 = 按期整改数 / 差评数，0–1；样本不足或无差评时为 null"
    )
    average_close_days: float | None = Field(
        description="差评从评价到整改回访办结的平均天数；样本不足或无已办结整改时为 null"
    )
    minimum: int = Field(description="公开比率所需的最低评价数")


def _float(value):
    return float(value) if value is not None else None


@router.get(
    "/ratings/summary",
    operation_id="services_api_rating_summary",
    response={200: RatingSummaryOut, 404: ErrorOut, 422: ErrorOut},
    summary="Published 好差评 figures of an organisation (with its subtree) for a year or month",
)
@public_cache
def rating_summary_view(
    request,
    organisation: str = Query(..., pattern=r"^[0-9A-Z]{4,20}$", description="机构代码，含下级机构"),
    year: int = Query(..., ge=2000, le=2100),
    month: int | None = Query(None, ge=1, le=12),
):
    """好差评结果公开: ratings of the organisation and every organisation below it in the year (or
    the month), counts per level, 好评率, 差评 and 差评整改率. Rates are decimals from 0 to 1, null
    below the publication minimum of ratings (`minimum`)."""
    org = Organisation.objects.filter(code=organisation, live=True, is_active=True).first()
    if org is None:
        raise ApiError(
            404,
            _("没有代码为“%(code)s”的机构。") % {"code": organisation},
            {"organisation": [_("机构不存在。")]},
        )
    figures = rating_summary(organisation=org, year=year, month=month)
    return {
        "organisation": {"code": org.code, "name": org.name},
        "period": f"{year}" if month is None else f"{year}-{month:02d}",
        "ratings": figures.ratings,
        "by_score": {key: figures.by_score[key] for key in SCORES},
        "good": figures.good,
        "good_rate": _float(figures.good_rate),
        "bad": figures.bad,
        "rectified_on_time": figures.rectified_on_time,
        "rectification_rate": _float(figures.rectification_rate),
        "average_close_days": _float(figures.average_close_days),
        "minimum": figures.minimum,
    }


class LeagueWeightsOut(Schema):
    satisfaction: int = Field(description="满意率权重（百分比）")
    on_time: int = Field(description="按时办结率权重")
    rectification: int = Field(description="差评整改率权重")
    complaint_on_time: int = Field(description="投诉按期答复率权重")
    disclosure_on_time: int = Field(description="依申请公开按期答复率权重")


class LeagueRowOut(Schema):
    rank: int | None = Field(description="名次；同分同名次；无综合得分时为 null")
    organisation: RatingOrganisationOut
    satisfaction_rate: float | None = Field(description="满意率（好评率），0–1；样本不足为 null")
    on_time_rate: float | None = Field(
        description="按时办结率：在线申请、监督投诉、依申请公开按期办结的比例，0–1；样本不足为 null"
    )
    rectification_rate: float | None = Field(description="差评整改率，0–1；样本不足或无差评为 null")
    complaint_on_time_rate: float | None = Field(description="投诉按期答复率，0–1；样本不足为 null")
    disclosure_on_time_rate: float | None = Field(
        description="依申请公开按期答复率，0–1；样本不足为 null"
    )
    score: float | None = Field(
        description="综合得分，0–100：有数据各项的比率按权重加权平均；均样本不足时为 null"
    )
    change: int | None = Field(
        description="名次变化：上期名次 − 本期名次（正数为上升）；任一期无名次时为 null"
    )


class LeagueOut(Schema):
    period: str = Field(description="“2026” 或 “2026-11”")
    previous_period: str = Field(description="比较名次变化的上一期")
    weights: LeagueWeightsOut
    minimum: int = Field(description="公开比率所需的最低样本量（评价数、办件数）")
    rows: list[LeagueRowOut]


@router.get(
    "/league",
    operation_id="services_api_league",
    response={200: LeagueOut, 422: ErrorOut},
    summary="区县排位: the league table of the district bureaus for a year or month",
)
@public_cache
def league_view(
    request,
    year: int = Query(..., ge=2000, le=2100),
    month: int | None = Query(None, ge=1, le=12),
):
    """区县排位: each district bureau (with its subtree) ranked by the combined score of 满意率, 按时办结率,
    差评整改率, 投诉按期答复率 and 依申请公开按期答复率 with the bureau's weights, and its change of
    rank against the previous period (the month or the year before). The same table as /hdjl/pw/."""
    league = league_table(year=year, month=month)
    return {
        "period": league.period,
        "previous_period": period_key(*league.previous),
        "weights": league.weights,
        "minimum": league.minimum,
        "rows": [
            {
                "rank": row.rank,
                "organisation": {"code": row.code, "name": row.name},
                **{f"{key}_rate": _float(row.rates[key]) for key in MEASURES},
                "score": _float(row.score),
                "change": row.change,
            }
            for row in league.rows
        ],
    }
