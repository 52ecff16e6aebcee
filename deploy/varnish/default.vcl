# Sunshine Portal front cache: nginx (TLS, :443) → Varnish (:6081) → gunicorn (127.0.0.1:8000).
# The app decides what may be kept (Cache-Control: public, s-maxage=… only on public answers; see
# portal/frontcache/). This file only keeps personal state out of the cache key and takes purges.
#   varnishd -a 127.0.0.1:6081 -f /etc/varnish/default.vcl -s malloc,256m
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may PURGE and BAN: the app nodes and the task worker (VARNISH_URLS points them here).
# nginx refuses these methods from the outside (deploy/nginx/sunshine.conf).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
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
    if (req.url ~ "^/(admin/|cx/|yy/|documents/|a11y/|healthz)" ||
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
    # TTL comes from s-maxage; after expiry a stale copy may be served for 30 s while refetching.
    set beresp.grace = 30s;
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
