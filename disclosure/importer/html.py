"""Old-CMS HTML → the rich text a disclosure document's body holds.

Bodies exported by old government sites are ordinary HTML5 (unclosed `<br>` and `<img>`), Word
pastes (`<o:p>`, `mso-*` styles, `<font>`, conditional comments), layout and data tables, and now
and then something hostile. Wagtail's editor converter only takes well-formed markup of the
features it knows, so each body is parsed with a real HTML5 parser (html5lib, the WHATWG
algorithm browsers use) and mapped block by block onto what the body's editor supports:
paragraphs, two heading levels, lists (nested), bold/italic/superscript/subscript, links, document
links and images. Every piece of text is kept; presentation noise is dropped silently; what is
removed for safety (scripts, embedded frames and objects, event attributes, `javascript:` links) is
counted and reported.

Tables: rich text has no tables, so a data table becomes one of the document's 附表
(`DisclosureDocumentPage.tables`, a table block with its caption, header row/column and merged
cells: colspan/rowspan become `mergeCells`), and the body keeps a paragraph “（见附表1：表题）” where
the table stood. Cell text is kept line by line; links inside cells are listed after that paragraph
and images inside cells follow it. A table nested in a cell (or in a list item) is flattened into
its cell's text, and counted so the report says so. A one-column table is page layout, not data:
its cells' content is imported as ordinary paragraphs.

Files are resolved by the caller (`resolve_image`, `resolve_link`), which imports them into
Wagtail and reports missing ones."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import html5lib
from django.utils.translation import gettext as _

# Removed with their content. The hostile ones are reported (label, what).
HOSTILE = {
    "script": "<script>",
    "iframe": "<iframe>",
    "frame": "<frame>",
    "frameset": "<frameset>",
    "object": "<object>",
    "embed": "<embed>",
    "applet": "<applet>",
    "base": "<base>",
    "meta": "<meta>",
    "link": "<link>",
}
DROPPED = set(HOSTILE) | {
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "svg",
    "math",
    "xml",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "canvas",
    "audio",
    "video",
    "map",
}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "center",
    "address",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "fieldset",
    "legend",
    "details",
    "summary",
    "hgroup",
    "form",
    "body",
    "html",
    "caption",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol", "menu", "dir"}
MARKS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "cite": "i",
    "dfn": "i",
    "var": "i",
    "sup": "sup",
    "sub": "sub",
}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
SPACES_RE = re.compile(r"[ \t\n\r\f\u00a0]+")
# Leading indentation of Chinese paragraphs (全角空格, &nbsp;) is presentation, not text.
EDGE_RE = re.compile(r"^[\s\u3000]+|[\s\u3000]+$")
BR = object()
# Merged cells wider than this are page layout gone wrong (colspan="1000"): clamped.
MAX_SPAN = 50


@dataclass
class Normalised:
    html: str
    removed: Counter = field(default_factory=Counter)  # what was removed for safety → count
    tables: list[dict] = field(default_factory=list)  # table block values (附表1, 附表2 …)
    nested_tables: int = 0  # tables inside cells or list items, flattened into text
    images: int = 0
    notes: list[str] = field(default_factory=list)

    def removed_messages(self) -> list[str]:
        return [
            _("已移除%(what)s %(n)d 处") % {"what": what, "n": n}
            for what, n in sorted(self.removed.items())
        ]


def _tag(element) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return None
    return tag.rsplit("}", 1)[-1].lower()


def _style_marks(element) -> set[str]:
    style = (element.get("style") or "").lower().replace(" ", "")
    marks = set()
    if re.search(r"font-weight:(bold|[6-9]00)", style):
        marks.add("b")
    if "font-style:italic" in style:
        marks.add("i")
    if "vertical-align:super" in style:
        marks.add("sup")
    if "vertical-align:sub" in style:
        marks.add("sub")
    return marks


def _int(value, default=1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


class _Walker:
    """One pass over the parsed tree. In block mode it writes blocks; in inline mode (a list item
    or a table cell) block boundaries become `separator` and images wait in `deferred` for the
    enclosing block to be written."""

    def __init__(self, owner: Normaliser, *, inline: bool = False, separator=BR):
        self.owner = owner
        self.inline = inline
        self.separator = separator
        self.blocks: list[str] = []
        self.deferred: list[str] = []
        self.nested: list[str] = []  # nested lists inside a list item
        self.para: list = []
        self.marks: list[set[str]] = []
        self.links: list[tuple | None] = []
        self.block_tag = "p"

    # --- inline content -------------------------------------------------------------------
    def text(self, value: str | None) -> None:
        if value:
            marks = frozenset().union(*self.marks) if self.marks else frozenset()
            self.para.append((value, marks, self.links[-1] if self.links else None))

    def flush(self) -> None:
        if self.inline:
            if self.para and self.para[-1] is not self.separator:
                if self.separator is BR:
                    self.para.append(BR)
                else:
                    self.text(self.separator)
            return
        html = _serialise(self.para)
        self.para = []
        if html:
            self.blocks.append(f"<{self.block_tag}>{html}</{self.block_tag}>")

    def emit(self, block: str) -> None:
        if self.inline:
            self.deferred.append(block)
        else:
            self.flush()
            self.blocks.append(block)

    # --- the tree -------------------------------------------------------------------------
    def children(self, element) -> None:
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)

    def element(self, element) -> None:
        tag = _tag(element)
        if tag is None:
            return
        owner = self.owner
        for name in element.attrib:
            if str(name).lower().startswith("on"):
                owner.result.removed[_("事件属性 %(name)s") % {"name": str(name).lower()}] += 1
        if tag in DROPPED:
            if tag in HOSTILE:
                owner.result.removed[HOSTILE[tag]] += 1
            return
        if tag == "br":
            self.para.append(BR)
        elif tag == "hr":
            if not self.inline:
                self.emit("<hr/>")
        elif tag == "img":
            block = owner.image(element)
            if block:
                self.emit(block)
        elif tag in HEADINGS:
            if self.inline:
                self.children(element)
                self.flush()
                return
            self.flush()
            self.block_tag = owner.heading_for(tag)
            self.children(element)
            self.flush()
            self.block_tag = "p"
        elif tag in LISTS:
            self.list_(element)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            self.flush()
            for number, line in enumerate((element.text or "").split("\n")):
                if number:
                    self.para.append(BR)
                self.text(line)
            for child in element:
                self.element(child)
                self.text(child.tail)
            self.flush()
        elif tag in BLOCKS or tag in ("li", "tr", "td", "th", "thead", "tbody", "tfoot"):
            self.flush()
            self.children(element)
            self.flush()
        elif tag == "a":
            link = owner.link(element)
            self.links.append(link)
            self.children(element)
            self.links.pop()
        else:
            marks = {MARKS[tag]} if tag in MARKS else set()
            marks |= _style_marks(element)
            self.marks.append(marks)
            self.children(element)
            self.marks.pop()

    def list_(self, element) -> None:
        tag = "ol" if _tag(element) == "ol" else "ul"
        if self.inline and self.separator is not BR:  # a list inside a table cell
            for item in element:
                if _tag(item) is not None:
                    self.flush()
                    self.children(item)
                    self.flush()
            return
        items = []
        loose = _Walker(self.owner, inline=True)
        for child in element:
            child_tag = _tag(child)
            if child_tag == "li":
                items.append(self.owner.list_item(child, self))
            elif child_tag in LISTS and items:  # <ul><li>a</li><ul>…</ul></ul>, as Word writes
                nested = self.owner.list_html(child, self)
                # inside the previous item, after any list it already holds
                head, _sep, tail = items[-1].rpartition("</li>")
                items[-1] = head + nested + "</li>" + tail
            elif child_tag is not None:
                loose.element(child)
            else:
                continue
            loose.text(child.tail)
        rest = _serialise(loose.para)
        if rest:
            items.append(f"<li>{rest}</li>")
        self.deferred += loose.deferred
        html = f"<{tag}>{''.join(items)}</{tag}>" if items else ""
        if self.inline:  # a list inside a list item: rendered inside that item
            if html:
                self.nested.append(html)
            return
        self.flush()
        if html:
            self.blocks.append(html)
        self.blocks += self.deferred
        self.deferred = []

    def table(self, element) -> None:
        rows = [row for row in _rows(element) if _cells(row)]
        caption = next((c for c in element if _tag(c) == "caption"), None)
        if self.inline:  # a table inside a cell or list item: its text, row by row
            self.owner.result.nested_tables += 1
            self.text(" ")
            for row_number, row in enumerate(rows):
                if row_number:
                    self.text("；")
                for number, cell in enumerate(_cells(row)):
                    if number:
                        self.text(" ")
                    self.children(cell)
            self.text(" ")
            return
        self.flush()
        if all(len(_cells(row)) <= 1 for row in rows):  # layout: one column of content
            if caption is not None:
                self.marks.append({"b"})
                self.children(caption)
                self.marks.pop()
                self.flush()
            for row in rows:
                for cell in _cells(row):
                    self.children(cell)
                    self.flush()
            return
        title = ""
        if caption is not None:
            walker = _Walker(self.owner, inline=True, separator=" ")
            walker.children(caption)
            title = _plain(walker.para).replace("\n", " ")
            self.deferred += walker.deferred
        links: list[tuple[str, tuple]] = []
        deferred: list[str] = []

        def cell_text(cell) -> str:
            walker = _Walker(self.owner, inline=True, separator="\n")
            walker.children(cell)
            deferred.extend(walker.deferred)
            for text, _marks, link in (i for i in walker.para if i is not BR):
                if link is not None and text.strip():
                    if links and links[-1][1] == link:
                        links[-1] = (links[-1][0] + text, link)
                    else:
                        links.append((text, link))
            return _plain(walker.para)

        value = _table_value(rows, cell_text, head=_head_rows(element))
        if value is None:  # no text in any cell
            self.blocks += deferred
            return
        result = self.owner.result
        result.tables.append(value)
        number = len(result.tables)
        value["table_caption"] = (
            _("附表%(n)d　%(title)s") % {"n": number, "title": title}
            if title
            else _("附表%(n)d") % {"n": number}
        )
        reference = (
            _("（见附表%(n)d：%(title)s）") % {"n": number, "title": title}
            if title
            else _("（见附表%(n)d）") % {"n": number}
        )
        self.blocks.append(f"<p>{escape(reference, quote=False)}</p>")
        if links:
            items = [(_("附表%(n)d中的链接：") % {"n": number}, frozenset(), None)]
            for index, (text, link) in enumerate(links):
                if index:
                    items.append(("；", frozenset(), None))
                items.append((SPACES_RE.sub(" ", text).strip(), frozenset(), link))
            self.blocks.append(f"<p>{_serialise(items)}</p>")
        self.blocks += deferred


def _plain(items: list) -> str:
    """Inline items → plain text, one line per block or line break, spaces collapsed."""
    text = "".join("\n" if item is BR else item[0] for item in items)
    lines = (EDGE_RE.sub("", SPACES_RE.sub(" ", line)) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _head_rows(table) -> int:
    """How many rows the table's `<thead>` holds (0 without one)."""
    for child in table:
        if _tag(child) == "thead":
            return sum(1 for row in child if _tag(row) == "tr" and _cells(row))
    return 0


