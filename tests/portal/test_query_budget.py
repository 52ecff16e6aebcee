"""The query budget: every public page type and public API list costs at most 12 queries, whatever
the length of its lists — measured through the real URLs on a world of 5 and of 500 items each
(documents, attachments, guides, materials, centres, fee items, pledges, complaint replies).

Measured after one warm-up request, as in production: Wagtail's site-root paths, content types
and our menu are cached after the first request. The worlds are built in bulk (no revisions, no
search index updates except for the search page's documents) so that the 500-item world stays
quick."""

import datetime
import itertools
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from disclosure.models import DisclosureAttachment, DisclosureDocumentPage, Validity
from services.models import (
    FeeItem,
    ProcessStep,
    Rating,
    ServiceCentrePage,
    ServiceCommitment,
    ServiceMaterial,
)
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import add_standard_page, make_home, org_tree
from tests.services.factories import (
    add_centre_index,
    add_commitment_page,
    add_fee_standard,
    add_guide,
    add_service_index,
    bulk_guides,
    make_document,
)

BUDGET = 12
_serial = itertools.count(1)


def bulk_documents(parent, n, *, organisation, topic, genre, replaced_by=None):
    """n live documents without revisions; their search entries are written in bulk afterwards."""
    from portal.search_indexing import index_in_bulk

    docs = []
    with index_in_bulk():
        for _ in range(n):
            k = next(_serial)
            doc = DisclosureDocumentPage(
                title=f"关于调整最低生活保障标准的通知{k}",
                slug=f"budget-doc-{k}",
                live=True,
                index_number=f"000014349/2019-{k:05d}",
                document_number=f"沪民〔2026〕{k}号",
                written_date=datetime.date(2026, 1, 1),
                published_date=datetime.date(2026, 1, 1 + k % 28),
                topic=topic,
                genre=genre,
                issuing_organisation=organisation,
                validity=Validity.VALID,
                summary="低保标准调整",
                replaced_by=replaced_by,
            )
            parent.add_child(instance=doc)
            docs.append(doc)
    return docs


def bulk_centres(parent, n, *, service_items=()):
    with disable_reference_index_auto_update():
        centres = []
        for _ in range(n):
            k = next(_serial)
            centre = ServiceCentrePage(
                title=f"批量受理中心{k}",
                slug=f"budget-centre-{k}",
                district=("黄浦区", "徐汇区", "静安区")[k % 3],
                address="上海市黄浦区福州路120号",
                hours="周一至周六 9:00-17:00",
                phone="021-63211234",
            )
            parent.add_child(instance=centre)
            centres.append(centre)
    through = ServiceCentrePage.service_items.through
    through.objects.bulk_create(
        [
            through(servicecentrepage_id=c.pk, serviceguidepage_id=g.pk)
            for c in centres
            for g in service_items
        ]
    )
    return centres


def bulk_replies(n):
    """n published complaint replies: one through the real actions, the rest copies of it."""
    from services.complaints.models import Complaint
    from tests.services.complaints.fixtures import replied

    first = replied(subject="窗口办理低保时态度生硬")
    copies = []
    for i in range(n - 1):
        copy = Complaint.objects.get(pk=first.pk)
        copy.pk = None
        copy.case_number = f"{first.case_number[:-7]}{i:06d}B"
        copies.append(copy)
    Complaint.objects.bulk_create(copies)


