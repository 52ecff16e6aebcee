"""Attachments and images an old site's documents refer to, imported as Wagtail documents and
images into the issuing organisation's collection.

Files come from a folder shipped beside the export (`--media DIR`); a reference — relative
(`../files/a.pdf`), site-absolute (`/uploads/2020/a.pdf`) or a full URL (`http://old.site/uploads/
2020/a.pdf`) — is mapped onto that folder by its path, then by shorter and shorter tails of it, so
`/uploads/2020/a.pdf` is found at `DIR/uploads/2020/a.pdf`, `DIR/2020/a.pdf` or `DIR/a.pdf`. Nothing
is fetched from the network. Every file is checked by its content under the project's upload rules
(portal/uploads: PDF, JPG and PNG by their structure, no active markup, the same size limit) and,
for the office formats the catalogue accepts, by its signature; the same file (SHA-1, as Wagtail
stores it) in the same collection is imported once and reused."""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.editorial.sections import OrganisationEditorial
from portal.uploads import files as uploads

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# extension → what its content may be (Office files are often saved under the other generation's
# extension; both are the same kind of document)
DOCUMENT_KINDS = {
    "pdf": {"pdf"},
    "doc": {"ole", "zip"},
    "docx": {"zip", "ole"},
    "xls": {"ole", "zip"},
    "xlsx": {"zip", "ole"},
    "wps": {"ole", "zip"},
    "et": {"ole", "zip"},
    "ofd": {"zip"},
    "zip": {"zip"},
    "txt": {"text"},
}
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def _extension(name: str) -> str:
    return posixpath.splitext(name)[1].lstrip(".").lower()


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(OLE2):
        return "ole"
    if content.startswith(ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                archive.namelist()
        except zipfile.BadZipFile:
            return None
        return "zip"
    if b"\x00" not in content:
        for encoding in ("utf-8", "gb18030"):
            with contextlib.suppress(UnicodeDecodeError):
                content.decode(encoding)
                return "text"
    return None


def _check_image(name: str, content: bytes) -> str | None:
    """Why `content` is not an image we publish (a Chinese message), else None."""
    if content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        try:
            uploads.check_upload(
                ContentFile(content, name=name), material_code="", material_name=name
            )
        except ValueError as exc:
            return str(exc)
        return None
    if uploads.ACTIVE_MARKUP.search(content):
        return _("“%(m)s”中含有网页或脚本代码，不是图片文件。") % {"m": name}
    try:
        with PILImage.open(io.BytesIO(content)) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValueError(image.format)
            image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds; any of them means "not an image"
        return _("“%(m)s”不是可以正常显示的图片（按文件内容检查）。") % {"m": name}
    return None


def check_file(name: str, content: bytes, *, image: bool) -> str | None:
    """The project's upload rules for a file an import brings in: None if it may be published,
    else the Chinese reason."""
    limit = uploads.max_upload_bytes()
    if len(content) > limit:
        return _("“%(m)s”文件过大，单个文件不能超过 %(max)d MB。") % {
            "m": name,
            "max": limit // 1024 // 1024,
        }
    if not content:
        return _("“%(m)s”是空文件。") % {"m": name}
    extension = _extension(name)
    if image:
        if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
            return _("“%(m)s”不是可发布的图片格式（%(ext)s）。") % {
                "m": name,
                "ext": "、".join(settings.WAGTAILIMAGES_EXTENSIONS),
            }
        return _check_image(name, content)
    if extension not in settings.WAGTAILDOCS_EXTENSIONS or extension not in DOCUMENT_KINDS:
        if extension in settings.WAGTAILIMAGES_EXTENSIONS:
            return _check_image(name, content)
        return _("“%(m)s”不是可发布的附件格式（%(ext)s）。") % {
            "m": name,
            "ext": "、".join(settings.WAGTAILDOCS_EXTENSIONS),
        }
    kind = _sniff(content)
    if kind not in DOCUMENT_KINDS[extension]:
        return _("“%(m)s”的内容与扩展名 .%(ext)s 不符（按文件内容检查，而非扩展名）。") % {
            "m": name,
            "ext": extension,
        }
    if kind == "pdf":
        try:
            uploads.check_upload(
                ContentFile(content, name=name), material_code="", material_name=name
            )
        except ValueError as exc:
            return str(exc)
    elif kind != "zip" and uploads.ACTIVE_MARKUP.search(content):
        return _("“%(m)s”中含有网页或脚本代码，不能作为附件发布。") % {"m": name}
    return None


class MediaFolder:
    """Maps the references of an export onto the files shipped with it."""

    def __init__(self, root: Path | None):
        self.root = root.resolve() if root else None

    def find(self, reference: str) -> Path | None:
        if self.root is None:
            return None
        parts = urlsplit(reference.replace("\\", "/"))
        if parts.scheme not in ("", "http", "https", "file"):
            return None
        path = posixpath.normpath(unquote(parts.path)).lstrip("/")
        segments = [s for s in path.split("/") if s not in ("", ".", "..")]
        for start in range(len(segments)):
            candidate = (self.root / Path(*segments[start:])).resolve()
            if candidate.is_relative_to(self.root) and candidate.is_file():
                return candidate
        return None


def is_file_reference(reference: str) -> bool:
    extension = _extension(urlsplit(reference).path)
    return extension in DOCUMENT_KINDS or extension in settings.WAGTAILIMAGES_EXTENSIONS


class MediaImporter:
    """Imports the files one document refers to. `begin(collection)` before each document;
    `missing` then lists the references with no file, `refused` why files were refused,
    `stored` the files written (to
    delete when the document's transaction rolls back)."""

    def __init__(self, folder: MediaFolder):
        self.folder = folder
        self.collections: dict[int, Collection] = {}
        self.known: dict[tuple[str, int, str], int] = {}  # (kind, collection, sha1) → id
        self.stored: list[tuple] = []  # (storage, name) written for the current document
        self.new_keys: list[tuple] = []
        self.missing: list[str] = []  # references with no file in the folder
        self.refused: list[str] = []  # files the upload rules refuse
        self.collection: Collection | None = None

    def collection_for(self, organisation) -> Collection:
        """The organisation's own collection, else its nearest ancestor's, else the root."""
        if organisation.pk not in self.collections:
            chain = [organisation, *reversed(organisation.ancestors())]
            found = {
                e.organisation_id: e.collection
                for e in OrganisationEditorial.objects.filter(
                    organisation__in=[o.pk for o in chain]
                ).select_related("collection")
            }
            collection = next((found[o.pk] for o in chain if o.pk in found), None)
            self.collections[organisation.pk] = collection or Collection.get_first_root_node()
        return self.collections[organisation.pk]

    def begin(self, collection: Collection) -> None:
        self.collection = collection
        self.stored = []
        self.new_keys = []
        self.missing = []
        self.refused = []

    def discard(self) -> None:
        """Delete the files written for the current document (its transaction rolled back), and
        forget their rows."""
        delete_stored(self.stored)
        for key in self.new_keys:
            self.known.pop(key, None)
        self.stored = []
        self.new_keys = []

    def _read(self, reference: str) -> tuple[Path, bytes] | None:
        path = self.folder.find(reference)
        if path is None:
            self.missing.append(reference)
            return None
        return path, path.read_bytes()

    def image(self, reference: str, title: str) -> int | None:
        found = self._read(reference)
        if found is None:
            return None
        path, content = found
        problem = check_file(path.name, content, image=True)
        if problem:
            self.refused.append(problem)
            return None
        return self._store(get_image_model(), "image", path, content, title)

    def document(self, reference: str, title: str, *, required: bool = True) -> int | None:
        path = self.folder.find(reference)
        if path is None:
            if required:
                self.missing.append(reference)
            return None
        content = path.read_bytes()
        problem = check_file(path.name, content, image=False)
        if problem:
            self.refused.append(problem)
            return None
        return self._store(get_document_model(), "document", path, content, title)

    def _store(self, model, kind: str, path: Path, content: bytes, title: str) -> int:
        collection = self.collection or Collection.get_first_root_node()
        digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()
        key = (kind, collection.pk, digest)
        if key in self.known:
            return self.known[key]
        existing = (
            model.objects.filter(collection=collection, file_hash=digest)
            .values_list("pk", flat=True)
            .first()
        )
        if existing is not None:
            self.known[key] = existing
            return existing
        name = uploads.safe_display_name(path.name)
        file = (
            ImageFile(io.BytesIO(content), name=name)
            if kind == "image"
            else ContentFile(content, name=name)
        )
        obj = model(title=(title or path.stem)[:255], file=file, collection=collection)
        obj.file_size = len(content)
        obj.file_hash = digest
        obj.save()
        self.stored.append((obj.file.storage, obj.file.name))
        self.new_keys.append(key)  # forgotten if the document's transaction rolls back
        self.known[key] = obj.pk
        return obj.pk


def delete_stored(stored: list[tuple]) -> None:
    """Delete stored files and, for images, the renditions made of them meanwhile (their rows
    roll back with the transaction, their files would not)."""
    for storage, name in stored:
        with contextlib.suppress(OSError):
            storage.delete(name)
        if not name.startswith("original_images/"):
            continue
        stem = posixpath.splitext(posixpath.basename(name))[0]
        with contextlib.suppress(OSError, NotImplementedError):
            for other in storage.listdir("images")[1]:
                if other.startswith(stem + "."):
                    storage.delete(posixpath.join("images", other))
