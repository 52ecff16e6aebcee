"""The export: write both files and the manifest, then purge the cached copies."""

import csv
import hashlib
import io
import json
import logging

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.utils import timezone

from portal.frontcache.backends import Ban
from portal.frontcache.purge import ban_after_commit

from . import selectors

logger = logging.getLogger(__name__)

DOWNLOAD_PREFIX = "/xxgk/sjxz/"


def _replace(name: str, handle) -> None:
    storage = selectors.storage()
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, File(handle, name=name))


def open_data_export(*, base_url: str = "") -> dict:
    """Write the catalogue as CSV and JSON Lines (temporary files, so 100,000 documents never sit
    in memory), then the manifest; the downloads' cached copies are banned. Returns the
    manifest."""
    import tempfile

    base_url = base_url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    generated_at = timezone.now().replace(microsecond=0)
    with (
        tempfile.TemporaryFile("w+b") as csv_file,
        tempfile.TemporaryFile("w+b") as jsonl_file,
    ):
        csv_text = io.TextIOWrapper(csv_file, encoding="utf-8-sig", newline="")
        writer = csv.DictWriter(csv_text, fieldnames=selectors.FIELDS)
        writer.writeheader()
        count = 0
        for row in selectors.document_rows(base_url=base_url):
            writer.writerow(row)
            jsonl_file.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
            count += 1
        csv_text.flush()
        files = {}
        for fmt, handle in (("csv", csv_file), ("jsonl", jsonl_file)):
            handle.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda h=handle: h.read(1 << 16), b""):
                digest.update(chunk)
            size = handle.tell()
            handle.seek(0)
            name = f"{selectors.FOLDER}/{selectors.FORMATS[fmt][0]}"
            _replace(name, handle)
            files[fmt] = {
                "name": selectors.FORMATS[fmt][0],
                "size": size,
                "sha256": digest.hexdigest(),
            }
        csv_text.detach()
    manifest = {"generated_at": generated_at.isoformat(), "count": count, "files": files}
    _replace(
        selectors.MANIFEST,
        ContentFile(json.dumps(manifest, ensure_ascii=False).encode()),
    )
    ban_after_commit({Ban(DOWNLOAD_PREFIX), Ban("/api/v1/catalogue.jsonld", prefix=False)})
    logger.info("开放数据已导出：%s 条", count)
    return manifest