def _table_value(rows: list, cell_text: Callable, *, head: int) -> dict | None:
    """An HTML table's rows → a `DocumentTableBlock` value: a rectangular grid of cell text in
    which a cell spanning rows or columns is written once at its top-left corner, the cells it
    covers are hidden, and the span is a `mergeCells` entry (overlapping spans, which the HTML
    table model calls an error, are cut back so that no cell is covered twice). The first row is
    the header when it is all `<th>` or in `<thead>`; the first column when every row starts
    with a `<th>`."""
    grid: dict[tuple[int, int], str] = {}
    header: set[tuple[int, int]] = set()
    covered: set[tuple[int, int]] = set()
    merges = []
    height = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for cell in _cells(row):
            while (r, c) in covered:
                c += 1
            rowspan = min(_int(cell.get("rowspan")), height - r, MAX_SPAN)
            colspan = 1
            wanted = min(_int(cell.get("colspan")), MAX_SPAN)
            while colspan < wanted and (r, c + colspan) not in covered:
                colspan += 1
            grid[(r, c)] = cell_text(cell)
            if _tag(cell) == "th":
                header.add((r, c))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            if rowspan > 1 or colspan > 1:
                merges.append({"row": r, "col": c, "rowspan": rowspan, "colspan": colspan})
            c += colspan
    if not any(grid.values()):
        return None
    width = max(c for _r, c in (*grid, *covered)) + 1
    data = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    first_row = [key for key in grid if key[0] == 0]
    header_row = head > 0 or (bool(first_row) and all(key in header for key in first_row))
    starts = [(r, 0) for r in range(1 if header_row else 0, height) if (r, 0) in grid]
    header_col = bool(starts) and all(key in header for key in starts)
    choice = {
        (True, True): "both",
        (True, False): "row",
        (False, True): "column",
        (False, False): "neither",
    }[(header_row, header_col)]
    return {
        "data": data,
        "cell": [{"row": r, "col": c, "hidden": True} for r, c in sorted(covered)],
        "mergeCells": merges,
        "first_row_is_table_header": header_row,
        "first_col_is_header": header_col,
        "table_header_choice": choice,
        "table_caption": "",
    }


