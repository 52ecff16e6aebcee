"""The shipped VCL while the app is down: the health probe (/healthz) marks the backend sick, and
public pages are served from the last good copy (up to 24 h past their s-maxage) instead of an
error; a page never cached gets the Chinese "暂时无法访问" page with Retry-After, not Varnish's
own. While the app is up a copy past its s-maxage is refreshed (stale for 30 s at most).

The backend here is a small HTTP server answering like the app (public, s-maxage=1, Vary), so
the test can stop it; the cache rules under test are the shipped file's."""

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import adapted_vcl, running_varnishd

pytestmark = pytest.mark.skipif(
    __import__("shutil").which("varnishd") is None, reason="varnishd is not installed"
)


class AppLike(BaseHTTPRequestHandler):
    version = 1

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/healthz":
            body, headers = b'{"status": "ok"}', {"Cache-Control": "no-store"}
        else:
            body = f"第{AppLike.version}版 {self.path}".encode()
            headers = {
                "Cache-Control": "public, max-age=1, s-maxage=1",
                "Vary": "Cookie, Accept-Language",
            }
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Backend:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), AppLike)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def fetch(base, path):
    request = urllib.request.Request(base + path, headers={"Accept-Language": "zh-hans"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def wait_until(predicate, within=10.0):
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def outage(tmp_path):
    AppLike.version = 1
    backend = Backend()
    with running_varnishd(
        tmp_path, adapted_vcl(backend.port, probe_interval="0.2s", healthy_grace="1s")
    ) as base:
        yield backend, base
    backend.stop()


def test_pages_stay_readable_from_the_last_copy_while_the_app_is_down(outage):
    backend, base = outage
    assert fetch(base, "/xxgk/")[2] == "第1版 /xxgk/"
    assert fetch(base, "/xxgk/")[1]["X-Cache"] == "HIT"
    backend.stop()
    time.sleep(3)  # past s-maxage (1 s) + the healthy grace (1 s here); the probe says sick
    status, headers, body = fetch(base, "/xxgk/")
    assert (status, body) == (200, "第1版 /xxgk/")  # the last good copy, not an error
    assert headers["X-Cache"] == "HIT"


def test_a_page_never_cached_gets_the_chinese_outage_page(outage):
    backend, base = outage
    backend.stop()
    time.sleep(1.5)  # the probe notices
    status, headers, body = fetch(base, "/never-seen/")
    assert status == 503
    assert "系统暂时无法访问" in body and "受理窗口" in body
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]


def test_while_the_app_is_up_an_expired_copy_is_refreshed(outage):
    _backend, base = outage
    assert fetch(base, "/bsfw/")[2] == "第1版 /bsfw/"
    AppLike.version = 2
    # Past s-maxage the next request may still get the old copy (grace, while refetching in the
    # background); within a few seconds the new version arrives: healthy means no long staleness.
    assert wait_until(lambda: fetch(base, "/bsfw/")[2] == "第2版 /bsfw/", within=5)


def test_without_the_probe_a_stale_copy_would_not_be_served(tmp_path):
    """The control for the first test: the same VCL with the probe's rule taken out (grace while
    sick = grace while healthy) answers the expired page with the outage page."""
    AppLike.version = 1
    backend = Backend()
    vcl = adapted_vcl(backend.port, probe_interval="0.2s", healthy_grace="1s")
    assert vcl.count("set req.grace = 24h;") == 1
    vcl = vcl.replace("set req.grace = 24h;", "set req.grace = 1s;")
    with running_varnishd(tmp_path, vcl) as base:
        assert fetch(base, "/xxgk/")[0] == 200
        backend.stop()
        time.sleep(3)
        assert fetch(base, "/xxgk/")[0] == 503
