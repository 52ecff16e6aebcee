"""Factories for 政府信息公开 tests: a small catalogue, built in a few lines."""

from datetime import date

import factory

from disclosure.actions import document_publish
from disclosure.models import DisclosureIndexPage, Genre, Topic, Validity


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"主题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"体裁{n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")


def add_catalogue(parent, title="政府信息公开", slug="xxgk", **fields) -> DisclosureIndexPage:
    page = DisclosureIndexPage(title=title, slug=slug, show_in_menus=True, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


_counter = {"n": 0}


def add_document(parent, *, organisation, topic=None, genre=None, **fields):
    """Publish a document under `parent` through the real action (so it gets its 索引号)."""
    _counter["n"] += 1
    n = _counter["n"]
    values = {
        "title": f"关于做好第{n}批民政工作的通知",
        "slug": f"doc-{n}",
        "document_number": f"沪民发〔2026〕{n}号",
        "written_date": date(2026, 3, 1),
        "published_date": date(2026, 3, 5),
        "topic": topic or TopicFactory(name="社会救助", slug="shjz"),
        "genre": genre or GenreFactory(name="通知", slug="tz"),
        "issuing_organisation": organisation,
        "validity": Validity.VALID,
        "body": "<p>各区民政局：现将有关事项通知如下。</p>",
    }
    values.update(fields)
    page, _ = document_publish(parent=parent, fields=values)
    return page
