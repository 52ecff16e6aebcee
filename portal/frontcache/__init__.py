"""The front cache: which answers a shared cache may keep, and purging them on every change.

- `policy` — the rules: a view or page *offers* its answer (`public_cache`, the page-serve hook);
  the answer is kept only if the request carries no session and the response sets no cookie, holds
  no CSRF token and no CSP nonce. Cacheable answers get `Cache-Control: public, max-age, s-maxage`;
  every other answer without its own Cache-Control gets `private, no-store`.
- `middleware` — applies the rules; without Varnish it is also the in-app cache (Django's cache:
  Redis when REDIS_URL is set, memory otherwise).
- `purge` — what a change invalidates (the page, its section, the home page, search, the API
  lists), sent after commit through `wagtail.contrib.frontend_cache`'s configured backends.
- `backends` — a Varnish backend (PURGE one URL, BAN by URL prefix) and the in-app backend
  (versioned keys).
"""
