import shutil
import socket
import subprocess
import time
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


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    if shutil.which("varnishd") is None:
        pytest.skip("varnishd is not installed (apt-get install varnish; .ci/run does)")
    host, port = live_server.url.removeprefix("http://").split(":")
    vcl = VCL.read_text()
    assert vcl.count(SHIPPED_BACKEND) == 1
    adapted = tmp_path / "test.vcl"
    adapted.write_text(vcl.replace(SHIPPED_BACKEND, f'.host = "127.0.0.1";\n    .port = "{port}";'))
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
    base = f"http://127.0.0.1:{listen}"
    wait_for_port(listen, proc, "varnishd")
    settings.FRONT_CACHE_APP = False
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "portal.frontcache.backends.VarnishBackend", "LOCATION": base}
    }
    yield base
    stop(proc)
