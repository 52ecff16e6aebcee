"""The two-step review (初审 → 终审) of pages in an organisation's sections: only the last approval
publishes; a rejection at either step goes back to the author with the reason; notifications go to
the current task's group of that organisation only."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from tests.factories import UserFactory
from tests.portal.editorial.fixtures import editorial_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = editorial_world()
    # a superuser with an email: must not be notified (WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS)
    world["root"] = UserFactory(username="root", is_superuser=True, email="root@example.gov.cn")
    return world


def _submit(world, title="关于调整低保标准的通知（修订稿）"):
    """The district A editor edits the live document and submits it for review."""
    page = world["doc_a"]
    editor = world["district_a_editor"]
    page.title = title
    page.save_revision(user=editor)
    mail.outbox.clear()
    workflow = page.get_workflow()
    workflow.start(page, editor)
    page.refresh_from_db()
    return page


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def _act(page, user, action, comment=""):
    state = page.current_workflow_task_state.specific
    assert action in [
        name for name, _label, _modal in state.task.specific.get_actions(page, user)
    ], f"{user} may not {action}"
    state.task.specific.on_action(state, user, action, comment=comment)
    page.refresh_from_db()


def test_both_steps_are_needed_and_only_the_last_publishes(world):
    page = _submit(world)
    # submitted: only district A's 初审 group hears of it
    assert _recipients() == ["district_a_reviewer@example.gov.cn"]
    assert page.title != "关于调整低保标准的通知（修订稿）" or page.has_unpublished_changes
    live_title = type(page).objects.get(pk=page.pk).title
    mail.outbox.clear()

    _act(page, world["district_a_reviewer"], "approve", comment="文字已校对")
    assert page.current_workflow_task.name == "终审·黄浦区民政局"
    assert page.has_unpublished_changes and page.title == live_title  # still not live
    assert _recipients() == ["district_a_senior@example.gov.cn"]
    mail.outbox.clear()

    _act(page, world["district_a_senior"], "approve", comment="同意发布")
    assert not page.has_unpublished_changes
    assert page.live and page.title == "关于调整低保标准的通知（修订稿）"
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    # the author hears the result; nobody else does
    assert _recipients() == ["district_a_editor@example.gov.cn"]
    comments = [
        s.get_comment()
        for s in TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("pk")
    ]
    assert comments == ["文字已校对", "同意发布"]


@pytest.mark.parametrize("step", [0, 1])
def test_a_rejection_goes_back_to_the_author_with_the_reason(world, step):
    page = _submit(world)
    if step == 1:
        _act(page, world["district_a_reviewer"], "approve")
    mail.outbox.clear()
    rejecter = world["district_a_senior"] if step else world["district_a_reviewer"]
    _act(page, rejecter, "reject", comment="文号有误，请核对后重新提交")
    state = page.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert page.has_unpublished_changes and page.title != "关于调整低保标准的通知（修订稿）"
    assert _recipients() == ["district_a_editor@example.gov.cn"]
    assert "文号有误，请核对后重新提交" in mail.outbox[0].body


def test_who_may_act_on_each_step(world):
    page = _submit(world)
    state = page.current_workflow_task_state.specific
    task = state.task.specific
    for name in (
        "district_a_editor",
        "district_a_senior",
        "district_b_reviewer",
        "bureau_reviewer",
        "bureau_senior",
    ):
        assert task.get_actions(page, world[name]) == [], name
    # and through the admin URL: the editor cannot approve their own submission
    from django.test import Client

    client = Client()
    client.force_login(world["district_a_editor"])
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))
    response = client.post(url, {"comment": "自己批准"})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.current_workflow_task_state.pk == state.pk
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    # the district B reviewer cannot either
    client.force_login(world["district_b_reviewer"])
    client.post(url, {"comment": "越权审批"})
    page.refresh_from_db()
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    # the right reviewer can, through the same URL
    client.force_login(world["district_a_reviewer"])
    response = client.post(url, {"comment": "初审通过"})
    page.refresh_from_db()
    assert page.current_workflow_task.name == "终审·黄浦区民政局"


def test_a_streets_pages_are_reviewed_by_the_street_and_its_district(world):
    from tests.disclosure.factories import add_document

    doc = add_document(world["section_a1"], organisation=world["tree"]["street_a1"])
    editor = world["district_a_editor"]
    doc.save_revision(user=editor)
    mail.outbox.clear()
    doc.get_workflow().start(doc, editor)
    assert _recipients() == ["district_a_reviewer@example.gov.cn"]  # street has no members here
    doc.refresh_from_db()
    _act(doc, world["district_a_reviewer"], "approve")
    _act(doc, world["district_a_senior"], "approve")
    assert not doc.has_unpublished_changes
