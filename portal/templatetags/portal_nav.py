"""Navigation without extra queries: the breadcrumbs reuse the pages the router found."""

from django import template

register = template.Library()


@register.filter
def breadcrumb_ancestors(page):
    """The pages above `page` from the home page down: the router's `route_ancestors` when it
    routed this request (no query), else one query."""
    ancestors = getattr(page, "route_ancestors", None)
    if ancestors is None:
        ancestors = page.get_ancestors()
    return [a for a in ancestors if a.depth > 1]
