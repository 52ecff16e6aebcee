"""services/receipt.py: the A4 PDF 受理回执."""

import re
import zlib
from datetime import date

from django.utils import timezone

from services.applications.receipt import render_receipt


def pdf_text(data: bytes) -> str:
    """The Latin text drawn by the receipt's core-font (Courier) runs, from its page streams."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(raw)
        except zlib.error:
            content = raw
        out.extend(m.decode("latin-1") for m in re.findall(rb"\(([^)]*)\)\s*Tj", content))
    return " ".join(out)


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
