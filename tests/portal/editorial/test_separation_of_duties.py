"""三审: nobody approves what they submitted or wrote (the latest revision under review), and the
终审 approver is never the 初审 approver.
The refused person is not offered the approve action, a direct POST changes nothing and says why
in Chinese; another member of the same group still approves. Old plain GroupApprovalTasks are
converted in place by organisation_setup, and a review in progress carries on."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, WorkflowTask

from portal.editorial.setup import organisation_setup
from portal.editorial.workflow import SeparatedApprovalTask
from tests.portal.editorial.fixtures import editorial_world, staff_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return editorial_world()


def _submit(world, user):
    page = world["doc_a"]
    page.title = "关于调整低保标准的通知（修订稿）"
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    page.refresh_from_db()
    return page


def _action_names(page, user):
    task = page.current_workflow_task_state.task.specific
    return {name for name, _label, _modal in task.get_actions(page, user)}


def _post_approve(client, page, user):
    state = page.current_workflow_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))
    response = client.post(url, {"comment": "同意"})
    page.refresh_from_db()
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_every_organisations_steps_are_separated_approval_tasks(world):
    for editorial in world["editorial"].values():
        tasks = [
            wt.task.specific for wt in WorkflowTask.objects.filter(workflow=editorial.workflow)
        ]
        assert len(tasks) == 2
        assert all(type(task) is SeparatedApprovalTask for task in tasks)


def test_a_reviewer_cannot_approve_their_own_submission(world, client):
    reviewer = world["district_a_reviewer"]
    page = _submit(world, reviewer)  # reviewers may edit and submit (change permission)
    state = page.current_workflow_task_state
    assert _action_names(page, reviewer) == {"reject"}

    response, messages = _post_approve(client, page, reviewer)
    assert response.status_code == 302
    assert messages == [
        "不能审核通过：您是本次审核的提交人，不能审核通过自己提交的内容，请由本组其他审核人审核。"
    ]
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert page.current_workflow_task_state.pk == state.pk
    with pytest.raises(PermissionDenied):  # outside the admin too
        state.task.specific.on_action(state.specific, reviewer, "approve")
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS

    # another reviewer of district A can
    colleague = staff_with_role(world["tree"]["district_a"], "district_a_reviewer2", "reviewer")
    assert "approve" in _action_names(page, colleague)
    _post_approve(client, page, colleague)
    assert page.current_workflow_task.name == "终审·黄浦区民政局"


def test_the_final_approver_is_not_the_first_approver(world, client):
    both = world["district_a_reviewer"]
    both.groups.add(world["editorial"]["district_a"].seniors)  # holds both roles by mistake
    page = _submit(world, world["district_a_editor"])
    _post_approve(client, page, both)
    assert page.current_workflow_task.name == "终审·黄浦区民政局"
    state = page.current_workflow_task_state
    assert _action_names(page, both) == {"reject"}

    response, messages = _post_approve(client, page, both)
    assert messages == [
        "不能审核通过：您已在“初审·黄浦区民政局”中审核通过本内容，同一人不能审核两级，"
        "请由其他审核人审核。"
    ]
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert page.has_unpublished_changes

    senior = world["district_a_senior"]
    assert "approve" in _action_names(page, senior)
    _post_approve(client, page, senior)
    assert not page.has_unpublished_changes
    assert page.title == "关于调整低保标准的通知（修订稿）"


def test_old_group_approval_tasks_are_converted_in_place(world, client):
    editorial = world["editorial"]["district_a"]
    first = WorkflowTask.objects.get(workflow=editorial.workflow, sort_order=0)
    # an earlier set-up: a plain GroupApprovalTask as 初审, with a review under way on it
    old = GroupApprovalTask.objects.create(name="初审·黄浦区民政局")
    old.groups.set([editorial.reviewers])
    first.task = old
    first.save()
    page = _submit(world, world["district_a_editor"])
    assert page.current_workflow_task_state.task_id == old.pk

    organisation_setup(organisation=world["tree"]["district_a"])
    organisation_setup(organisation=world["tree"]["district_a"])  # idempotent
    task = WorkflowTask.objects.get(workflow=editorial.workflow, sort_order=0).task.specific
    assert type(task) is SeparatedApprovalTask and task.pk == old.pk
    assert list(task.groups.all()) == [editorial.reviewers]
    assert not GroupApprovalTask.objects.filter(pk=old.pk).exists()

    # the review under way goes on under the new rules
    page.refresh_from_db()
    assert _action_names(page, world["district_a_editor"]) == set()
    _post_approve(client, page, world["district_a_reviewer"])
    assert page.current_workflow_task.name == "终审·黄浦区民政局"


def test_a_reviewer_who_edits_during_review_cannot_approve_their_revision(world, client):
    page = _submit(world, world["district_a_editor"])
    reviewer = world["district_a_reviewer"]
    assert "approve" in _action_names(page, reviewer)
    state = page.current_workflow_task_state

    # 初审 reviewer corrects the draft during review: the revision under review is now theirs
    page = page.specific
    page.title = "关于调整低保标准的通知（审核修改稿）"
    page.save_revision(user=reviewer)
    page.refresh_from_db()
    assert page.current_workflow_task_state.pk == state.pk
    assert _action_names(page, reviewer) == {"reject"}

    response, messages = _post_approve(client, page, reviewer)
    assert response.status_code == 302
    assert messages == [
        "不能审核通过：待审核的最新版本由您修改保存，不能审核通过自己修改的内容，"
        "请由本组其他审核人审核。"
    ]
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert page.current_workflow_task_state.pk == state.pk
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state.specific, reviewer, "approve")
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS

    # another reviewer of district A approves the edited revision
    colleague = staff_with_role(world["tree"]["district_a"], "district_a_reviewer2", "reviewer")
    assert "approve" in _action_names(page, colleague)
    _post_approve(client, page, colleague)
    assert page.current_workflow_task.name == "终审·黄浦区民政局"
    _post_approve(client, page, world["district_a_senior"])
    assert not page.has_unpublished_changes
    assert page.title == "关于调整低保标准的通知（审核修改稿）"
