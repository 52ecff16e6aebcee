"""The shared StreamField block library. No RawHTMLBlock: editors cannot inject script."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = [
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "superscript",
    "subscript",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"), choices=[("h2", _("二级标题")), ("h3", _("三级标题"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "blocks/heading.html"
        preview_value = {"text": "一、主要职责", "level": "h2"}
        description = _("段落小标题，会出现在页面目录中。")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("正文")
        template = "blocks/paragraph.html"
        preview_value = "<p>贯彻执行国家和本市有关民政工作的法律、法规和方针政策。</p>"
        description = _("富文本正文，不允许脚本或原始HTML。")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文本"), max_length=200, help_text=_("为视障用户描述图片内容，必填。")
    )
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image.html"
        description = _("带替代文本和图注的图片。")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("附件")
        template = "blocks/document.html"
        description = _("可下载的附件，通过文档服务提供下载。")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("名称"), max_length=60)
    page = blocks.PageChooserBlock(label=_("站内页面"), required=False)
    url = blocks.URLBlock(label=_("外部链接"), required=False)
    description = blocks.CharBlock(label=_("说明"), required=False, max_length=120)

    class Meta:
        icon = "link"
        label = _("链接")
        template = "blocks/link.html"
        preview_value = {
            "title": "婚姻登记",
            "url": "https://example.org/",
            "description": "结婚、离婚登记指南",
        }
        description = _("指向站内页面或外部网址的入口。")

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("请选择站内页面或填写外部链接。"))}
            )
        return super().clean(value)


class ContactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("项目"), max_length=40)
    value = blocks.CharBlock(label=_("内容"), max_length=200)

    class Meta:
        icon = "mail"
        label = _("联系方式")
        template = "blocks/contact.html"
        preview_value = {"label": "咨询电话", "value": "021-12345"}
        description = _("一行联系方式，如电话、地址、办公时间。")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    document = DocumentBlock()
    table = TableBlock(
        label=_("表格"),
        template="blocks/table.html",
        table_options={"renderer": "text", "startRows": 3, "startCols": 3},
    )
    contact = ContactBlock()

    class Meta:
        label = _("正文")
