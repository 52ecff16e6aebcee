from django.utils import timezone
from django.utils.functional import SimpleLazyObject

ELDER_COOKIE = "elder_mode"


def _nav_sections(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(
        site.root_page.get_children()
        .live()
        .in_menu()
        .only("id", "title", "url_path", "path", "depth")
    )


def portal(request):
    return {
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "current_year": timezone.localdate().year,
        "nav_sections": SimpleLazyObject(lambda: _nav_sections(request)),
    }
