"""The annual report's tables in the official layout (国办公开办函〔2021〕30号), built once as a grid
of cells (text, colspan, rowspan, header or data) that the HTML template, the XLSX and the CSV
downloads all render — so the three always agree. Also the server-rendered SVG charts.

Everything here is pure Python over a page's frozen figures and entered fields: no queries."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from disclosure.requests.rules import REPLY_REASONS, ReplyType

from .figures import APPLICANT_COLUMNS, CATEGORY_LABELS, COLUMN_KEYS, TOTAL, decimal_text


@dataclass
class Cell:
    text: str = ""
    value: int | Decimal | None = None  # a number (data cell); None for a label
    header: bool = False
    scope: str = ""
    colspan: int = 1
    rowspan: int = 1

    @property
    def display(self) -> str:
        if self.value is None:
            return self.text
        return decimal_text(self.value) if isinstance(self.value, Decimal) else str(self.value)


def th(text, scope="row", colspan=1, rowspan=1) -> Cell:
    return Cell(str(text), header=True, scope=scope, colspan=colspan, rowspan=rowspan)


def td(value, colspan=1) -> Cell:
    return Cell(value=value, colspan=colspan)


@dataclass
class Table:
    key: str
    number: str  # 二 / 三 / 四
    caption: str
    width: int  # columns of the grid
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)

    def grid(self) -> list[list[tuple[Cell | None, bool]]]:
        """The table as a full grid: each position holds (cell, is_origin); a merged area repeats
        its cell with is_origin False. The HTML table layout algorithm, for XLSX and CSV."""
        rows = self.head + self.body
        grid: list[list[tuple[Cell | None, bool]]] = [[(None, False)] * self.width for _ in rows]
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while c < self.width and grid[r][c][0] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if r + dr < len(grid) and c + dc < self.width:
                            grid[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        return grid


def _entered(page) -> dict:
    computed = (page.figures or {}).get("licence_decisions")
    return {
        "licences": page.licence_decisions if page.licence_decisions is not None else computed,
        "licences_computed": computed,
        "penalties": page.penalty_decisions,
        "enforcement": page.enforcement_decisions,
        "fees": Decimal(page.fee_amount or 0),
    }


def table2(page) -> Table:
    documents = (page.figures or {}).get("documents") or {}
    entered = _entered(page)
    t = Table("table2", "二", _("二、主动公开政府信息情况"), 4)

    def counts(name):
        row = documents.get(name) or {}
        return [td(int(row.get(k, 0))) for k in ("issued", "repealed", "in_force")]

    t.body = [
        [th(_("第二十条第（一）项"), "colgroup", colspan=4)],
        [
            th(_("信息内容"), "col"),
            th(_("本年制发件数"), "col"),
            th(_("本年废止件数"), "col"),
            th(_("现行有效件数"), "col"),
        ],
        [th(_("规章")), *counts("regulations")],
        [th(_("行政规范性文件")), *counts("normative")],
        [th(_("第二十条第（五）项"), "colgroup", colspan=4)],
        [th(_("信息内容"), "col"), th(_("本年处理决定数量"), "col", colspan=3)],
        [th(_("行政许可")), td(entered["licences"] or 0, colspan=3)],
        [th(_("第二十条第（六）项"), "colgroup", colspan=4)],
        [th(_("信息内容"), "col"), th(_("本年处理决定数量"), "col", colspan=3)],
        [th(_("行政处罚")), td(entered["penalties"] or 0, colspan=3)],
        [th(_("行政强制")), td(entered["enforcement"] or 0, colspan=3)],
        [th(_("第二十条第（八）项"), "colgroup", colspan=4)],
        [th(_("信息内容"), "col"), th(_("本年收费金额（单位：万元）"), "col", colspan=3)],
        [th(_("行政事业性收费")), td(entered["fees"], colspan=3)],
    ]
    return t


def _values(cols: dict) -> list[Cell]:
    return [td(int(cols.get(key, 0))) for key in COLUMN_KEYS]


def table3(page) -> Table:
    requests = (page.figures or {}).get("requests") or {}
    outcomes = requests.get("outcomes") or {}
    t = Table("table3", "三", _("三、收到和处理政府信息公开申请情况"), 10)
    t.head = [
        [
            th(
                _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
                "col",
                colspan=3,
                rowspan=3,
            ),
            th(_("申请人情况"), "colgroup", colspan=7),
        ],
        [
            th(_("自然人"), "col", rowspan=2),
            th(_("法人或其他组织"), "colgroup", colspan=5),
            th(_("总计"), "col", rowspan=2),
        ],
        [th(label, "col") for _key, label in APPLICANT_COLUMNS[1:]],
    ]
    body = [
        [th(_("一、本年新收政府信息公开申请数量"), colspan=3), *_values(requests.get("new", {}))],
        [
            th(_("二、上年结转政府信息公开申请数量"), colspan=3),
            *_values(requests.get("carried_over", {})),
        ],
    ]
    result_rows = []
    for reply_type in ReplyType:
        label = CATEGORY_LABELS[reply_type]
        reasons = REPLY_REASONS[reply_type]
        if not reasons:
            result_rows.append([th(label, colspan=2), *_values(outcomes.get(reply_type.value, {}))])
            continue
        for n, (slug, reason_label) in enumerate(reasons, 1):
            row = [th(f"{n}.{reason_label}"), *_values(outcomes.get(f"{reply_type}:{slug}", {}))]
            if n == 1:
                row.insert(0, th(label, "rowgroup", rowspan=len(reasons)))
            result_rows.append(row)
    handled = {key: sum(int(o.get(key, 0)) for o in outcomes.values()) for key in COLUMN_KEYS}
    result_rows.append([th(_("（七）总计"), colspan=2), *_values(handled)])
    result_rows[0].insert(0, th(_("三、本年度办理结果"), "rowgroup", rowspan=len(result_rows)))
    body.extend(result_rows)
    body.append(
        [th(_("四、结转下年度继续办理"), colspan=3), *_values(requests.get("carried_forward", {}))]
    )
    t.body = body
    return t


REVIEW_FIELDS = ("upheld", "corrected", "other", "pending")


def review_groups(page) -> list[tuple[str, list[int]]]:
    """Table 四's three groups, each five numbers; 总计 is the sum, never typed."""
    groups = []
    for prefix, label in (
        ("review", _("行政复议")),
        ("litigation_direct", _("未经复议直接起诉")),
        ("litigation_after_review", _("复议后起诉")),
    ):
        values = [int(getattr(page, f"{prefix}_{name}") or 0) for name in REVIEW_FIELDS]
        groups.append((label, [*values, sum(values)]))
    return groups


