"""The booklet and the card as PDF bytes (fpdf2 with the receipt's CJK font, embedded as a
subset; the QR code is the receipt's). No database here: the callers pass `GuideSheet`s."""

import io
import math
from datetime import datetime

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from portal.formats import cn_date

from ..applications.receipt import _cjk_font, qr_png
from .selectors import GuideSheet

FONT = "cjk"
TOC_LINE = 8  # mm per table-of-contents entry
TOC_TOP = 42  # mm used by the heading of the first TOC page
MARGIN = 18


class _Document(FPDF):
    """A4/A5 with the CJK font loaded and an optional running footer."""

    footer_text = ""
    number_from = 2  # the cover has no page number

    def __init__(self, *, format="A4"):
        super().__init__(orientation="P", unit="mm", format=format)
        path, index = _cjk_font()
        self.add_font(FONT, fname=path, collection_font_number=index)
        self.set_creator("阳光政务")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def footer(self):
        if not self.footer_text or self.page_no() < self.number_from:
            return
        self.set_y(-MARGIN)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(self.width / 2, 6, self.footer_text)
        self.cell(self.width / 2, 6, _("第 %(n)s 页") % {"n": self.page_no()}, align="R")
        self.set_text_color(0)

    def fitted(self, text: str, width: float) -> str:
        """`text` cut with an ellipsis so that it fits on one line of `width`."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        self.set_font(FONT, size=size)
        self.set_fill_color(235, 240, 247)
        self.multi_cell(self.width, size * 0.6, text, fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, size: float = 10.5, line: float | None = None) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(self.width, line or size * 0.55, text or "—", new_x="LMARGIN", new_y="NEXT")


def _date(value: datetime | None) -> str:
    return cn_date(value) if value else "—"


def toc_pages(count: int, *, page_height: float = 297) -> int:
    """How many pages the table of contents of `count` entries takes (one line each, a new page
    when the next line would pass `_toc_limit`), as `_render_toc` lays them out."""
    limit = _toc_limit(page_height)
    first = int((limit - TOC_TOP) // TOC_LINE)
    rest = int((limit - MARGIN) // TOC_LINE)
    if count <= first:
        return 1
    return 1 + math.ceil((count - first) / rest)


def _toc_limit(page_height: float) -> float:
    return page_height - MARGIN - 6


def _render_toc(pdf: _Document, outline) -> None:
    pdf.set_font(FONT, size=18)
    pdf.cell(pdf.width, 14, _("目录"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(TOC_TOP - MARGIN - 14)
    pdf.set_font(FONT, size=11)
    number_width = 16
    for n, section in enumerate(outline, 1):
        if pdf.get_y() + TOC_LINE > _toc_limit(pdf.h):
            pdf.add_page()
        pdf.set_font(FONT, size=11)
        title = pdf.fitted(f"{n}. {section.name}", pdf.width - number_width - 4)
        link = pdf.add_link(page=section.page_number)
        pdf.cell(pdf.width - number_width, TOC_LINE, title, link=link)
        pdf.cell(number_width, TOC_LINE, str(section.page_number), align="R", link=link)
        pdf.ln(TOC_LINE)


def _guide_section(pdf: _Document, sheet: GuideSheet, *, site_url: str, new_page: bool) -> None:
    if new_page:
        pdf.add_page()
    pdf.start_section(sheet.title)
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(pdf.width, 9, sheet.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(80)
    pdf.multi_cell(
        pdf.width,
        5,
        _("事项编码：%(code)s　实施主体：%(org)s　主题：%(topic)s　更新：%(date)s")
        % {
            "code": sheet.code,
            "org": sheet.organisation,
            "topic": sheet.topic,
            "date": _date(sheet.updated_at),
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0)
    if sheet.summary:
        pdf.ln(1)
        pdf.para(sheet.summary)

    pdf.heading(_("受理条件"), 12)
    pdf.para(sheet.conditions or _("详见办事指南网页。"))

    pdf.heading(_("申请材料"), 12)
    _materials_table(pdf, sheet, size=9.5)

    pdf.heading(_("办理时限"), 12)
    pdf.para(
        _(
            "%(type)s；法定办结时限：%(statutory)s；承诺办结时限：%(promised)s；到现场次数：%(visits)s次"
        )
        % {
            "type": sheet.case_type,
            "statutory": sheet.statutory_limit,
            "promised": sheet.promised_limit,
            "visits": sheet.visits,
        }
    )

    pdf.heading(_("收费标准"), 12)
    pdf.para("；".join([sheet.fee, *sheet.fee_lines]))

    pdf.heading(_("办理地点"), 12)
    _places(pdf, sheet, size=9.5)

    pdf.heading(_("咨询与监督电话"), 12)
    pdf.para(
        _("咨询电话：%(consult)s　监督投诉电话：%(complaint)s")
        % {"consult": sheet.consult_phone or "—", "complaint": sheet.complaint_phone or "—"}
    )
    if site_url:
        pdf.set_font(FONT, size=8.5)
        pdf.set_text_color(80)
        pdf.multi_cell(
            pdf.width,
            5,
            _("网上版本：%(url)s") % {"url": site_url.rstrip("/") + sheet.url},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0)


def _materials_table(pdf: _Document, sheet: GuideSheet, *, size: float) -> None:
    if not sheet.materials:
        pdf.para(_("无需提交申请材料。"), size)
        return
    pdf.set_font(FONT, size=size)
    widths = (10, 0, 26, 12, 14)
    name_width = pdf.width - sum(widths)
    with pdf.table(
        col_widths=(widths[0], name_width, widths[2], widths[3], widths[4]),
        text_align=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER"),
        line_height=size * 0.55,
        first_row_as_headings=True,
        headings_style=FontFace(family=FONT, emphasis="", fill_color=(235, 240, 247)),
    ) as table:
        table.row([_("序号"), _("材料名称"), _("材料形式"), _("份数"), _("必需")])
        for n, m in enumerate(sheet.materials, 1):
            name = m.name + (f"（{m.notes}）" if m.notes else "")
            table.row([str(n), name, m.kind, str(m.copies), _("是") if m.required else _("视情形")])
    pdf.ln(1)


def _places(pdf: _Document, sheet: GuideSheet, *, size: float, limit: int | None = None) -> None:
    places = sheet.places if limit is None else sheet.places[:limit]
    if not places:
        pdf.para(_("请咨询实施机构。"), size)
        return
    for place in places:
        parts = [place.name, place.address, place.hours, place.phone and _("电话 ") + place.phone]
        pdf.para("　".join(p for p in parts if p), size)
    if limit is not None and len(sheet.places) > limit:
        pdf.para(_("等 %(n)s 处，详见网页。") % {"n": len(sheet.places)}, size)


def render_booklet(
    *,
    title: str,
    subtitle: str,
    sheets: list[GuideSheet],
    data_date: datetime | None,
    publisher: str = "",
    site_url: str = "",
) -> bytes:
    """办事指南汇编: cover, table of contents (page numbers, linked), one section per guide (each
    on a new page, in the PDF outline), page numbers and the date of the data in the footer."""
    pdf = _Document(format="A4")
    pdf.set_title(title)
    pdf.set_subject(_("办事指南汇编"))
    if data_date:
        pdf.set_creation_date(data_date)
    date_text = _date(data_date)
    pdf.footer_text = _("%(title)s · 数据截至 %(date)s") % {"title": title, "date": date_text}

    pdf.add_page()  # the cover
    pdf.set_y(80)
    pdf.set_font(FONT, size=28)
    pdf.multi_cell(pdf.width, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(pdf.width, 10, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(200)
    pdf.set_font(FONT, size=12)
    for line in (
        publisher,
        _("共收录办事指南 %(n)s 项") % {"n": len(sheets)},
        _("数据截至：%(date)s") % {"date": date_text},
    ):
        if line:
            pdf.cell(pdf.width, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")

    if sheets:
        pdf.add_page()
        pdf.insert_toc_placeholder(_render_toc, pages=toc_pages(len(sheets)))
    # The placeholder's last page break leaves a fresh page for the first guide.
    for n, sheet in enumerate(sheets):
        _guide_section(pdf, sheet, site_url=site_url, new_page=n > 0)
    return bytes(pdf.output())


CARD_FORMATS = {"a4": (210, 297), "a5": (148, 210)}  # mm
CARD_SCALES = (1.0, 0.88, 0.76, 0.66, 0.58)


def render_card(*, sheet: GuideSheet, size: str, guide_url: str, publisher: str = "") -> bytes:
    """一次告知单: one page (A4 or A5). The type shrinks until everything fits on the page; the
    QR code leads to `guide_url`, the absolute address of the guide's page."""
    qr = qr_png(guide_url)
    for scale in CARD_SCALES:
        pdf = _card(
            sheet=sheet, size=size, guide_url=guide_url, qr=qr, scale=scale, publisher=publisher
        )
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _card(
    *, sheet: GuideSheet, size: str, guide_url: str, qr: bytes, scale: float, publisher: str
) -> _Document:
    pdf = _Document(format=CARD_FORMATS[size])
    small = size == "a5"
    base = (9.5 if small else 11) * scale
    pdf.set_margins(12 if small else MARGIN, 12 if small else MARGIN)
    pdf.set_auto_page_break(auto=True, margin=10 if small else 14)
    pdf.set_title(_("一次告知单：%(title)s") % {"title": sheet.title})
    if sheet.updated_at:  # the same guide gives the same bytes (and ETag)
        pdf.set_creation_date(sheet.updated_at)
    pdf.add_page()
    pdf.set_font(FONT, size=base * 1.9)
    pdf.cell(pdf.width, base * 1.1, _("一次告知单"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=base * 1.35)
    pdf.multi_cell(pdf.width, base * 0.8, sheet.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=base * 0.8)
    pdf.cell(
        pdf.width,
        base * 0.6,
        _("事项编码：%(code)s　实施主体：%(org)s")
        % {"code": sheet.code, "org": sheet.organisation},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.heading(_("请携带以下材料"), base * 1.1)
    _materials_table(pdf, sheet, size=base * 0.9)
    pdf.heading(_("办理时限"), base * 1.1)
    pdf.para(
        _("承诺 %(promised)s（法定 %(statutory)s），%(type)s，到现场 %(visits)s 次")
        % {
            "promised": sheet.promised_limit,
            "statutory": sheet.statutory_limit,
            "type": sheet.case_type,
            "visits": sheet.visits,
        },
        base,
    )
    pdf.heading(_("收费"), base * 1.1)
    pdf.para("；".join([sheet.fee, *sheet.fee_lines]), base)
    pdf.heading(_("办理地点"), base * 1.1)
    _places(pdf, sheet, size=base * 0.9, limit=3)
    pdf.heading(_("咨询电话"), base * 1.1)
    pdf.para(
        _("%(consult)s　监督投诉：%(complaint)s")
        % {"consult": sheet.consult_phone or "—", "complaint": sheet.complaint_phone or "—"},
        base,
    )
    qr_size = 26 if small else 32
    pdf.ln(2)
    top = pdf.get_y()
    if top + qr_size > pdf.h - pdf.b_margin:
        pdf.add_page()  # too long at this scale: the caller tries a smaller one
        return pdf
    pdf.image(io.BytesIO(qr), x=pdf.l_margin, y=top, w=qr_size, h=qr_size)
    pdf.set_xy(pdf.l_margin + qr_size + 4, top + 2)
    text_width = pdf.width - qr_size - 4
    pdf.set_font(FONT, size=base * 0.9)
    pdf.multi_cell(text_width, base * 0.55, _("扫码查看完整办事指南："), new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=base * 0.8)  # the embedded font, not a core font
    pdf.multi_cell(text_width, base * 0.5, guide_url, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=base * 0.8)
    pdf.multi_cell(
        text_width,
        base * 0.5,
        "　".join(
            p for p in (publisher, _("信息更新：%(date)s") % {"date": _date(sheet.updated_at)}) if p
        ),
        new_x="LEFT",
        new_y="NEXT",
    )
    return pdf
