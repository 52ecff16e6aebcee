"""HTTP helpers shared by views and the API."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


def no_store(response):
    """Never kept by a browser or a shared cache: every answer that shows case data, a query code
    or a form bound to one browser."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
