"""Fixed-window rate limits with their state in the cache (Redis in production, so every worker
process shares it). Identifiers are hashed: no case number, ID number or username is stored in
clear.

`client_ip` is the one answer to "who is the client" for every limit: behind the production proxies
(nginx → Varnish → gunicorn) it reads the address nginx saw, never a header the client can forge."""

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds
    offset: int = 0  # seconds added to the clock before bucketing (8 h: days of Beijing time)


def _bucket(limit: Limit, now: float | None = None) -> int:
    return int(((now if now is not None else time.time()) + limit.offset) // limit.window)


def _key(limit: Limit, ident: str, now: float | None = None) -> str:
    digest = hashlib.sha256(f"{limit.scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{limit.scope}:{digest}:{_bucket(limit, now)}"


def _cache():
    return caches[getattr(settings, "RATELIMIT_CACHE", "default")]


def count(limit: Limit, ident: str) -> int:
    return int(_cache().get(_key(limit, ident)) or 0)


def is_limited(limit: Limit, ident: str) -> bool:
    return count(limit, ident) >= limit.limit


def hit(limit: Limit, ident: str, amount: int = 1) -> int:
    """Count `amount` events (or bytes); returns the total in the current window."""
    cache, key = _cache(), _key(limit, ident)
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=limit.window + 5)
        return amount


def reset(limit: Limit, ident: str) -> None:
    _cache().delete(_key(limit, ident))


def retry_after(limit: Limit) -> int:
    """Seconds until the current window of `limit` ends."""
    return int(limit.window - ((time.time() + limit.offset) % limit.window)) + 1


# ---------------------------------------------------------------------------------------------
# The client behind the proxies.


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request) -> str:
    """The client's address, for every per-client limit.

    - `PORTAL_TRUSTED_PROXIES` (proxy networks, e.g. `127.0.0.1/32,10.0.0.0/8`): when the peer
      (REMOTE_ADDR) is one of them, walk X-Forwarded-For from the right past every trusted
      address; the first untrusted one is the client.
    - otherwise `PORTAL_TRUSTED_PROXY_COUNT` = N, the number of proxies that each add one address
      to X-Forwarded-For (production: 2 — nginx sets it to the client's address, Varnish appends
      nginx's): the N-th address from the right. A header with fewer addresses did not come
      through the proxies, and REMOTE_ADDR is used.
    - N = 0 (dev, tests): REMOTE_ADDR, never a header the client can set.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = [
        p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
    ]
    networks = _networks(tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()))
    if networks:
        if not _trusted(remote, networks):
            return remote
        for address in reversed(forwarded):
            if not _trusted(address, networks):
                return address
        return forwarded[0] if forwarded else remote
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