def table4(page) -> Table:
    t = Table("table4", "四", _("四、政府信息公开行政复议、行政诉讼情况"), 15)
    five = [_("结果维持"), _("结果纠正"), _("其他结果"), _("尚未审结"), _("总计")]
    t.head = [
        [th(_("行政复议"), "colgroup", colspan=5), th(_("行政诉讼"), "colgroup", colspan=10)],
        [
            *[th(label, "col", rowspan=2) for label in five],
            th(_("未经复议直接起诉"), "colgroup", colspan=5),
            th(_("复议后起诉"), "colgroup", colspan=5),
        ],
        [th(label, "col") for label in five * 2],
    ]
    t.body = [[td(v) for _label, values in review_groups(page) for v in values]]
    return t


def report_tables(page) -> list[Table]:
    return [table2(page), table3(page), table4(page)]


# -- charts ------------------------------------------------------------------------------------

BAR_COLOURS = ("#1f5fa8", "#2f8f5b", "#b5651d", "#7a4fa3", "#a83232", "#4f6f7a")


def bar_chart_html(*, chart_id: str, title: str, bars: list[tuple[str, int]]) -> str:
    """A horizontal bar chart that is its own data table: a visible title, the labels as HTML text
    (readable at the page's font size at any width, wrapping on a phone), each bar a tiny SVG whose
    length is a percentage (presentation attributes only: no style attribute, no script) beside
    the number. Screen readers read the table; the bars are hidden from them."""
    biggest = max([v for _l, v in bars] + [1])
    parts = [
        f'<figcaption id="{chart_id}-title" class="chart-title">{escape(title)}</figcaption>',
        f'<table class="chart-table" id="{chart_id}" aria-labelledby="{chart_id}-title">',
        f'<thead class="visually-hidden"><tr><th scope="col">{escape(_("类别"))}</th>'
        f'<th scope="col">{escape(_("件数"))}</th></tr></thead><tbody>',
    ]
    for n, (label, value) in enumerate(bars):
        percent = round(100 * value / biggest, 1)
        colour = BAR_COLOURS[n % len(BAR_COLOURS)]
        parts.append(
            f'<tr><th scope="row">{escape(label)}</th><td><span class="chart-bar">'
            f'<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" '
            f'width="100%" height="16"><rect width="{percent}%" height="16" fill="{colour}"/>'
            f'</svg><span class="chart-value">{value}</span></span></td></tr>'
        )
    parts.append("</tbody></table>")
    return "".join(parts)


