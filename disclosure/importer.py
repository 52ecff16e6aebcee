"""Bulk import of disclosure documents from JSON Lines (sites migrating from an old CMS).

Every record is validated first; a file with a bad line imports nothing unless `skip_bad` is set.
Idempotent by 索引号 (or by 发文字号 where no 索引号 is given). Documents are published through
Wagtail (`document_publish`), so revisions, 索引号 counters and the search index are right."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.editorial.prepublish import PrePublishCheckFailed
from portal.editorial.sections import Area, section_for, section_owning
from portal.organisations import Organisation
from portal.pages import unique_child_slug
from portal.search_indexing import index_in_bulk

from .actions import document_publish
from .models import (
    INDEX_NUMBER_RE,
    DisclosureDocumentPage,
    DisclosureIndexPage,
    Genre,
    Topic,
    Validity,
    sanitise_rich_text,
)

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
}
VALIDITY = {"有效": Validity.VALID, "失效": Validity.EXPIRED, "废止": Validity.REPEALED}


class ImportRejected(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{len(errors)} bad line(s)")
        self.errors = errors


@dataclass
class Record:
    line: int
    data: dict
    section: DisclosureIndexPage
    fields: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _date(value, key: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            _("%(key)s 日期格式应为 YYYY-MM-DD，当前为“%(value)s”") % {"key": key, "value": value}
        ) from None


class Importer:
    def __init__(self, *, catalogue: DisclosureIndexPage, create_terms: bool = False, user=None):
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

    def parse(self, lines) -> tuple[list[Record], list[tuple[int, str]]]:
        records, errors = [], []
        seen: dict[str, int] = {}
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                record = self.validate(number, raw)
            except ValueError as exc:
                errors.append((number, str(exc)))
                continue
            key = record.fields.get("index_number") or record.fields["document_number"]
            if key in seen:
                errors.append(
                    (number, _("与第 %(line)d 行重复（%(key)s）") % {"line": seen[key], "key": key})
                )
                continue
            seen[key] = number
            records.append(record)
        return records, errors

    def validate(self, number: int, raw: str) -> Record:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(_("不是有效的 JSON（%(msg)s）") % {"msg": exc.msg}) from None
        if not isinstance(data, dict):
            raise ValueError(_("每行应为一个 JSON 对象"))
        problems = []
        missing = [k for k in REQUIRED if not str(data.get(k) or "").strip()]
        if missing:
            problems.append(_("缺少必填项：%(keys)s") % {"keys": "、".join(missing)})
        unknown = sorted(set(data) - KNOWN)
        if unknown:
            problems.append(_("未知字段：%(keys)s") % {"keys": "、".join(unknown)})
        if problems:
            raise ValueError("；".join(problems))
        fields: dict = {"title": str(data["title"]).strip()[:255]}
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
        fields["document_number"] = str(data.get("document_number") or "").strip()
        if not index_number and not fields["document_number"]:
            problems.append(_("索引号和发文字号至少填写一项，以便重复导入时识别同一文件"))
        fields["body"] = sanitise_rich_text(str(data.get("body_html") or ""))
        fields["summary"] = str(data.get("summary") or "").strip()[:300]
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
        except Exception as exc:  # ValidationError
            messages = getattr(exc, "messages", [str(exc)])
            raise ValueError("；".join(str(m) for m in messages)) from None
        return Record(line=number, data=data, section=section, fields=fields)

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

    def publish(self, record: Record, result: ImportResult) -> None:
        fields = dict(record.fields)
        for key, terms in (("topic", self.topics), ("genre", self.genres)):
            if isinstance(fields[key], str):
                fields[key] = terms[fields[key]]
        existing = self.find_existing(record)
        if existing is None:
            fields["slug"] = self._slug(record, record.section)
            document_publish(parent=record.section, fields=fields, user=self.user)
            result.created += 1
            return
        fields.pop("index_number")
        self.move_into_place(existing, record.section)
        if existing.live and all(getattr(existing, k) == v for k, v in fields.items()):
            result.unchanged += 1
            return
        document_publish(parent=record.section, document=existing, fields=fields, user=self.user)
        result.updated += 1

    @staticmethod
    def move_into_place(document: DisclosureDocumentPage, section: DisclosureIndexPage) -> None:
        """A document imported before the organisations had sections moves into its section."""
        here, there = section_owning(document), section_owning(section)
        if there is not None and (here is None or here.pk != there.pk):
            document.move(section, pos="last-child")
            document.refresh_from_db()

    def run(self, lines, *, skip_bad: bool = False, progress=None) -> ImportResult:
        """Validate every line, then (if the file is accepted) import in one transaction, and
        index what was imported in batches (portal.search_indexing). `progress` wraps the record iterable (a tqdm bar in the command)."""
        records, errors = self.parse(lines)
        if errors and not skip_bad:
            raise ImportRejected(errors)
        result = ImportResult(skipped=errors)
        # The search index is written in batches once the file is in, not one task per document.
        with index_in_bulk(), transaction.atomic():
            self.ensure_terms()
            for record in progress(records) if progress else records:
                try:
                    self.publish(record, result)
                except PrePublishCheckFailed as exc:
                    # Nothing of the file is imported, as for any other bad line.
                    raise ImportRejected([(record.line, "；".join(exc.messages))]) from None
        return result

    @staticmethod
    def _slug(record: Record, parent) -> str:
        key = record.fields["index_number"] or record.fields["document_number"]
        base = slugify(key.replace("/", "-"), allow_unicode=True) or f"doc-{record.line}"
        return unique_child_slug(parent, base)
