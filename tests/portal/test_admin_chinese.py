"""The Wagtail admin in Chinese for a zh-hans user (issue 14): the main admin pages an editor and
an administrator open carry none of the English UI phrases Wagtail shows where it lacks a zh_Hans
msgstr (locale_overrides/ fills them in), and every title ends in 阳光政务管理后台."""

import html
import json
import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import staff_user
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db

# Phrases a zh-hans user met in English before issue 14 (and their neighbours on the same pages).
ENGLISH_PHRASES = [
    "Password",
    "created in",
    "Shortcuts",
    "Select an option",
    "Is commenting action",
    "to display. Why not",
    "could not be created due to",
    "Autosave is",
    "Autosave in progress",
    "- Wagtail",
    "Sign in to Wagtail",
    "Keyboard shortcuts are currently enabled",
    "Show keyboard shortcuts",
    "Toggle minimap",
    "Save changes",
    "Content metrics",
    "Reading time",
    "Schedule to publish",
    "Anyone can edit",
    "Search all pages",
    "Theme preferences",
    "Go to the first error",
    "Actions (footer)",
    "Paste without formatting",
    "JavaScript is required",
    "Edited by",
    "Page type",
    "Has child pages",
    "New: ",
    "Locked by",
    "Use server language",
    "Page types usage",
    "text is empty",
    "Use meaningful text",
    "Incorrect heading hierarchy",
]
_ATTRIBUTES = re.compile(
    r'(?:title|placeholder|aria-label|alt|data-w-tooltip-content-value)="([^"]*)"'
)


def visible_text(body: str) -> str:
    """What a user reads or hears: the text between tags, the title and the accessible names,
    plus the JSON the admin's scripts render widgets from (block definitions, choices)."""
    body = re.sub(r"(?s)<svg.*?</svg>|<style.*?</style>", " ", body)
    scripts = " ".join(
        re.findall(r'(?s)<script[^>]*type="application/json"[^>]*>(.*?)</script>', body)
    )
    body = re.sub(r"(?s)<script.*?</script>", " ", body)
    attributes = " ".join(_ATTRIBUTES.findall(body))
    text = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(" ".join([text, attributes, scripts])))


def english_in(body: str) -> list[str]:
    text = visible_text(body)
    return [phrase for phrase in ENGLISH_PHRASES if phrase in text]


def _chinese(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    return user


@pytest.fixture
def world():
    world = editorial_world()
    world["editor"] = _chinese(world["district_a_editor"])
    world["root"] = _chinese(
        UserFactory(username="root", is_superuser=True, email="root@example.gov.cn")
    )
    world["handler"] = _chinese(staff_user(world["tree"]["district_a"], "handler_a"))
    return world


def _pages(world):
    section, doc, home = world["section_a"], world["doc_a"], world["home"]
    editor = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[section.pk]),
        reverse("wagtailadmin_pages:edit", args=[doc.pk]),
        reverse(
            "wagtailadmin_pages:add", args=["disclosure", "disclosuredocumentpage", section.pk]
        ),
        reverse("wagtailadmin_pages:history", args=[doc.pk]),
        reverse("wagtailsnippets:index"),
        reverse("wagtailadmin_account"),
    ]
    root = [
        reverse("wagtailadmin_home"),
        reverse("wagtailsnippets_portal_workdayyear:list"),
        reverse("wagtailsnippets_portal_workdayyear:add"),
        reverse("wagtailsnippets_portal_organisation:list"),
        reverse("wagtailadmin_pages:add", args=["portal", "standardpage", home.pk]),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailusers_users:index"),
        reverse("portal_holiday_notice_import"),
    ]
    handler = [reverse("workbench:list"), reverse("wagtailadmin_home")]
    return [("editor", editor), ("root", root), ("handler", handler)]


def test_the_main_admin_pages_have_no_english_ui_phrases(client, world):
    found = {}
    for who, urls in _pages(world):
        client.force_login(world[who])
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (who, url, response.status_code)
            body = response.content.decode()
            assert "阳光政务管理后台</title>" in body, (who, url)
            if english := english_in(body):
                found[f"{who} {url}"] = english
    assert found == {}


def test_the_failed_first_submit_of_a_page_says_so_in_chinese(client, world):
    client.force_login(world["editor"])
    url = reverse(
        "wagtailadmin_pages:add",
        args=["disclosure", "disclosuredocumentpage", world["section_a"].pk],
    )
    # What the editor sends with nothing filled in (the 附表 stream field posts its count).
    response = client.post(url, {"title": "", "slug": "", "tables-count": "0"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "页面未能创建" in body
    assert english_in(body) == []


def test_an_empty_snippet_listing_invites_in_chinese(client, world):
    client.force_login(world["root"])
    body = client.get(reverse("wagtailsnippets_portal_workdayyear:list")).content.decode()
    assert "暂无节假日安排" in visible_text(body)


def test_the_sign_in_page_is_chinese(client, world):
    body = client.get(reverse("wagtailadmin_login")).content.decode()
    text = visible_text(body)
    assert "登录阳光政务管理后台" in text
    assert "密码" in text
    assert english_in(body) == []


def test_the_check_itself_sees_english():
    """The detector is not blind: Wagtail's own English, as shown before the overrides."""
    body = (
        "<title>控制面板 - Wagtail</title><p>Autosave is <span>paused</span></p>"
        '<button aria-label="Show keyboard shortcuts"></button>'
        '<script type="application/json">{"choices": [["", "- Select an option -"]]}</script>'
    )
    assert english_in(body) == [
        "Select an option",
        "Autosave is",
        "- Wagtail",
        "Show keyboard shortcuts",
    ]


def test_the_admins_script_strings_are_chinese_too(client, world):
    """Autosave, block insertion and error counts come from the JavaScript catalogue."""
    client.force_login(world["editor"])
    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode("utf-8")
    found = re.search(r"const newcatalog = (\{.*?\});", catalogue, re.S)
    assert found is not None
    translations = json.loads(found.group(1))
    assert translations["Autosave in progress…"] == "正在自动保存…"
    assert translations["Insert a block"] == "插入内容块"