def report_charts(page) -> list[str]:
    requests = (page.figures or {}).get("requests") or {}
    outcomes = requests.get("outcomes") or {}
    by_category = []
    for reply_type in ReplyType:
        total = sum(
            int(cols.get(TOTAL, 0))
            for key, cols in outcomes.items()
            if key.split(":")[0] == reply_type.value
        )
        by_category.append((str(CATEGORY_LABELS[reply_type]).split("（区分")[0], total))
    new = requests.get("new") or {}
    by_applicant = [(str(label), int(new.get(key, 0))) for key, label in APPLICANT_COLUMNS]
    return [
        bar_chart_html(
            chart_id="chart-outcomes",
            title=_("%(year)d年政府信息公开申请办理结果（件）") % {"year": page.year},
            bars=by_category,
        ),
        bar_chart_html(
            chart_id="chart-applicants",
            title=_("%(year)d年新收政府信息公开申请按申请人类型（件）") % {"year": page.year},
            bars=by_applicant,
        ),
    ]


# -- downloads ---------------------------------------------------------------------------------


def report_csv(page) -> bytes:
    """All three tables, one after another, as CSV in UTF-8 with a BOM (so Excel reads Chinese).
    A merged cell's text is in its first position, the rest of its area is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([page.title])
    for table in report_tables(page):
        writer.writerow([])
        writer.writerow([table.caption])
        for row in table.grid():
            writer.writerow(
                [cell.display if cell is not None and origin else "" for cell, origin in row]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(page) -> bytes:
    """One sheet per table (表二, 表三, 表四), merged header cells as in the official layout, numbers
    stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    for table in report_tables(page):
        sheet = book.create_sheet(_("表%(n)s") % {"n": table.number})
        sheet.cell(row=1, column=1, value=table.caption).font = bold
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=table.width)
        offset = 2
        for r, row in enumerate(table.grid()):
            for c, (cell, origin) in enumerate(row):
                if cell is None or not origin:
                    continue
                target = sheet.cell(row=r + offset, column=c + 1)
                target.value = cell.value if cell.value is not None else cell.text
                target.alignment = wrap
                if cell.header:
                    target.font = bold
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(
                        start_row=r + offset,
                        start_column=c + 1,
                        end_row=r + offset + cell.rowspan - 1,
                        end_column=c + cell.colspan,
                    )
        sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download_filename(page, extension: str) -> str:
    return _("%(year)d年%(organisation)s政府信息公开工作年度报告.%(ext)s") % {
        "year": page.year,
        "organisation": page.organisation.name,
        "ext": extension,
    }
