"""Importing a bureau's catalogue from its old CMS (`manage.py import_disclosures`).

sources.py  reading the export: JSON Lines or CSV, UTF-8 or GB18030/GBK, dates, column names
html.py     old-CMS and Word HTML → the body's rich text, with what was removed for safety
media.py    attachments and images from the folder shipped with the export, checked by content
core.py     validation and the per-document import (transactions, idempotency, the report)"""

from .core import DocumentResult, Importer, ImportRejected, ImportResult

__all__ = ["DocumentResult", "ImportRejected", "ImportResult", "Importer"]
