"""答复公开 in the site search (services/complaints/search.py): a published reply is found by a word
of its redacted text, in all sections and in 互动交流; unpublished complaints and personal data
never are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add_standard_page
from tests.services.case_fixtures import case_world
from tests.services.complaints.fixtures import replied, submit

pytestmark = pytest.mark.django_db

NAME, PHONE = "王小明", "13912345678"
CONTENT = f"我是{NAME}，电话{PHONE}。9月28日在受理中心办理残疾人两项补贴时，窗口人员推诿扯皮。"
REPLY = f"{NAME}您好：经核查，窗口人员存在推诿行为，已责令整改并在全中心通报。"


@pytest.fixture
def world():
    world = case_world()
    world["hdjl"] = add_standard_page(world["home"], "互动交流", "hdjl")
    return world


def found(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.context["results"]


def urls(results):
    return [r["url"] for r in results]


def test_a_published_reply_is_found_by_a_word_of_its_redacted_text(client, world):
    complaint = replied(reply=REPLY, content=CONTENT, subject="窗口推诿扯皮")
    url = f"/hdjl/dfgk/{complaint.pk}/"
    for word in ("通报", "整改", "推诿"):
        assert url in urls(found(client, word)), word
    # within 互动交流, and not within 办事服务
    assert urls(found(client, "通报", section=world["hdjl"].pk)) == [url]
    assert urls(found(client, "通报", section=world["bsfw"].pk)) == []
    # an abbreviation finds the full term in the reply's text
    assert url in urls(found(client, "残补"))
    (hit,) = found(client, "通报")
    assert hit["label"] == "答复公开"
    assert "<mark>通报</mark>" in hit["excerpt"]
    html = client.get("/search/", {"q": "通报"}).content.decode()
    assert f'href="{url}"' in html
    assert NAME not in html and PHONE not in html


def test_the_reply_page_shows_it_redacted_and_only_when_published(client, world):
    complaint = replied(reply=REPLY, content=CONTENT)
    html = client.get(f"/hdjl/dfgk/{complaint.pk}/").content.decode()
    assert "已责令整改" in html
    assert NAME not in html and PHONE not in html
    private = replied(reply=REPLY, content=CONTENT, publish_consent=False)
    assert client.get(f"/hdjl/dfgk/{private.pk}/").status_code == 404
    open_case = submit(content=CONTENT)
    assert client.get(f"/hdjl/dfgk/{open_case.pk}/").status_code == 404
    assert f'href="/hdjl/dfgk/{complaint.pk}/"' in client.get("/hdjl/dfgk/").content.decode()


def test_unpublished_complaints_are_never_found(client, world):
    replied(reply="已安排专人回访并道歉。", content=CONTENT, publish_consent=False)
    submit(subject="殡仪馆收费不透明", content="殡仪馆收费项目未公示。")
    for word in ("回访", "道歉", "殡仪馆", "推诿"):
        assert found(client, word) == [], word


def test_personal_data_is_never_found(client, world):
    replied(reply=REPLY, content=CONTENT, complainant_email="wxm@example.com")
    for word in (NAME, "小明", "王先生", PHONE, "wxm@example.com"):
        assert found(client, word) == [], word


def test_the_search_page_queries_the_same_whatever_the_hits(client, world):
    def queries():
        client.get("/search/", {"q": "通报"})  # warm the per-process caches
        with CaptureQueriesContext(connection) as ctx:
            client.get("/search/", {"q": "通报"})
        return len(ctx)

    replied(reply=REPLY, content=CONTENT)
    one = queries()
    for n in range(4):
        replied(reply=f"第{n}次通报：已整改。", subject=f"投诉{n}")
    assert len(found(client, "通报")) == 5
    assert queries() == one


def test_a_rebuilt_index_holds_only_published_replies(client, world):
    from io import StringIO

    from django.core.management import call_command
    from wagtail.search.models import IndexEntry

    published = replied(reply=REPLY, content=CONTENT)
    replied(reply="已安排专人回访并道歉。", content=CONTENT, publish_consent=False)
    call_command("update_index", stdout=StringIO())
    entries = IndexEntry.objects.filter(content_type__model="complaint")
    assert list(entries.values_list("object_id", flat=True)) == [str(published.pk)]
    body = " ".join(entries.values_list("body", flat=True))
    assert "通报" in body and NAME not in body and PHONE not in body
    assert urls(found(client, "通报")) == [f"/hdjl/dfgk/{published.pk}/"]
    assert found(client, "道歉") == []
