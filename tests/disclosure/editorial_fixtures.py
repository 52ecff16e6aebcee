"""A small editorial world: a catalogue, terms, documents of two districts, staff, and a simple
two-step review workflow built in the test itself (the real groups come from issue 7's other part)."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from disclosure.models import DisclosureDocumentPage, Validity
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import StaffProfileFactory, UserFactory, make_home, org_tree

_n = {"n": 0}


def editorial_world() -> dict:
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    topic = TopicFactory(name="社会救助", slug="shjz")
    genre = GenreFactory(name="通知", slug="tz")
    doc = add_document(
        xxgk, organisation=orgs["district_a"], topic=topic, genre=genre, title="黄浦区救助通知"
    )
    return {"orgs": orgs, "home": home, "xxgk": xxgk, "topic": topic, "genre": genre, "doc": doc}


def draft_document(parent, *, organisation, topic, genre, **fields) -> DisclosureDocumentPage:
    """A document saved but never published (no 索引号 yet)."""
    _n["n"] += 1
    values = {
        "title": f"关于第{_n['n']}批养老服务补贴的通知",
        "slug": f"draft-{_n['n']}",
        "document_number": f"沪民发〔2026〕{100 + _n['n']}号",
        "written_date": date(2026, 3, 1),
        "published_date": date(2026, 3, 5),
        "topic": topic,
        "genre": genre,
        "issuing_organisation": organisation,
        "validity": Validity.VALID,
        "body": "<p>各区民政局：现将有关事项通知如下。</p>",
    }
    values.update(fields)
    page = DisclosureDocumentPage(live=False, **values)
    parent.add_child(instance=page)
    return DisclosureDocumentPage.objects.get(pk=page.pk)


def admin_user(username="admin"):
    return UserFactory(username=username, is_superuser=True)


def staff(organisation, username, *perms: str, groups=()):
    """A staff member with admin access and the given model permissions ("app.codename")."""
    user = UserFactory(username=username, first_name="", last_name="")
    codenames = ["wagtailadmin.access_admin", *perms]
    for name in codenames:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label=app)
        )
    for group in groups:
        user.groups.add(group)
    StaffProfileFactory(user=user, organisation=organisation)
    return user


def review_workflow(page, *reviewers, name="公开文件审核"):
    """初审 → 终审 on `page` and below, each task approved by a group holding the reviewers."""
    tasks = []
    for label in ("初审", "终审"):
        group = Group.objects.create(name=f"{name}-{label}")
        for user in reviewers:
            user.groups.add(group)
        GroupPagePermission.objects.create(group=group, page=page, permission_type="publish")
        GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
        task = GroupApprovalTask.objects.create(name=label)
        task.groups.set([group])
        tasks.append(task)
    workflow = Workflow.objects.create(name=name)
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.create(workflow=workflow, page=page)
    return workflow


def approve_all(page, user):
    """Approve every task of the page's current workflow as `user`."""
    page = DisclosureDocumentPage.objects.get(pk=page.pk)
    while (state := page.current_workflow_state) is not None:
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, user, "approve")
        page = DisclosureDocumentPage.objects.get(pk=page.pk)
    return page


def edit_form(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "document_number": page.document_number,
        "issuing_organisation": page.issuing_organisation_id,
        "written_date": page.written_date.isoformat() if page.written_date else "",
        "published_date": page.published_date.isoformat(),
        "topic": page.topic_id,
        "genre": page.genre_id,
        "validity": page.validity,
        "effective_date": "",
        "repealed_date": page.repealed_date.isoformat() if page.repealed_date else "",
        "replaced_by": "",
        "summary": "",
        "body": rich_text(page.body),
        "tables": streamfield([]),
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)
