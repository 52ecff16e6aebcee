"""受理回执: the A4 PDF receipt of an online application (fpdf2 + Noto Sans CJK from Debian's
fonts-noto-cjk). The case number and query code are set in Courier so they read unambiguously."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

from portal.formats import cn_date, cn_datetime

CJK_FONT_CANDIDATES = (
    # (file, index inside a TrueType collection: 2 is Simplified Chinese in Noto CJK collections)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
)


class ReceiptFontMissing(RuntimeError):
    pass


def _cjk_font() -> tuple[str, int]:
    configured = getattr(settings, "RECEIPT_CJK_FONT", None)
    candidates = ((configured, 0),) + CJK_FONT_CANDIDATES if configured else CJK_FONT_CANDIDATES
    for path, index in candidates:
        if path and Path(path).exists():
            return path, index
    raise ReceiptFontMissing(
        "No CJK font for the receipt: install Debian's fonts-noto-cjk or set RECEIPT_CJK_FONT."
    )


def render_receipt(
    *,
    case_number: str,
    query_code: str | None,
    service_title: str,
    organisation: str,
    applicant: str,
    submitted_at,
    due_date,
    deadline_explanation: str,
    consult_phone: str,
    next_steps: list[str],
) -> bytes:
    """The receipt as PDF bytes (A4, portrait). `applicant` is already masked by the caller."""
    path, index = _cjk_font()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_("受理回执"))
    pdf.set_creator("阳光政务")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("cjk", size=20)
    pdf.cell(width, 14, _("网上申请受理回执"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    def row(label: str, value: str, *, mono: bool = False) -> None:
        pdf.set_font("cjk", size=12)
        pdf.cell(38, 9, label)
        if mono:
            pdf.set_font("Courier", "B", size=14)
        pdf.multi_cell(width - 38, 9, value or "—", new_x="LMARGIN", new_y="NEXT")

    row(_("受理编号"), case_number, mono=True)
    if query_code:
        row(_("查询码"), query_code, mono=True)
    row(_("办理事项"), service_title)
    row(_("承办机构"), organisation)
    row(_("申请人"), applicant)
    row(_("提交时间"), cn_datetime(submitted_at))
    row(_("承诺办结"), cn_date(due_date) if due_date else _("尚未起算"))
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(width, 6, deadline_explanation, new_x="LMARGIN", new_y="NEXT")
    row(_("咨询电话"), consult_phone or _("见办事指南"))
    pdf.ln(4)

    pdf.set_font("cjk", size=13)
    pdf.cell(width, 9, _("接下来"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for n, step in enumerate(next_steps, 1):
        pdf.multi_cell(width, 7, f"{n}. {step}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=10)
    if query_code:
        pdf.multi_cell(
            width,
            6,
            _("查询码仅在提交时提供一次，请妥善保管，不要告诉他人。工作人员不会向您索要查询码。"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    else:
        pdf.multi_cell(
            width,
            6,
            _("为保护您的信息，本回执不含查询码。查询码已在提交成功时显示。"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
