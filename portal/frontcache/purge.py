"""What a change invalidates, sent after commit to every backend in `WAGTAILFRONTENDCACHE`.

A page's change (publish, unpublish, move, delete — scheduled go-live and expiry are publishes and
unpublishes too) bans:
- its top-level section by prefix (`/xxgk/` for a document: the page, its column indexes, the
  catalogue with every filter and its Atom feeds);
- the home page (最新公开), `/search/`, the site map `/wzdt/` and the public API under `/api/v1/`;
- for a move, the old place as well as the new.
A change of the home page or of a top-level section (the navigation on every page), of a snippet
(topics, genres, organisations: the filters and names on many pages) or of the site settings (the
header and footer) bans everything.

The bans go out after the transaction commits (a rolled-back publish purges nothing), directly and
not through the task queue, so a change is visible through the cache at once. Wagtail's own
frontend_cache handlers still purge the page's exact URLs too (through a task).

A request that read the old rows just before the commit can finish rendering after the ban and
store the old page again (the ban only removes what is cached when it arrives). So the same bans
are sent once more FRONT_CACHE_REBAN_SECONDS later, by the task worker (`reban`): whatever such a
late response stored is gone by then. Without a task backend that can defer (the immediate one in
tests), only the first ban is sent."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import DraftStateMixin, Page, Site

from .backends import EVERYTHING, Ban

logger = logging.getLogger("portal.frontcache")

LISTINGS = (
    Ban("/", prefix=False),
    Ban("/search/"),
    Ban("/wzdt/"),
    Ban("/api/v1/"),
    Ban("/sitemap.xml", prefix=False),
    Ban("/sitemap/"),  # the parts of a large sitemap
)


def relative_paths(url_path: str) -> list[str]:
    """The site-relative paths of a Wagtail `url_path` (one per site whose root contains it)."""
    paths = []
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            paths.append("/" + url_path[len(root.root_path) :])
    return paths


def bans_for_paths(paths) -> set[Ban]:
    bans = set(LISTINGS)
    for path in paths:
        segments = [s for s in path.split("/") if s]
        if len(segments) <= 1:
            return {EVERYTHING}  # the home page or a top-level section: the navigation changed
        bans.add(Ban(f"/{segments[0]}/"))
    return bans


def bans_for_page(page, *, old_url_path: str | None = None) -> set[Ban]:
    url_paths = [page.url_path] + ([old_url_path] if old_url_path else [])
    return bans_for_paths([p for u in url_paths for p in relative_paths(u)])


def send_bans(bans) -> None:
    """Ban now, on every configured backend (those without `ban` get exact-path purges)."""
    for name, backend in get_backends().items():
        try:
            if hasattr(backend, "ban"):
                backend.ban(bans)
            else:
                backend.purge_batch([b.path for b in bans if not b.prefix])
        except Exception:  # a cache that cannot be reached must never undo a publish
            logger.exception("Front cache %s: ban failed", name)


def schedule_reban(bans) -> bool:
    """Queue the same bans again for FRONT_CACHE_REBAN_SECONDS from now (see the module
    docstring). False when the task backend cannot defer or the setting is 0."""
    delay = getattr(settings, "FRONT_CACHE_REBAN_SECONDS", 5)
    if not bans or delay <= 0 or not task_backends[reban.backend].supports_defer:
        return False
    try:
        reban.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            bans=sorted([b.path, b.prefix] for b in bans)
        )
    except Exception:  # the first ban went out; a queue that fails must not undo a publish
        logger.exception("Front cache: second ban could not be queued")
        return False
    return True


@task
def reban(*, bans: list[list]) -> int:
    """The second ban of a change (see `schedule_reban`)."""
    send_bans({Ban(path, prefix=bool(prefix)) for path, prefix in bans})
    return len(bans)


class _Pending:
    """The bans of one transaction, sent by its first on-commit callback; the later callbacks of
    the same transaction find nothing left (deleting a section sends one signal per page, all
    with the same bans). Bans left by a rolled-back transaction go out with the next one: an
    extra purge, never a missed one."""

    def __init__(self):
        self.bans: set[Ban] = set()

    def flush(self):
        bans, self.bans = self.bans, set()
        if bans:
            send_bans(bans)
            schedule_reban(bans)


def ban_after_commit(bans) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        send_bans(bans)
        schedule_reban(bans)
        return
    pending = getattr(connection, "_frontcache_pending", None)
    if pending is None:
        pending = connection._frontcache_pending = _Pending()
    pending.bans.update(bans)
    transaction.on_commit(pending.flush)


# -- receivers (connected in portal/apps.py) -----------------------------------------------------


def on_page_changed(sender, instance, **kwargs):
    ban_after_commit(bans_for_page(instance))


def on_page_moved(sender, instance, url_path_before=None, **kwargs):
    if instance.live:
        ban_after_commit(bans_for_page(instance, old_url_path=url_path_before))


def on_page_deleted(sender, instance, **kwargs):
    if instance.live:
        ban_after_commit(bans_for_page(instance))


def on_object_published(sender, instance, **kwargs):
    """Snippets with drafts (topics, genres, organisations): published or unpublished."""
    if not isinstance(instance, Page):
        ban_after_commit({EVERYTHING})


def on_row_saved(sender, instance, **kwargs):
    """The site settings, and the live row of a snippet with drafts (an organisation saved by
    organisation_setup or the demo loader; drafts live in revisions, not in the row)."""
    if isinstance(instance, BaseSiteSetting) or (
        isinstance(instance, DraftStateMixin) and not isinstance(instance, Page)
    ):
        ban_after_commit({EVERYTHING})


def connect() -> None:
    from django.db.models.signals import post_save, pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move, published
    from wagtail.signals import unpublished as object_unpublished

    page_published.connect(on_page_changed, dispatch_uid="frontcache_page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="frontcache_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="frontcache_page_moved")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="frontcache_page_deleted")
    published.connect(on_object_published, dispatch_uid="frontcache_published")
    object_unpublished.connect(on_object_published, dispatch_uid="frontcache_unpublished")
    post_save.connect(on_row_saved, dispatch_uid="frontcache_row_saved")
