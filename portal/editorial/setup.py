"""Writes for the editorial set-up of an organisation: its groups, collection, review workflow and
sections, and a staff user's role. Every function is idempotent (run it again and nothing is
duplicated) and one transaction. See docs/architecture.md, "Who edits what".

Decisions:
- Sections nest like the organisation tree, so a page permission on a section covers the sections
  of the organisations below it: the bureau's groups reach every district's pages, a district's
  groups its streets' pages, never sideways or upwards. Window units and centres have no sections
  of their own: their pages live in the nearest publishing organisation's section above them.
- Nobody but a superuser has the `publish` page permission: every page in a section goes live
  only by passing the two tasks of its organisation's workflow, 初审 then 终审. The last approval
  publishes it.
- 初审 and 终审 tasks are SeparatedApprovalTasks (portal/editorial/workflow.py: group approval where
  the submitter and the approver of the other step may not approve); plain GroupApprovalTasks of
  an earlier set-up are converted in place (same task id, so reviews in progress go on). A district's tasks name its own groups; a street's
  name its own groups and its district's (a district reviewer reviews its streets' pages). The
  bureau's 终审 group is the final review of the city-wide sections (/xxgk/…, /bsfw/… outside the
  district sections); it is not asked about every district page.
- City-wide columns marked 接受下级机构报送 (a section page's `accepts_submissions`, e.g. the
  disclosure catalogue's columns) give the
  editors of every publishing organisation below the column's section owner Wagtail's `add`
  permission there: they create pages and edit only the pages they own (Wagtail's ownership
  rule), and those pages go through the column owner's workflow. `submission_permissions_sync`
  grants and revokes; it runs from `organisation_setup` and when such a column is published.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.organisations import Organisation, OrganisationKind, StaffProfile, subtree_ids

from .sections import (
    PUBLISHING_KINDS,
    Area,
    OrganisationEditorial,
    OrganisationSection,
    Role,
    section_for,
    section_owning,
    section_page_model,
    submission_column_models,
)
from .workflow import SeparatedApprovalTask

HANDLER_GROUP = "办件人员"
LEAD_GROUP = "办件负责人"
# The case permissions (portal/cases/permissions.py) of the two case groups. Both groups are shared
# by every organisation: a member's organisation (StaffProfile) decides which cases they see (their
# organisation's subtree). Editors and reviewers hold none of these.
CASE_GROUP_PERMISSIONS = {
    HANDLER_GROUP: ("handle_case", "view_personal_data"),
    LEAD_GROUP: ("handle_case", "view_personal_data", "review_case_access"),
}
# Permissions of other apps a case group holds too, as (app label, codename), added by the app in
# its AppConfig.ready() through `register_case_group_permissions` (the core imports no app):
# services gives 办件负责人 办事服务 › 预约设置.
CASE_GROUP_APP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {HANDLER_GROUP: [], LEAD_GROUP: []}


def register_case_group_permissions(name: str, *permissions: tuple[str, str]) -> None:
    wanted = CASE_GROUP_APP_PERMISSIONS[name]
    wanted.extend(p for p in permissions if p not in wanted)


# Page permissions per role on the organisation's sections. No role gets "publish": publishing
# is the workflow's last step (or a superuser's act).
PAGE_PERMISSIONS = {
    Role.EDITOR: ("add_page", "change_page"),
    Role.REVIEWER: ("change_page",),
    Role.SENIOR: ("change_page",),
}
# Collection permissions per role on the organisation's collection (and so the collections of the
# organisations below it).
COLLECTION_PERMISSIONS = {
    Role.EDITOR: (
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ),
    Role.REVIEWER: (("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")),
    Role.SENIOR: (("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")),
}
ROLE_SUFFIX = {Role.EDITOR: "编辑", Role.REVIEWER: "初审", Role.SENIOR: "终审"}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _admin_access() -> Permission:
    return _permission("wagtailadmin", "access_admin")


def _group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(_admin_access())
    return group


def case_group(name: str) -> Group:
    """办件人员 or 办件负责人 with admin access and exactly its case permissions."""
    group = _group(name)
    wanted = CASE_GROUP_PERMISSIONS[name]
    group.permissions.add(*[_permission("portal", codename) for codename in wanted])
    group.permissions.add(
        *[_permission(app, codename) for app, codename in CASE_GROUP_APP_PERMISSIONS[name]]
    )
    return group


def _unique_group_name(organisation: Organisation, role: str) -> str:
    name = f"{organisation.display_name}·{ROLE_SUFFIX[role]}"
    if Group.objects.filter(name=name).exists():
        name = f"{organisation.display_name}（{organisation.code}）·{ROLE_SUFFIX[role]}"
    return name


def _publishing_ancestors(organisation: Organisation) -> list[Organisation]:
    """The publishing organisations above `organisation` that share its review (its district for
    a street), nearest first. The bureau is not one of them: it reviews its own sections."""
    return [
        org
        for org in reversed(organisation.ancestors())
        if org.kind in PUBLISHING_KINDS and org.kind != OrganisationKind.BUREAU
    ]


def _ensure_editorial(organisation: Organisation) -> OrganisationEditorial:
    editorial = OrganisationEditorial.objects.filter(organisation=organisation).first()
    if editorial is not None:
        return editorial
    parent_editorial = (
        OrganisationEditorial.objects.filter(organisation=organisation.parent).first()
        if organisation.parent_id
        else None
    )
    parent_collection = (
        parent_editorial.collection
        if parent_editorial
        # Wagtail's migrations create the root collection; a flushed database has none.
        else (Collection.get_first_root_node() or Collection.add_root(name="Root"))
    )
    collection = parent_collection.add_child(instance=Collection(name=organisation.name))
    workflow = Workflow.objects.create(name=_("%(org)s·两级审核") % {"org": organisation.name})
    return OrganisationEditorial.objects.create(
        organisation=organisation,
        editors=_group(_unique_group_name(organisation, Role.EDITOR)),
        reviewers=_group(_unique_group_name(organisation, Role.REVIEWER)),
        seniors=_group(_unique_group_name(organisation, Role.SENIOR)),
        collection=collection,
        workflow=workflow,
    )


def _convert_to_separated(task: GroupApprovalTask) -> SeparatedApprovalTask:
    """Turn a plain GroupApprovalTask into a SeparatedApprovalTask keeping its Task row (id, name,
    task states, workflow position), so a review in progress continues under the new rules."""
    group_ids = list(task.groups.values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(SeparatedApprovalTask)
    converted = SeparatedApprovalTask(
        task_ptr_id=task.pk, name=task.name, active=task.active, content_type=content_type
    )
    converted.save_base(raw=True)  # the child row only; the Task row stays
    Task = task._meta.get_field("task_ptr").related_model
    Task.objects.filter(pk=task.pk).update(content_type=content_type)
    task.groups.clear()
    # Deleting the GroupApprovalTask through the ORM would delete the shared Task row too.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(GroupApprovalTask._meta.db_table)
        column = connection.ops.quote_name(GroupApprovalTask._meta.pk.column)
        cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [task.pk])  # noqa: S608
    converted.groups.set(group_ids)
    return converted


def _ensure_tasks(editorial: OrganisationEditorial) -> None:
    """The workflow's two SeparatedApprovalTasks, their groups brought up to date."""
    organisation = editorial.organisation
    above = list(
        OrganisationEditorial.objects.filter(
            organisation__in=[o.pk for o in _publishing_ancestors(organisation)]
        )
    )
    steps = (
        (Role.REVIEWER, _("初审"), [editorial.reviewers] + [e.reviewers for e in above]),
        (Role.SENIOR, _("终审"), [editorial.seniors] + [e.seniors for e in above]),
    )
    existing = {
        wt.sort_order: wt.task.specific
        for wt in WorkflowTask.objects.filter(workflow=editorial.workflow).select_related("task")
    }
    for order, (_role, label, groups) in enumerate(steps):
        task = existing.get(order)
        if type(task) is GroupApprovalTask:
            task = _convert_to_separated(task)
        if not isinstance(task, SeparatedApprovalTask):
            task = SeparatedApprovalTask.objects.create(
                name=_("%(step)s·%(org)s") % {"step": label, "org": organisation.name}
            )
            WorkflowTask.objects.update_or_create(
                workflow=editorial.workflow, sort_order=order, defaults={"task": task}
            )
        if set(task.groups.values_list("pk", flat=True)) != {g.pk for g in groups}:
            task.groups.set(groups)


