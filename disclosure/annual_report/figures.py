"""政府信息公开工作年度报告 (国办公开办函〔2021〕30号 format): the figures, computed from the records.

`annual_report_figures(year=..., organisation=...)` is the selector: a plain, JSON-serialisable dict
(the snapshot an `AnnualReportPage` freezes) built in a fixed number of queries whatever the data
volume (everything is aggregated in the database). `table3_errors(figures)` checks the table's
勾稽关系 一 + 二 = 三(七) + 四 for every column.

Definitions (one date per request, so the check holds for every well-formed record set):
- received: `received_on` (Art. 31 receipt date);
- closed: the local date of `closed_at` (set by the case machinery when a request is replied to or
  withdrawn), but never earlier than the receipt date (a request sent on a holiday and withdrawn
  before its receipt date counts as closed on its receipt date);
- 一 本年新收: received in the year; 二 上年结转: received before the year, not closed before it;
- 三 本年度办理结果: closed in the year, one row per reply type and reason; 申请人撤回 has no row of its
  own in the 2021 format and is counted under （六）其他处理 3.其他; (七) 总计 is the sum of the rows;
- 四 结转下年度继续办理: received by the year's end and not closed by then.

Whose records (条例 Arts. 49–50, each 行政机关 reports on its own): an organ's report counts its own
requests, documents and licence decisions and those of its units (受理中心, internal departments,
window units), never those of another 行政机关 below it (a district bureau, a street office), so no
request is in two statutory reports. A consolidated 汇总 of a subtree is a separate, labelled view.
A record closed in the year that fits no row (corrupted: no or unknown reply type/reason) makes
(七) smaller than 一 + 二 − 四, and the report is refused with the column and the numbers.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.requests.models import InformationRequest, RequestStatus
from disclosure.requests.rules import REPLY_REASONS, ApplicantType, ReplyType
from portal.cases.statistics import licence_decisions
from portal.organisations import reporting_ids, subtree_ids

from ..models import DisclosureDocumentPage

# 体裁 slugs of the catalogue (fixtures/disclosure/catalogue.json).
REGULATION_GENRE = "gz"  # 规章
NORMATIVE_GENRE = "gfxwj"  # 行政规范性文件

# Table 三's columns: the applicant types, in the official order, then 总计.
APPLICANT_COLUMNS: tuple[tuple[str, object], ...] = (
    ("natural_person", gettext_lazy("自然人")),
    ("business", gettext_lazy("商业企业")),
    ("research", gettext_lazy("科研机构")),
    ("public_interest", gettext_lazy("社会公益组织")),
    ("legal_service", gettext_lazy("法律服务机构")),
    ("other", gettext_lazy("其他")),
)
TOTAL = "total"
COLUMN_KEYS = tuple(key for key, _label in APPLICANT_COLUMNS) + (TOTAL,)

# Table 三 (三)'s categories with the official labels (the 2021 format's wording).
CATEGORY_LABELS = {
    ReplyType.DISCLOSE: gettext_lazy("（一）予以公开"),
    ReplyType.PARTIAL: gettext_lazy("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ReplyType.WITHHOLD: gettext_lazy("（三）不予公开"),
    ReplyType.UNABLE: gettext_lazy("（四）无法提供"),
    ReplyType.NOT_PROCESSED: gettext_lazy("（五）不予处理"),
    ReplyType.OTHER: gettext_lazy("（六）其他处理"),
}
WITHDRAWN_ROW = f"{ReplyType.OTHER.value}:other"  # 申请人撤回 → （六）其他处理 3.其他


def outcome_keys() -> list[str]:
    """The outcome rows' keys in the official order: a type without reasons is one row (its slug),
    a type with reasons one row per reason (`type:reason`)."""
    keys = []
    for reply_type in ReplyType:
        reasons = REPLY_REASONS[reply_type]
        if not reasons:
            keys.append(reply_type.value)
        keys.extend(f"{reply_type.value}:{slug}" for slug, _label in reasons)
    return keys


class AnnualReportInconsistent(Exception):
    """The figures break the table's 勾稽关系; the message names the column and the numbers."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


def _year_bounds(year: int) -> tuple[date, date, datetime, datetime]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    tz = timezone.get_current_timezone()
    return (
        start,
        end,
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz),
    )


def _column(applicant_type: str, organisation_kind: str) -> str:
    if applicant_type == ApplicantType.NATURAL_PERSON:
        return "natural_person"
    valid = {key for key, _label in APPLICANT_COLUMNS[1:]}
    return organisation_kind if organisation_kind in valid else "other"


def _outcome_key(status: str, reply_type: str, reason: str) -> str | None:
    if status == RequestStatus.WITHDRAWN:
        return WITHDRAWN_ROW
    if status != RequestStatus.REPLIED or reply_type not in ReplyType.values:
        return None
    reasons = dict(REPLY_REASONS[reply_type])
    if not reasons:
        return reply_type if not reason else None
    return f"{reply_type}:{reason}" if reason in reasons else None


def _zeros() -> dict[str, int]:
    return dict.fromkeys(COLUMN_KEYS, 0)


