"""Catalogue reads: filters, active filters, fixed query counts (5 and 200 documents)."""

from datetime import date

import pytest
from django.test import RequestFactory

from disclosure.models import Validity
from disclosure.selectors import catalogue_context, filtered_documents
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    tzgg = add_catalogue(xxgk, title="通知公告", slug="tzgg")
    zcfg = add_catalogue(xxgk, title="政策法规", slug="zcfg")
    aid = TopicFactory(name="社会救助", slug="shjz")
    elderly = TopicFactory(name="养老服务", slug="ylfw")
    notice = GenreFactory(name="通知", slug="tz")
    rule = GenreFactory(name="规范性文件", slug="gfxwj")
    docs = {
        "dibao": add_document(
            zcfg,
            organisation=orgs["bureau"],
            topic=aid,
            genre=rule,
            title="关于调整本市最低生活保障标准的通知",
            published_date=date(2025, 6, 1),
            written_date=date(2025, 5, 20),
        ),
        "old": add_document(
            zcfg,
            organisation=orgs["bureau"],
            topic=aid,
            genre=rule,
            title="上海市低保家庭收入核定办法",
            published_date=date(2019, 1, 10),
            written_date=date(2019, 1, 2),
            validity=Validity.REPEALED,
            effective_date=date(2019, 2, 1),
            repealed_date=date(2025, 6, 1),
        ),
        "elderly": add_document(
            tzgg,
            organisation=orgs["district_a"],
            topic=elderly,
            genre=notice,
            title="黄浦区2026年养老服务补贴发放通知",
            published_date=date(2026, 2, 3),
            written_date=date(2026, 2, 1),
        ),
    }
    return {"orgs": orgs, "home": home, "xxgk": xxgk, "tzgg": tzgg, "zcfg": zcfg, "docs": docs}


def titles(qs):
    return [d.title for d in qs]


def test_every_filter_narrows_the_catalogue(world):
    d = world["docs"]
    cases = {
        "topic=ylfw": [d["elderly"]],
        "genre=gfxwj": [d["dibao"], d["old"]],
        "organisation=002479001": [d["elderly"]],
        "year=2019": [d["old"]],
        "validity=repealed": [d["old"]],
        "q=养老": [d["elderly"]],
        "q=低保": [d["dibao"], d["old"]],  # the abbreviation finds 最低生活保障 too
        "q=最低生活保障": [d["dibao"], d["old"]],
        "topic=shjz&validity=valid": [d["dibao"]],
        "sort=published_date": [d["old"], d["dibao"], d["elderly"]],
    }
    from django.http import QueryDict

    for query, expected in cases.items():
        filterset, qs = filtered_documents(data=QueryDict(query))
        assert not filterset.errors, query
        assert titles(qs) == titles(expected), query


def test_newest_first_and_sections_list_only_their_documents(world):
    d = world["docs"]
    _, qs = filtered_documents(data=None)
    assert titles(qs) == titles([d["elderly"], d["dibao"], d["old"]])
    _, qs = filtered_documents(data=None, within=world["zcfg"])
    assert titles(qs) == titles([d["dibao"], d["old"]])


def test_bad_filters_are_reported_in_chinese_and_ignored(world):
    from django.http import QueryDict

    filterset, qs = filtered_documents(data=QueryDict("topic=nope&year=abc&genre=tz"))
    assert filterset.errors["topic"] == ["没有这个主题分类。"]
    assert filterset.errors["year"] == ["年份应为四位数字，如 2026。"]
    assert titles(qs) == [world["docs"]["elderly"].title]  # the valid filter still applies


def test_active_filters_carry_the_query_that_removes_them(world):
    request = RequestFactory().get("/xxgk/", {"topic": "shjz", "year": "2025", "page": "1"})
    context = catalogue_context(world["xxgk"], request)
    shown = {f["key"]: f for f in context["active_filters"]}
    assert shown["topic"]["value"] == "社会救助"
    assert shown["topic"]["remove_query"] == "year=2025"
    assert shown["year"]["value"] == "2025年"
    assert shown["year"]["remove_query"] == "topic=shjz"
    assert context["feed_query"] == "topic=shjz&year=2025"