def _rows(table) -> list:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows += [row for row in child if _tag(row) == "tr"]
    return rows


def _cells(row) -> list:
    return [cell for cell in row if _tag(cell) in ("td", "th")]


def _serialise(items: list) -> str:
    """Inline items → HTML: whitespace collapsed, edges trimmed, empty → ""."""
    runs: list = []
    for item in items:
        if item is BR:
            runs.append(BR)
            continue
        text, marks, link = item
        text = SPACES_RE.sub(" ", text)
        if runs and runs[-1] is not BR and runs[-1][1:] == (marks, link):
            runs[-1] = (runs[-1][0] + text, marks, link)
        else:
            runs.append((text, marks, link))
    # collapse spaces across runs, trim the edges and around line breaks
    cleaned: list = []
    for run in runs:
        if run is BR:
            if cleaned and cleaned[-1] is not BR:
                cleaned.append(BR)
            continue
        text, marks, link = run
        at_line_start = not cleaned or cleaned[-1] is BR
        previous = cleaned[-1][0] if cleaned and cleaned[-1] is not BR else ""
        if at_line_start:
            text = EDGE_RE.sub("", text) if text.strip(" \u3000") == "" else text.lstrip(" \u3000")
        elif previous.endswith(" "):
            text = text.lstrip(" ")
        if text:
            cleaned.append((text, marks, link))
    # trim trailing spaces before breaks and at the end
    for index, run in enumerate(cleaned):
        if run is BR:
            continue
        following = cleaned[index + 1] if index + 1 < len(cleaned) else BR
        if following is BR:
            cleaned[index] = (run[0].rstrip(" \u3000"), run[1], run[2])
    while cleaned and (cleaned[-1] is BR or not cleaned[-1][0]):
        cleaned.pop()
    while cleaned and cleaned[0] is BR:
        cleaned.pop(0)
    if not any(run is not BR and run[0].strip() for run in cleaned):
        return ""
    out = []
    for run in cleaned:
        if run is BR:
            out.append("<br/>")
            continue
        text, marks, link = run
        if not text:
            continue
        html = escape(text, quote=False)
        for mark in ("sub", "sup", "i", "b"):
            if mark in marks:
                html = f"<{mark}>{html}</{mark}>"
        if link is not None:
            kind, target = link
            if kind == "document":
                html = f'<a linktype="document" id="{int(target)}">{html}</a>'
            else:
                html = f'<a href="{escape(target)}">{html}</a>'
        out.append(html)
    return "".join(out)