def request_table(*, year: int, organisation_ids: set[int] | None) -> dict:
    """Table 三's numbers: {"new", "carried_over", "outcomes": {key: cols}, "handled",
    "carried_forward"}, each a {column: count} dict including "total". One query."""
    start, _end, start_at, next_start_at = _year_bounds(year)
    end = date(year, 12, 31)
    closed_by_end = Q(closed_at__isnull=False, closed_at__lt=next_start_at)
    qs = InformationRequest.objects.filter(received_on__lte=end).filter(
        Q(received_on__gte=start) | Q(closed_at__isnull=True) | Q(closed_at__gte=start_at)
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    groups = (
        qs.order_by()
        .values("applicant_type", "organisation_kind", "status", "reply_type", "reply_reason")
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=start)),
            carried_over=Count("pk", filter=Q(received_on__lt=start)),
            closed=Count("pk", filter=closed_by_end),
            open_at_end=Count("pk", filter=~closed_by_end),
        )
    )
    table = {
        "new": _zeros(),
        "carried_over": _zeros(),
        "outcomes": {key: _zeros() for key in outcome_keys()},
        "handled": _zeros(),
        "carried_forward": _zeros(),
    }
    for group in groups:
        column = _column(group["applicant_type"], group["organisation_kind"])
        for name, field in (
            ("new", "new"),
            ("carried_over", "carried_over"),
            ("carried_forward", "open_at_end"),
        ):
            table[name][column] += group[field]
            table[name][TOTAL] += group[field]
        key = _outcome_key(group["status"], group["reply_type"], group["reply_reason"])
        if key is not None and group["closed"]:
            for col in (column, TOTAL):
                table["outcomes"][key][col] += group["closed"]
                table["handled"][col] += group["closed"]
    return table


def document_table(*, year: int, organisation_ids: set[int] | None) -> dict:
    """Table 二 (第二十条第（一）项): 规章 and 行政规范性文件 issued (written, else published, in the
    year), repealed/expired in the year and in force at the year's end. One query."""
    start, end, _s, _e = _year_bounds(year)
    qs = DisclosureDocumentPage.objects.live().filter(
        genre__slug__in=(REGULATION_GENRE, NORMATIVE_GENRE)
    )
    if organisation_ids is not None:
        qs = qs.filter(issuing_organisation_id__in=organisation_ids)
    rows = (
        qs.annotate(issued_on=Coalesce("written_date", "published_date"))
        .order_by()
        .values("genre__slug")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__gte=start, issued_on__lte=end)),
            repealed=Count("pk", filter=Q(repealed_date__gte=start, repealed_date__lte=end)),
            in_force=Count(
                "pk",
                filter=Q(issued_on__lte=end)
                & (Q(repealed_date__isnull=True) | Q(repealed_date__gt=end)),
            ),
        )
    )
    empty = {"issued": 0, "repealed": 0, "in_force": 0}
    table = {"regulations": dict(empty), "normative": dict(empty)}
    for row in rows:
        name = "regulations" if row["genre__slug"] == REGULATION_GENRE else "normative"
        table[name] = {k: row[k] for k in empty}
    return table


SCOPE_ORGAN = "organ"  # a statutory report: the organ and its units
SCOPE_CONSOLIDATED = "consolidated"  # 汇总: a whole subtree, for oversight; not a statutory report


def annual_report_figures(*, year: int, organisation=None, consolidated: bool = False) -> dict:
    """Every computed figure for `year` of `organisation`'s statutory report: its own records and
    its units' (`portal.organisations.reporting_ids`: a district bureau or street office below
    reports on its own and is not counted) — tables 二 and 三 alike. `consolidated=True` gives
    the 汇总 of the whole subtree instead (the bureau's oversight statistics; never a statutory
    report). None = every organisation. At most four queries."""
    if organisation is None:
        ids = None
    elif consolidated:
        ids = subtree_ids(organisation)
    else:
        ids = reporting_ids(organisation)
    return {
        "year": year,
        "scope": SCOPE_CONSOLIDATED if consolidated else SCOPE_ORGAN,
        "organisation": organisation.code if organisation is not None else "",
        "documents": document_table(year=year, organisation_ids=ids),
        "licence_decisions": licence_decisions(year=year, organisation_ids=ids),
        "requests": request_table(year=year, organisation_ids=ids),
    }


def column_label(key: str) -> str:
    return str(dict(APPLICANT_COLUMNS).get(key, _("总计")))


def table3_errors(figures: dict) -> list[str]:
    """The 勾稽关系 of table 三 for every column: 一 + 二 = 三(七) + 四. Empty when it holds; else one
    specific message per failing column. (七) is re-added from the rows, never trusted."""
    requests = figures.get("requests") or {}
    errors = []
    try:
        for column in COLUMN_KEYS:
            new = int(requests["new"][column])
            carried_over = int(requests["carried_over"][column])
            handled = sum(int(row[column]) for row in requests["outcomes"].values())
            carried_forward = int(requests["carried_forward"][column])
            if new + carried_over != handled + carried_forward:
                errors.append(
                    _(
                        "表三“%(column)s”列不平衡：本年新收%(new)d件＋上年结转%(over)d件＝"
                        "%(left)d件，而本年度办理结果总计%(handled)d件＋结转下年度%(forward)d件＝"
                        "%(right)d件，两者应相等。请核对该类申请人的申请记录（如答复类型或理由缺失）。"
                    )
                    % {
                        "column": column_label(column),
                        "new": new,
                        "over": carried_over,
                        "left": new + carried_over,
                        "handled": handled,
                        "forward": carried_forward,
                        "right": handled + carried_forward,
                    }
                )
    except (KeyError, TypeError, ValueError, AttributeError):
        errors.append(_("表三数据不完整，请重新生成年度报告数据。"))
    return errors


def check_table3(figures: dict) -> None:
    errors = table3_errors(figures)
    if errors:
        raise AnnualReportInconsistent(errors)


def decimal_text(value) -> str:
    """万元 amounts without trailing zeros: 12.5000 → 12.5, 0E-4 → 0."""
    value = Decimal(value or 0)
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"
