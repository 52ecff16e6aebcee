"""Files of an application that is not submitted yet (between the form and the "check your answers"
step), and the sweep that removes whatever was left behind.

Why a private temporary area and not the session: a material may be 10 MB, and sessions live in the
database (or Redis); copying files through them would bloat every request. So a checked upload is
written once into the *private* storage under `pending/<token>/<random>.<ext>` (no URL, generated
names); the token is the form's one-time form token (portal/idempotency.py), random, and lives only in the applicant's session, together with the files'
metadata. On submission the files are read back and checked again by content (the application's check)
before they are stored as the application's files, and the pending folder
is removed. Abandoned folders are removed by `cleanup_uploads` (`manage.py cleanup_uploads`, run
from cron/systemd timer every hour): anything older than PENDING_MAX_AGE is deleted. The same sweep
removes stored files that no record refers to (e.g. the loser of a double-click race whose
transaction was rolled back after its files were written), in every folder an app registered
(portal/uploads/files.py `register_folder`).
"""

import contextlib
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.utils import timezone

from portal.idempotency import FORM_TOKEN_RE

from .files import CheckedUpload, private_storage, registered_folders

PENDING_DIR = "pending"
PENDING_MAX_AGE = timedelta(hours=2)
ORPHAN_MIN_AGE = timedelta(hours=1)


def _folder(token: str) -> str:
    if not FORM_TOKEN_RE.match(token or ""):
        raise ValueError("invalid pending-upload token")
    return f"{PENDING_DIR}/{token}"


def save(token: str, checked: CheckedUpload) -> dict:
    """Keep one checked upload; returns the metadata the session holds for it."""
    name = f"{_folder(token)}/{uuid.uuid4().hex}.{checked.extension}"
    stored = private_storage().save(name, ContentFile(checked.content))
    return {
        "stored": stored,
        "original_name": checked.original_name,
        "size": checked.size,
        "content_type": checked.content_type,
        "sha256": checked.sha256,
    }


def open_file(token: str, meta: dict) -> File | None:
    """The kept upload as a file object for `application_check` (which reads it again); None when
    it is gone (swept, or a token/name mismatch)."""
    stored = meta.get("stored", "")
    if not stored.startswith(_folder(token) + "/"):
        return None
    storage = private_storage()
    if not storage.exists(stored):
        return None
    with storage.open(stored, "rb") as fh:
        content = fh.read()
    upload = ContentFile(content, name=meta.get("original_name") or "upload")
    return upload


def remove(token: str, meta: dict) -> None:
    stored = meta.get("stored", "")
    if stored.startswith(_folder(token) + "/"):
        with contextlib.suppress(OSError):
            private_storage().delete(stored)


def discard(token: str) -> None:
    """Remove the whole pending folder of a token."""
    storage = private_storage()
    folder = _folder(token)
    with contextlib.suppress(OSError, FileNotFoundError):
        _dirs, files = storage.listdir(folder)
        for name in files:
            storage.delete(f"{folder}/{name}")
        storage.delete(folder)


def cleanup(*, now=None, max_age: timedelta = PENDING_MAX_AGE) -> dict[str, int]:
    """Delete pending uploads older than `max_age` and stored files no record refers to (older
    than ORPHAN_MIN_AGE, so a submission in progress is never touched), in every registered
    folder."""
    now = now or timezone.now()
    storage = private_storage()
    removed = {"pending": 0, "orphans": 0}
    with contextlib.suppress(FileNotFoundError):
        folders, _files = storage.listdir(PENDING_DIR)
        for folder in folders:
            path = f"{PENDING_DIR}/{folder}"
            _sub, files = storage.listdir(path)
            left = len(files)
            for name in files:
                full = f"{path}/{name}"
                if now - storage.get_modified_time(full) > max_age:
                    storage.delete(full)
                    removed["pending"] += 1
                    left -= 1
            if not left:
                with contextlib.suppress(OSError):
                    storage.delete(path)
    for folder, referenced in registered_folders().items():
        with contextlib.suppress(FileNotFoundError):
            _dirs, files = storage.listdir(folder)
            candidates = {
                f"{folder}/{name}"
                for name in files
                if now - storage.get_modified_time(f"{folder}/{name}") > ORPHAN_MIN_AGE
            }
            for name in candidates - referenced(candidates):
                storage.delete(name)
                removed["orphans"] += 1
    return removed
