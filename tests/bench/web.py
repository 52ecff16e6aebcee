"""Web benchmark (`make bench BENCH=web`, never in `make test`).

Starts the production stack itself — a throwaway PostgreSQL database with the demo site, Redis,
gunicorn (2 sync workers) with the production settings — and, beside it, a bare Django view
(tests/bench/bare.py) under the same gunicorn. For each page it alternates `wrk` runs on the bare
view and on the page, on three legs, and prints req/s, p50, p99 and the share of bare Django's
req/s:

- `render`: straight to gunicorn with the in-app cache off, as behind Varnish: every request is
  rendered (the cost of a cache miss);
- `app cache`: straight to gunicorn with the in-app cache on (`FRONT_CACHE_APP=1`, Redis), as on
  one machine without Varnish (`make run`, a small deployment): the "straight to gunicorn" target;
- `varnish`: through Varnish with the project's VCL (deploy/varnish/default.vcl) in front of the
  `render` gunicorn.

Last, the status lookup (`POST /api/v1/cases/lookup` with a real case number and query code, a
case submitted through the API at the start) with BENCH_LOOKUP_CONNECTIONS (default 50)
concurrent clients, beside bare Django at the same concurrency (target p99 ≤ 50 ms).

Knobs: BENCH_SECONDS (per wrk run, default 5), BENCH_ROUNDS (default 2), BENCH_CONNECTIONS
(default 8), BENCH_THREADS (default 2); see tests/bench/stack.py for the services."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg2

from tests.bench.stack import (
    app_env,
    forget_cache,
    gunicorn,
    manage,
    say,
    throwaway_database,
    wait_for,
)
from tests.bench.stack import varnish as varnish_stack

SECONDS = os.environ.get("BENCH_SECONDS", "5")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
THREADS = os.environ.get("BENCH_THREADS", "2")
HEADERS = {"X-Forwarded-Proto": "https"}  # as nginx sets it: no redirect to https
# The targets: straight to gunicorn ≥ 10 % of bare Django (the `app cache` leg; the
# `render` leg is printed beside it with no target); through the front cache ≥ 100 % for / and
# /xxgk/.
TARGET_DIRECT = 0.10
TARGET_CACHED = {"/": 1.0, "/xxgk/": 1.0}
LOOKUP_CONNECTIONS = os.environ.get("BENCH_LOOKUP_CONNECTIONS", "50")
TARGET_LOOKUP_P99_MS = 50.0

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, connections: str = CONNECTIONS, script: str | None = None) -> dict:
    threads = min(int(THREADS), int(connections))  # wrk wants a connection per thread
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if script:
        args += ["-s", script]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603 - wrk on our own server
        [*args, url], capture_output=True, text=True, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", out, re.M))
    if "99" not in latency:
        raise RuntimeError(f"wrk gave no latency for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def assert_cache_hit(url: str) -> None:
    """The `app cache` leg measures answers from the cache, not renders: after the warm-up the
    page must come back 200 with `X-Cache: HIT`."""
    request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
        if response.status != 200 or response.headers.get("X-Cache") != "HIT":
            raise RuntimeError(
                f"{url}: {response.status}, X-Cache {response.headers.get('X-Cache')}"
            )


def demo_urls(database_url: str) -> dict[str, str]:
    """The benchmarked pages: / , /xxgk/, one document, one guide, a search, the API list."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:

        def first(table):
            cur.execute(
                f"SELECT p.url_path FROM wagtailcore_page p JOIN {table} t "  # noqa: S608 - fixed names
                "ON t.page_ptr_id = p.id WHERE p.live ORDER BY p.path LIMIT 1"
            )
            url_path = cur.fetchone()[0]
            return "/" + url_path.strip("/").split("/", 1)[1] + "/"

        document = first("disclosure_disclosuredocumentpage")
        guide = first("services_serviceguidepage")
    return {
        "/": "/",
        "/xxgk/": "/xxgk/",
        "a document": document,
        "a guide": guide,
        "/search/?q=低保": "/search/?q=" + quote("低保"),
        "/api/v1/disclosures": "/api/v1/disclosures",
    }


def measure(label: str, bare_url: str, url: str, **wrk_args) -> dict:
    """Alternate bare Django and the page ROUNDS times; the medians of each."""
    bare_runs, runs = [], []
    connections = wrk_args.get("connections", CONNECTIONS)
    for _ in range(ROUNDS):
        bare_runs.append(wrk(bare_url, connections=connections))
        runs.append(wrk(url, **wrk_args))

    def med(rs, key):
        return statistics.median(r[key] for r in rs)

    return {
        "label": label,
        "bare_rps": med(bare_runs, "rps"),
        "rps": med(runs, "rps"),
        "p50": med(runs, "p50"),
        "p99": med(runs, "p99"),
        "errors": sum(r["errors"] for r in runs),
    }


