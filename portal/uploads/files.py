"""Uploaded files of cases (citizens' materials, staff's reply letters): type-checked by content
(magic bytes, not the name), size-limited, stored in the private storage under generated names in
a folder per kind of file. Nothing here is ever served from MEDIA_URL.

Each app that stores files registers its folder and how to tell which stored names its records
still refer to (`register_folder`), so the hourly sweep (`manage.py cleanup_uploads`) can remove
the files no record refers to."""

import contextlib
import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _


def max_upload_bytes() -> int:
    """The per-file limit (settings.UPLOAD_MAX_FILE_BYTES, 10 MB by default)."""
    return settings.UPLOAD_MAX_FILE_BYTES


SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass
class CheckedUpload:
    material_code: str
    material_name: str
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    return None


def safe_display_name(name: str) -> str:
    """The citizen's file name, for staff display only: no path, no control characters, bounded."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base[-100:] or "upload"


def check_upload(upload, *, material_code: str, material_name: str) -> CheckedUpload:
    """Read and check one uploaded file; ValueError with a Chinese message naming the material."""
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValueError(
            _("“%(m)s”文件过大（%(size).1f MB），单个文件不能超过 %(max)d MB。")
            % {
                "m": material_name,
                "size": size / 1024 / 1024,
                "max": limit // 1024 // 1024,
            }
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValueError(
            _("“%(m)s”文件过大，单个文件不能超过 %(max)d MB。")
            % {"m": material_name, "max": limit // 1024 // 1024}
        )
    if not content:
        raise ValueError(_("“%(m)s”文件为空，请重新选择。") % {"m": material_name})
    kind = sniff(content)
    if kind is None:
        raise ValueError(
            _("“%(m)s”不是有效的 PDF、JPG 或 PNG 文件（按文件内容检查，而非扩展名）。")
            % {"m": material_name}
        )
    return CheckedUpload(
        material_code=material_code,
        material_name=material_name,
        original_name=safe_display_name(getattr(upload, "name", "")),
        content=content,
        content_type=kind[0],
        extension=kind[1],
    )


def private_storage():
    return storages["private"]


# folder → (stored names) → the subset some record refers to
_folders: dict[str, Callable[[set[str]], set[str]]] = {}


def register_folder(folder: str, referenced: Callable[[set[str]], set[str]]) -> None:
    """Files under `folder` belong to records: `referenced(names)` answers which of `names` a
    record still refers to (one query)."""
    _folders[folder] = referenced


def registered_folders() -> dict[str, Callable[[set[str]], set[str]]]:
    return dict(_folders)


def store(checked: CheckedUpload, *, folder: str) -> str:
    """Save to private storage under a generated name in `folder`; returns the stored name."""
    if folder not in _folders:
        raise ValueError(f"unregistered upload folder {folder!r}")
    name = f"{folder}/{uuid.uuid4().hex}.{checked.extension}"
    return private_storage().save(name, ContentFile(checked.content))


def discard(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)
