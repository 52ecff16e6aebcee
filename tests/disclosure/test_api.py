from datetime import date

import pytest

from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.disclosure.test_models import _bulk_documents
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    topic = TopicFactory(name="社会救助", slug="shjz")
    genre = GenreFactory(name="通知", slug="tz")
    doc = add_document(
        xxgk,
        organisation=orgs["district_a"],
        topic=topic,
        genre=genre,
        title="黄浦区临时救助通知",
        published_date=date(2025, 4, 1),
        written_date=date(2025, 3, 28),
    )
    return {"orgs": orgs, "xxgk": xxgk, "topic": topic, "genre": genre, "doc": doc}


def test_lists_with_the_page_filters(client, world):
    body = client.get("/api/v1/disclosures", {"organisation": "002479001", "year": 2025}).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["index_number"] == world["doc"].index_number
    assert item["published_date"] == "2025-04-01"
    assert item["topic"] == {"slug": "shjz", "name": "社会救助"}
    assert item["organisation"] == "002479001"
    assert item["validity"] == "valid" and item["validity_label"] == "有效"
    assert item["url"].endswith(world["doc"].url)
    assert client.get("/api/v1/disclosures", {"year": 2024}).json()["count"] == 0


def test_bad_filters_answer_422_in_chinese(client, world):
    response = client.get("/api/v1/disclosures", {"topic": "nope", "page_size": 500})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "筛选条件有误。"
    assert body["errors"]["topic"] == ["没有这个主题分类。"]
    assert body["errors"]["page_size"] == ["每页条数应在1至100之间。"]
    response = client.get("/api/v1/disclosures", {"page": 9})
    assert response.status_code == 404
    assert response.json()["errors"]["page"] == ["页码超出范围。"]


def test_in_the_openapi_document(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/disclosures" in schema["paths"]


def test_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kw = {"organisation": world["orgs"]["bureau"], "topic": world["topic"], "genre": world["genre"]}
    _bulk_documents(world["xxgk"], 4, **kw)
    client.get("/api/v1/disclosures?page_size=100")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/disclosures?page_size=100").json()["count"] == 5
    _bulk_documents(world["xxgk"], 195, start=4, **kw)
    with django_assert_num_queries(len(small)):
        body = client.get("/api/v1/disclosures?page_size=100").json()
    assert body["count"] == 200 and len(body["results"]) == 100
