"""我的工作 on the dashboard (portal/editorial/my_work.py): an editor's drafts, pages in review,
pages returned with the reason, and scheduled pages, each list with its total; nobody else's
pages; a fixed number of queries however long the lists are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.editorial.my_work import my_work
from tests.disclosure.editorial_fixtures import draft_document
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return editorial_world()


def _draft(world, user, title):
    doc = world["doc_a"]
    page = draft_document(
        world["section_a"],
        organisation=doc.issuing_organisation,
        topic=doc.topic,
        genre=doc.genre,
        title=title,
    )
    page.save_revision(user=user)
    return page


def _in_review(world, user, title):
    page = _draft(world, user, title)
    page.get_workflow().start(page, user)
    return page


def _returned(world, user, title, reason="请补充发文依据"):
    page = _in_review(world, user, title)
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, world["district_a_reviewer"], "reject", comment=reason)
    return page


def _scheduled(world, user, title):
    page = _draft(world, user, title)
    go_live = timezone.now() + datetime.timedelta(days=3)
    page.save_revision(user=user, approved_go_live_at=go_live)
    return page


def _make(world, n: int, user=None):
    user = user or world["district_a_editor"]
    for i in range(n):
        _draft(world, user, f"草稿{i}")
        _in_review(world, user, f"送审{i}")
        _returned(world, user, f"退回{i}")
        _scheduled(world, user, f"定时{i}")


def _lists(user, **kwargs):
    return {wl.key: wl for wl in my_work(user, **kwargs)}


def test_each_page_is_in_its_one_list_with_what_comes_next(world):
    _make(world, 1)
    lists = _lists(world["district_a_editor"])
    assert {key: [i.title for i in wl.items] for key, wl in lists.items()} == {
        "drafts": ["草稿0"],
        "review": ["送审0"],
        "returned": ["退回0"],
        "scheduled": ["定时0"],
    }
    assert lists["review"].items[0].note == "初审·黄浦区民政局"
    assert lists["returned"].items[0].note == "请补充发文依据"
    assert lists["scheduled"].items[0].when > timezone.now()
    assert [wl.total for wl in lists.values()] == [1, 1, 1, 1]


def test_only_the_editors_own_work(world):
    _make(world, 1, user=world["district_b_editor"])
    assert [wl.total for wl in my_work(world["district_a_editor"])] == [0, 0, 0, 0]


def test_a_long_list_is_cut_and_says_how_many_more(world):
    editor = world["district_a_editor"]
    for i in range(4):
        _draft(world, editor, f"草稿{i}")
    drafts = _lists(editor, limit=3)["drafts"]
    assert len(drafts.items) == 3 and drafts.total == 4 and drafts.more == 1
    assert drafts.items[0].title == "草稿3"  # newest first


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        my_work(user)
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_lists(world):
    editor = world["district_a_editor"]
    _make(world, 1)
    one = _queries(editor)
    _make(world, 3)
    assert _queries(editor) == one
    assert [wl.total for wl in my_work(editor)] == [4, 4, 4, 4]


def test_the_dashboard_shows_the_panel_to_an_editor(client, world):
    editor = world["district_a_editor"]
    page = _returned(world, editor, "关于调整低保标准的通知")
    client.force_login(editor)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我的工作" in body
    assert "退回修改" in body and "请补充发文依据" in body
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in body


def test_no_panel_for_staff_who_edit_no_pages(client, world):
    from tests.portal.cases.staff_fixtures import staff_user

    handler = staff_user(world["tree"]["district_a"], "handler_a")
    client.force_login(handler)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="my-work' not in body
