"""services/booklets/pdf.py: the booklet and the card read back."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from services.booklets.pdf import render_booklet, render_card, toc_pages
from services.booklets.selectors import GuideSheet, MaterialLine, PlaceLine, rich_text_lines

from .pdfutil import embedded_fonts, pages_text, qr_codes

URL = "https://mzj.example.gov.cn/bsfw/dibao/"


def sheet(n: int = 1, *, materials: int = 2, title: str | None = None) -> GuideSheet:
    return GuideSheet(
        pk=n,
        title=title or f"最低生活保障审核确认{n}",
        code=f"JZ-{n:04d}",
        url=f"/bsfw/guide-{n}/",
        organisation="黄浦区民政局",
        summary="为家庭人均收入低于本市最低生活保障标准的居民提供基本生活保障。",
        topic="社会救助",
        case_type="承诺件",
        conditions="• 具有本市户籍\n• 家庭人均收入低于标准",
        statutory_limit="30个工作日",
        promised_limit="20个工作日",
        visits=1,
        fee="不收费",
        fee_lines=[],
        consult_phone="021-63219012",
        complaint_phone="021-12345",
        materials=[
            MaterialLine(
                name=f"材料{k}号居民身份证",
                kind="原件和复印件",
                copies=1,
                required=k % 2 == 1,
                notes="",
            )
            for k in range(1, materials + 1)
        ],
        places=[
            PlaceLine(
                name="外滩街道社区事务受理服务中心",
                address="上海市黄浦区福州路120号",
                hours="周一至周六 9:00-17:00",
                phone="021-63211234",
            )
        ],
        updated_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    )


def booklet(sheets, **overrides) -> bytes:
    args = {
        "title": "外滩街道社区事务受理服务中心办事指南汇编",
        "subtitle": "上海市黄浦区福州路120号",
        "sheets": sheets,
        "data_date": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "publisher": "上海市民政局",
        "site_url": "https://mzj.example.gov.cn/",
    }
    args.update(overrides)
    return render_booklet(**args)


def toc_entries(texts: list[str]) -> list[tuple[int, str, int]]:
    """(number, title, page) of every table-of-contents line."""
    entries = []
    for text in texts:
        if "目录" not in text and not entries:
            continue
        for number, title, page in re.findall(r"(\d+)\. (\S+?)\s*(\d+)\s*$", text, re.M):
            entries.append((int(number), title, int(page)))
    return entries


def test_booklet_has_cover_toc_sections_and_page_numbers():
    sheets = [sheet(n) for n in range(1, 4)]
    texts = pages_text(booklet(sheets))
    cover, toc = texts[0], texts[1]
    assert "外滩街道社区事务受理服务中心办事指南汇编" in cover.replace("\n", "")
    assert "共收录办事指南 3 项" in cover and "数据截至：2026年11月20日" in cover
    assert "第 1 页" not in cover  # no number on the cover
    assert "\n目录\n" in toc and "第 2 页" in toc
    entries = toc_entries(texts)
    assert [(n, t) for n, t, _p in entries] == [(n, f"最低生活保障审核确认{n}") for n in (1, 2, 3)]
    for n, title, page in entries:  # each entry's page number is where its section starts
        assert (
            texts[page - 1].startswith(f"{title}\n") and f"事项编码：JZ-{n:04d}" in texts[page - 1]
        )
        assert f"JZ-{n:04d}" not in texts[page - 2]
        assert f"第 {page} 页" in texts[page - 1]
        assert "数据截至 2026年11月20日" in texts[page - 1]
    section = texts[entries[0][2] - 1]
    for expected in (
        "受理条件",
        "具有本市户籍",
        "申请材料",
        "材料1号居民身份证",
        "原件和复印件",
        "法定办结时限：30个工作日",
        "承诺办结时限：20个工作日",
        "不收费",
        "上海市黄浦区福州路120号",
        "咨询电话：021-63219012",
        "监督投诉电话：021-12345",
        "https://mzj.example.gov.cn/bsfw/guide-1/",
    ):
        assert expected in section, expected


def test_the_outline_lists_every_guide():
    reader = PdfReader(io.BytesIO(booklet([sheet(n) for n in range(1, 4)])))
    assert [item.title for item in reader.outline] == [
        f"最低生活保障审核确认{n}" for n in (1, 2, 3)
    ]


def test_a_long_booklet_has_a_toc_of_several_pages_with_true_numbers():
    sheets = [sheet(n, materials=1) for n in range(1, 61)]
    assert toc_pages(59) == 2 and toc_pages(60) == 3
    texts = pages_text(booklet(sheets))
    entries = toc_entries(texts[1:4])
    assert [n for n, _t, _p in entries] == list(range(1, 61))
    assert entries[0][2] == 5  # cover, three TOC pages, then the first guide
    assert "JZ-0001" not in "".join(texts[:4])
    for n, title, page in entries:
        assert (
            texts[page - 1].startswith(f"{title}\n") and f"事项编码：JZ-{n:04d}" in texts[page - 1]
        )
    assert f"第 {len(texts)} 页" in texts[-1]


def test_fonts_are_embedded():
    fonts = embedded_fonts(booklet([sheet()]))
    assert fonts and all(fonts.values()), fonts
    assert any("CJK" in name or "Hei" in name or "Ming" in name for name in fonts)


def test_an_empty_booklet_is_a_cover():
    texts = pages_text(booklet([]))
    assert len(texts) == 1 and "共收录办事指南 0 项" in texts[0]


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_card_is_one_page_with_what_to_bring_and_a_qr_code(size):
    data = render_card(sheet=sheet(materials=4), size=size, guide_url=URL, publisher="上海市民政局")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == {"a4": 210, "a5": 148}[size]
    text = pages_text(data)[0]
    for expected in (
        "一次告知单",
        "最低生活保障审核确认1",
        "请携带以下材料",
        "材料4号居民身份证",
        "承诺 20个工作日",
        "不收费",
        "021-63219012",
    ):
        assert expected in text, expected
    assert qr_codes(data) == [URL]
    assert all(embedded_fonts(data).values())


def test_a_card_with_many_materials_still_fits_one_page():
    data = render_card(sheet=sheet(materials=18), size="a5", guide_url=URL)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "材料18号居民身份证" in pages_text(data)[0]
    assert qr_codes(data) == [URL]


def test_rich_text_becomes_lines():
    assert rich_text_lines("<ul><li>本市户籍</li><li>收入&lt;标准</li></ul><p>其他</p>") == (
        "• 本市户籍\n• 收入<标准\n其他"
    )
