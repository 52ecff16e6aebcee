"""disclosure/opendata/: bulk downloads of the catalogue and the DCAT-AP catalogue."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from disclosure.opendata import selectors
from disclosure.opendata.actions import open_data_export
from disclosure.opendata.tasks import refresh_open_data
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
        title='黄浦区临时救助通知, 含逗号和"引号"',
        published_date=date(2025, 4, 1),
        written_date=date(2025, 3, 28),
    )
    draft = add_document(xxgk, organisation=orgs["bureau"], title="尚未公开的草稿")
    draft.unpublish()
    return {"orgs": orgs, "xxgk": xxgk, "doc": doc, "draft": draft}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_export_writes_csv_and_jsonl_of_every_public_document(client, world):
    manifest = open_data_export(base_url="https://mzj.example.gov.cn")
    assert manifest["count"] == 1
    response = client.get("/xxgk/sjxz/disclosures.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    data = body(response)
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ['黄浦区临时救助通知, 含逗号和"引号"']
    row = rows[0]
    assert row["index_number"] == world["doc"].index_number
    assert row["url"] == "https://mzj.example.gov.cn" + world["doc"].url
    assert row["organisation"] == "002479001" and row["topic_name"] == "社会救助"
    assert row["published_date"] == "2025-04-01" and row["validity"] == "valid"
    lines = body(client.get("/xxgk/sjxz/disclosures.jsonl")).decode().splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_downloads_are_cacheable_files_with_validators(client, world):
    open_data_export()
    response = client.get("/xxgk/sjxz/disclosures.jsonl")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag == f'"{selectors.manifest()["files"]["jsonl"]["sha256"]}"'
    assert (
        client.get("/xxgk/sjxz/disclosures.jsonl", headers={"if-none-match": etag}).status_code
        == 304
    )
    assert (
        client.get(
            "/xxgk/sjxz/disclosures.jsonl", headers={"if-modified-since": modified}
        ).status_code
        == 304
    )
    assert client.get("/xxgk/sjxz/disclosures.xml").status_code == 404


def test_no_download_before_the_first_export(client, world):
    assert client.get("/xxgk/sjxz/disclosures.csv").status_code == 404


def test_the_daily_command_and_the_task_refresh_the_files(client, world):
    call_command("export_open_data", stdout=io.StringIO())
    first = selectors.manifest()
    add_document(world["xxgk"], organisation=world["orgs"]["bureau"], title="新的通知")
    assert refresh_open_data.call() == 2
    assert selectors.manifest()["files"]["csv"]["sha256"] != first["files"]["csv"]["sha256"]
    out = io.StringIO()
    call_command("export_open_data", "--queue", stdout=out)  # immediate backend in tests
    assert "队列" in out.getvalue() and selectors.manifest()["count"] == 2


def test_the_export_reads_in_one_query_for_any_number(world, django_assert_max_num_queries):
    terms = {"topic": world["doc"].topic, "genre": world["doc"].genre}
    _bulk_documents(world["xxgk"], 5, organisation=world["orgs"]["bureau"], **terms)
    list(selectors.document_rows(base_url=""))  # warm the site root paths
    with django_assert_max_num_queries(1):
        assert len(list(selectors.document_rows(base_url=""))) == 6
    _bulk_documents(world["xxgk"], 60, organisation=world["orgs"]["bureau"], start=5, **terms)
    with django_assert_max_num_queries(1):
        assert len(list(selectors.document_rows(base_url=""))) == 66


def test_dcat_catalogue(client, world):
    open_data_export()
    response = client.get("/api/v1/catalogue.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["@type"] == "dcat:Catalog"
    assert data["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert data["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert data["dct:publisher"]["foaf:name"]["@value"] == "上海市民政局"
    dataset, guides = data["dcat:dataset"]  # the catalogue, and the services app's guides
    assert guides["dct:identifier"] == "service-items" and guides["@type"] == "dcat:Dataset"
    assert guides["dcat:distribution"][0]["dcat:accessURL"]["@id"] == (
        "http://testserver/api/v1/service-items"
    )
    assert client.get("/api/v1/service-items").status_code == 200
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:title"]["@value"] == "政府信息公开目录"
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/frequency/DAILY")
    assert dataset["dcat:landingPage"]["@id"] == "http://testserver/xxgk/"
    distributions = {d["dcat:accessURL"]["@id"]: d for d in dataset["dcat:distribution"]}
    assert set(distributions) == {
        "http://testserver/xxgk/sjxz/disclosures.csv",
        "http://testserver/xxgk/sjxz/disclosures.jsonl",
        "http://testserver/api/v1/disclosures",
    }
    manifest = selectors.manifest()
    csv_dist = distributions["http://testserver/xxgk/sjxz/disclosures.csv"]
    assert csv_dist["@type"] == "dcat:Distribution"
    assert csv_dist["dcat:mediaType"]["@id"].endswith("/text/csv")
    assert csv_dist["dcat:byteSize"]["@value"] == manifest["files"]["csv"]["size"]
    assert csv_dist["spdx:checksum"]["spdx:checksumValue"] == manifest["files"]["csv"]["sha256"]
    for url in distributions:  # every distribution answers
        path = url.removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path


def test_dcat_catalogue_before_any_export_lists_the_api(client, world):
    data = client.get("/api/v1/catalogue.jsonld").json()
    urls = [d["dcat:accessURL"]["@id"] for d in data["dcat:dataset"][0]["dcat:distribution"]]
    assert urls == ["http://testserver/api/v1/disclosures"]


def test_the_contract_says_json_ld(client):
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/catalogue.jsonld"]["get"]
    assert operation["operationId"] == "disclosure_api_catalogue"
    assert "application/ld+json" in operation["responses"]["200"]["content"]
