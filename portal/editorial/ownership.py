"""Who owns what: the organisation of a staff user and of a page, in one place.

A page's owner is its own organisation field where it has one (a document's 发布机构, a guide's
实施主体, a centre's, a fee/commitment page's or an annual report's organisation); any other page
(a notice, a column, a standard page) belongs to the organisation whose section it is in
(portal/editorial/sections.py `OrganisationSection`). The audit report and the checks call these functions
and nothing else."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.db.models import Q

from portal.organisations import (
    Organisation,
    OrganisationKind,
    subtree_ids,
    user_organisation,
)

from .sections import OrganisationPageMixin, OrganisationSection, section_owning


@cache
def page_owner_fields() -> dict[str, str]:
    """Page models that carry their own organisation (every `OrganisationPageMixin` page type) and
    the field naming it, by model label: derived from the models, never listed by hand."""
    return {
        model._meta.label_lower: model.organisation_field
        for model in apps.get_models()
        if issubclass(model, OrganisationPageMixin)
    }


def user_is_bureau_staff(user) -> bool:
    organisation = user_organisation(user)
    return organisation is not None and organisation.kind == OrganisationKind.BUREAU


def page_organisation(page) -> Organisation | None:
    """The organisation that owns `page` (any Page instance, specific or not), or None."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    field = page_owner_fields().get(specific._meta.label_lower)
    if field is None:
        section = section_owning(page)
        return section.organisation if section is not None else None
    return getattr(specific, field, None)


def pages_owned_by(organisation_ids) -> Q:
    """A `Q` on `wagtailcore.Page` matching the pages owned by any of `organisation_ids`: those
    whose own organisation field names one of them, and every page in their sections."""
    condition = Q(pk__in=[])
    for path in OrganisationSection.objects.filter(
        organisation_id__in=organisation_ids
    ).values_list("page__path", flat=True):
        condition |= Q(path__startswith=path)
    for label, field in page_owner_fields().items():
        model = apps.get_model(label)
        ids = model.objects.filter(**{f"{field}_id__in": organisation_ids}).values("pk")
        condition |= Q(pk__in=ids)
    return condition


def organisation_scope(user) -> set[int] | None:
    """The organisation ids a user may see in organisation-filtered admin views: None means all
    (superusers); a staff user gets their organisation's subtree; anyone else nothing."""
    if user.is_superuser:
        return None
    organisation = user_organisation(user)
    if organisation is None:
        return set()
    return subtree_ids(organisation)