class Normaliser:
    """`Normaliser(resolve_image=..., resolve_link=...).normalise(html)` → `Normalised`.

    resolve_image(src, alt) → an image id or None (missing: the caller reports it);
    resolve_link(href, text) → ("document", id), ("external", href) or None (no link: text only)."""

    def __init__(
        self,
        *,
        resolve_image: Callable[[str, str], int | None],
        resolve_link: Callable[[str, str], tuple[str, object] | None],
    ):
        self.resolve_image = resolve_image
        self.resolve_link = resolve_link
        self.result = Normalised(html="")
        self.headings: dict[str, str] = {}

    def normalise(self, html: str) -> Normalised:
        self.result = Normalised(html="")
        root = html5lib.parseFragment(html or "", treebuilder="etree", namespaceHTMLElements=False)
        levels = sorted({tag for el in root.iter() if (tag := _tag(el)) in HEADINGS})
        self.headings = {tag: "h3" if number == 0 else "h4" for number, tag in enumerate(levels)}
        walker = _Walker(self)
        walker.children(root)
        walker.flush()
        walker.blocks += walker.deferred
        self.result.html = "".join(walker.blocks)
        return self.result

    def heading_for(self, tag: str) -> str:
        return self.headings.get(tag, "h4")

    def list_item(self, element, parent: _Walker) -> str:
        walker = _Walker(self, inline=True)
        walker.children(element)
        parent.deferred += walker.deferred
        content = _serialise(walker.para)
        return f"<li>{content}{''.join(walker.nested)}</li>"

    def list_html(self, element, parent: _Walker) -> str:
        walker = _Walker(self, inline=True)
        walker.list_(element)
        parent.deferred += walker.deferred
        return "".join(walker.nested)

    def link(self, element) -> tuple | None:
        href = (element.get("href") or "").strip()
        if not href:
            return None
        compact = re.sub(r"[\s\x00-\x1f]+", "", href).lower()
        if compact.startswith(UNSAFE_SCHEMES):
            self.result.removed[_("%(scheme)s 链接") % {"scheme": compact.split(":")[0] + ":"}] += 1
            return None
        if href.startswith("#"):
            return None
        text = SPACES_RE.sub(" ", "".join(element.itertext())).strip()
        return self.resolve_link(href, text)

    def image(self, element) -> str | None:
        src = (element.get("src") or "").strip()
        alt = SPACES_RE.sub(" ", element.get("alt") or element.get("title") or "").strip()
        if not src:
            return None
        if re.sub(r"\s+", "", src).lower().startswith(UNSAFE_SCHEMES):
            self.result.removed[_("不安全的图片地址")] += 1
            return None
        image_id = self.resolve_image(src, alt)
        if image_id is None:
            return None
        self.result.images += 1
        if not alt:
            alt = _("附图%(n)d") % {"n": self.result.images}
            self.result.notes.append(
                _("第 %(n)d 张图片没有替代文本，暂用“%(alt)s”，请编辑补充。")
                % {"n": self.result.images, "alt": alt}
            )
        return f'<embed embedtype="image" id="{image_id}" format="fullwidth" alt="{escape(alt)}"/>'
