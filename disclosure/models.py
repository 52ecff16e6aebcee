"""政府信息公开: the catalogue (公开目录) of proactively disclosed documents.

`DisclosureIndexPage` lists every document below it (a section page such as 通知公告 is an index page
below the catalogue); `DisclosureDocumentPage` is one document with its statutory metadata. Topics
and genres are snippets. The 索引号 is assigned on first publish from `IndexNumberCounter`."""

import re

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    RevisionMixin,
)
from wagtail.search import index

from portal.blocks import RICH_TEXT_FEATURES
from portal.editorial.forms import OrganisationPageForm, PortalPageForm
from portal.editorial.prepublish import PrePublishCheckedMixin, meaningless_title
from portal.editorial.sections import Area, OrganisationPageMixin, SectionPageMixin
from portal.pages import SelectorContextMixin
from portal.search import SegmentedSearchMixin

from .blocks import DocumentTablesBlock

BLOCK_KEY_RE = re.compile(r' data-block-key="[^"]*"')
# The body's editor: the shared features plus images (old sites' documents carry figures; an
# imported figure must survive the editor's own format).
BODY_FEATURES = [*RICH_TEXT_FEATURES, "image"]
INDEX_NUMBER_RE = re.compile(r"^(?P<code>[0-9A-Z]{4,20})/(?P<year>\d{4})-(?P<serial>\d{5})$")


