"""services/receipt.py: the A4 PDF 受理回执."""

import contextlib
import io
import re
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from services import checks
from services.applications import receipt as receipt_module
from services.applications.receipt import ReceiptFontMissing, render_receipt

LOOKUP_URL = "https://mzj.example.gov.cn/cx/"


@contextlib.contextmanager
def without_cjk_fonts(monkeypatch):
    """A server with no CJK font at all: no setting, none of the usual files, nothing in
    fontconfig."""
    with monkeypatch.context() as m:
        m.setattr(receipt_module, "CJK_FONT_CANDIDATES", ())
        m.setattr(receipt_module, "_fontconfig_cjk_font", lambda: None)
        m.setattr(receipt_module.settings, "RECEIPT_CJK_FONT", None, raising=False)
        yield


def pdf_text(data: bytes) -> str:
    """The text of every page as pypdf reads it back (the labels in the CJK font, the case
    number and query code in Courier)."""
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def receipt(**overrides) -> bytes:
    args = {
        "case_number": "SQ20261129000123X",
        "query_code": "ABCDE-FGHJK",
        "service_title": "最低生活保障申请",
        "organisation": "外滩街道社区事务受理服务中心",
        "applicant": "张*",
        "submitted_at": timezone.now(),
        "due_date": date(2026, 12, 14),
        "deadline_explanation": "自2026年11月29日次日起算10个工作日",
        "consult_phone": "021-63219012",
        "next_steps": ["审核", "办结"],
        "site_name": "上海市民政局阳光政务",
        "site_address": "上海市黄浦区普安路189号",
        "lookup_url": LOOKUP_URL,
    }
    args.update(overrides)
    return render_receipt(**args)


def test_receipt_is_an_a4_pdf_with_the_case_number_and_code():
    data = receipt()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(
        abs(float(w) - 595.28) < 0.5 and abs(float(h) - 841.89) < 0.5 for w, h in boxes
    )
    text = pdf_text(data)
    assert "SQ20261129000123X" in text and "ABCDE-FGHJK" in text


def test_receipt_without_the_code():
    text = pdf_text(receipt(query_code=None))
    assert "SQ20261129000123X" in text and "ABCDE" not in text


def test_cjk_font_is_embedded():
    assert b"/FontFile" in receipt() and b"Noto" in receipt()


def full_text(data: bytes) -> str:
    """All the text pypdf reads from the PDF (it reads the CJK runs as UTF-16: drop the NULs)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\x00", "")


def test_receipt_carries_the_site_and_the_lookup_address():
    text = full_text(receipt())
    assert "上海市民政局阳光政务" in text and "上海市黄浦区普安路189号" in text
    assert LOOKUP_URL in text and "凭受理编号和查询码查询办理进度" in text
    assert "网上申请受理回执" in text and "最低生活保障申请" in text


def test_the_qr_code_leads_to_the_lookup_page_and_holds_no_secret():
    zxingcpp = pytest.importorskip("zxingcpp")
    pages = PdfReader(io.BytesIO(receipt())).pages
    images = [image.image for page in pages for image in page.images]
    decoded = [r.text for image in images for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert decoded == [LOOKUP_URL]
    assert "ABCDE" not in decoded[0] and "SQ2026" not in decoded[0]


def test_no_qr_code_without_a_lookup_address():
    assert not [i for p in PdfReader(io.BytesIO(receipt(lookup_url=""))).pages for i in p.images]


def test_a_server_without_a_cjk_font_is_told_at_start_up(monkeypatch, settings):
    assert checks.receipt_font(None) == []
    with without_cjk_fonts(monkeypatch):
        assert receipt_module.find_cjk_font() is None
        with pytest.raises(ReceiptFontMissing):
            receipt()
        warnings = checks.receipt_font(None)
        assert [w.id for w in warnings] == ["services.W001"]
        assert "fonts-noto-cjk" in warnings[0].hint


def test_any_font_fontconfig_knows_for_chinese_will_do(monkeypatch, settings):
    found = receipt_module._fontconfig_cjk_font()
    if found is None:
        pytest.skip("fontconfig lists no Chinese font here")
    with monkeypatch.context() as m:
        m.setattr(receipt_module, "CJK_FONT_CANDIDATES", ())
        settings.RECEIPT_CJK_FONT = None
        assert receipt_module.find_cjk_font() == found
        assert receipt().startswith(b"%PDF-")


def test_the_configured_font_comes_first(settings, tmp_path):
    settings.RECEIPT_CJK_FONT = str(tmp_path / "missing.ttf")
    assert receipt_module.find_cjk_font()[0] != settings.RECEIPT_CJK_FONT  # not there: skipped
    path, _index = receipt_module.CJK_FONT_CANDIDATES[0]
    settings.RECEIPT_CJK_FONT = path
    assert receipt_module.find_cjk_font() == (path, 0)
