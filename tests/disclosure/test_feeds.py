from datetime import date
from xml.etree import ElementTree

import pytest

from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_filtered_view_has_a_valid_atom_feed(client):
    orgs = org_tree()
    xxgk = add_catalogue(make_home())
    aid = TopicFactory(name="社会救助", slug="shjz")
    elderly = TopicFactory(name="养老服务", slug="ylfw")
    genre = GenreFactory(name="通知", slug="tz")
    add_document(
        xxgk,
        organisation=orgs["bureau"],
        topic=aid,
        genre=genre,
        title="低保通知",
        summary="调整低保标准",
    )
    add_document(
        xxgk,
        organisation=orgs["bureau"],
        topic=elderly,
        genre=genre,
        title="养老通知",
        published_date=date(2026, 4, 1),
    )
    response = client.get("/xxgk/feed/", {"topic": "shjz"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert feed.tag == f"{ATOM}feed"
    assert "主题分类：社会救助" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    self_link = [el for el in feed.findall(f"{ATOM}link") if el.get("rel") == "self"][0]
    assert self_link.get("href").endswith("/xxgk/feed/?topic=shjz")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["低保通知"]
    entry = entries[0]
    link = entry.find(f"{ATOM}link").get("href")
    assert "/xxgk/" in link and entry.find(f"{ATOM}id").text == link
    assert entry.find(f"{ATOM}summary").text == "调整低保标准"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"社会救助", "通知"}

    everything = ElementTree.fromstring(client.get("/xxgk/feed/").content)  # noqa: S314
    all_entries = everything.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in all_entries] == ["养老通知", "低保通知"]


def test_feed_and_api_links_point_at_the_host_that_was_asked(client, settings):
    """`make run` serves 127.0.0.1:8000 while the demo's Site record says localhost: the links
    of the feed and of the API follow the request, so they open where the reader is."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    orgs = org_tree()
    xxgk = add_catalogue(make_home())
    document = add_document(xxgk, organisation=orgs["bureau"], title="低保通知")
    response = client.get("/xxgk/feed/", HTTP_HOST="127.0.0.1:8000")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    links = [e.get("href") for e in feed.iter(f"{ATOM}link")]
    assert f"http://127.0.0.1:8000{document.url}" in links
    assert all(link.startswith("http://127.0.0.1:8000/") for link in links)
    listing = client.get("/api/v1/disclosures", HTTP_HOST="127.0.0.1:8000").json()
    assert listing["results"][0]["url"] == f"http://127.0.0.1:8000{document.url}"
