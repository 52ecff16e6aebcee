"""Admin page forms shared by the apps."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .sections import check_page_organisation, check_user_organisation


class OrganisationPageForm(WagtailAdminPageForm):
    """Refuses, on the form, an organisation that is not the section owner's or below it (for a
    new page the model's own check cannot run yet: the page is not in the tree), and one that is
    not the editing user's own or below it (a submission to a city-wide column is made in the
    submitter's own name)."""

    def clean(self):
        cleaned = super().clean()
        field = getattr(self.instance, "organisation_field", "organisation")
        organisation = cleaned.get(field)
        parent = self.parent_page if not self.instance.path else self.instance.get_parent()
        if organisation is not None and field not in self.errors:
            try:
                check_page_organisation(parent=parent, organisation_id=organisation.pk, field=field)
                check_user_organisation(
                    user=getattr(self, "for_user", None), organisation=organisation, field=field
                )
            except ValidationError as exc:
                for message in exc.message_dict.get(field, []):
                    self.add_error(field, message)
        return cleaned
