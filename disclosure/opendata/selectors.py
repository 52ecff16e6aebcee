"""Reads for the bulk downloads: the documents as flat rows (one query, streamed in chunks) and
the manifest of the last export."""

import json
from collections.abc import Iterator

from django.core.files.storage import storages

from ..selectors import document_queryset

FOLDER = "opendata"
MANIFEST = f"{FOLDER}/manifest.json"
FORMATS = {
    "csv": ("disclosures.csv", "text/csv; charset=utf-8"),
    "jsonl": ("disclosures.jsonl", "application/x-ndjson; charset=utf-8"),
}
FIELDS = (
    "index_number",
    "title",
    "url",
    "document_number",
    "written_date",
    "published_date",
    "topic",
    "topic_name",
    "genre",
    "genre_name",
    "organisation",
    "organisation_name",
    "validity",
    "effective_date",
    "repealed_date",
    "summary",
    "last_published_at",
)


def storage():
    return storages["private"]


def document_rows(*, base_url: str) -> Iterator[dict]:
    """Every live, public document as a dict of FIELDS, by 索引号 order (one query, in chunks)."""
    from wagtail.models import Site

    roots = [(r.root_path, r.root_url) for r in Site.get_site_root_paths()]
    qs = document_queryset().order_by("published_date", "pk")
    for doc in qs.iterator(chunk_size=2000):
        url = ""
        for root_path, root_url in roots:
            if doc.url_path.startswith(root_path):
                url = (base_url or root_url).rstrip("/") + "/" + doc.url_path[len(root_path) :]
                break
        yield {
            "index_number": doc.index_number or "",
            "title": doc.title,
            "url": url,
            "document_number": doc.document_number,
            "written_date": doc.written_date.isoformat() if doc.written_date else "",
            "published_date": doc.published_date.isoformat(),
            "topic": doc.topic.slug,
            "topic_name": doc.topic.name,
            "genre": doc.genre.slug,
            "genre_name": doc.genre.name,
            "organisation": doc.issuing_organisation.code,
            "organisation_name": doc.issuing_organisation.name,
            "validity": doc.validity,
            "effective_date": doc.effective_date.isoformat() if doc.effective_date else "",
            "repealed_date": doc.repealed_date.isoformat() if doc.repealed_date else "",
            "summary": doc.summary,
            "last_published_at": doc.last_published_at.isoformat() if doc.last_published_at else "",
        }


def manifest() -> dict | None:
    """The last export's manifest ({generated_at, count, files: {fmt: {name, size, sha256}}}),
    or None before the first export."""
    try:
        with storage().open(MANIFEST, "rb") as handle:
            return json.loads(handle.read())
    except (FileNotFoundError, OSError, ValueError):
        return None
