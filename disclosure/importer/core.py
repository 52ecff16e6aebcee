"""Bulk import of disclosure documents from an old CMS's export (JSON Lines or CSV, see
sources.py), one document at a time.

Each document is validated, its body normalised (html.py) and its files imported (media.py), and
it is published through Wagtail (`document_publish`), so revisions, 索引号 counters and the
search index are right — in its own transaction: a bad document is reported with its line and a
Chinese reason and the rest of the file goes on. With `strict` the file is all or nothing: any bad
line and nothing is imported. With `dry_run` everything is done and then rolled back, so the
result says what would change. Idempotent by 索引号 (or by 发文字号 where no 索引号 is given).
The search index is written in batches at the end (portal.search_indexing)."""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.editorial.sections import Area, section_for, section_owning
from portal.organisations import Organisation
from portal.pages import unique_child_slug
from portal.search_indexing import index_in_bulk

from ..actions import document_publish, index_number_reserve
from ..models import (
    INDEX_NUMBER_RE,
    DisclosureAttachment,
    DisclosureDocumentPage,
    DisclosureIndexPage,
    Genre,
    Topic,
    Validity,
    sanitise_rich_text,
)
from .html import Normaliser
from .media import MediaFolder, MediaImporter, delete_stored, is_file_reference
from .sources import attachment_specs, parse_date, read_rows

logger = logging.getLogger(__name__)

REQUIRED = ("title", "published_date", "topic", "genre", "organisation")
KNOWN = {
    "title",
    "index_number",
    "document_number",
    "written_date",
    "published_date",
    "topic",
    "genre",
    "organisation",
    "validity",
    "effective_date",
    "repealed_date",
    "body_html",
    "section",
    "summary",
    "attachments",
}
LABELS = {
    "title": _("标题"),
    "published_date": _("发布日期"),
    "written_date": _("成文日期"),
    "effective_date": _("生效日期"),
    "repealed_date": _("废止/失效日期"),
    "topic": _("主题分类"),
    "genre": _("体裁分类"),
    "organisation": _("发布机构"),
}
VALIDITY = {"有效": Validity.VALID, "失效": Validity.EXPIRED, "废止": Validity.REPEALED}

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


class ImportRejected(Exception):
    """A strict import refused: nothing of the file was imported. `errors` is [(line, reason)]."""

    def __init__(self, errors: list[tuple[int, str]], result: ImportResult | None = None):
        super().__init__(f"{len(errors)} bad line(s)")
        self.errors = errors
        self.result = result


@dataclass
class Record:
    line: int
    data: dict
    section: DisclosureIndexPage
    fields: dict = field(default_factory=dict)
    attachments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DocumentResult:
    """What happened to one document of the file (the report file has one of these each)."""

    line: int
    key: str = ""  # 索引号, else 发文字号
    title: str = ""
    status: str = FAILED
    page_id: int | None = None
    url_path: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # removed from the body for safety
    missing_files: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.errors)


@dataclass
class ImportResult:
    documents: list[DocumentResult] = field(default_factory=list)
    dry_run: bool = False
    strict: bool = False
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == FAILED]

    @property
    def skipped(self) -> list[tuple[int, str]]:
        return [(d.line, d.reason) for d in self.failed]

    @property
    def with_warnings(self) -> list[DocumentResult]:
        return [
            d
            for d in self.documents
            if d.status != FAILED and (d.warnings or d.removed or d.missing_files)
        ]

    def summary(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": len(self.failed),
            "with_warnings": len(self.with_warnings),
            "total": len(self.documents),
        }

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "strict": self.strict,
            "seconds": round(self.seconds, 3),
            "summary": self.summary(),
            "documents": [asdict(d) for d in self.documents],
        }


def _date(value, key: str) -> object:
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError(
            _("%(label)s“%(value)s”不是日期，应写作 2026-10-10、2026/10/10 或 2026年10月10日")
            % {"label": LABELS.get(key, key), "value": value}
        ) from None


