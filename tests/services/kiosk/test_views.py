"""进屏 (/kiosk/): browsing guides by topic and centre, the keypad lookup that keeps nothing, the
QR codes, the per-centre configuration, caching and query budgets."""

import base64
import io
import re

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from portal.cases.lookup import LOOKUP_LIMIT_PER_CLIENT
from portal.security import ratelimit
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission
from tests.services.factories import add_centre, add_centre_index, add_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = case_world()
    tree = w["tree"]
    index = add_centre_index(w["bsfw"])
    w["marriage"] = add_guide(
        w["bsfw"], organisation=tree["district_a"], topic="marriage", title="结婚登记"
    )
    w["elderly"] = add_guide(
        w["bsfw"], organisation=tree["district_a"], topic="elderly", title="养老服务补贴"
    )
    w["centre"] = add_centre(
        index,
        organisation=tree["centre_a1"],
        title="外滩街道社区事务受理服务中心",
        service_items=[w["marriage"], w["guide"]],
    )
    w["other_centre"] = add_centre(index, district="徐汇区", service_items=[w["elderly"]])
    return w


def qr_text(html: str) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    found = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert found
    image = Image.open(io.BytesIO(base64.b64decode(found[0])))
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]


def test_start_screen_lists_topics_with_counts_and_a_qr_to_the_portal(client, world):
    response = client.get("/kiosk/")
    assert response.status_code == 200
    html = response.content.decode()
    topics = {t.value: t.count for t in response.context["topics"]}
    assert topics["marriage"] == 1 and topics["elderly"] == 1
    assert 'href="/kiosk/topic/marriage/"' in html
    assert 'href="/kiosk/lookup/"' in html
    assert qr_text(html) == ["http://testserver/"]
    assert "<script src=" in html and "<script>" not in html  # external JS only (CSP)
    assert not response.cookies  # nothing stored in the browser
    assert "s-maxage" in response.get("Cache-Control", "")  # cacheable


def test_a_centre_screen_shows_only_its_items_and_links_under_its_address(client, world):
    code = world["tree"]["centre_a1"].code
    redirected = client.get(f"/kiosk/?centre={code}")
    assert redirected.status_code == 302 and redirected["Location"] == f"/kiosk/{code}/"
    response = client.get(f"/kiosk/{code}/")
    topics = {t.value for t in response.context["topics"]}
    assert "elderly" not in topics and "marriage" in topics
    html = response.content.decode()
    assert f'href="/kiosk/{code}/topic/marriage/"' in html
    assert f'data-kiosk-home="/kiosk/{code}/"' in html
    assert world["centre"].address in html
    assert qr_text(html) == ["http://testserver" + world["centre"].url]
    topic = client.get(f"/kiosk/{code}/topic/marriage/")
    assert [g.title for g in topic.context["guides"]] == ["结婚登记"]
    # By slug too; an unknown centre is a 404.
    assert client.get(f"/kiosk/{world['other_centre'].slug}/").status_code == 200
    assert client.get("/kiosk/999999999/").status_code == 404


def test_topic_centre_list_and_guide_pages(client, world):
    topic = client.get("/kiosk/topic/elderly/")
    assert [g.title for g in topic.context["guides"]] == ["养老服务补贴"]
    assert client.get("/kiosk/topic/nonsense/").status_code == 404
    centres = client.get("/kiosk/centres/")
    assert world["centre"].title in centres.content.decode()
    at_centre = client.get(f"/kiosk/centres/{world['tree']['centre_a1'].code}/")
    assert {g.title for g in at_centre.context["guides"]} == {"结婚登记", world["guide"].title}
    guide = client.get(f"/kiosk/guide/{world['guide'].pk}/")
    html = guide.content.decode()
    assert "申请人身份证" in html and "家庭收入证明" in html
    assert "021-63219012" in html
    assert qr_text(html) == ["http://testserver" + world["guide"].url]
    world["guide"].unpublish()
    assert client.get(f"/kiosk/guide/{world['guide'].pk}/").status_code == 404


def test_lookup_shows_the_case_once_and_keeps_nothing(client, world):
    application, code = application_submit(**valid_submission(world["guide"]))
    keypad = client.get("/kiosk/lookup/")
    assert "no-store" in keypad["Cache-Control"]
    assert 'data-key="SQ"' in keypad.content.decode()
    response = client.post(
        "/kiosk/lookup/",
        {"case_number": application.case_number.lower(), "query_code": code},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert application.case_number in html
    assert application.status_label in html
    assert "11010519491231002X" not in html and "13812341234" not in html
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert "data-kiosk-result=" in html
    assert qr_text(html) == ["http://testserver/cx/"]  # no number, no code in the QR
    # The case was not granted to this browser: /cx/ asks again.
    assert "view" not in client.get("/cx/").context


def test_lookup_errors_and_rate_limit(client, world):
    application, code = application_submit(**valid_submission(world["guide"]))
    post = {"HTTP_SEC_FETCH_SITE": "same-origin"}
    typo = application.case_number[:-1] + ("0" if application.case_number[-1] != "0" else "1")
    bad = client.post("/kiosk/lookup/", {"case_number": typo, "query_code": code}, **post)
    assert bad.status_code == 422
    wrong = client.post(
        "/kiosk/lookup/",
        {"case_number": application.case_number, "query_code": "ABCDEFGHJK"},
        **post,
    )
    assert wrong.status_code == 404
    assert "受理编号或查询码不正确" in wrong.content.decode()
    # A cross-site POST without a CSRF token is refused.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/kiosk/lookup/", {"case_number": "x", "query_code": "y"}).status_code == 403
    for _ in range(LOOKUP_LIMIT_PER_CLIENT.limit):
        ratelimit.hit(LOOKUP_LIMIT_PER_CLIENT, "127.0.0.1")
    limited = client.post(
        "/kiosk/lookup/", {"case_number": application.case_number, "query_code": code}, **post
    )
    assert limited.status_code == 429
    assert limited["Retry-After"]
    assert "查询失败次数过多" in limited.content.decode()


def _query_counts(client, urls) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts.append(len(ctx.captured_queries))
    return counts


def test_browsing_pages_cost_the_same_at_any_size(client, world):
    from tests.services.factories import bulk_guides

    organisation = world["tree"]["district_a"]
    first = bulk_guides(world["bsfw"], 2, organisation=organisation, centres=[world["centre"]])
    code = world["tree"]["centre_a1"].code
    urls = [
        "/kiosk/",
        f"/kiosk/{code}/",
        f"/kiosk/{code}/topic/{first[0].topic}/",
        "/kiosk/centres/",
        f"/kiosk/centres/{code}/",
        f"/kiosk/guide/{first[0].pk}/",
    ]
    client.get("/kiosk/")  # warm the restricted-paths cache and the site
    small = _query_counts(client, urls)
    bulk_guides(world["bsfw"], 40, organisation=organisation, centres=[world["centre"]])
    large = _query_counts(client, urls)
    assert small == large
    assert max(small) <= 8, small
