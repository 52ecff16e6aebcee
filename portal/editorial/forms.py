"""Admin page forms shared by the apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from portal.slugs import has_cjk, page_slug, unique_slug

from .sections import check_page_organisation, check_user_organisation


class PortalPageForm(WagtailAdminPageForm):
    """Every page form of the portal (each page model names it as `base_form_class`): the slug
    is made on the server from the title when the editor leaves it empty, so a Chinese title
    never fails the first submit on the hidden 推广 tab. A slug typed in Chinese is spelt in
    pinyin as well. The fallback for a title with nothing to spell is the model's
    `slug_fallback()` (a disclosure document's 索引号), else "page"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is None:
            return
        slug.required = False
        slug.help_text = _("留空则按标题自动生成拼音，如“guan-yu-yang-lao-fu-wu-de-tong-zhi”。")
        if self.is_bound and has_cjk(self.data.get(self.add_prefix("slug"), "")):
            self.data = self.data.copy()
            self.data[self.add_prefix("slug")] = page_slug(self.data[self.add_prefix("slug")])

    def clean(self):
        if (
            "slug" in self.fields
            and "slug" not in self.errors
            and not self.cleaned_data.get("slug")
        ):
            self.cleaned_data["slug"] = self._generated_slug()
        return super().clean()

    def _generated_slug(self) -> str:
        fallback = getattr(self.instance, "slug_fallback", lambda: "")()
        base = page_slug(self.cleaned_data.get("title") or "", fallback=fallback)
        parent = self.parent_page
        if parent is None:
            return base
        return unique_slug(base, lambda slug: Page._slug_is_available(slug, parent, self.instance))


class OrganisationPageForm(PortalPageForm):
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
