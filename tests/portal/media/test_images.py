"""Images of private collections: original and renditions outside MEDIA_ROOT (the directory nginx
serves), with a checked Django URL; moved when the collection's privacy changes."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests import samples
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def collection(name):
    return Collection.get_first_root_node().add_child(name=name)


def restrict(target):
    return CollectionViewRestriction.objects.create(
        collection=target, restriction_type=CollectionViewRestriction.LOGIN
    )


def make_image(target, name="photo.png"):
    from io import BytesIO

    return get_image_model().objects.create(
        title="内部照片",
        file=ImageFile(BytesIO(samples.image_bytes("PNG", (40, 30))), name=name),
        collection=target,
    )


def under(root, name) -> bool:
    return (Path(root) / name).is_file()


def test_private_collection_image_and_renditions_live_outside_media_root(client):
    private = collection("内部资料")
    restrict(private)
    image = make_image(private)
    assert under(settings.PROTECTED_MEDIA_ROOT, image.file.name)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*photo*"))

    one = image.get_rendition("fill-20x20")
    many = image.get_renditions("max-30x30", "width-10")  # Wagtail's bulk_create path
    for rendition in [one, *many.values()]:
        assert under(settings.PROTECTED_MEDIA_ROOT, rendition.file.name)
        assert rendition.url.startswith("/protected-media/")
    assert not list(Path(settings.MEDIA_ROOT).rglob("*photo*"))

    assert client.get(one.url).status_code == 404
    assert client.get(image.file.url).status_code == 404
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(one.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == Path(one.file.path).read_bytes()


def test_public_image_renditions_stay_under_media_url():
    image = make_image(collection("新闻图片"), name="news.png")
    rendition = image.get_rendition("fill-20x20")
    assert under(settings.MEDIA_ROOT, rendition.file.name)
    assert rendition.url == f"/media/{rendition.file.name}"


def test_files_move_when_the_collection_becomes_private_and_back(
    client, django_capture_on_commit_callbacks
):
    target = collection("活动照片")
    image = make_image(target, name="event.png")
    public_original = image.file.name
    public_rendition = image.get_rendition("fill-20x20")
    public_path = Path(public_rendition.file.path)
    assert public_path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(target)
    image.refresh_from_db()
    assert under(settings.PROTECTED_MEDIA_ROOT, image.file.name)
    assert not under(settings.MEDIA_ROOT, public_original)
    assert not image.renditions.exists() and not public_path.exists()
    assert image.get_rendition("fill-20x20").url.startswith("/protected-media/")

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    image.refresh_from_db()
    assert under(settings.MEDIA_ROOT, image.file.name)
    assert image.get_rendition("fill-20x20").url.startswith("/media/images/")
    assert not list(Path(settings.PROTECTED_MEDIA_ROOT).rglob("*event*"))


def test_moving_an_image_into_a_private_collection_moves_its_files():
    private = collection("内部资料")
    restrict(private)
    image = make_image(collection("公开"), name="moved.png")
    image.get_rendition("fill-20x20")
    image.collection = private
    image.save()
    image.refresh_from_db()
    assert under(settings.PROTECTED_MEDIA_ROOT, image.file.name)
    assert image.get_rendition("fill-20x20").url.startswith("/protected-media/")
