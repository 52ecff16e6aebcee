"""services/structured_data.py: schema.org GovernmentService JSON-LD on guide pages."""

import json
import re

from portal.templatetags.structured_data import ld_json
from tests.services.world import WorldTestCase

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class GovernmentServiceTests(WorldTestCase):
    def jsonld(self, page):
        html = self.client.get(page.url).content.decode()
        blocks = LD.findall(html)
        assert len(blocks) == 1
        return json.loads(blocks[0])

    def test_guide_page_describes_a_government_service(self):
        data = self.jsonld(self.w["dibao"])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentService"
        assert data["name"] == "最低生活保障" and data["identifier"] == "JZ-0001"
        assert data["url"] == f"http://testserver{self.w['dibao'].url}"
        assert data["provider"]["@type"] == "GovernmentOrganization"
        assert data["provider"]["name"] == "黄浦区民政局"
        assert data["isAccessibleForFree"] is True
        channels = data["availableChannel"]
        office = channels[0]["serviceLocation"]
        assert office["@type"] == "GovernmentOffice"
        assert office["name"] == "外滩街道社区事务受理服务中心"
        assert office["address"] == "上海市黄浦区福州路120号"
        assert channels[-1]["serviceUrl"].endswith(f"{self.w['dibao'].url}apply/")

    def test_fees_are_offers(self):
        data = self.jsonld(self.w["cremation"])
        assert data["isAccessibleForFree"] is False
        assert {(o["name"], o["price"], o["priceCurrency"]) for o in data["offers"]} == {
            ("遗体接运费", "300.00", "CNY"),
            ("遗体火化费", "460.00", "CNY"),
        }

    def test_text_cannot_close_the_element(self):
        html = str(ld_json({"name": "</script><script>alert(1)</script>&"}))
        assert html.count("</script>") == 1 and "<script>alert" not in html
        inner = LD.findall(html)[0]
        assert json.loads(inner) == {"name": "</script><script>alert(1)</script>&"}
        assert ld_json({}) == ""
