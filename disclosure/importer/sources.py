"""What old systems export: JSON Lines or CSV, UTF-8 or GB18030/GBK, dates written three ways.

`decode` picks the encoding (given, else UTF-8 — which a GBK file almost never passes —, else
GB18030, the superset of GBK and GB2312); `read_rows` yields one `Row` per document with the line
it starts on; `parse_date` takes 2026-10-10, 2026/10/10 and 2026年10月10日 (an export's time of day
after the date is ignored)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# Column headers of Chinese exports → our field names (the English names work as they are).
ALIASES = {
    "标题": "title",
    "文件标题": "title",
    "索引号": "index_number",
    "发文字号": "document_number",
    "文号": "document_number",
    "成文日期": "written_date",
    "发布日期": "published_date",
    "主题分类": "topic",
    "体裁分类": "genre",
    "发布机构": "organisation",
    "发布机构代码": "organisation",
    "机构代码": "organisation",
    "有效性": "validity",
    "生效日期": "effective_date",
    "废止日期": "repealed_date",
    "失效日期": "repealed_date",
    "废止/失效日期": "repealed_date",
    "正文": "body_html",
    "栏目": "section",
    "内容概述": "summary",
    "摘要": "summary",
    "附件": "attachments",
}
DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
FORMATS = ("jsonl", "csv")


class SourceError(ValueError):
    """The file as a whole cannot be read (a Chinese message)."""


@dataclass
class Row:
    line: int
    data: dict | None = None
    error: str | None = None


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """(text, encoding used). A UTF-8 byte-order mark is dropped."""
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise SourceError(
                _("不认识的编码“%(e)s”（可用 utf-8、gb18030、gbk）") % {"e": encoding}
            ) from None
        try:
            return data.decode("utf-8-sig" if name == "utf-8" else name), name
        except UnicodeDecodeError as exc:
            raise SourceError(
                _("文件不是 %(e)s 编码（第 %(pos)d 个字节处无法解码）")
                % {"e": encoding, "pos": exc.start + 1}
            ) from None
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode("utf-8-sig" if name == "utf-8" else name), name
        except UnicodeDecodeError:
            continue
    raise SourceError(
        _("无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK），请用 --encoding 指定")
    )


def detect_format(name: str, text: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def _canonical(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        name = str(key or "").strip().lstrip("\ufeff")
        out[ALIASES.get(name, name)] = value
    return out


def read_rows(text: str, fmt: str) -> Iterator[Row]:
    if fmt == "csv":
        yield from _csv_rows(text)
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield Row(number, error=_("不是有效的 JSON（%(msg)s）") % {"msg": exc.msg})
            continue
        if not isinstance(data, dict):
            yield Row(number, error=_("每行应为一个 JSON 对象"))
            continue
        yield Row(number, data=_canonical(data))


def _csv_rows(text: str) -> Iterator[Row]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield Row(1, error=_("CSV 表头无法解析（%(msg)s）") % {"msg": exc})
        return
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(start, error=_("CSV 行无法解析（%(msg)s）") % {"msg": exc})
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            yield Row(
                line,
                error=_("本行有 %(n)d 列，表头只有 %(h)d 列（正文中的逗号须在引号内）")
                % {"n": len(cells), "h": len(header)},
            )
            continue
        data = dict(zip(header, cells, strict=False))
        yield Row(line, data=_canonical({k: v for k, v in data.items() if k}))


def parse_date(value) -> date | None:
    """None for empty; ValueError (Chinese) for anything that is not one of the three forms."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text:
        return None
    match = DATE_RE.match(text)
    if match:
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            pass
    raise ValueError(text)


def attachment_specs(value) -> list[tuple[str, str]]:
    """The record's 附件 as (path or URL, title): a JSON list of paths or of {"url"/"file", "title"},
    or in CSV “路径|标题” entries separated by semicolons or new lines."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        entries = [e.strip() for e in re.split(r"[;；\n]", value) if e.strip()]
        value = entries
    if not isinstance(value, list):
        raise ValueError(_("附件应为列表"))
    specs = []
    for item in value:
        if isinstance(item, dict):
            url = str(item.get("url") or item.get("file") or item.get("path") or "").strip()
            title = str(item.get("title") or "").strip()
        else:
            url, _sep, title = str(item).partition("|")
            url, title = url.strip(), title.strip()
        if url:
            specs.append((url, title))
    return specs
