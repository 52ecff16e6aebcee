"""Small helpers for building the page tree from code (importer, generators, setup)."""

from wagtail.models import Page


def unique_child_slug(parent: Page, base: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first slug no child of `parent` uses yet."""
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
