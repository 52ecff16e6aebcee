# Sunshine Portal front cache: nginx (TLS, :443) → Varnish (:6081) → gunicorn (127.0.0.1:8000).
# The app decides what may be kept (Cache-Control: public, s-maxage=… only on public answers; see
# portal/frontcache/). This file only keeps personal state out of the cache key and takes purges.
#   varnishd -a 127.0.0.1:6081 -f /etc/varnish/default.vcl -s malloc,256m
vcl 4.1;

import std;

# Is the app up? /healthz reads the database. The Host must be one of ALLOWED_HOSTS (the site's
# host name; Django refuses others). Sick after 3 failures in the last 5 probes, healthy again
# after 3 good ones.
probe app_health {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: mzj.example.gov.cn"
        "X-Forwarded-Proto: https"
        "User-Agent: varnish-probe"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;  # healthy from the start: no 503s while the first probes run
}

# One app node. Several (scaling out, docs/operations.md): one backend block per node, each with
# `.probe = app_health;`, and a round-robin director in vcl_init (see the comment there).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .probe = app_health;
}

# Who may PURGE and BAN: the app nodes and the task worker (VARNISH_URLS points them here).
# nginx refuses these methods from the outside (deploy/nginx/sunshine.conf).
acl purgers {
    "127.0.0.1";
    "::1";
}

# With several app nodes:
#   import directors;
#   sub vcl_init { new app = directors.round_robin(); app.add_backend(app1); app.add_backend(app2); }
#   and `set req.backend_hint = app.backend();` first in vcl_recv.

sub vcl_recv {
    # While the app answers, a page past its s-maxage is served stale for at most 30 s (while it is
    # fetched again); while the app is down (the probe says sick), the last good copy for up to
    # 24 h, so the public pages stay readable through an outage.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    } else {
        set req.grace = 24h;
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Ban-Url) {
            return (synth(400, "X-Ban-Url missing"));
        }
        # Lurker-friendly: matches the URL stored on the object, not the request.
        ban("obj.http.X-Url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Never cached (same list as portal/frontcache/policy.py NEVER_PREFIXES).
    if (req.url ~ "^/(admin/|cx/|yy/|dy/|hdjl/wj/d/|documents/|a11y/|healthz)" ||
        req.url ~ "^/api/v1/(cases|staff|applications|complaints|disclosure-requests|appointments)") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);   # a logged-in editor, a citizen who proved a case
    }
    # Personal state: only the elder-mode choice survives, every other cookie (csrftoken, analytics)
    # is dropped, so a page has at most two variants per language.
    if (req.http.Cookie ~ "(^|;\s*)elder_mode=1(;|$)") {
        set req.http.Cookie = "elder_mode=1";
    } else {
        unset req.http.Cookie;
    }
    # Django picks zh-hans or en from Accept-Language; send it one of the two.
    if (req.http.Accept-Language ~ "^\s*en") {
        set req.http.Accept-Language = "en";
    } else {
        set req.http.Accept-Language = "zh-hans";
    }
    return (hash);
}

# URL + host only, like Varnish's own, so one PURGE (wagtail.contrib.frontend_cache: Host = the
# site's host name) removes every variant. The variants — the normalised Cookie (elder mode) and
# Accept-Language — come from the app's `Vary: Cookie, Accept-Language`, which it always sends
# on cacheable answers (vcl_backend_response refuses to keep one without it).
sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_response {
    set beresp.http.X-Url = bereq.url;
    # Kept only when the app says public; never an answer that sets a cookie.
    if (beresp.http.Set-Cookie ||
        beresp.http.Cache-Control !~ "public" ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)" ||
        beresp.http.Vary !~ "Cookie") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # TTL comes from s-maxage. Kept 24 h past it for an outage; vcl_recv decides how stale a copy
    # may be served (30 s while the app is up). Purges and bans remove the stale copies too.
    set beresp.grace = 24h;
    return (deliver);
}

# The app cannot be reached and no copy is kept: a Chinese page that says so, not Varnish's own.
sub vcl_backend_error {
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    synthetic({"<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>系统暂时无法访问</title></head>
<body><main><h1>系统暂时无法访问</h1><p>网站正在维护或暂时繁忙，请稍后再试。急需办理的事项请拨打受理中心电话，或到受理窗口办理。</p></main></body></html>
"});
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
