"""Blocks of a disclosure document: 附表 (data tables with merged cells).

A document's body is rich text, which has no tables; a document's data tables (统计表, 名单, 标准)
are kept beside it in `DisclosureDocumentPage.tables`, each a table with its caption, header row or
column and merged cells (Handsontable's `mergeCells`, which `TableBlock` renders as rowspan/colspan).
The importer turns an old site's `<table>` into one of these (disclosure/importer/html.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class DocumentTableBlock(TableBlock):
    """A data table: caption, `th scope` header row/column, merged cells, rendered inside the
    site's horizontally scrollable `.table-wrap` (a wide table scrolls itself at 390 px, the page
    does not)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "table_options",
            {"renderer": "text", "startRows": 3, "startCols": 3, "mergeCells": True},
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "table"
        label = _("表格")
        template = "disclosure/blocks/table.html"
        description = _("数据表格，可合并单元格，可设表头和表题。")


class DocumentTablesBlock(blocks.StreamBlock):
    table = DocumentTableBlock()

    class Meta:
        label = _("附表")
