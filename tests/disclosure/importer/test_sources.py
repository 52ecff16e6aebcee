"""What old systems export, read as they give it: encodings, JSON Lines and CSV quirks, dates,
attachment lists."""

from datetime import date

import pytest

from disclosure.importer.sources import (
    SourceError,
    attachment_specs,
    decode,
    detect_format,
    parse_date,
    read_rows,
)


def test_decode_given_detected_and_refused_encodings():
    gbk = "关于做好2026年低保工作的通知".encode("gbk")
    assert decode(gbk) == ("关于做好2026年低保工作的通知", "gb18030")
    assert decode("\ufeff标题".encode()) == ("标题", "utf-8")
    assert decode("\ufeff标题".encode(), "UTF8") == ("标题", "utf-8")
    assert decode(gbk, "gbk") == ("关于做好2026年低保工作的通知", "gbk")
    with pytest.raises(SourceError, match="不认识的编码“klingon”"):
        decode(gbk, "klingon")
    with pytest.raises(SourceError, match="文件不是 utf-8 编码（第 1 个字节处无法解码）"):
        decode(gbk, "utf-8")
    with pytest.raises(SourceError, match="无法识别文件编码"):
        decode(b"\x80\x80\xff")  # neither UTF-8 nor GB18030


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("EXPORT.CSV", "{", "csv"),
        ("a.ndjson", "标题", "jsonl"),
        ("a.json", "", "jsonl"),
        ("-", '  {"title": 1}', "jsonl"),
        ("-", "标题,索引号", "csv"),
    ],
)
def test_detect_format_by_name_then_content(name, text, fmt):
    assert detect_format(name, text) == fmt


def test_json_lines_report_bad_lines_by_number_and_map_chinese_keys():
    text = '{"标题": "甲", "\ufeff索引号": "x"}\n\n[1, 2]\n{"title": \n{"文号": "沪民〔2026〕1号"}'
    rows = list(read_rows(text, "jsonl"))
    assert [(r.line, r.data, r.error) for r in rows] == [
        (1, {"title": "甲", "index_number": "x"}, None),
        (3, None, "每行应为一个 JSON 对象"),
        (4, None, rows[2].error),
        (5, {"document_number": "沪民〔2026〕1号"}, None),
    ]
    assert rows[2].error.startswith("不是有效的 JSON（")


def test_csv_multiline_cells_extra_columns_blank_rows_and_tabs():
    text = (
        "标题,正文,摘要\n"
        '甲,"<p>第一段</p>\n<p>第二段</p>",概述\n'
        ",,\n"
        "乙,<p>正文, 逗号未加引号</p>,概述,多出\n"
        "丙,<p>三</p>\n"
    )
    rows = list(read_rows(text, "csv"))
    assert [r.line for r in rows] == [2, 5, 6]
    assert rows[0].data == {
        "title": "甲",
        "body_html": "<p>第一段</p>\n<p>第二段</p>",
        "summary": "概述",
    }
    assert rows[1].error == "本行有 5 列，表头只有 3 列（正文中的逗号须在引号内）"
    assert rows[2].data == {"title": "丙", "body_html": "<p>三</p>"}
    tabbed = list(read_rows("标题\t文号\n甲\t沪民〔2026〕2号\n", "csv"))
    assert tabbed[0].data == {"title": "甲", "document_number": "沪民〔2026〕2号"}
    assert list(read_rows("", "csv")) == []


def test_csv_rows_that_cannot_be_parsed_are_reported_and_the_rest_go_on():
    # A huge Word paste exceeds the csv module's field limit (128 KB): that row is reported.
    huge = "<p>" + "很长的正文" * 30000 + "</p>"
    rows = list(read_rows(f'标题,正文\n甲,"{huge}"\n乙,正文\n', "csv"))
    assert rows[0].line == 2 and rows[0].error.startswith("CSV 行无法解析（")
    assert rows[-1].data == {"title": "乙", "body_html": "正文"}
    [bad_header] = list(read_rows(f'"{huge}",c\n1,2\n', "csv"))
    assert bad_header.line == 1 and bad_header.error.startswith("CSV 表头无法解析（")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-10", date(2026, 10, 10)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026年10月10日", date(2026, 10, 10)),
        (" 2026 年 3 月 1 日 ", date(2026, 3, 1)),
        ("2026.03.01", date(2026, 3, 1)),
        ("2026-03-01 09:30:00", date(2026, 3, 1)),
        ("2026-03-01T09:30", date(2026, 3, 1)),
        ("", None),
        (None, None),
        ("   ", None),
    ],
)
def test_dates_written_three_ways(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "去年", "10/10/2026", "2026-13-01"])
def test_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_attachment_specs_from_json_lists_and_csv_cells():
    assert attachment_specs(None) == [] and attachment_specs("") == []
    assert attachment_specs("files/a.pdf|申请表；files/b.doc\n/c.xls|") == [
        ("files/a.pdf", "申请表"),
        ("files/b.doc", ""),
        ("/c.xls", ""),
    ]
    assert attachment_specs(
        [{"url": "a.pdf", "title": " 甲 "}, {"file": "b.pdf"}, {"path": "c.pdf"}, {"title": "空"}]
    ) == [("a.pdf", "甲"), ("b.pdf", ""), ("c.pdf", "")]
    with pytest.raises(ValueError, match="附件应为列表"):
        attachment_specs({"url": "a.pdf"})
