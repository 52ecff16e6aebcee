"""Factories shared by every test package. Build small worlds; never load the whole demo site
(except in the one demo smoke test)."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from portal.models import HomePage, PortalSettings, StandardPage
from portal.organisations import Organisation, OrganisationKind, StaffProfile


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:08d}")
    name = factory.Sequence(lambda n: f"测试区民政局{n}")
    kind = OrganisationKind.BUREAU
    parent = None
    address = "上海市黄浦区大沽路100号"
    phone = "021-23111111"
    hours = "周一至周五 9:00-17:00"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试"
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def org_tree() -> dict[str, Organisation]:
    """bureau → district A (street A1 → centre A1c), district B."""
    bureau = OrganisationFactory(
        code="000014349", name="上海市民政局", kind=OrganisationKind.BUREAU
    )
    district_a = OrganisationFactory(
        code="002479001", name="黄浦区民政局", kind=OrganisationKind.DISTRICT, parent=bureau
    )
    street_a1 = OrganisationFactory(
        code="002479101", name="外滩街道", kind=OrganisationKind.STREET, parent=district_a
    )
    centre_a1 = OrganisationFactory(
        code="002479201",
        name="外滩街道社区事务受理服务中心",
        kind=OrganisationKind.CENTRE,
        parent=street_a1,
    )
    district_b = OrganisationFactory(
        code="002482001", name="徐汇区民政局", kind=OrganisationKind.DISTRICT, parent=bureau
    )
    return {
        "bureau": bureau,
        "district_a": district_a,
        "street_a1": street_a1,
        "centre_a1": centre_a1,
        "district_b": district_b,
    }


def make_home(**settings_fields) -> HomePage:
    """A HomePage as the default site's root, with site settings, and nothing else."""
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root"
    )  # flushed by transactional tests
    home = HomePage(title="阳光政务测试首页", slug="test-home", intro="测试导语")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", is_default_site=True
    )
    site.root_page = home
    site.save()
    defaults = {
        "site_name": "阳光政务",
        "sponsor": "上海市民政局",
        "site_code": "3100000031",
        "icp_number": "沪ICP备05006520号-1",
        "psb_number": "沪公网安备31010102002041号",
    }
    defaults.update(settings_fields)
    PortalSettings.objects.update_or_create(site=site, defaults=defaults)
    return home


def add_standard_page(parent: Page, title: str, slug: str, **fields) -> StandardPage:
    page = StandardPage(title=title, slug=slug, show_in_menus=True, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
