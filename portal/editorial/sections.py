"""Who edits and reviews what: each publishing organisation's part of the page tree (its sections),
its three groups (编辑 / 初审 / 终审), its collection of images and documents, and its two-step
review workflow. Written by `portal/editorial/setup.py`; read here.

The sections nest like the organisation tree (/xxgk/ and /bsfw/ are the bureau's, a district's are
/xxgk/<slug>/ and /bsfw/<slug>/, a street's are below its district's), so Wagtail's page and
collection permissions, which apply to a whole subtree, flow down the organisation tree: never
sideways, never upwards."""

from __future__ import annotations

from typing import ClassVar

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, Page, Workflow

from portal.organisations import Organisation, OrganisationKind, subtree_ids, user_organisation

# Organisations that run sections of the site. Window units (窗口单位) and acceptance centres are
# front-line bodies: their pages (a unit's documents and guides, a centre's page) are edited in the
# sections of the nearest organisation above them that publishes.
PUBLISHING_KINDS = (OrganisationKind.BUREAU, OrganisationKind.DISTRICT, OrganisationKind.STREET)


class Area(models.TextChoices):
    DISCLOSURE = "xxgk", _("政府信息公开")
    SERVICES = "bsfw", _("办事服务")


class SectionPageMixin:
    """A page type that roots an organisation's section of an area (the catalogue for 政府信息公开,
    the service index for 办事服务). The app's page type declares its area; the set-up finds the
    page type of an area through `section_page_model`, so the core names no app's page."""

    editorial_area: ClassVar[str]


def section_page_model(area: str) -> type[Page]:
    """The page type that roots sections of `area` (LookupError if no installed app has one)."""
    for model in apps.get_models():
        if issubclass(model, SectionPageMixin) and model.editorial_area == area:
            return model
    raise LookupError(f"No page type roots the area {area!r}.")


def submission_column_models() -> list[type[Page]]:
    """Section page types that can be marked 接受下级机构报送 (they have `accepts_submissions`)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SectionPageMixin)
        and any(f.name == "accepts_submissions" for f in model._meta.get_fields())
    ]


class Role(models.TextChoices):
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("初审")
    SENIOR = "senior", _("终审")
    HANDLER = "handler", _("办件")
    LEAD = "lead", _("办件负责人")


class OrganisationEditorial(models.Model):
    """One publishing organisation's groups, collection and workflow."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="editorial", verbose_name=_("机构")
    )
    editors = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("编辑组")
    )
    reviewers = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("初审组")
    )
    seniors = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("终审组")
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="+", verbose_name=_("图片和文件集")
    )
    workflow = models.OneToOneField(
        Workflow, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核流程")
    )

    class Meta:
        verbose_name = _("机构编辑设置")
        verbose_name_plural = _("机构编辑设置")

    def __str__(self) -> str:
        return str(self.organisation)

    def group_for(self, role: str) -> Group:
        return {
            Role.EDITOR: self.editors,
            Role.REVIEWER: self.reviewers,
            Role.SENIOR: self.seniors,
        }[role]


class OrganisationSection(models.Model):
    """A page that roots one organisation's part of an area (/xxgk/ or /bsfw/)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("机构")
    )
    area = models.CharField(_("栏目"), max_length=8, choices=Area.choices)
    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="organisation_section", verbose_name=_("页面")
    )

    class Meta:
        verbose_name = _("机构栏目")
        verbose_name_plural = _("机构栏目")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "area"], name="one_section_per_organisation_and_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_area_display()}"


# --- reads ------------------------------------------------------------------------------------


def section_owning(page: Page) -> OrganisationSection | None:
    """The organisation section `page` is in (the nearest section page at or above it), in one
    query; None outside every organisation's sections."""
    if not page.path:
        return None
    return (
        OrganisationSection.objects.filter(
            page__in=Page.objects.ancestor_of(page, inclusive=True).values("pk")
        )
        .select_related("organisation")
        .order_by("-page__depth")
        .first()
    )


def section_for(organisation: Organisation, area: str) -> OrganisationSection | None:
    """Where `organisation`'s pages of `area` live: its own section, else the section of the
    nearest organisation above it that has one (a unit's pages live in the bureau's)."""
    chain = [organisation, *reversed(organisation.ancestors())]
    found = {
        s.organisation_id: s
        for s in OrganisationSection.objects.filter(
            area=area, organisation__in=[o.pk for o in chain]
        ).select_related("page")
    }
    for org in chain:
        if org.pk in found:
            return found[org.pk]
    return None


def check_page_organisation(
    *, parent: Page | None, organisation_id: int | None, field: str
) -> None:
    """A page's own organisation (发布机构, 实施主体, a centre's 对应机构) must be the owner of the
    section it is in, or below it. Raises ValidationError on `field`."""
    if parent is None or organisation_id is None:
        return
    section = section_owning(parent)
    if section is None or organisation_id in subtree_ids(section.organisation):
        return
    organisation = Organisation.objects.get(pk=organisation_id)
    raise ValidationError(
        {
            field: _(
                "“%(org)s”不属于本栏目所属机构“%(owner)s”及其下级机构，"
                "请在“%(org)s”自己的栏目中发布，或选择“%(owner)s”及其下级机构。"
            )
            % {"org": organisation.name, "owner": section.organisation.name}
        }
    )


class OrganisationPageMixin:
    """For pages that carry an organisation field (`organisation_field`): the organisation must
    belong to the section the page is in. Checked in `clean` once the page is in the tree, and by
    `OrganisationPageForm` in the admin while the page is still being created."""

    organisation_field = "organisation"
    # Fetched with the page when a request is routed to it (portal.pages.PathRoutingMixin).
    route_select_related = ("organisation",)

    def clean(self):
        super().clean()
        if self.path and self.depth and self.depth > 1:
            check_page_organisation(
                parent=self.get_parent(),
                organisation_id=getattr(self, f"{self.organisation_field}_id"),
                field=self.organisation_field,
            )


def check_user_organisation(*, user, organisation: Organisation, field: str) -> None:
    """A staff user puts pages only in the name of their own organisation or one below it: a
    district editor submitting to a city-wide column (接受下级机构报送) may not name another
    district as 发布机构. Superusers and users without an organisation are not limited here.
    Raises ValidationError on `field`."""
    if user is None or user.is_superuser:
        return
    own = user_organisation(user)
    if own is None or organisation.pk in subtree_ids(own):
        return
    raise ValidationError(
        {
            field: _(
                "您是“%(own)s”的工作人员，只能以“%(own)s”或其下级机构的名义起草和报送，"
                "不能以“%(org)s”的名义发布。"
            )
            % {"own": own.name, "org": organisation.name}
        }
    )
