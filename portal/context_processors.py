from django.utils import timezone
from django.utils.functional import SimpleLazyObject

ELDER_COOKIE = "elder_mode"


def _nav_sections(request):
    from wagtail.models import Site

    from .navigation import nav_sections

    site = Site.find_for_request(request)
    return nav_sections(site) if site is not None else []


def portal(request):
    return {
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "current_year": timezone.localdate().year,
        "nav_sections": SimpleLazyObject(lambda: _nav_sections(request)),
    }
