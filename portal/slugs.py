"""Slugs for Chinese titles (issue 14): pinyin, since the admin's script drops every Chinese
character and leaves the slug of a title like 关于做好养老服务工作的通知 empty.

`page_slug("关于做好第1批民政工作的通知")` → "guan-yu-zuo-hao-di-1-pi-min-zheng-gong-zuo-de-tong-zhi".
A title with nothing to spell (only punctuation) falls back to the given identifier (a disclosure
document's 索引号, "000014349/2017-00110" → "000014349-2017-00110"), then to "page". Slugs are cut
at a syllable boundary to `MAX_LENGTH`, and `unique_slug` adds -2, -3 … until `is_free` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 60
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def pinyin_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """The ASCII slug of `text`: each Chinese character as toneless pinyin, one hyphen between
    syllables; Latin letters and digits kept; everything else dropped."""
    words = lazy_pinyin(text or "", style=Style.NORMAL, errors=lambda chunk: [chunk])
    slug = slugify(re.sub(r"[^\w-]+", " ", " ".join(words)))
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    return cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]


def page_slug(title: str, *, fallback: str = "") -> str:
    return pinyin_slug(title) or pinyin_slug(fallback) or "page"


def unique_slug(base: str, is_free: Callable[[str], bool]) -> str:
    if is_free(base):
        return base
    n = 2
    while not is_free(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"
