"""Frontend-cache backends for `WAGTAILFRONTENDCACHE` (wagtail.contrib.frontend_cache).

Both understand Wagtail's `purge`/`purge_batch` (exact URLs, used by Wagtail's own handlers) and
our `ban(bans)`: a list of `Ban`s (a path prefix, or an exact path with any query string), which is
how one change reaches every page that lists it (portal/frontcache/purge.py)."""

import logging
import re
import uuid
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.core.cache import cache
from django.utils.encoding import iri_to_uri
from wagtail.contrib.frontend_cache.backends import BaseBackend, HTTPBackend

logger = logging.getLogger("portal.frontcache")


@dataclass(frozen=True)
class Ban:
    """`path` and everything below it (prefix=True), or `path` itself with any query string."""

    path: str
    prefix: bool = True

    def regex(self) -> str:
        path = re.escape(iri_to_uri(self.path))
        return f"^{path}" if self.prefix else f"^{path}(\\?|$)"


EVERYTHING = Ban("/")


class _BanRequest(Request):
    def get_method(self):
        return "BAN"


class VarnishBackend(HTTPBackend):
    """Varnish (deploy/varnish/default.vcl): PURGE for one URL (Wagtail's HTTPBackend), BAN with an
    `X-Ban-Url` regex for prefixes. LOCATION is the Varnish address the app nodes may reach."""

    timeout = 2

    def __init__(self, params):
        self.location = params["LOCATION"].rstrip("/")
        super().__init__(params)

    def ban(self, bans) -> None:
        regex = "|".join(sorted({b.regex() for b in bans}))
        request = _BanRequest(
            self.location + "/", headers={"X-Ban-Url": regex, "User-Agent": "sunshine-frontcache"}
        )
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 - configured LOCATION
                pass
        except (URLError, OSError) as exc:
            logger.error("Varnish ban %s at %s failed: %s", regex, self.location, exc)


# -- the in-app cache (no Varnish) ---------------------------------------------------------------

GLOBAL = "fc:v:*"


def _segment_key(path: str) -> str:
    """Versions are kept per first path segment (`/xxgk/...` → xxgk, `/` → the home page)."""
    return "fc:v:" + path.lstrip("/").split("/", 1)[0]


def current_versions(path: str) -> tuple[str, str]:
    """The global version and the version of `path`'s first segment. A missing version (never set
    or evicted) is created fresh and random, so an old entry can never become valid again."""
    keys = [GLOBAL, _segment_key(path)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return str(found[GLOBAL]), str(found[keys[1]])


class AppCacheBackend(BaseBackend):
    """Purges the in-app cache (portal/frontcache/middleware.py) by bumping versioned keys: a ban
    of a prefix bumps its first segment's version (coarser, never wrong); a ban of `/` everything."""

    def purge(self, url) -> None:
        self.ban([Ban(urlsplit(url).path or "/", prefix=False)])

    def ban(self, bans) -> None:
        keys = {GLOBAL if b == EVERYTHING else _segment_key(b.path) for b in bans}
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