def submitted_case(app: str, database_url: str) -> tuple[str, str]:
    """A disclosure request submitted through the public API: (case number, query code)."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT code FROM portal_organisation WHERE live ORDER BY code LIMIT 1"  # noqa: S608
        )
        organisation = cur.fetchone()[0]
    body = {
        "applicant_type": "natural_person",
        "applicant_name": "性能测试",
        "applicant_id_number": "11010519491231002X",
        "applicant_phone": "13812341234",
        "description": "申请公开本机构2025年度最低生活保障资金的发放情况。",
        "form": "electronic",
        "delivery": "online",
        "organisation": organisation,
    }
    request = urllib.request.Request(  # noqa: S310 - our own server
        app + "/api/v1/disclosure-requests",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **HEADERS},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
        answer = json.load(response)
    return answer["case_number"], answer["query_code"]


def lookup_script(workdir: Path, case_number: str, query_code: str) -> str:
    """A wrk script that POSTs the lookup, and counts any answer but 200 as an error."""
    body = json.dumps({"case_number": case_number, "query_code": query_code})
    path = workdir / "lookup.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return str(path)


def report(rows: list[dict]) -> None:
    say("")
    say(
        f"{'page':<24}{'leg':<11}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'bare req/s':>12}{'ratio':>8}{'target':>9}  errors"
    )
    for r in rows:
        ratio = r["rps"] / r["bare_rps"] if r["bare_rps"] else 0
        target = {
            "varnish": TARGET_CACHED.get(r["page"]),
            "app cache": TARGET_DIRECT,
        }.get(r["leg"])
        mark = "" if target is None else f"≥{target:.0%}" + (" ✓" if ratio >= target else " ✗")
        if r["leg"] == "lookup":
            ok = r["p99"] <= TARGET_LOOKUP_P99_MS
            mark = f"p99≤{TARGET_LOOKUP_P99_MS:.0f}" + (" ✓" if ok else " ✗")
        say(
            f"{r['page']:<24}{r['leg']:<11}{r['rps']:>9.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
            f"{r['bare_rps']:>12.0f}{ratio:>8.1%}{mark:>9}  {r['errors']}"
        )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    with throwaway_database(f"bench_web_{os.getpid()}") as database_url:
        dev = app_env(database_url, workdir, settings="portal.settings.dev")
        # As in production behind Varnish: the app renders, Varnish keeps (no in-app page cache,
        # which would answer the "straight to gunicorn" leg from memory).
        prod = {**app_env(database_url, workdir), "FRONT_CACHE_APP": "0"}
        # One machine without Varnish: the app keeps public answers in Redis itself.
        cached = {**prod, "FRONT_CACHE_APP": "1"}
        say("· migrating and loading the demo site into a throwaway database …")
        manage(dev, "migrate", "--noinput")
        manage(dev, "load_demo_data")
        manage(prod, "collectstatic", "--noinput")
        urls = demo_urls(database_url)
        bare_env = {k: v for k, v in prod.items() if k != "DJANGO_SETTINGS_MODULE"}
        with (
            gunicorn("portal.wsgi:application", env=prod) as app_port,
            gunicorn("portal.wsgi:application", env=cached) as cached_port,
            gunicorn("tests.bench.bare:application", env=bare_env) as bare_port,
            varnish_stack(app_port) as varnish_port,
        ):
            app = f"http://127.0.0.1:{app_port}"
            bare = f"http://127.0.0.1:{bare_port}/"
            cached_app = f"http://127.0.0.1:{cached_port}"
            wait_for(app + "/healthz")
            wait_for(cached_app + "/healthz")
            wait_for(bare)
            legs = [("render", app), ("app cache", cached_app)]
            if varnish_port:
                wait_for(f"http://127.0.0.1:{varnish_port}/", headers=HEADERS)
                legs.append(("varnish", f"http://127.0.0.1:{varnish_port}"))
            else:
                say("· Varnish leg skipped: deploy/varnish/default.vcl not found (or no varnishd)")
            say(
                f"· wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, {ROUNDS} rounds, "
                f"bare Django alternated with each page"
            )
            rows = []
            for page, path in urls.items():
                for leg, base in legs:
                    wrk(base + path)  # warm: caches, connections
                    if leg == "app cache":
                        assert_cache_hit(base + path)
                    row = measure(page, bare, base + path)
                    rows.append({**row, "page": page, "leg": leg})
                    say(f"  {page:<24}{leg:<11}{row['rps']:>8.0f} req/s")
            case_number, query_code = submitted_case(app, database_url)
            script = lookup_script(workdir, case_number, query_code)
            lookup_url = app + "/api/v1/cases/lookup"
            first = wrk(lookup_url, connections="1", script=script)
            if first["errors"]:
                raise RuntimeError("the lookup did not answer 200")
            row = measure(
                "status lookup", bare, lookup_url, connections=LOOKUP_CONNECTIONS, script=script
            )
            rows.append({**row, "page": f"lookup ×{LOOKUP_CONNECTIONS}", "leg": "lookup"})
            say(
                f"  status lookup ×{LOOKUP_CONNECTIONS}  {row['rps']:>8.0f} req/s  p99 {row['p99']:.1f} ms"
            )
        forget_cache(prod)
    report(rows)


if __name__ == "__main__":
    main()
