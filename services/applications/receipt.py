"""受理回执: the A4 PDF receipt of an online application (fpdf2 + a CJK font: Debian's
fonts-noto-cjk, which `make install`/`make run` install through scripts/ensure-fonts.sh, or any
other CJK font fontconfig knows). The case number and query code are set in Courier so they read
unambiguously. The receipt carries the site's address and a QR code of the lookup page (/cx/):
never the query code, which the QR code would hand to anyone who sees the paper."""

import io
import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

from portal.formats import cn_date, cn_datetime

logger = logging.getLogger(__name__)

CJK_FONT_CANDIDATES = (
    # (file, index inside a TrueType collection: 2 is Simplified Chinese in Noto CJK collections)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)


class ReceiptFontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _fontconfig_cjk_font() -> tuple[str, int] | None:
    """A font fontconfig says covers Chinese (fc-list :lang=zh), if fontconfig is there."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        listing = subprocess.run(  # noqa: S603 (a fixed command, no user input)
            [fc_list, ":lang=zh", "file", "index"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(listing.splitlines()):
        path, _sep, rest = line.partition(":")
        index = rest.split("index=")[-1].strip() if "index=" in rest else "0"
        if path.lower().endswith((".ttf", ".otf", ".ttc")) and Path(path).exists():
            return path, int(index) if index.isdigit() else 0
    return None


def find_cjk_font() -> tuple[str, int] | None:
    """The font file (and collection index) the receipt uses: RECEIPT_CJK_FONT, then the usual
    Debian fonts, then whatever fontconfig offers for Chinese; None when there is none."""
    configured = getattr(settings, "RECEIPT_CJK_FONT", None)
    candidates = ((configured, 0),) + CJK_FONT_CANDIDATES if configured else CJK_FONT_CANDIDATES
    for path, index in candidates:
        if path and Path(path).exists():
            return path, index
    return _fontconfig_cjk_font()


def _cjk_font() -> tuple[str, int]:
    found = find_cjk_font()
    if found is None:
        raise ReceiptFontMissing(
            "No CJK font for the receipt: install Debian's fonts-noto-cjk "
            "(scripts/ensure-fonts.sh) or set RECEIPT_CJK_FONT."
        )
    return found


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes (error correction M, a quiet zone of 4 modules)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


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
    site_name: str = "",
    site_address: str = "",
    lookup_url: str = "",
) -> bytes:
    """The receipt as PDF bytes (A4, portrait). `applicant` is already masked by the caller;
    `lookup_url` is the absolute address of /cx/ (printed and as a QR code)."""
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
    if lookup_url:
        pdf.ln(4)
        top = pdf.get_y()
        size = 32
        if top + size > pdf.h - 18:
            pdf.add_page()
            top = pdf.get_y()
        pdf.image(io.BytesIO(qr_png(lookup_url)), x=pdf.l_margin, y=top, w=size, h=size)
        pdf.set_xy(pdf.l_margin + size + 4, top + 2)
        pdf.set_font("cjk", size=11)
        text_width = width - size - 4
        pdf.multi_cell(
            text_width,
            6,
            _("扫码或访问以下网址，凭受理编号和查询码查询办理进度："),
            new_x="LEFT",
            new_y="NEXT",
        )
        pdf.set_font("Courier", size=10)
        pdf.multi_cell(text_width, 6, lookup_url, new_x="LEFT", new_y="NEXT")
        if site_name or site_address:
            pdf.set_font("cjk", size=10)
            line = "  ".join(part for part in (site_name, site_address) if part)
            pdf.multi_cell(text_width, 6, line, new_x="LEFT", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + size))
    return bytes(pdf.output())
