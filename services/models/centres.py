"""社区事务受理中心: the centres' index (filterable by district and service item) and one centre
with the service items it handles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.editorial.forms import OrganisationPageForm, PortalPageForm
from portal.editorial.sections import OrganisationPageMixin
from portal.pages import SelectorContextMixin
from portal.search import SegmentedSearchMixin

from .guides import ServiceGuidePage


class ServiceCentreIndexPage(SelectorContextMixin, Page):
    """社区事务受理中心 index, filterable by district and by service item."""

    context_selector = "services.selectors.centre_index_context"

    intro = models.CharField(_("导语"), max_length=300, blank=True)

    base_form_class = PortalPageForm  # slugs from Chinese titles
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = ["services.ServiceCentrePage"]

    class Meta:
        verbose_name = _("受理中心列表")


class ServiceCentrePage(SelectorContextMixin, OrganisationPageMixin, SegmentedSearchMixin, Page):
    """社区事务受理服务中心: a one-stop centre and the service items it handles."""

    context_selector = "services.selectors.centre_detail_context"

    base_form_class = OrganisationPageForm

    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("对应机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="centre_pages",
    )
    district = models.CharField(_("所在区"), max_length=40)
    street = models.CharField(_("所在街道（镇）"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=60)
    transport = models.CharField(_("交通指引"), max_length=300, blank=True)
    notes = models.CharField(_("温馨提示"), max_length=300, blank=True)
    service_items = ParentalManyToManyField(
        ServiceGuidePage, verbose_name=_("受理事项"), blank=True, related_name="centres"
    )

    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.FilterField("district"),
        SegmentedSearchMixin.segmented_field(),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("district"), FieldPanel("street"), FieldPanel("address")],
            heading=_("位置"),
        ),
        FieldPanel("hours"),
        FieldPanel("phone"),
        FieldPanel("transport"),
        FieldPanel("notes"),
        FieldPanel("service_items"),
    ]
    # In the centre list (/bsfw/zx/), or in the section of the organisation that runs the centre.
    parent_page_types = ["services.ServiceCentreIndexPage", "services.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("社区事务受理中心")
        verbose_name_plural = _("社区事务受理中心")
