"""portal/sitemap.py: /sitemap.xml lists every public page with its lastmod."""

import xml.etree.ElementTree as ET

from django.test import override_settings
from wagtail.models import PageViewRestriction

from portal import sitemap as sitemap_module
from tests.services.factories import bulk_guides
from tests.services.world import WorldTestCase

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


class SitemapTests(WorldTestCase):
    def urls(self, response=None):
        root = parse(response or self.client.get("/sitemap.xml"))
        return {
            u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.findall("s:url", NS)
        }

    def test_every_public_page_with_its_lastmod(self):
        urls = self.urls()
        keys = ("home", "index", "fees", "marriage", "cremation", "dibao", "centre_index", "centre")
        for key in keys:
            page = self.w[key]
            loc = f"http://testserver{page.url}"
            assert loc in urls, key
            page.refresh_from_db()
            expected = page.last_published_at
            assert urls[loc] == (expected.isoformat(timespec="seconds") if expected else None)
        assert urls[f"http://testserver{self.w['dibao'].url}"]  # a published guide has one
        assert "http://testserver/cx/" in urls and urls["http://testserver/cx/"] is None
        assert "http://testserver/wzdt/" in urls

    def test_drafts_and_restricted_pages_are_left_out(self):
        self.w["cremation"].unpublish()
        PageViewRestriction.objects.create(
            page=self.w["centre_index"], restriction_type="password", password="x"
        )
        from portal.pages import forget_restricted_paths

        forget_restricted_paths()
        urls = self.urls()
        assert f"http://testserver{self.w['cremation'].url}" not in urls
        assert not any("/slzx/" in u for u in urls)
        assert f"http://testserver{self.w['dibao'].url}" in urls

    def test_public_and_one_query(self):
        response = self.client.get("/sitemap.xml")
        assert "public" in response["Cache-Control"]
        bulk_guides(self.w["index"], 5, organisation=self.w["orgs"]["bureau"])
        with self.assertNumQueries(2):  # the site (Wagtail caches it per request) and the pages
            self.client.get("/sitemap.xml")
        bulk_guides(self.w["index"], 40, organisation=self.w["orgs"]["bureau"])
        with self.assertNumQueries(2):
            assert len(self.urls(self.client.get("/sitemap.xml"))) >= 50

    def test_a_large_site_is_an_index_of_parts(self):
        with override_settings():
            old = sitemap_module.SITEMAP_LIMIT
            sitemap_module.SITEMAP_LIMIT = 4
            try:
                root = parse(self.client.get("/sitemap.xml"))
                parts = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
                assert parts[0] == "http://testserver/sitemap/1.xml" and len(parts) >= 3
                seen = []
                for loc in parts:
                    seen += list(self.urls(self.client.get(loc.removeprefix("http://testserver"))))
                assert len(seen) == len(set(seen)) and len(seen) > 8
                assert self.client.get(f"/sitemap/{len(parts) + 1}.xml").status_code == 404
            finally:
                sitemap_module.SITEMAP_LIMIT = old
        assert self.client.get("/sitemap/1.xml").status_code == 404  # small: no parts