class Importer:
    def __init__(
        self,
        *,
        catalogue: DisclosureIndexPage,
        create_terms: bool = False,
        user=None,
        media_root=None,
    ):
        self.catalogue = catalogue
        self.create_terms = create_terms
        self.user = user
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.genres = {g.name: g for g in Genre.objects.all()}
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        self.sections = {
            p.slug: p for p in DisclosureIndexPage.objects.descendant_of(catalogue, inclusive=True)
        }
        self.new_terms: dict[str, set[str]] = {"topic": set(), "genre": set()}
        self.own_sections: dict[int, DisclosureIndexPage | None] = {}
        self.media = MediaImporter(MediaFolder(media_root))

    # --- reading and validating -----------------------------------------------------------
    def parse(self, rows) -> tuple[list[Record], list[DocumentResult]]:
        """Validate every row. `rows` are `sources.Row`s, or JSON Lines strings."""
        if not isinstance(rows, list) or (rows and isinstance(rows[0], str)):
            rows = (
                list(read_rows("\n".join(rows), "jsonl"))
                if rows and isinstance(rows[0], str)
                else list(rows)
            )
        records, failures = [], []
        seen: dict[str, int] = {}
        for row in rows:
            if row.error:
                failures.append(DocumentResult(line=row.line, errors=[row.error]))
                continue
            try:
                record = self.validate(row.line, row.data)
            except ValueError as exc:
                data = row.data or {}
                failures.append(
                    DocumentResult(
                        line=row.line,
                        key=str(data.get("index_number") or data.get("document_number") or ""),
                        title=str(data.get("title") or "")[:255],
                        errors=[str(exc)],
                    )
                )
                continue
            key = record.fields.get("index_number") or record.fields["document_number"]
            if key in seen:
                failures.append(
                    DocumentResult(
                        line=row.line,
                        key=key,
                        title=record.fields["title"],
                        errors=[
                            _("与第 %(line)d 行重复（%(key)s）") % {"line": seen[key], "key": key}
                        ],
                    )
                )
                continue
            seen[key] = row.line
            records.append(record)
        return records, failures

    def validate(self, number: int, data: dict) -> Record:
        problems = []
        data = {k: ("" if v is None else v) for k, v in data.items()}
        missing = [LABELS.get(k, k) for k in REQUIRED if not str(data.get(k) or "").strip()]
        if missing:
            problems.append(_("缺少必填项：%(keys)s") % {"keys": "、".join(missing)})
        unknown = sorted(set(data) - KNOWN)
        if unknown:
            problems.append(_("未知字段：%(keys)s") % {"keys": "、".join(unknown)})
        if problems:
            raise ValueError("；".join(problems))
        fields: dict = {"title": " ".join(str(data["title"]).split())[:255]}
        for key in ("written_date", "published_date", "effective_date", "repealed_date"):
            try:
                fields[key] = _date(data.get(key), key)
            except ValueError as exc:
                problems.append(str(exc))
        org = self.organisations.get(str(data["organisation"]).strip())
        if org is None:
            problems.append(_("未知的机构代码“%(code)s”") % {"code": data["organisation"]})
        fields["issuing_organisation"] = org
        for key, terms in (("topic", self.topics), ("genre", self.genres)):
            name = str(data[key]).strip()
            if name in terms:
                fields[key] = terms[name]
            elif self.create_terms:
                self.new_terms[key].add(name)
                fields[key] = name  # created just before the import
            else:
                label = _("主题分类") if key == "topic" else _("体裁分类")
                problems.append(
                    _("未知的%(label)s“%(name)s”（可用 --create-terms 自动创建）")
                    % {"label": label, "name": name}
                )
        validity = str(data.get("validity") or "有效").strip()
        if validity not in VALIDITY:
            problems.append(_("有效性应为 有效、失效 或 废止，当前为“%(v)s”") % {"v": validity})
        fields["validity"] = VALIDITY.get(validity, Validity.VALID)
        index_number = str(data.get("index_number") or "").strip()
        if index_number:
            match = INDEX_NUMBER_RE.match(index_number)
            if not match:
                problems.append(_("索引号“%(n)s”格式不正确") % {"n": index_number})
            elif org is not None and match["code"] != org.code:
                problems.append(
                    _("索引号的机构代码 %(code)s 与发布机构代码 %(org)s 不一致")
                    % {"code": match["code"], "org": org.code}
                )
        fields["index_number"] = index_number
        fields["document_number"] = str(data.get("document_number") or "").strip()[:60]
        if not index_number and not fields["document_number"]:
            problems.append(_("索引号和发文字号至少填写一项，以便重复导入时识别同一文件"))
        fields["body"] = ""  # normalised when the document is imported (its files with it)
        fields["tables"] = []
        fields["summary"] = " ".join(str(data.get("summary") or "").split())[:300]
        try:
            attachments = attachment_specs(data.get("attachments"))
        except ValueError as exc:
            problems.append(str(exc))
            attachments = []
        section_slug = str(data.get("section") or "").strip()
        section = self.sections.get(section_slug) if section_slug else self.catalogue
        if section is None:
            problems.append(_("未知的栏目“%(s)s”") % {"s": section_slug})
        elif org is not None:
            section = self.placement(section, org)
        if problems:
            raise ValueError("；".join(problems))
        # The model's own rules (dates in order, repeal date for repealed files ...).
        probe = DisclosureDocumentPage(
            title=fields["title"],
            slug="probe",
            **{k: v for k, v in fields.items() if k not in ("title", "topic", "genre")},
        )
        try:
            probe.clean()
        except ValidationError as exc:
            raise ValueError("；".join(str(m) for m in exc.messages)) from None
        return Record(
            line=number, data=data, section=section, fields=fields, attachments=attachments
        )

    def own_section(self, org: Organisation) -> DisclosureIndexPage | None:
        """The organisation's own section in this catalogue (or its nearest publishing ancestor's);
        None where organisations have no sections."""
        if org.pk not in self.own_sections:
            found = section_for(org, Area.DISCLOSURE)
            page = found.page.specific if found else None
            inside = page is not None and page.path.startswith(self.catalogue.path)
            self.own_sections[org.pk] = page if inside else None
        return self.own_sections[org.pk]

    def placement(self, section: DisclosureIndexPage, org: Organisation) -> DisclosureIndexPage:
        """A document lands in the section the file names when that section is in its
        organisation's part of the catalogue, else in the organisation's own section (a district's
        notice named for 通知公告 goes to /xxgk/<district>/)."""
        own = self.own_section(org)
        if own is None or section.path.startswith(own.path):
            return section
        return own

    def find_existing(self, record: Record) -> DisclosureDocumentPage | None:
        qs = DisclosureDocumentPage.objects.all()
        if record.fields["index_number"]:
            return qs.filter(index_number=record.fields["index_number"]).first()
        return qs.filter(
            document_number=record.fields["document_number"],
            issuing_organisation=record.fields["issuing_organisation"],
        ).first()

    def ensure_terms(self) -> None:
        for key, model, terms in (("topic", Topic, self.topics), ("genre", Genre, self.genres)):
            for name in sorted(self.new_terms[key]):
                base = slugify(name) or f"{key}-{model.objects.count() + 1}"
                slug, n = base, 1
                while model.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                term = model(name=name, slug=slug)
                term.full_clean()
                term.save()
                terms[name] = term

    # --- importing ------------------------------------------------------------------------
    def _link(self, href: str, text: str) -> tuple[str, object] | None:
        """A body link: a file shipped with the export becomes a document link; other links to
        the old site's own pages cannot be followed on the new one and keep only their text."""
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme in ("mailto", "tel"):
            return ("external", href)
        # http(s) or protocol-relative (//host/…); ftp://host/… is not something to link to
        absolute = scheme in ("http", "https") or (not scheme and bool(parts.netloc))
        if scheme and not absolute:
            return None  # ftp:, file:, news: … nothing a reader can open from the site
        if self.media.folder.find(href) is not None or is_file_reference(href):
            pk = self.media.document(href, text)
            if pk is not None:
                return ("document", pk)
            return ("external", href) if absolute else None
        if absolute:
            return ("external", href)
        self.notes.append(
            _("站内链接“%(href)s”无法对应到新网站的页面，已去掉链接、保留文字“%(text)s”")
            % {"href": href, "text": text}
        )
        return None

    def publish(self, record: Record, doc: DocumentResult) -> None:
        fields = dict(record.fields)
        for key, terms in (("topic", self.topics), ("genre", self.genres)):
            if isinstance(fields[key], str):
                fields[key] = terms[fields[key]]
        self.media.begin(self.media.collection_for(fields["issuing_organisation"]))
        self.notes = []
        body = Normaliser(resolve_image=self.media.image, resolve_link=self._link).normalise(
            str(record.data.get("body_html") or "")
        )
        fields["body"] = sanitise_rich_text(body.html)
        fields["tables"] = [("table", value) for value in body.tables]
        doc.removed = body.removed_messages()
        if body.nested_tables:
            doc.warnings.append(
                _("嵌套在表格单元格或列表中的 %(n)d 个表格已展开为文字，请核对")
                % {"n": body.nested_tables}
            )
        doc.warnings += body.notes + self.notes
        if "attachments" in record.data:
            attachments = []
            for reference, title in record.attachments:
                pk = self.media.document(reference, title)
                if pk is not None:
                    attachments.append((pk, title))
        else:
            attachments = None
        doc.missing_files = list(self.media.missing)
        doc.warnings += self.media.refused
        existing = self.find_existing(record)
        if attachments is not None:
            fields["attachments"] = [
                DisclosureAttachment(document_id=pk, title=title, sort_order=n)
                for n, (pk, title) in enumerate(attachments)
            ]
        if existing is None:
            fields["slug"] = self._slug(record, record.section)
            page, _created = document_publish(parent=record.section, fields=fields, user=self.user)
            doc.status = CREATED
        else:
            fields.pop("index_number")
            self.move_into_place(existing, record.section)
            if existing.live and _same(existing, fields):
                page, doc.status = existing, UNCHANGED
            else:
                page, _created = document_publish(
                    parent=record.section, document=existing, fields=fields, user=self.user
                )
                doc.status = UPDATED
        doc.page_id = page.pk
        doc.url_path = page.url_path
        doc.key = page.index_number or doc.key

    @staticmethod
    def move_into_place(document: DisclosureDocumentPage, section: DisclosureIndexPage) -> None:
        """A document imported before the organisations had sections moves into its section."""
        here, there = section_owning(document), section_owning(section)
        if there is not None and (here is None or here.pk != there.pk):
            document.move(section, pos="last-child")
            document.refresh_from_db()

    def reserve_numbers(self, records: list[Record], failures: list[DocumentResult]) -> None:
        """Every 索引号 the file gives — of good and bad documents — is reserved before anything is
        imported, so a document without one is never handed a number a later line (or the fixed
        bad line, next time) brings: the counter of each organisation and year moves past the
        highest (one query per organisation and year)."""
        highest: dict[tuple[str, str], str] = {}
        for number in [r.fields["index_number"] for r in records] + [f.key for f in failures]:
            match = INDEX_NUMBER_RE.match(number or "")
            if match and match["code"] in self.organisations:
                key = (match["code"], match["year"])
                highest[key] = max(highest.get(key, ""), number)
        for (code, _year), number in sorted(highest.items()):
            index_number_reserve(index_number=number, organisation=self.organisations[code])

    def run(
        self, rows, *, strict: bool = False, dry_run: bool = False, progress=None
    ) -> ImportResult:
        """Import every valid document of `rows` (`sources.Row`s or JSON Lines strings), each in
        its own transaction; all in one with `strict`, rolled back with `dry_run`. `progress`
        wraps the record iterable (a tqdm bar in the command). Raises ImportRejected only when
        `strict` and something is wrong."""
        started = time.monotonic()
        records, failures = self.parse(rows)
        result = ImportResult(dry_run=dry_run, strict=strict, documents=list(failures))
        if strict and failures:
            result.documents.sort(key=lambda d: d.line)
            raise ImportRejected([(d.line, d.reason) for d in failures], result)
        written: list[tuple] = []
        try:
            with index_in_bulk(), transaction.atomic() if strict or dry_run else nullcontext():
                self.ensure_terms()
                self.reserve_numbers(records, failures)
                for record in progress(records) if progress else records:
                    doc = DocumentResult(
                        line=record.line,
                        key=record.fields["index_number"] or record.fields["document_number"],
                        title=record.fields["title"],
                    )
                    result.documents.append(doc)
                    try:
                        with transaction.atomic():
                            self.publish(record, doc)
                    except Exception as exc:  # noqa: BLE001 - one document's failure is reported, never fatal to the rest
                        self.media.discard()
                        doc.status = FAILED
                        doc.errors = _reasons(exc)
                        if strict:
                            raise ImportRejected([(doc.line, doc.reason)], result) from None
                    else:
                        written += self.media.stored
                if dry_run:
                    transaction.set_rollback(True)
        except ImportRejected:
            delete_stored(written)
            raise
        if dry_run:
            delete_stored(written)
        result.documents.sort(key=lambda d: d.line)
        result.seconds = time.monotonic() - started
        return result

    @staticmethod
    def _slug(record: Record, parent) -> str:
        key = record.fields["index_number"] or record.fields["document_number"]
        base = slugify(key.replace("/", "-"), allow_unicode=True) or f"doc-{record.line}"
        return unique_child_slug(parent, base)


def _reasons(exc: Exception) -> list[str]:
    """A document's failure as Chinese reasons (a traceback goes to the log, never to the user)."""
    if isinstance(exc, ValidationError):  # PrePublishCheckFailed too
        return [str(m) for m in exc.messages]
    if isinstance(exc, ValueError):
        return [str(exc)]
    logger.exception("import of one document failed")
    return [
        _("导入时出错（%(kind)s：%(msg)s），本件未导入，其余文件照常导入")
        % {"kind": type(exc).__name__, "msg": str(exc)[:200]}
    ]


def _same(document: DisclosureDocumentPage, fields: dict) -> bool:
    for key, value in fields.items():
        if key == "attachments":
            ours = [(a.document_id, a.title) for a in value]
            if [(a.document_id, a.title) for a in document.attachments.all()] != ours:
                return False
        elif key == "tables":
            if [(b.block_type, b.value) for b in document.tables] != list(value):
                return False
        elif getattr(document, key) != value:
            return False
    return True
