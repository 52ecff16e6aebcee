import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import make_home, org_tree


@pytest.fixture
def site_with_document():
    """Home → 政府信息公开 (/xxgk/) → one published document."""
    home = make_home()
    tree = org_tree()
    catalogue = add_catalogue(home)
    document = add_document(catalogue, organisation=tree["bureau"], title="关于调整低保标准的通知")
    return {"home": home, "catalogue": catalogue, "document": document, "tree": tree}


VCL = Path(django_settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"
SHIPPED_BACKEND = '.host = "127.0.0.1";\n    .port = "8000";'
SHIPPED_PROBE_HOST = '"Host: mzj.example.gov.cn"'


def adapted_vcl(port: int, *, probe_interval: str | None = None, healthy_grace: str | None = None):
    """The shipped VCL pointed at a backend on `port`, its health probe sending a Host the test
    settings allow (and, for the outage tests, probing faster and with a shorter grace while
    healthy, so that only the sick backend's rule can explain a stale answer)."""
    vcl = VCL.read_text()
    assert vcl.count(SHIPPED_BACKEND) == 1
    assert vcl.count(SHIPPED_PROBE_HOST) == 1
    vcl = vcl.replace(SHIPPED_BACKEND, f'.host = "127.0.0.1";\n    .port = "{port}";')
    vcl = vcl.replace(SHIPPED_PROBE_HOST, '"Host: 127.0.0.1"')
    if probe_interval:
        assert vcl.count(".interval = 5s;") == 1
        vcl = vcl.replace(".interval = 5s;", f".interval = {probe_interval};")
        vcl = vcl.replace(".timeout = 2s;", ".timeout = 0.5s;")
    if healthy_grace:
        assert vcl.count("set req.grace = 30s;") == 1
        vcl = vcl.replace("set req.grace = 30s;", f"set req.grace = {healthy_grace};")
    return vcl


def wait_for_port(port, proc, what):
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{what} did not start: " + proc.stdout.read().decode())
            time.sleep(0.1)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_varnishd(tmp_path, vcl: str):
    """varnishd in the foreground with `vcl`; yields its base URL, stops it afterwards."""
    if shutil.which("varnishd") is None:
        pytest.skip("varnishd is not installed (apt-get install varnish; .ci/run does)")
    adapted = tmp_path / "test.vcl"
    adapted.write_text(vcl)
    listen = free_port()
    proc = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            "varnishd",
            "-F",
            "-j",
            "none",
            "-n",
            str(tmp_path / "varnish"),
            "-a",
            f"127.0.0.1:{listen}",
            "-T",
            "none",
            "-f",
            str(adapted),
            "-s",
            "malloc,32m",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(listen, proc, "varnishd")
    try:
        yield f"http://127.0.0.1:{listen}"
    finally:
        stop(proc)


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    _host, port = live_server.url.removeprefix("http://").split(":")
    with running_varnishd(tmp_path, adapted_vcl(int(port))) as base:
        settings.FRONT_CACHE_APP = False
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "portal.frontcache.backends.VarnishBackend", "LOCATION": base}
        }
        yield base
