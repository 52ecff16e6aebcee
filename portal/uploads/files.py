"""Uploaded files of cases (citizens' materials, staff's reply letters): type-checked by content
(magic bytes, not the name), size-limited, stored in the private storage under generated names in
a folder per kind of file. Nothing here is ever served from MEDIA_URL.

Each app that stores files registers its folder and how to tell which stored names its records
still refer to (`register_folder`), so the hourly sweep (`manage.py cleanup_uploads`) can remove
the files no record refers to."""

import contextlib
import hashlib
import io
import os
import re
import unicodedata
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader


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


OCTET_STREAM = "application/octet-stream"
EXTENSIONS = {content_type: extension for _magic, content_type, extension in SIGNATURES}
# Markup a browser or mshta would run if the file were ever opened as a page: a file of one of our
# types has no business carrying it, whatever its structure (a PDF with HTML after %%EOF still
# parses, so the structural check alone does not catch that polyglot).
ACTIVE_MARKUP = re.compile(
    rb"<\s*(?:script|html|hta:application|body|iframe|object|embed|svg|meta\s+http-equiv)\b",
    re.IGNORECASE,
)
# Unicode categories never shown in a file name: controls (Cc), format characters (Cf: the bidi
# overrides and isolates U+202A–U+202E, U+2066–U+2069, zero-width characters), surrogates,
# private use, unassigned, and line/paragraph separators.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def sniff(content: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    return None


def clean_display_text(text: str) -> str:
    """`text` without control, bidi and other invisible characters (NFC, spaces collapsed): what a
    display name may show, so `scan\u202efdp.exe` cannot pose as `scanexe.pdf`."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _HIDDEN_CATEGORIES)
    return " ".join(text.split())


def safe_display_name(name: str) -> str:
    """The citizen's file name, for staff display only: no path, no control or bidi characters,
    bounded. Only ever shown as text; downloads are named by `download_filename`."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in clean_display_text(base) if ch not in '<>:"|?*')
    return base[-100:] or "upload"


def extension_for(content_type: str) -> str | None:
    """The extension of a detected content type (`application/pdf` → `pdf`); None when it is not
    one of the accepted types."""
    return EXTENSIONS.get(content_type)


def download_filename(label: str, content_type: str) -> str:
    """A download's file name: a label we chose (material name, case number), cleaned, and the
    extension of the type detected at upload; never the citizen's name or extension."""
    stem = "".join(ch for ch in clean_display_text(label) if ch not in '\\/<>:"|?*.').strip()
    return f"{stem[:80] or 'file'}.{extension_for(content_type) or 'bin'}"


def _structure_error(content: bytes, content_type: str, material_name: str) -> str | None:
    """Why `content` is not really a file of `content_type` (a Chinese message), else None."""
    if ACTIVE_MARKUP.search(content):
        return _(
            "“%(m)s”中含有网页或脚本代码，不是纯粹的 PDF、JPG 或 PNG 文件，请重新导出后上传。"
        ) % {"m": material_name}
    if content_type == "application/pdf":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = PdfReader(io.BytesIO(content), strict=False)
                if reader.is_encrypted:
                    return _("“%(m)s”是加密的 PDF，工作人员无法打开，请去除密码后重新上传。") % {
                        "m": material_name
                    }
                pages = len(reader.pages)
        except Exception:  # noqa: BLE001 - pypdf raises many kinds; any of them means "not a PDF"
            pages = 0
        if pages < 1:
            return _("“%(m)s”以 PDF 标记开头，但不是可以打开的 PDF 文件（文件结构无法解析）。") % {
                "m": material_name
            }
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[content_type]
                if image.format != expected:
                    raise ValueError(image.format)
                image.load()  # decodes every pixel: a truncated or forged body fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _("“%(m)s”图片尺寸过大，请缩小后重新上传。") % {"m": material_name}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return _("“%(m)s”不是可以正常显示的图片（图片内容无法解码），请重新拍摄或扫描后上传。") % {
            "m": material_name
        }
    return None


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
    problem = _structure_error(content, kind[0], material_name)
    if problem:
        raise ValueError(problem)
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
