"""Every publish, unpublish, move, permission change and workflow step is in Wagtail's audit log, and
报表 › 审计日志 filters it by organisation, scoped to the staff member's own subtree."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from disclosure.models import DisclosureDocumentPage
from tests.disclosure.editorial_fixtures import (
    admin_user,
    draft_document,
    editorial_world,
    review_workflow,
    staff,
)
from tests.disclosure.factories import add_catalogue, add_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/reports/audit-log/"


@pytest.fixture
def w():
    world = editorial_world()
    world["doc_b"] = add_document(
        world["xxgk"],
        organisation=world["orgs"]["district_b"],
        topic=world["topic"],
        genre=world["genre"],
        title="徐汇区养老通知",
    )
    return world


def actions(page):
    return list(
        PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)
    )


def test_publish_unpublish_and_move_are_logged(w):
    doc = DisclosureDocumentPage.objects.get(pk=w["doc"].pk)
    editor = admin_user("editor")
    assert "wagtail.publish" in actions(doc)
    doc.unpublish(user=editor)
    section = add_catalogue(w["xxgk"], title="通知公告", slug="tzgg")
    doc.move(section, pos="last-child", user=editor)
    logged = PageLogEntry.objects.filter(page=doc)
    assert logged.filter(action="wagtail.unpublish", user=editor).exists()
    assert logged.filter(action="wagtail.move", user=editor).exists()


def test_workflow_submit_approve_and_reject_are_logged(w):
    author = admin_user("author")
    reviewer = admin_user("reviewer")
    review_workflow(w["xxgk"], reviewer)
    page = draft_document(
        w["xxgk"], organisation=w["orgs"]["district_a"], topic=w["topic"], genre=w["genre"]
    )
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, reviewer, "approve", comment="初审通过")
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, reviewer, "reject", comment="请补充成文日期依据")
    logged = PageLogEntry.objects.filter(page=page)
    assert logged.filter(action="wagtail.workflow.start", user=author).exists()
    approve = logged.get(action="wagtail.workflow.approve")
    assert approve.user == reviewer and approve.data["workflow"]["task"]["title"] == "初审"
    reject = logged.get(action="wagtail.workflow.reject")
    assert reject.user == reviewer and reject.data["workflow"]["task"]["title"] == "终审"
    assert reject.data["comment"] == "请补充成文日期依据"


def test_page_permission_changes_are_logged_on_the_page(w):
    group = Group.objects.create(name="黄浦区编辑")
    perm = GroupPagePermission.objects.create(group=group, page=w["xxgk"], permission_type="change")
    perm.delete()
    logged = PageLogEntry.objects.filter(page=w["xxgk"])
    added = logged.get(action="portal.page_permission.add")
    assert added.data == {"group": "黄浦区编辑", "group_id": group.pk, "permission": "change_page"}
    assert logged.filter(action="portal.page_permission.remove").exists()


def test_page_permission_changes_through_the_group_editor_are_logged(client, w):
    client.force_login(admin_user())
    group = Group.objects.create(name="徐汇区审核")
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    data = {"name": "徐汇区审核"}
    formsets = client.get(url).context["permission_panels"]
    for panel in formsets:
        prefix = getattr(panel, "prefix", None)
        if prefix == "page_permissions":
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "1",
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                    f"{prefix}-0-page": str(w["xxgk"].pk),
                    f"{prefix}-0-permissions": ["publish_page"],
                }
            )
        elif prefix:
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "0",
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                }
            )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = PageLogEntry.objects.get(page=w["xxgk"], action="portal.page_permission.add")
    assert entry.data["group"] == "徐汇区审核" and entry.data["permission"] == "publish_page"


def _report_titles(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_filters_by_organisation(client, w):
    client.force_login(admin_user())
    everything = _report_titles(client)
    assert "黄浦区救助通知" in everything and "徐汇区养老通知" in everything
    huangpu = _report_titles(client, organisation=w["orgs"]["district_a"].pk)
    assert "黄浦区救助通知" in huangpu and "徐汇区养老通知" not in huangpu
    xuhui = _report_titles(client, organisation=w["orgs"]["district_b"].pk)
    assert "徐汇区养老通知" in xuhui and "黄浦区救助通知" not in xuhui
    results = client.get(URL + "results/", {"organisation": w["orgs"]["district_b"].pk})
    assert results.status_code == 200
    assert "徐汇区养老通知" in results.content.decode()
    assert "黄浦区救助通知" not in results.content.decode()


def test_a_bureau_filter_covers_its_districts(client, w):
    client.force_login(admin_user())
    bureau = _report_titles(client, organisation=w["orgs"]["bureau"].pk)
    assert "黄浦区救助通知" in bureau and "徐汇区养老通知" in bureau


def test_entries_by_an_organisations_staff_count_as_theirs(client, w):
    huangpu_user = staff(w["orgs"]["district_a"], "huangpu_editor")
    doc_b = DisclosureDocumentPage.objects.get(pk=w["doc_b"].pk)
    doc_b.save_revision(user=huangpu_user, log_action=True)
    client.force_login(admin_user())
    huangpu = _report_titles(client, organisation=w["orgs"]["district_a"].pk)
    assert "徐汇区养老通知" in huangpu  # edited by a 黄浦 user


def test_staff_see_only_their_own_subtree_and_cannot_widen_it(client, w):
    group = Group.objects.create(name="黄浦区编辑")
    GroupPagePermission.objects.create(group=group, page=w["xxgk"], permission_type="change")
    user = staff(w["orgs"]["district_a"], "huangpu_editor", groups=[group])
    client.force_login(user)
    own = _report_titles(client)
    assert "黄浦区救助通知" in own and "徐汇区养老通知" not in own
    widened = _report_titles(client, organisation=w["orgs"]["district_b"].pk)
    assert "徐汇区养老通知" not in widened
    widened = _report_titles(client, organisation=w["orgs"]["bureau"].pk)
    assert "徐汇区养老通知" not in widened


def test_admin_users_without_an_organisation_get_no_report(client, w):
    outsider = UserFactory(username="outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
