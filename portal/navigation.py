"""The site's main navigation (the home page's live children shown in menus), read once and kept
in the cache (Redis in production, so every worker shares it) until a page or a site changes:
every public page shows it, so it should cost no query."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "portal:nav-sections"
NAV_FIELDS = ("id", "title", "url_path", "path", "depth")


def nav_sections(site: Site) -> list[Page]:
    """The menu pages below `site`'s root, in tree order: from the cache, else one query."""
    by_site = cache.get(CACHE_KEY) or {}
    sections = by_site.get(site.pk)
    if sections is None:
        sections = list(site.root_page.get_children().live().in_menu().only(*NAV_FIELDS))
        by_site[site.pk] = sections
        cache.set(CACHE_KEY, by_site, timeout=None)
    return sections


def forget_nav_sections(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def _on_save_or_delete(sender, instance=None, **kwargs):
    if isinstance(instance, Page | Site):
        forget_nav_sections()


def connect() -> None:
    """Called from PortalConfig.ready(): any page saved, deleted, moved, published or unpublished,
    or any site changed, drops the cached menu."""
    post_save.connect(_on_save_or_delete, dispatch_uid="portal-nav-save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="portal-nav-delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_nav_sections, dispatch_uid=f"portal-nav-{id(signal)}")
