"""The default file storage. Public files live in MEDIA_ROOT as usual; a file whose base name
starts with PROTECTED_MARK (an image or document of a private collection, its renditions) lives in
PROTECTED_MEDIA_ROOT instead — outside the directory nginx serves — and its URL is the
protected-media view, which checks who asks.

Why a mark in the name and not a second storage: Wagtail derives a rendition's file name from its
original's and creates renditions in several ways (get_or_create, bulk_create) without signals,
so the name is the one thing that reliably travels from an original to all its renditions.
Upload names cannot carry the mark by accident in a harmful way: a public file that happens to
start with it is only served through Django (fails closed)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.functional import cached_property

PROTECTED_MARK = "_private_"


def is_protected_name(name: str) -> bool:
    return os.path.basename(name or "").startswith(PROTECTED_MARK)


def protected_name(name: str) -> str:
    """`name` with the mark on its base name (idempotent)."""
    folder, base = os.path.split(name)
    return name if base.startswith(PROTECTED_MARK) else os.path.join(folder, PROTECTED_MARK + base)


def public_name(name: str) -> str:
    folder, base = os.path.split(name)
    return os.path.join(folder, base.removeprefix(PROTECTED_MARK))


class PortalMediaStorage(FileSystemStorage):
    @cached_property
    def protected(self) -> FileSystemStorage:
        return FileSystemStorage(
            location=str(settings.PROTECTED_MEDIA_ROOT),
            base_url=None,
            file_permissions_mode=self.file_permissions_mode,
            directory_permissions_mode=self.directory_permissions_mode,
        )

    def path(self, name):
        return self.protected.path(name) if is_protected_name(name) else super().path(name)

    def _save(self, name, content):
        if is_protected_name(name):
            return self.protected._save(name, content)
        return super()._save(name, content)

    def url(self, name):
        if is_protected_name(name):
            return reverse("protected_media", args=[name])
        return super().url(name)
