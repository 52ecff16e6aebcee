"""Every limit is keyed on the real client behind the proxies: the client_ip rules, and a real
nginx (deploy/nginx/proxy.conf) + an appending proxy in front of the live server, where one
client's failed lookups never touch another client."""

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from portal.cases.numbers import format_case_number
from portal.security import ratelimit
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission

PROXY_CONF = Path(django_settings.BASE_DIR) / "deploy" / "nginx" / "proxy.conf"


class TestClientIp:
    def test_count_takes_the_address_the_first_proxy_saw(self, rf, settings):
        settings.PORTAL_TRUSTED_PROXIES = []
        settings.PORTAL_TRUSTED_PROXY_COUNT = 2
        # nginx set "client", Varnish appended nginx's address; gunicorn sees Varnish.
        request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1", REMOTE_ADDR="::1")
        assert ratelimit.client_ip(request) == "203.0.113.7"
        # A forged entry in front does not move it.
        forged = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 127.0.0.1")
        assert ratelimit.client_ip(forged) == "203.0.113.7"
        # Fewer entries than proxies: not from the proxies, the peer counts.
        direct = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="198.51.100.2")
        assert ratelimit.client_ip(direct) == "198.51.100.2"

    def test_networks_skip_every_trusted_hop(self, rf, settings):
        settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.0/8", "10.0.0.0/8"]
        request = rf.get(
            "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.1.2.3", REMOTE_ADDR="127.0.0.1"
        )
        assert ratelimit.client_ip(request) == "203.0.113.7"
        # A peer outside the trusted networks is the client, whatever it claims.
        outside = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1", REMOTE_ADDR="198.51.100.2")
        assert ratelimit.client_ip(outside) == "198.51.100.2"

    def test_without_trusted_proxies_the_header_is_ignored(self, rf, settings):
        settings.PORTAL_TRUSTED_PROXIES = []
        settings.PORTAL_TRUSTED_PROXY_COUNT = 0
        request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="198.51.100.2")
        assert ratelimit.client_ip(request) == "198.51.100.2"


def test_production_default_matches_the_documented_layout():
    """nginx sets X-Forwarded-For, Varnish appends: two hops, so production trusts two."""
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "x" * 60}
    code = "from django.conf import settings; print(settings.PORTAL_TRUSTED_PROXY_COUNT)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "ALLOWED_HOSTS": "www.example.gov.cn", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    assert out.stdout.strip() == "2"
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in PROXY_CONF.read_text()


# ---------------------------------------------------------------------------------------------
# Through a real nginx.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx_front(live_server, tmp_path):
    """nginx with deploy/nginx/proxy.conf (the edge) → a second nginx server that appends to
    X-Forwarded-For as Varnish does → the live server. Yields the edge port."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing (apt-get install nginx)")
    edge, varnish_like = _free_port(), _free_port()
    upstream = live_server.url.removeprefix("http://")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp_path}/body;
  proxy_temp_path {tmp_path}/proxy;
  fastcgi_temp_path {tmp_path}/fastcgi;
  uwsgi_temp_path {tmp_path}/uwsgi;
  scgi_temp_path {tmp_path}/scgi;
  server {{
    listen 127.0.0.1:{edge};
    location / {{
      include {PROXY_CONF};
      proxy_pass http://127.0.0.1:{varnish_like};
    }}
  }}
  server {{
    listen 127.0.0.1:{varnish_like};
    location / {{
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header Host $host;
      proxy_pass http://{upstream};
    }}
  }}
}}
"""
    )
    proc = subprocess.Popen(  # noqa: S603
        [nginx, "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", edge), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {proc.stderr.read().decode()}")
                time.sleep(0.05)
        yield edge
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _lookup(port: int, source: str, number: str, code: str, **headers) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    try:
        conn.request(
            "POST",
            "/api/v1/cases/lookup",
            body=json.dumps({"case_number": number, "query_code": code}),
            headers={"Content-Type": "application/json", **headers},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_one_clients_failures_do_not_touch_another_through_nginx(nginx_front, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2  # the production default
    world = case_world()
    application, code = application_submit(**valid_submission(world["guide"]))
    scanner, citizen = "127.0.0.2", "127.0.0.3"  # two clients on the loopback network

    # The scanner fails on 30 different numbers (no per-case backoff involved), forging
    # X-Forwarded-For to look like someone new each time.
    for n in range(30):
        number = format_case_number("application", date(2026, 1, 5), n + 1)
        status, _ = _lookup(
            nginx_front, scanner, number, "AAAAA-AAAAA", **{"X-Forwarded-For": f"9.9.9.{n}"}
        )
        assert status == 404, n
    status, answer = _lookup(
        nginx_front, scanner, application.case_number, code, **{"X-Forwarded-For": "8.8.8.8"}
    )
    assert status == 429 and "失败次数过多" in answer["detail"]

    # Another citizen behind the same proxies is untouched and finds the case.
    status, answer = _lookup(nginx_front, citizen, application.case_number, code)
    assert status == 200 and answer["case_number"] == application.case_number
