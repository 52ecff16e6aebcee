import pytest
from django.test import TestCase
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.models import HomePage, StandardPage
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import OrganisationFactory, add_standard_page, make_home


class HomePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.xxgk = add_catalogue(cls.home, intro="主动公开目录")
        cls.bsfw = add_standard_page(cls.home, "办事服务", "bsfw")
        cls.org = OrganisationFactory(code="000014349", name="上海市民政局")
        for n in range(3):
            add_document(
                cls.xxgk,
                organisation=cls.org,
                title=f"关于做好2026年冬季救助工作的通知{n}",
                slug=f"notice-{n}",
            )

    def test_page_tree_rules(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.bsfw)

    def test_home_shows_layout_sections_latest_and_footer_identity(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('lang="zh-CN"', html)
        self.assertIn('href="#main"', html)  # skip link for keyboard users
        self.assertIn('<nav class="main-nav"', html)
        for text in [
            "政府信息公开",
            "办事服务",
            "办件查询",
            "主办单位",
            "上海市民政局",
            "3100000031",
            "沪ICP备05006520号-1",
            "沪公网安备31010102002041号",
            "长者模式",
            'role="search"',
        ]:
            self.assertIn(text, html)
        self.assertIn("关于做好2026年冬季救助工作的通知0", html)
        self.assertRegex(html, r"\d{4}年\d{1,2}月\d{1,2}日")

    def test_home_renders_with_a_fixed_number_of_queries(self):
        self.client.get("/")  # warm Wagtail's site cache
        with self.assertNumQueries(8):
            self.client.get("/")
        for n in range(3, 40):
            add_document(self.xxgk, organisation=self.org, title=f"通知{n}", slug=f"more-{n}")
        self.client.get("/")  # the new pages dropped the cached menu: read it again
        with self.assertNumQueries(8):
            self.client.get("/")

    def test_breadcrumbs_on_inner_pages(self):
        html = self.client.get("/xxgk/notice-0/").content.decode()
        self.assertIn('aria-label="当前位置"', html)
        self.assertIn('aria-current="page"', html)


class ElderModeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()

    def test_visitor_switches_elder_mode_on_and_off(self):
        response = self.client.post("/a11y/elder/", {"on": "1", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertIn('class="elder"', self.client.get("/").content.decode())
        self.client.post("/a11y/elder/", {"on": "0", "next": "/"})
        self.assertNotIn('class="elder"', self.client.get("/").content.decode())

    def test_toggle_never_redirects_off_site(self):
        response = self.client.post("/a11y/elder/", {"on": "1", "next": "https://evil.example/"})
        self.assertEqual(response["Location"], "/")

    def test_toggle_needs_post(self):
        self.assertEqual(self.client.get("/a11y/elder/").status_code, 405)


@pytest.mark.django_db
def test_unknown_page_gets_a_chinese_404_without_debug_detail(client):
    make_home()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面未找到" in html
    assert "Traceback" not in html and "URLconf" not in html


def test_500_page_is_chinese_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统繁忙" in html and "{%" not in html


class FindabilityTests(TestCase):
    """Links a citizen looks for: the footer's 网站地图, 联系我们 and 我为政府网站找错, 依申请公开 in
    the navigation, and a home page title that names the site once."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_home(address="上海市黄浦区普安路189号", phone="021-12345")
        cls.xxgk = add_catalogue(cls.home, intro="主动公开目录")
        cls.guide = add_standard_page(cls.xxgk, "政府信息公开指南", "gkzn")
        cls.bsfw = add_standard_page(cls.home, "办事服务", "bsfw")

    def test_footer_and_navigation_links(self):
        html = self.client.get("/").content.decode()
        for href, text in (
            ("/wzdt/", "网站地图"),
            ("/lxwm/", "联系我们"),
            ("https://zfwzzc.www.gov.cn/", "我为政府网站找错"),
        ):
            self.assertIn(f'<a href="{href}"', html)
            self.assertIn(text, html)
        self.assertIn('<a href="/xxgk/ysqgk/" >依申请公开</a>', html)

    def test_home_title_names_the_site_once_and_inner_pages_add_it(self):
        html = self.client.get("/").content.decode()
        title = html.split("<title>")[1].split("</title>")[0]
        self.assertEqual(title, self.home.title)
        html = self.client.get(self.bsfw.url).content.decode()
        self.assertIn("<title>办事服务 - ", html)

    def test_site_map_lists_sections_and_their_pages(self):
        response = self.client.get("/wzdt/")
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="{self.xxgk.url}"', html)
        self.assertIn(f'href="{self.guide.url}">政府信息公开指南</a>', html)
        self.assertIn(f'href="{self.bsfw.url}"', html)
        self.assertIn('href="/xxgk/ysqgk/"', html)

    def test_contact_page_shows_the_site_settings(self):
        html = self.client.get("/lxwm/").content.decode()
        self.assertIn("上海市黄浦区普安路189号", html)
        self.assertIn("021-12345", html)
        self.assertIn("我为政府网站找错", html)
