"""Who owns what: the organisation of a staff user and of a page, in one place.

A page's owner is its own organisation field where it has one (a document's 发布机构, a guide's
实施主体, a centre's, a fee/commitment page's or an annual report's organisation); any other page
(a notice, a column, a standard page) belongs to the organisation whose section it is in
(portal/editorial.py `OrganisationSection`). The audit report and the checks call these functions
and nothing else."""

from __future__ import annotations

from django.db.models import Q

from .organisations import Organisation, OrganisationKind, subtree_ids

# Page models and the field naming their owner. Kept as strings so this module imports no app.
PAGE_OWNER_FIELDS: dict[str, str] = {
    "disclosure.disclosuredocumentpage": "issuing_organisation",
    "services.serviceguidepage": "organisation",
    "services.feestandardpage": "organisation",
    "services.servicecommitmentpage": "organisation",
    "services.servicecentrepage": "organisation",
    "disclosure.annualreportpage": "organisation",
}


def user_organisation(user) -> Organisation | None:
    """The staff user's organisation, or None (superusers and users without a profile)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.organisation if profile is not None else None


def user_is_bureau_staff(user) -> bool:
    organisation = user_organisation(user)
    return organisation is not None and organisation.kind == OrganisationKind.BUREAU


def page_organisation(page) -> Organisation | None:
    """The organisation that owns `page` (any Page instance, specific or not), or None."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    label = specific._meta.label_lower
    field = PAGE_OWNER_FIELDS.get(label)
    if field is None:
        from .editorial import section_owning

        section = section_owning(page)
        return section.organisation if section is not None else None
    return getattr(specific, field, None)


def pages_owned_by(organisation_ids) -> Q:
    """A `Q` on `wagtailcore.Page` matching the pages owned by any of `organisation_ids`: those
    whose own organisation field names one of them, and every page in their sections."""
    from django.apps import apps

    from .editorial import OrganisationSection

    condition = Q(pk__in=[])
    for path in OrganisationSection.objects.filter(
        organisation_id__in=organisation_ids
    ).values_list("page__path", flat=True):
        condition |= Q(path__startswith=path)
    for label, field in PAGE_OWNER_FIELDS.items():
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