def _area_root(area: str) -> Page | None:
    """The top page of an area (/xxgk/, /bsfw/) on the default site: the bureau's section."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    model = section_page_model(area)
    return model.objects.child_of(site.root_page).order_by("path").first()


def _free_slug(parent: Page, slug: str, code: str) -> str:
    if not parent.get_children().filter(slug=slug).exists():
        return slug
    return f"{slug}-{code.lower()}"


def _ensure_section(
    organisation: Organisation, area: str, slug: str | None
) -> OrganisationSection | None:
    section = (
        OrganisationSection.objects.filter(organisation=organisation, area=area)
        .select_related("page")
        .first()
    )
    if section is not None:
        return section
    if organisation.parent_id is None:
        root = _area_root(area)
        if root is None:
            return None
        return OrganisationSection.objects.create(organisation=organisation, area=area, page=root)
    above = section_for(organisation.parent, area)
    if above is None:
        return None
    model = section_page_model(area)
    page = model(
        title=organisation.name,
        slug=_free_slug(above.page, slug or organisation.code.lower(), organisation.code),
        intro=_("%(org)s发布的%(area)s内容。")
        % {"org": organisation.name, "area": Area(area).label},
        show_in_menus=False,
    )
    above.page.specific.add_child(instance=page)
    page.save_revision().publish()
    return OrganisationSection.objects.create(organisation=organisation, area=area, page=page)


def _grant(editorial: OrganisationEditorial, sections: list[OrganisationSection]) -> None:
    for role, codenames in PAGE_PERMISSIONS.items():
        group = editorial.group_for(role)
        for section in sections:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=section.page, permission=_permission("wagtailcore", codename)
                )
    for role, perms in COLLECTION_PERMISSIONS.items():
        group = editorial.group_for(role)
        for app_label, codename in perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=editorial.collection,
                permission=_permission(app_label, codename),
            )
    for section in sections:
        WorkflowPage.objects.update_or_create(
            page=section.page, defaults={"workflow": editorial.workflow}
        )


@transaction.atomic
def organisation_setup(
    *, organisation: Organisation, slug: str | None = None
) -> OrganisationEditorial | None:
    """Set up a publishing organisation (bureau, district, street): its 编辑 / 初审 / 终审 groups,
    its collection (inside its parent's), its two-step workflow, and its sections in every area
    that exists (inside its parent's sections), with the groups' permissions and the workflow on
    them. The organisations above it are set up first. Returns None for an organisation that does
    not publish (a window unit or a centre)."""
    if organisation.kind not in PUBLISHING_KINDS:
        return None
    parent = organisation.parent
    if parent is not None and parent.kind in PUBLISHING_KINDS:
        organisation_setup(organisation=parent)
    editorial = _ensure_editorial(organisation)
    _ensure_tasks(editorial)
    sections = [
        section
        for area in Area.values
        if (section := _ensure_section(organisation, area, slug)) is not None
    ]
    _grant(editorial, sections)
    submission_permissions_sync()
    return editorial


def _submission_columns() -> list[tuple[Page, Organisation]]:
    """The columns marked 接受下级机构报送, each with the owner of the section it is in."""
    columns = []
    for model in submission_column_models():
        for column in model.objects.filter(accepts_submissions=True).only("pk", "path"):
            section = section_owning(column)
            if section is not None:
                columns.append((column, section.organisation))
    return columns


@transaction.atomic
def submission_permissions_sync() -> tuple[int, int]:
    """Give the editors of the publishing organisations below a column's owner `add` on each
    column marked 接受下级机构报送, and take it back where the mark is gone (or the editorial
    sits no longer below the owner). An editors group's `add` on a page that is not one of its own
    sections is this rule's. Returns (granted, revoked)."""
    add = _permission("wagtailcore", "add_page")
    editorials = list(OrganisationEditorial.objects.select_related("organisation"))
    wanted = set()
    for column, owner in _submission_columns():
        below = subtree_ids(owner) - {owner.pk}
        wanted.update((e.editors_id, column.pk) for e in editorials if e.organisation_id in below)
    own_sections = set(
        OrganisationSection.objects.filter(
            organisation__in=[e.organisation_id for e in editorials]
        ).values_list("organisation_id", "page_id")
    )
    editors_of = {e.organisation_id: e.editors_id for e in editorials}
    own = {(editors_of[org], page) for org, page in own_sections}
    existing = set(
        GroupPagePermission.objects.filter(
            permission=add, group__in=[e.editors_id for e in editorials]
        ).values_list("group_id", "page_id")
    )
    stale = existing - wanted - own
    for group_id, page_id in stale:
        GroupPagePermission.objects.filter(
            group_id=group_id, page_id=page_id, permission=add
        ).delete()
    missing = wanted - existing
    for group_id, page_id in sorted(missing):  # one by one: the audit log hears of each
        GroupPagePermission.objects.create(group_id=group_id, page_id=page_id, permission=add)
    return len(missing), len(stale)


# Wagtail's initial data gives these groups add/edit/publish on the root page: anyone put in
# them could publish anywhere, past every review.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


@transaction.atomic
def retire_default_page_permissions() -> int:
    """Remove the page permissions of Wagtail's initial groups (see above); returns how many."""
    deleted, _ = GroupPagePermission.objects.filter(group__name__in=WAGTAIL_DEFAULT_GROUPS).delete()
    return deleted


def organisations_setup(*, slugs: dict[str, str] | None = None) -> list[OrganisationEditorial]:
    """`organisation_setup` for every active publishing organisation, top-down; `slugs` gives
    section slugs by organisation code (the default is the code). Also retires the publish rights
    of Wagtail's initial groups and brings the two case groups' permissions up to date."""
    slugs = slugs or {}
    retire_default_page_permissions()
    for name in CASE_GROUP_PERMISSIONS:
        case_group(name)
    done = []
    pending = list(
        Organisation.objects.filter(kind__in=PUBLISHING_KINDS, is_active=True).select_related(
            "parent"
        )
    )
    pending.sort(key=lambda org: len(org.ancestors()))
    for org in pending:
        editorial = organisation_setup(organisation=org, slug=slugs.get(org.code))
        if editorial is not None:
            done.append(editorial)
    return done


def managed_groups() -> list[Group]:
    """Every group this module manages (a user's role is exactly one of them)."""
    ids = set()
    for row in OrganisationEditorial.objects.values_list("editors", "reviewers", "seniors"):
        ids.update(row)
    return list(
        Group.objects.filter(pk__in=ids) | Group.objects.filter(name__in=CASE_GROUP_PERMISSIONS)
    )


@transaction.atomic
def staff_role_assign(*, user, role: str) -> Group:
    """Put a staff user in the one group of `role` at their organisation (set up if needed),
    taking them out of any other role group. Handlers (办件人员) work cases (办件工作台) only; a
    lead (办件负责人) also reviews who looked at the cases of their organisation's subtree."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("角色应为 editor、reviewer、senior、handler 或 lead，当前为“%(r)s”。")
                % {"r": role}
            }
        )
    try:
        organisation = (
            StaffProfile.objects.select_related("organisation").get(user=user).organisation
        )
    except StaffProfile.DoesNotExist:
        raise ValidationError({"role": _("该用户不是工作人员（没有所属机构）。")}) from None
    if role == Role.HANDLER:
        group = case_group(HANDLER_GROUP)
    elif role == Role.LEAD:
        group = case_group(LEAD_GROUP)
    else:
        editorial = organisation_setup(organisation=organisation)
        if editorial is None:
            raise ValidationError(
                {
                    "role": _(
                        "“%(org)s”（%(kind)s）不设网站栏目，其页面由上级机构编辑审核，"
                        "不能设为编辑或审核人员；可设为办件人员（handler）或办件负责人（lead）。"
                    )
                    % {"org": organisation.name, "kind": organisation.get_kind_display()}
                }
            )
        group = editorial.group_for(role)
    user.groups.remove(*managed_groups())
    user.groups.add(group)
    return group
