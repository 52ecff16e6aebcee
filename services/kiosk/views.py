"""The kiosk's pages. Browsing answers (start, topics, centres, guides) are public and may be kept
by the shared cache; the lookup is never stored, keeps nothing in a session and sets no cookie: the
answer exists only in the page that shows it, which kiosk.js replaces by the start screen."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.cases.errors import CaseError
from portal.cases.lookup import case_lookup, case_public_view
from portal.cases.numbers import normalise_case_number
from portal.frontcache.policy import offer
from portal.http import absolute_page_url, no_store
from portal.security import ratelimit
from portal.security.csrf import same_origin_post

from . import selectors

# Keys of the on-screen keypad: the digits, the check character X and the letters of case number
# prefixes and query codes (query codes never use 0/O/1/I/L, case numbers never use I/L/O).
KEYPAD_ROWS = ("1234567890", "QWERTYUPX", "ASDFGHJK", "ZCVBNM")
PREFIXES = ("SQ", "GK", "TS")


def _urls(centre) -> dict:
    kwargs = {"centre": selectors.centre_code(centre)} if centre is not None else {}
    return {
        "home": reverse("kiosk_start", kwargs=kwargs),
        "lookup": reverse("kiosk_lookup", kwargs=kwargs),
        "centres": reverse("kiosk_centres", kwargs=kwargs),
        "base": reverse("kiosk_start", kwargs=kwargs),  # topic/<t>/, guide/<id>/ … below it
    }


def _base(request, centre_code: str | None) -> dict:
    centre = selectors.kiosk_centre(centre_code) if centre_code else None
    return {
        "centre": centre,
        "kiosk": _urls(centre),
        "idle_seconds": getattr(settings, "KIOSK_IDLE_SECONDS", 90),
        "result_seconds": getattr(settings, "KIOSK_RESULT_SECONDS", 60),
    }


@require_GET
def start(request, centre: str | None = None):
    """The start screen: 按主题 tiles, 办件查询, the centres (or this centre's card), and a QR code
    to the portal (or this centre's page) on the phone. ?centre=<code> is the same as
    /kiosk/<code>/ (a redirect, so the screen's address is one cacheable URL)."""
    if centre is None and request.GET.get("centre"):
        code = selectors.centre_code(selectors.kiosk_centre(request.GET["centre"]))
        return HttpResponseRedirect(reverse("kiosk_start", kwargs={"centre": code}))
    context = _base(request, centre)
    context["topics"] = selectors.topic_tiles(centre=context["centre"])
    target = context["centre"]
    phone_url = absolute_page_url(target, request) if target else request.build_absolute_uri("/")
    context["qr"] = selectors.qr_data_uri(phone_url)
    context["phone_url"] = phone_url
    offer(request)
    return render(request, "services/kiosk/start.html", context)


@require_GET
def topic(request, topic: str, centre: str | None = None):
    context = _base(request, centre)
    context["topic_label"] = selectors.topic_label(topic)
    context["guides"] = selectors.guides_for(topic=topic, centre=context["centre"])
    offer(request)
    return render(request, "services/kiosk/guides.html", context)


@require_GET
def centres(request, centre: str | None = None):
    context = _base(request, centre)
    context["centres"] = selectors.centre_tiles()
    offer(request)
    return render(request, "services/kiosk/centres.html", context)


@require_GET
def centre_guides(request, code: str, centre: str | None = None):
    """The guides handled at one centre (browsed from the centre list)."""
    context = _base(request, centre)
    shown = selectors.kiosk_centre(code)
    context["shown_centre"] = shown
    context["topic_label"] = shown.title
    context["guides"] = selectors.guides_for(centre=shown)
    offer(request)
    return render(request, "services/kiosk/guides.html", context)


@require_GET
def guide(request, guide_id: int, centre: str | None = None):
    context = _base(request, centre)
    context.update(selectors.kiosk_guide(guide_id))
    phone_url = absolute_page_url(context["guide"], request)
    context["qr"] = selectors.qr_data_uri(phone_url)
    context["phone_url"] = phone_url
    offer(request)
    return render(request, "services/kiosk/guide.html", context)


@same_origin_post  # the keypad page carries no CSRF token: it sets no cookie
@require_http_methods(["GET", "POST"])
def lookup(request, centre: str | None = None):
    """The keypad (GET) and its answer (POST): portal.cases.lookup with its rate limits and its
    checks of the number and the query code. The answer is rendered once, never stored, and no
    session is granted (unlike /cx/): the next person at the screen cannot see it."""
    context = _base(request, centre)
    context.update({"keypad_rows": KEYPAD_ROWS, "prefixes": PREFIXES, "error": None})
    status = 200
    if request.method == "POST":
        try:
            case = case_lookup(
                case_number=request.POST.get("case_number", ""),
                query_code=request.POST.get("query_code", ""),
                client=ratelimit.client_ip(request),
            )
        except CaseError as exc:
            status = exc.status if exc.status in (404, 422, 429) else 400
            context["error"] = exc.message
            context["field_errors"] = exc.errors
            context["case_number"] = normalise_case_number(request.POST.get("case_number", ""))[:20]
            response = render(request, "services/kiosk/lookup.html", context, status=status)
            if status == 429:
                response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
            return no_store(response)
        context["view"] = case_public_view(case)
        context["cx_url"] = request.build_absolute_uri("/cx/")
        context["qr"] = selectors.qr_data_uri(context["cx_url"])
        context["title"] = _("办件查询结果")
        return no_store(render(request, "services/kiosk/result.html", context))
    return no_store(render(request, "services/kiosk/lookup.html", context, status=status))