def sanitise_rich_text(html: str) -> str:
    """Keep only what the rich text editor allows (no script, no raw HTML, no attributes beyond
    links): the HTML goes through Wagtail's editor format and back."""
    if not html:
        return ""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(features=BODY_FEATURES)
    html = converter.to_database_format(converter.from_database_format(html))
    # The editor's random block keys would make the same text differ on every pass.
    return BLOCK_KEY_RE.sub("", html)


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class _Term(DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A catalogue term. Edits in the admin are drafts until published (with history and compare);
    the row always holds the LIVE values, and a term never published (`live=False`) is not offered
    by any public filter — use `Topic.objects.filter(live=True)` where the public sees terms."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    slug = models.SlugField(_("代码"), max_length=40, unique=True, allow_unicode=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions


class Topic(_Term):
    """主题分类 (民政、社会救助、养老服务 …)."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="topic")

    class Meta(_Term.Meta):
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")


class Genre(_Term):
    """体裁分类 (通知、规范性文件、规划、统计 …)."""

    requires_document_number = models.BooleanField(
        _("须有发文字号"),
        default=False,
        help_text=_("勾选后，此体裁的文件（如规范性文件）发布前必须填写发文字号。"),
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="genre")

    class Meta(_Term.Meta):
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")


class IndexNumberCounter(models.Model):
    """The last serial used per organisation and year. Only ever goes up: numbers are never reused,
    even when a document is deleted."""

    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="unique_index_counter_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_serial}"


class DisclosureIndexPage(
    SectionPageMixin, SelectorContextMixin, SegmentedSearchMixin, RoutablePageMixin, Page
):
    """公开目录 (or one section of it): every document below, filtered, sorted, paginated, with an
    Atom feed for each filtered view at `feed/`."""

    editorial_area = Area.DISCLOSURE
    context_selector = "disclosure.selectors.catalogue_context"
    base_form_class = PortalPageForm  # slugs from Chinese titles

    intro = models.CharField(_("导语"), max_length=300, blank=True)
    per_page = models.PositiveSmallIntegerField(_("每页条数"), default=20)
    accepts_submissions = models.BooleanField(
        _("接受下级机构报送"),
        default=False,
        help_text=_(
            "勾选后，下级机构的编辑可以在本栏目中起草本机构的内容，"
            "由本栏目所属机构审核（初审、终审）后发布。"
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        SegmentedSearchMixin.segmented_field(),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    settings_panels = Page.settings_panels + [FieldPanel("accepts_submissions")]
    subpage_types = [
        "disclosure.DisclosureIndexPage",
        "disclosure.DisclosureDocumentPage",
        "disclosure.AnnualReportIndexPage",
        "portal.StandardPage",
    ]

    class Meta:
        verbose_name = _("信息公开目录")
        verbose_name_plural = _("信息公开目录")

    def clean(self):
        super().clean()
        if self.per_page is not None and not 5 <= self.per_page <= 100:
            raise ValidationError({"per_page": _("每页条数应在5至100之间。")})

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import catalogue_feed_response

        return catalogue_feed_response(self, request)


class DisclosureDocumentPage(
    SelectorContextMixin, OrganisationPageMixin, PrePublishCheckedMixin, SegmentedSearchMixin, Page
):
    """One disclosed document with the standard metadata. Its 发布机构 must be the section owner or
    below it (`OrganisationPageMixin`). Publishing is refused (on every path, see
    portal/editorial/prepublish.py) while statutory metadata is missing, an attachment has no meaningful
    title, or a link or image is broken."""

    organisation_field = "issuing_organisation"
    route_select_related = ("topic", "genre", "issuing_organisation")
    base_form_class = OrganisationPageForm
    context_selector = "disclosure.selectors.document_context"

    index_number = models.CharField(
        _("索引号"),
        max_length=40,
        blank=True,
        editable=True,
        help_text=_("首次发布时自动生成，生成后不可更改。"),
    )
    index_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    document_number = models.CharField(
        _("发文字号"), max_length=60, blank=True, help_text=_("如 沪民规〔2026〕3号")
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("主题分类"), on_delete=models.PROTECT, related_name="documents"
    )
    genre = models.ForeignKey(
        Genre, verbose_name=_("体裁分类"), on_delete=models.PROTECT, related_name="documents"
    )
    issuing_organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="disclosure_documents",
    )
    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    repealed_date = models.DateField(_("废止/失效日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    summary = models.CharField(_("内容概述"), max_length=300, blank=True)
    body = RichTextField(_("正文"), blank=True, features=BODY_FEATURES)
    # Rich text has no tables: a document's data tables (merged cells, header, caption) are its
    # 附表, shown after the body; the body refers to them as 附表1, 附表2 … (disclosure/blocks.py).
    tables = StreamField(
        DocumentTablesBlock(),
        verbose_name=_("附表"),
        blank=True,
        help_text=_("正文中的数据表格，按顺序显示在正文之后，正文中以“附表1”等引用。"),
    )

    search_fields = Page.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("tables"),
        index.FilterField("published_date"),
        index.FilterField("validity"),
        SegmentedSearchMixin.segmented_field(),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("index_number", read_only=True),
                FieldPanel("document_number"),
                FieldPanel("issuing_organisation"),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("published_date")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
            ],
            heading=_("公开属性"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity"),
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("repealed_date")]),
                FieldPanel("replaced_by"),
            ],
            heading=_("有效性"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tables"),
        InlinePanel("attachments", label=_("附件")),
    ]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    # A copy is a new document: it gets its own 索引号 when it is first published.
    exclude_fields_in_copy = ["index_number", "index_serial"]

    def slug_fallback(self) -> str:
        """The slug of a title with nothing to spell in pinyin (PortalPageForm)."""
        return self.index_number

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        indexes = [models.Index(fields=["published_date"], name="disclosure_published_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~models.Q(index_number=""),
                name="unique_disclosure_index_number",
            )
        ]

    def clean(self):
        super().clean()
        self.body = sanitise_rich_text(self.body)
        errors = {}
        if self.written_date and self.published_date and self.written_date > self.published_date:
            errors["written_date"] = _("成文日期不能晚于发布日期。")
        if self.effective_date and self.repealed_date and self.repealed_date < self.effective_date:
            errors["repealed_date"] = _("废止/失效日期不能早于生效日期。")
        if self.validity == Validity.VALID and self.repealed_date:
            errors["repealed_date"] = _("有效的文件不应填写废止/失效日期。")
        if self.validity in (Validity.EXPIRED, Validity.REPEALED) and not self.repealed_date:
            errors["repealed_date"] = _("失效或废止的文件须填写废止/失效日期。")
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("替代文件不能是本文件。")
        if self.index_number and not INDEX_NUMBER_RE.match(self.index_number):
            errors["index_number"] = _(
                "索引号格式应为“机构代码/年份-五位序号”，如 000014349/2026-00001。"
            )
        if self.pk and self.index_number:
            stored = (
                DisclosureDocumentPage.objects.filter(pk=self.pk)
                .values_list("index_number", flat=True)
                .first()
            )
            if stored and stored != self.index_number:
                errors["index_number"] = _("索引号生成后不可更改。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_repealed(self) -> bool:
        return self.validity != Validity.VALID

    def with_content_json(self, content):
        """A revision never carries the 索引号 back: the live row's number is kept (it may have been
        assigned after the revision was saved). The live 有效性 is remembered on the object so that
        publishing it can log a validity change (disclosure/signals.py)."""
        obj = super().with_content_json(content)
        if self.index_number:
            obj.index_number = self.index_number
            obj.index_serial = self.index_serial
        # Read from the database: `self` may be an in-memory edited copy (the revision's cached
        # object after `save_revision`), not the live row.
        obj._live_validity = (
            DisclosureDocumentPage.objects.filter(pk=self.pk, live=True)
            .values_list("validity", flat=True)
            .first()
            if self.pk
            else None
        )
        return obj

    def prepublish_problems(self) -> list[str]:
        """Statutory metadata and attachment titles (the 索引号 is assigned by the publish itself,
        so it is not required here)."""
        problems = []
        if not (self.title or "").strip():
            problems.append(_("缺少标题。"))
        if self.issuing_organisation_id is None:
            problems.append(_("缺少发布机构。"))
        if self.written_date is None:
            problems.append(_("缺少成文日期。"))
        if self.published_date is None:
            problems.append(_("缺少发布日期。"))
        for field, label in (("topic", _("主题分类")), ("genre", _("体裁分类"))):
            term = getattr(self, field) if getattr(self, f"{field}_id") else None
            if term is None:
                problems.append(_("缺少%(label)s。") % {"label": label})
            elif not term.live:
                problems.append(
                    _("%(label)s“%(name)s”尚未发布，请先发布该分类或另选一个。")
                    % {"label": label, "name": term.name}
                )
        genre = self.genre if self.genre_id else None
        if genre is not None and genre.requires_document_number and not self.document_number:
            problems.append(_("体裁为“%(genre)s”的文件须填写发文字号。") % {"genre": genre.name})
        if self.validity != Validity.VALID and not self.repealed_date:
            problems.append(_("失效或废止的文件须填写废止/失效日期。"))
        for number, attachment in enumerate(self.attachments.all(), start=1):
            document = attachment.document
            filename = document.file.name if document.file else ""
            if meaningless_title(attachment.display_title, filename):
                problems.append(
                    _(
                        "附件%(n)d“%(title)s”没有有意义的标题（与文件名相同或为空），请填写显示名称。"
                    )
                    % {"n": number, "title": attachment.display_title or filename}
                )
        return problems

    def direct_publish_problems(self) -> list[str]:
        """A change of a live document's 有效性 is reviewed (初审、终审) wherever a workflow applies:
        the editor's own 发布 button may not publish it."""
        if not self.pk:
            return []
        live = (
            DisclosureDocumentPage.objects.filter(pk=self.pk, live=True)
            .values_list("validity", flat=True)
            .first()
        )
        if live is not None and live != self.validity and self.get_workflow() is not None:
            return [_("有效性变更须提交审核（初审、终审），审核通过后才会发布，不能直接发布。")]
        return []

    def save(self, *args, **kwargs):
        if self.live and not self.index_number:
            from .actions import index_number_assign

            index_number_assign(document=self)
        return super().save(*args, **kwargs)


class DisclosureAttachment(Orderable):
    """附件: a Wagtail document, served through the documents serve view."""

    page = ParentalKey(DisclosureDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


# The sub-domains' models, imported here so Django finds them.
from .annual_report.models import AnnualReportIndexPage, AnnualReportPage  # noqa: E402,F401
from .requests.models import InformationRequest, InformationRequestFile  # noqa: E402,F401
