"""Helpers for page types and for building the page tree from code (importer, generators, setup)."""

from functools import cache
from typing import ClassVar

from django.core.cache import cache as shared_cache
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.module_loading import import_string
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction


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


RESTRICTED_PATHS_KEY = "portal:restricted-page-paths"
RESTRICTED_PATHS_TIMEOUT = 3600


def restricted_paths() -> list[str]:
    """The tree paths of the pages that carry a view restriction (a handful on any site), read
    once and kept in the shared cache until a restriction changes or a page moves
    (`forget_restricted_paths`, connected in `portal.apps`)."""
    paths = shared_cache.get(RESTRICTED_PATHS_KEY)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        shared_cache.set(RESTRICTED_PATHS_KEY, paths, RESTRICTED_PATHS_TIMEOUT)
    return paths


def forget_restricted_paths(**kwargs) -> None:
    shared_cache.delete(RESTRICTED_PATHS_KEY)


def public_q() -> Q:
    """Pages outside every private section: the same pages as Wagtail's `.public()`, as plain
    path-prefix conditions on the page query itself. The restricted paths come from the cache
    (`restricted_paths`), so a list query costs nothing extra and scales with the number of
    documents, not with a correlated subquery per row (which made the catalogue's count slow
    at 100,000 documents)."""
    condition = Q()
    for path in restricted_paths():
        condition &= ~Q(path__startswith=path)
    return condition


def live_public(qs):
    """`qs.live().public()` without the extra query (see `public_q`)."""
    return qs.live().filter(public_q())


def _has_own_route(cls) -> bool:
    return getattr(cls, "route", Page.route) is not Page.route


def _is_plain_routable(cls) -> bool:
    return issubclass(cls, RoutablePageMixin) and cls.route is RoutablePageMixin.route


class PathRoutingMixin:
    """For the site's root page (HomePage): route a request in two queries whatever its depth —
    one for the pages along the path (by `url_path`, plus the root above), one for the page to
    serve as its specific type (with its `route_select_related`) — instead of Wagtail's two
    queries per level. Pages with routes of their own keep them: a RoutablePageMixin page answers
    its sub-URLs first, as in Wagtail; any other custom `route` takes over the rest of the path.

    The first query also says which of these pages carry a view restriction, so Wagtail's
    `check_view_restrictions` hook needs no query of its own when none does (it asks the page's
    `get_view_restrictions()`, answered here from that result; with an alias on the way, Wagtail's
    own lookup runs). The served page keeps the pages above it (`route_ancestors`) for the
    breadcrumbs."""

    def route(self, request, path_components):
        prefixes, url = [], self.url_path
        for component in path_components:
            url += component + "/"
            prefixes.append(url)
        steplen = self.steplen
        above = [self.path[:k] for k in range(steplen, len(self.path) + 1, steplen)]
        rows = list(
            Page.objects.filter(
                Q(path__in=above)
                | Q(url_path__in=prefixes, path__startswith=self.path, depth__gt=self.depth)
            )
            .annotate(restricted=Exists(PageViewRestriction.objects.filter(page=OuterRef("pk"))))
            .only(
                "id",
                "path",
                "depth",
                "numchild",
                "title",
                "url_path",
                "live",
                "content_type",
                "alias_of",
            )
        )
        guard = [r for r in rows if r.depth <= self.depth]
        chain = {r.url_path: r for r in rows if r.depth > self.depth}
        ancestors = [self]
        node = self
        for i, prefix in enumerate(prefixes):
            if i:
                cls = node.specific_class
                if cls is None:
                    raise Http404
                if _is_plain_routable(cls):
                    if node.live and _resolves(cls, path_components[i:]):
                        page = _specific(node, ancestors, guard)
                        return page.route(request, path_components[i:])
                elif _has_own_route(cls):
                    return _specific(node, ancestors, guard).route(request, path_components[i:])
                ancestors.append(node)
                guard.append(node)
            child = chain.get(prefix)
            if child is None:
                raise Http404
            child._cached_parent_obj = node
            node = child
        if node is self:
            _answer_view_restrictions(self, guard)
            return super().route(request, [])
        guard.append(node)
        return _specific(node, ancestors, guard).route(request, [])


def _resolves(cls, components) -> bool:
    path = "/" + "".join(c + "/" for c in components)
    try:
        cls.get_resolver().resolve(path)
    except Http404:
        return False
    return True


def _answer_view_restrictions(page, guard) -> None:
    """`page.get_view_restrictions()` from what the routing query found about `guard` (the page
    and every page above it), unless an alias is among them."""
    if any(g.alias_of_id for g in guard) or {g.depth for g in guard} != set(
        range(1, page.depth + 1)
    ):
        return
    restricted = [g.pk for g in guard if g.restricted]
    if restricted:
        page.get_view_restrictions = lambda: PageViewRestriction.objects.filter(
            page_id__in=restricted
        )
    else:
        page.get_view_restrictions = PageViewRestriction.objects.none


def _specific(node, ancestors, guard):
    model = node.specific_class
    qs = model._default_manager.all()
    related = getattr(model, "route_select_related", ())
    if related:
        qs = qs.select_related(*related)
    page = qs.get(pk=node.pk)
    page._cached_parent_obj = ancestors[-1]
    page.route_ancestors = list(ancestors)
    _answer_view_restrictions(page, guard if guard and guard[-1] is node else [*guard, node])
    return page
