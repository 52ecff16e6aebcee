"""deploy/nginx/media.conf in a real nginx (free port, config generated from the snippet, paths
pointed at the test media roots) in front of the live Django: no private file is reachable through
it, and checked downloads still arrive by X-Accel-Redirect."""

import getpass
import http.client
import shutil
import socket
import subprocess
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.models import StandardPage
from tests import samples
from tests.factories import make_home

SNIPPET = Path(settings.BASE_DIR) / "deploy" / "nginx" / "media.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install nginx (CI's .ci/run installs it)")
    settings.MEDIA_X_ACCEL = True
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    Path(settings.PROTECTED_MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    snippet = (
        SNIPPET.read_text()
        .replace("/srv/sunshine/media/", f"{Path(settings.MEDIA_ROOT).resolve()}/")
        .replace(
            "/srv/sunshine/protected_media/", f"{Path(settings.PROTECTED_MEDIA_ROOT).resolve()}/"
        )
    )
    directives = [line for line in snippet.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in directives if "/srv/" in line]  # every path now the test's
    (tmp_path / "media.conf").write_text(snippet)
    port = free_port()
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"""daemon off;
user {getpass.getuser()};
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    {temp}
    include /etc/nginx/mime.types;
    server {{
        listen 127.0.0.1:{port};
        include {tmp_path}/media.conf;
        location / {{ proxy_pass {live_server.url}; proxy_set_header Host 127.0.0.1; }}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.05)

    def get(path: str):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    yield get
    process.terminate()
    process.wait(timeout=10)


def root_collection():
    # transactional tests flush the migrations' root collection
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def private_collection():
    collection = root_collection().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return Collection.objects.get(pk=collection.pk)


def png(name):
    return ImageFile(BytesIO(samples.image_bytes("PNG", (40, 30))), name=name)


def test_private_image_original_and_rendition_are_not_reachable(nginx):
    make_home()
    image = get_image_model().objects.create(
        title="内部照片", file=png("secret.png"), collection=private_collection()
    )
    rendition = image.get_rendition("fill-20x20")
    public = get_image_model().objects.create(
        title="活动照片", file=png("event.png"), collection=root_collection()
    )
    public_rendition = public.get_rendition("fill-20x20")

    for path in (
        f"/media/{image.file.name}",
        f"/media/{rendition.file.name}",
        f"/media/{Path(rendition.file.name).name}",
        f"/media/images/{Path(rendition.file.name).name}",
        f"/media/original_images/{Path(image.file.name).name}",
        f"/media/{public.file.name}",  # no original is served, public or not
        f"/_internal/protected/{image.file.name}",
        f"/_internal/protected/{rendition.file.name}",
        rendition.url,  # Django's check: anonymous
        image.file.url,
    ):
        status, _headers, body = nginx(path)
        assert status == 404, path
        assert body != Path(rendition.file.path).read_bytes()

    status, headers, body = nginx(public_rendition.url)
    assert status == 200 and body == Path(public_rendition.file.path).read_bytes()
    assert "public" in headers["cache-control"]


def test_draft_attachment_is_not_reachable_and_arrives_by_x_accel_once_published(nginx):
    home = make_home()
    document = get_document_model().objects.create(
        title="征求意见稿",
        file=ContentFile(samples.PDF, name="draft-notice.pdf"),
        collection=root_collection(),
    )
    page = StandardPage(
        title="征求意见",
        slug="draft",
        live=False,
        body=[("document", {"document": document, "title": "关于征求意见的通知"})],
    )
    home.add_child(instance=page)
    page.save_revision()
    for path in (
        document.url,
        f"/media/{document.file.name}",
        f"/_internal/documents/{document.filename}",
    ):
        status, _headers, body = nginx(path)
        assert status == 404, path
        assert body != samples.PDF

    page.get_latest_revision().publish()
    status, headers, body = nginx(document.url)
    assert status == 200 and body == samples.PDF  # nginx sent the file Django pointed it to
    assert "x-accel-redirect" not in headers
    assert headers["content-type"] == "application/pdf"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"].startswith("inline")
    assert nginx(f"/media/{document.file.name}")[0] == 404  # still only through Django

    StandardPage.objects.get(pk=page.pk).unpublish()
    assert nginx(document.url)[0] == 404