class BudgetWorld:
    """A whole public site with lists of N items."""

    N = 5

    @classmethod
    def setUpTestData(cls):
        n = cls.N
        tree = org_tree()
        bureau = tree["bureau"]
        cls.home = make_home()
        xxgk = add_catalogue(cls.home)
        add_standard_page(xxgk, "机构职能", "jgzn", intro="机构职能")
        topic = TopicFactory(name="社会救助", slug="shjz")
        genre = GenreFactory(name="通知", slug="tz")
        cls.document = add_document(
            xxgk, organisation=bureau, topic=topic, genre=genre, title="关于低保标准的通知"
        )
        bulk_documents(
            xxgk, n, organisation=bureau, topic=topic, genre=genre, replaced_by=cls.document
        )
        file = make_document(title="附件", name="attachment.pdf")
        DisclosureAttachment.objects.bulk_create(
            [
                DisclosureAttachment(
                    page=cls.document, document=file, title=f"附件{i}", sort_order=i
                )
                for i in range(n)
            ]
        )

        bsfw = add_service_index(cls.home)
        centre_index = add_centre_index(bsfw)
        fees = add_fee_standard(
            bsfw,
            organisation=bureau,
            items=[
                {"code": f"fee{i}", "name": f"收费项目{i}", "unit": "次", "amount": Decimal("10")}
                for i in range(n)
            ],
        )
        fee_items = list(FeeItem.objects.filter(page=fees))
        cls.guide = add_guide(
            bsfw, organisation=bureau, fee_items=fee_items[:3], title="最低生活保障申请"
        )
        ServiceMaterial.objects.bulk_create(
            [
                ServiceMaterial(
                    page=cls.guide,
                    code=f"m{i}",
                    name=f"材料{i}",
                    kind="original",
                    sort_order=i + 1,
                    blank_form=file,
                )
                for i in range(n)
            ]
        )
        ProcessStep.objects.bulk_create(
            [ProcessStep(page=cls.guide, name=f"步骤{i}", sort_order=i + 3) for i in range(n)]
        )
        guides = bulk_guides(bsfw, n, organisation=bureau, fee_items=fee_items[:2])
        cls.centre = bulk_centres(centre_index, n, service_items=[cls.guide])[0]
        ServiceCentrePage.service_items.through.objects.bulk_create(
            [
                ServiceCentrePage.service_items.through(
                    servicecentrepage_id=cls.centre.pk, serviceguidepage_id=g.pk
                )
                for g in guides
            ]
        )
        cls.commitments = add_commitment_page(
            bsfw,
            organisation=bureau,
            commitments=[
                {"title": "承诺时限", "content": "5个工作日办结", "service_item": cls.guide}
            ],
        )
        ServiceCommitment.objects.bulk_create(
            [
                ServiceCommitment(
                    page=cls.commitments,
                    title=f"承诺{i}",
                    content="限时办结",
                    service_item=guides[i % len(guides)],
                    promised_limit_days=5,
                    sort_order=i + 1,
                )
                for i in range(n)
            ]
        )
        bulk_replies(n)
        orgs = list(tree.values())
        Rating.objects.bulk_create(
            [
                Rating(
                    case_kind="application",
                    case_number=f"BQ{i:010d}",
                    organisation=orgs[i % len(orgs)],
                    service=guides[i % len(guides)],
                    score=i % 5 + 1,
                    follow_up_status="open" if i % 5 < 2 else "",
                )
                for i in range(n)
            ]
        )

    def assert_within_budget(self, url, *, expect_status=200):
        self.client.get(url)  # warm: site root paths, content types, the cached menu
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, expect_status, url)
        queries = [q["sql"][:160] for q in ctx.captured_queries]
        self.assertLessEqual(
            len(queries), BUDGET, f"{url}: {len(queries)} queries\n" + "\n".join(queries)
        )
        return response

    def test_home(self):
        response = self.assert_within_budget("/")
        self.assertContains(response, "关于调整最低生活保障标准的通知")

    def test_catalogue_with_and_without_filters(self):
        response = self.assert_within_budget("/xxgk/")
        self.assertEqual(response.context["paginator"].count, self.N + 1)
        self.assert_within_budget("/xxgk/?topic=shjz&genre=tz&year=2026&validity=valid&q=通知")
        self.assert_within_budget("/xxgk/?organisation=000014349&sort=title&page=2")

    def test_catalogue_feeds(self):
        response = self.assert_within_budget("/xxgk/feed/")
        self.assertGreaterEqual(response.content.decode().count("<entry>"), min(self.N, 20))
        self.assert_within_budget("/xxgk/feed/?topic=shjz")

    def test_a_document(self):
        response = self.assert_within_budget(self.document.url)
        self.assertEqual(len(response.context["attachments"]), self.N)
        self.assertEqual(len(response.context["replaces"]), self.N)

    def test_a_standard_page(self):
        self.assert_within_budget("/xxgk/jgzn/")

    def test_the_guide_index_and_its_filters(self):
        response = self.assert_within_budget("/bsfw/")
        self.assertEqual(response.context["paginator"].count, self.N + 1)
        self.assert_within_budget("/bsfw/?topic=marriage&online=1&page=2")
        self.assert_within_budget("/bsfw/bgxz/")

    def test_a_guide(self):
        response = self.assert_within_budget(self.guide.url)
        self.assertEqual(len(response.context["materials"]), self.N + 1)
        self.assertEqual(len(response.context["centres"]), self.N)

    def test_fee_standards(self):
        response = self.assert_within_budget("/bsfw/sfbz/")
        self.assertEqual(len(response.context["fee_items"]), self.N)

    def test_commitments(self):
        response = self.assert_within_budget(self.commitments.url)
        self.assertEqual(len(response.context["rows"]), self.N + 1)

    def test_centres_index_and_a_centre(self):
        response = self.assert_within_budget("/bsfw/slzx/")
        self.assertEqual(len(response.context["centres"]), self.N)
        self.assert_within_budget("/bsfw/slzx/?district=黄浦区")
        response = self.assert_within_budget(self.centre.url)
        self.assertEqual(len(response.context["service_items"]), self.N + 1)

    def test_complaint_replies(self):
        response = self.assert_within_budget("/hdjl/dfgk/")
        self.assertEqual(response.context["paginator"].count, self.N)

    def test_rating_results(self):
        # 好差评结果公开: one row per district, organisation and service item (N of them).
        year = timezone.localdate().year
        response = self.assert_within_budget(f"/hdjl/hcp/?year={year}")
        services = [s for s in response.context["sections"] if s["title"] == "各办理事项"][0]
        self.assertEqual(len(services["rows"]), self.N)
        self.assert_within_budget(f"/hdjl/hcp/xlsx/?year={year}&month=1")
        self.assert_within_budget(f"/api/v1/ratings/summary?organisation=000014349&year={year}")
        self.assert_within_budget(f"/hdjl/pw/?year={year}")
        self.assert_within_budget(f"/hdjl/pw/xlsx/?year={year}&month=1")
        self.assert_within_budget(f"/api/v1/league?year={year}")

    def test_site_search(self):
        response = self.assert_within_budget("/search/?q=低保")
        self.assertGreaterEqual(response.context["paginator"].count, 1)

    def test_forms_and_lookup(self):
        for url in ("/cx/", "/hdjl/ts/", "/xxgk/ysqgk/"):
            self.assert_within_budget(url)

    def test_public_api_lists(self):
        response = self.assert_within_budget("/api/v1/disclosures")
        self.assertEqual(response.json()["count"], self.N + 1)
        self.assert_within_budget("/api/v1/disclosures?topic=shjz&year=2026&validity=valid")
        response = self.assert_within_budget("/api/v1/service-items")
        self.assert_within_budget(f"/api/v1/service-items/{self.guide.code}")
        self.assert_within_budget("/api/v1/organisations")
        self.assert_within_budget("/api/v1/openapi.json")


class TestFiveItems(BudgetWorld, TestCase):
    N = 5


class TestFiveHundredItems(BudgetWorld, TestCase):
    N = 500
