"""服务承诺: structured pledges, measured against real case durations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from portal.editorial.forms import OrganisationPageForm
from portal.editorial.sections import OrganisationPageMixin
from portal.pages import SelectorContextMixin

from .guides import SIMPLE_TEXT_FEATURES, ServiceGuidePage


class ServiceCommitmentPage(SelectorContextMixin, OrganisationPageMixin, Page):
    """服务承诺: structured pledges. A pledge about a service item carries its promised limit in
    working days, so it can be checked against real case durations."""

    context_selector = "services.selectors.commitment_context"

    base_form_class = OrganisationPageForm

    intro = RichTextField(_("说明"), blank=True, features=SIMPLE_TEXT_FEATURES)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("承诺单位"),
        on_delete=models.PROTECT,
        related_name="service_commitments",
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("organisation"),
        FieldPanel("supervision_phone"),
        InlinePanel("commitments", label=_("承诺事项"), min_num=1),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("服务承诺")
        verbose_name_plural = _("服务承诺")


class ServiceCommitment(Orderable):
    """One pledge: either about a service item with a promised limit, or a general one (一次告知)."""

    page = ParentalKey(ServiceCommitmentPage, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("承诺事项"), max_length=100)
    content = models.CharField(_("承诺内容"), max_length=500)
    service_item = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("对应办事事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), null=True, blank=True
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("content"),
        FieldPanel("service_item"),
        FieldPanel("promised_limit_days"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("承诺事项")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.promised_limit_days is not None and self.service_item_id is None:
            raise ValidationError({"service_item": _("承诺时限必须对应具体的办事事项。")})
        if self.service_item_id is not None:
            if self.promised_limit_days is None:
                raise ValidationError(
                    {"promised_limit_days": _("请填写该事项的承诺时限（工作日）。")}
                )
            statutory = self.service_item.statutory_limit_days
            if self.promised_limit_days > statutory:
                raise ValidationError(
                    {
                        "promised_limit_days": _(
                            "承诺时限不能超过该事项的法定办结时限（%(days)s个工作日）。"
                        )
                        % {"days": statutory}
                    }
                )
