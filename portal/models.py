from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyBlock, LinkBlock
from .editorial.forms import PortalPageForm
from .editorial.prepublish import PrePublishCheckedMixin
from .organisations import Organisation, OrganisationKind, StaffProfile  # noqa: F401 - model registry
from .pages import PathRoutingMixin, SelectorContextMixin
from .search import SegmentedSearchMixin
from .search_synonyms import SearchSynonym  # noqa: F401 - model registry
from .workdays import WorkdayOverride, WorkdayYear  # noqa: F401 - model registry


class HomePage(PathRoutingMixin, SelectorContextMixin, SegmentedSearchMixin, Page):
    """The portal's front page: latest notices, service entry points, the status lookup box."""

    intro = models.CharField(_("导语"), max_length=240, blank=True)
    service_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("办事入口"), blank=True, use_json_field=True
    )
    notice = RichTextField(_("重要提示"), blank=True, features=["bold", "link"])

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        SegmentedSearchMixin.segmented_field(),
    ]
    base_form_class = PortalPageForm  # slugs from Chinese titles
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("notice"),
        FieldPanel("service_links"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    context_selector = "portal.selectors.home_page_context"

    class Meta:
        verbose_name = _("首页")


class StandardPage(PrePublishCheckedMixin, SegmentedSearchMixin, Page):
    """A simple content page (机构职能, 公开指南, 网站声明, ...)."""

    intro = models.CharField(_("摘要"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True, use_json_field=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        SegmentedSearchMixin.segmented_field(),
    ]
    base_form_class = PortalPageForm  # slugs from Chinese titles
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("普通页面")


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Site identity shown in every footer, as Chinese government sites must."""

    site_name = models.CharField(_("网站名称"), max_length=60, default="阳光政务")
    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=40, blank=True)
    psb_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    about = RichTextField(_("网站说明"), blank=True, features=RICH_TEXT_FEATURES)

    panels = [
        FieldPanel("site_name"),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("organiser"),
                FieldPanel("site_code"),
                FieldPanel("icp_number"),
                FieldPanel("psb_number"),
            ],
            heading=_("网站标识"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading=_("联系方式")
        ),
        FieldPanel("about"),
    ]

    class Meta:
        verbose_name = _("网站设置")


from .alerts.models import AlertChange, Subscription  # noqa: E402,F401 - model registry
from .cases.models import CaseEvent, CaseSequence  # noqa: E402,F401 - model registry
from .editorial.sections import (  # noqa: E402,F401 - model registry
    OrganisationEditorial,
    OrganisationSection,
)
from .editorial.workflow import SeparatedApprovalTask  # noqa: E402,F401 - model registry
from .idempotency import IdempotencyRecord  # noqa: E402,F401 - model registry
from .notify.models import Notice  # noqa: E402,F401 - model registry
from .surveys.models import (  # noqa: E402,F401 - model registry
    Questionnaire,
    SurveyAnswer,
    SurveyDraw,
    SurveyInvitation,
)
