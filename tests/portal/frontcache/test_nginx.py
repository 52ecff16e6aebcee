"""The whole production layout on free ports: the shipped nginx config (TLS, with its proxy.conf and
media.conf includes) → the shipped VCL in varnishd → a live Django server."""

import os
import shutil
import ssl
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from .conftest import free_port, stop, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)

NGINX_DIR = Path(django_settings.BASE_DIR) / "deploy" / "nginx"


def _replace_once(text, old, new):
    assert text.count(old) == 1, f"the shipped nginx config no longer has {old!r} once"
    return text.replace(old, new)


@pytest.fixture
def nginx(varnish, tmp_path):
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.skip("nginx/openssl not installed (apt-get install nginx; .ci/run does)")
    key, crt = tmp_path / "test.key", tmp_path / "test.crt"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(crt)],
        check=True, capture_output=True,
    )  # fmt: skip
    static = tmp_path / "static" / "css"
    static.mkdir(parents=True)
    (static / "portal.css").write_text("body{}")
    tls, plain = free_port(), free_port()
    conf = (NGINX_DIR / "sunshine.conf").read_text()
    for old, new in [
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{plain};"),
        ("/etc/ssl/mzj.crt", str(crt)),
        ("/etc/ssl/mzj.key", str(key)),
        ("/etc/nginx/sunshine/proxy.conf", str(NGINX_DIR / "proxy.conf")),
        ("/etc/nginx/sunshine/media.conf", str(NGINX_DIR / "media.conf")),
        ("/srv/sunshine/staticfiles/", f"{tmp_path / 'static'}/"),
        ("http://127.0.0.1:6081", varnish),
    ]:
        conf = _replace_once(conf, old, new)
    (tmp_path / "sunshine.conf").write_text(conf)
    # Workers of a root master run as nobody, who cannot read pytest's private tmp directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; "
        f"proxy_temp_path {tmp_path}/proxy; include {tmp_path}/sunshine.conf; }}\n"
    )
    proc = subprocess.Popen(  # noqa: S603 - fixed arguments
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(tls, proc, "nginx")
    yield {"https": f"https://127.0.0.1:{tls}", "http": f"http://127.0.0.1:{plain}"}
    stop(proc)


def request(url, method="GET"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        req = urllib.request.Request(url, method=method)  # noqa: S310 - local test
        with opener.open(req, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def test_tls_to_varnish_to_django_caches_and_refuses_outside_purges(nginx, site_with_document):
    status, headers, body = request(nginx["https"] + "/xxgk/")
    assert status == 200 and headers["X-Cache"] == "MISS"
    assert "关于调整低保标准的通知" in body
    status, headers, _ = request(nginx["https"] + "/xxgk/")
    assert status == 200 and headers["X-Cache"] == "HIT"

    for method in ("PURGE", "BAN"):
        assert request(nginx["https"] + "/xxgk/", method=method)[0] == 405
    assert request(nginx["https"] + "/xxgk/")[1]["X-Cache"] == "HIT"

    status, headers, _ = request(nginx["https"] + "/static/css/portal.css")
    assert status == 200 and "immutable" in headers["Cache-Control"]

    status, headers, _ = request(nginx["http"] + "/xxgk/")
    assert status == 301 and headers["Location"].startswith("https://")
