"""Helpers for page types and for building the page tree from code (importer, generators, setup)."""

from functools import cache
from typing import ClassVar

from django.utils.module_loading import import_string
from wagtail.models import Page


def unique_child_slug(parent: Page, base: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first slug no child of `parent` uses yet."""
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@cache
def _selector(path: str):
    return import_string(path)


class SelectorContextMixin:
    """A page type whose template context comes from a selector: `context_selector` names it
    (a dotted path, imported on first use, so page models never import their selectors), called
    as `selector(page, request)` and merged into Wagtail's context."""

    context_selector: ClassVar[str]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(_selector(self.context_selector)(self, request))
        return context
