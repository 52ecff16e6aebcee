"""好差评结果公开 (/hdjl/hcp/): how the figures are shown — the rates as percentages or "样本不足",
the columns of every table, and the XLSX download (numbers stored as numbers)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from .selectors import RatingFigures, RatingTables


def percent(rate: Decimal | None) -> str:
    return f"{rate * 100:.1f}%" if rate is not None else ""


def good_rate_text(f: RatingFigures) -> str:
    return percent(f.good_rate) if f.publishable else _("样本不足")


def rectification_text(f: RatingFigures) -> str:
    if not f.publishable:
        return _("样本不足")
    if not f.bad:
        return _("无差评")
    return percent(f.rectification_rate)


def close_days_text(f: RatingFigures) -> str:
    if not f.publishable:
        return _("样本不足")
    if f.average_close_days is None:
        return "—"
    return str(f.average_close_days)


def period_label(year: int, month: int | None) -> str:
    if month is None:
        return _("%(year)d年") % {"year": year}
    return _("%(year)d年%(month)d月") % {"year": year, "month": month}


def headers(first: str) -> list[str]:
    return [
        first,
        _("评价数"),
        _("非常满意"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("非常不满意"),
        _("好评率"),
        _("差评数"),
        _("按期整改"),
        _("差评整改率"),
        _("平均整改用时（天）"),
    ]


def sections(tables: RatingTables) -> list[tuple[str, str, list]]:
    """(title, first column, rows) of every table, in the page's order."""
    result = [
        (_("各区"), _("区民政局"), tables.districts),
        (_("各机构（含下级机构）"), _("机构"), tables.organisations),
        (_("各办理事项"), _("办理事项"), tables.services),
    ]
    if tables.months:
        result.append((_("各月"), _("月份"), tables.months))
    return result


def ratings_xlsx(tables: RatingTables) -> bytes:
    """One sheet per table; counts and rates as numbers (a rate withheld is the text 样本不足)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    period = period_label(tables.year, tables.month)
    for title, first, rows in sections(tables):
        sheet = book.create_sheet(title[:31])
        sheet.cell(
            row=1,
            column=1,
            value=_("好差评结果公开 %(period)s %(title)s")
            % {
                "period": period,
                "title": title,
            },
        ).font = bold
        for c, text in enumerate(headers(first), start=1):
            sheet.cell(row=2, column=c, value=text).font = bold
        for r, row in enumerate(rows, start=3):
            f = row.figures
            values = [
                row.label,
                f.ratings,
                f.by_score["5"],
                f.by_score["4"],
                f.by_score["3"],
                f.by_score["2"],
                f.by_score["1"],
                float(f.good_rate) if f.good_rate is not None else good_rate_text(f),
                f.bad,
                f.rectified_on_time,
                float(f.rectification_rate)
                if f.rectification_rate is not None
                else rectification_text(f),
                float(f.average_close_days)
                if f.average_close_days is not None
                else close_days_text(f),
            ]
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if c in (8, 11) and isinstance(value, float):
                    cell.number_format = "0.0%"
        sheet.cell(
            row=len(rows) + 4,
            column=1,
            value=_(
                "好评为非常满意、满意、基本满意；差评为不满意、非常不满意；评价数少于%(n)d件的不公开比率。"
            )
            % {"n": tables.minimum},
        )
        sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- 区县排位 (/hdjl/pw/) ---------------------------------------------------------------------------


def league_measures() -> list[tuple[str, str]]:
    """(key, label) of the league's measures, in the table's order."""
    from .models import LEAGUE_MEASURES

    return [(key, str(label)) for key, label, _default in LEAGUE_MEASURES]


def league_headers() -> list[str]:
    return [
        _("名次"),
        _("区民政局"),
        *[label for _key, label in league_measures()],
        _("综合得分"),
        _("上期名次"),
        _("名次变化"),
    ]


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return _("上升%(n)d位") % {"n": change}
    if change < 0:
        return _("下降%(n)d位") % {"n": -change}
    return _("持平")


def league_rate_text(rate: Decimal | None) -> str:
    return percent(rate) if rate is not None else _("样本不足")


def weights_text(weights: dict[str, int]) -> str:
    return "，".join(
        _("%(label)s%(w)d%%") % {"label": label, "w": weights[key]}
        for key, label in league_measures()
    )


def league_xlsx(league) -> bytes:
    """The league as one sheet (rates and scores as numbers, a rate withheld is 样本不足), with the
    weights and the method below it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("区县排位")
    bold = Font(bold=True)
    period = period_label(league.year, league.month)
    sheet.cell(row=1, column=1, value=_("区县排位 %(period)s") % {"period": period}).font = bold
    for c, text in enumerate(league_headers(), start=1):
        sheet.cell(row=2, column=c, value=text).font = bold
    keys = [key for key, _label in league_measures()]
    for r, row in enumerate(league.rows, start=3):
        values = [row.rank if row.rank is not None else "—", row.name]
        values += [float(row.rates[k]) if row.rates[k] is not None else _("样本不足") for k in keys]
        values += [
            float(row.score) if row.score is not None else "—",
            row.previous_rank if row.previous_rank is not None else "—",
            row.change if row.change is not None else "—",
        ]
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if 3 <= c < 3 + len(keys) and isinstance(value, float):
                cell.number_format = "0.0%"
            elif c == 3 + len(keys) and isinstance(value, float):
                cell.number_format = "0.00"
    below = len(league.rows) + 4
    sheet.cell(row=below, column=1, value=_("权重：%(w)s") % {"w": weights_text(league.weights)})
    sheet.cell(
        row=below + 1,
        column=1,
        value=_(
            "综合得分＝各项比率按权重加权平均×100；某项样本不足（少于%(n)d件）时不公开该项比率，"
            "该项不计分，其余各项按权重比例折算。名次变化与上一期比较，正数为上升。"
        )
        % {"n": league.minimum},
    )
    sheet.column_dimensions["B"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
