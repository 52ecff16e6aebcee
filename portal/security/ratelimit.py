"""Fixed-window rate limits with their state in the cache (Redis in production, so every worker
process shares it). Identifiers are hashed: no case number or username is stored in clear."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds


def _key(limit: Limit, ident: str, now: float | None = None) -> str:
    bucket = int((now if now is not None else time.time()) // limit.window)
    digest = hashlib.sha256(f"{limit.scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{limit.scope}:{digest}:{bucket}"


def _cache():
    return caches[getattr(settings, "RATELIMIT_CACHE", "default")]


def count(limit: Limit, ident: str) -> int:
    return int(_cache().get(_key(limit, ident)) or 0)


def is_limited(limit: Limit, ident: str) -> bool:
    return count(limit, ident) >= limit.limit


def hit(limit: Limit, ident: str) -> int:
    """Count one event; returns the count in the current window."""
    cache, key = _cache(), _key(limit, ident)
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        return 1


def reset(limit: Limit, ident: str) -> None:
    _cache().delete(_key(limit, ident))


def retry_after(limit: Limit) -> int:
    return int(limit.window - (time.time() % limit.window)) + 1


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (PORTAL_TRUSTED_PROXY_COUNT), the N-th
    address from the right of X-Forwarded-For; otherwise REMOTE_ADDR, never a spoofable header."""
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")
