"""Demo site, part one: organisations, site settings, the home page and demo accounts. Idempotent:
every object is found by its natural key (code, slug, username) and updated, never duplicated.
Each app's own `<app>/demo/` package adds its sections below the home page."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from portal.editorial.setup import organisations_setup, staff_role_assign
from portal.models import HomePage, PortalSettings, StandardPage
from portal.organisations import Organisation, StaffProfile
from portal.workdays import WorkdayOverride, WorkdayYear

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "sunshine-demo-2026"  # noqa: S105 - documented demo-only password, refused in production


def read_fixture(name: str):
    with open(FIXTURES / name, encoding="utf-8") as fh:
        return json.load(fh)


def ensure_child_page(parent: Page, slug: str, page_class: type[Page], **fields) -> Page:
    """Find the child of `parent` with `slug`; create it (published) if missing, replace it if it is
    of another type (a section that a later app took over), else update its fields and republish
    when they changed."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        specific = existing.specific
        if type(specific) is not page_class:
            existing.delete()
        else:
            changed = any(
                getattr(specific, k) != v
                for k, v in fields.items()
                if not hasattr(v, "stream_data")
            )
            if changed:
                for key, value in fields.items():
                    setattr(specific, key, value)
                specific.save_revision().publish()
            return specific
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_organisations(stdout=None) -> dict[str, Organisation]:
    by_code: dict[str, Organisation] = {}
    for row in read_fixture("organisations.json"):
        row = dict(row)
        parent_code = row.pop("parent", None)
        row["parent"] = by_code[parent_code] if parent_code else None
        org, _ = Organisation.objects.update_or_create(code=row.pop("code"), defaults=row)
        by_code[org.code] = org
    return by_code


def load_home(stdout=None) -> HomePage:
    data = read_fixture("site.json")
    # Wagtail's migrations create the locale and the tree's root; a database emptied since (a
    # flush, as transactional tests do on PostgreSQL) has neither.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title=data["home"]["title"],
            slug="sunshine",
            intro=data["home"]["intro"],
            notice=data["home"]["notice"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="阳光政务",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "阳光政务"
        site.save()
    # Wagtail's initial "Welcome" page is not part of our site (deleted after the site moved off it).
    for stray in (
        root.get_children().exclude(pk=home.pk).filter(slug="home", content_type__model="page")
    ):
        stray.delete()
    PortalSettings.objects.update_or_create(site=site, defaults=data["settings"])
    for section in data["sections"]:
        existing = home.get_children().filter(slug=section["slug"]).first()
        if existing is not None and existing.specific_class is not StandardPage:
            continue  # an app's demo took this section over (e.g. /xxgk/): leave it alone
        page = ensure_child_page(
            home,
            section["slug"],
            StandardPage,
            title=section["title"],
            intro=section["intro"],
            show_in_menus=section.get("show_in_menus", True),
        )
        if section.get("body") and not page.body:
            page.body = section["body"]
            page.save_revision().publish()
    return home


NAV_ORDER = ("xxgk", "bsfw", "hdjl", "wzsm")


def order_sections(home: HomePage) -> None:
    """Main navigation in the order citizens expect: 信息公开, 办事服务, 互动交流 (apps may have
    re-created their section at the end)."""
    children = {p.slug: p for p in home.get_children()}
    wanted = [children[slug] for slug in NAV_ORDER if slug in children]
    current = [p.slug for p in home.get_children() if p.slug in NAV_ORDER]
    if current == [p.slug for p in wanted]:
        return
    for page in wanted:
        page.refresh_from_db()
        page.move(home, pos="last-child")


def load_service_links(home: HomePage) -> None:
    """Point the home page's service entry points at the sections as they now exist."""
    data = read_fixture("site.json")
    links = []
    for item in data["service_links"]:
        target = Page.objects.filter(
            url_path__endswith=f"/{item['path']}/", depth=home.depth + item.get("depth", 1)
        ).first()
        if target is None:
            continue
        links.append(
            (
                "link",
                {
                    "title": item["title"],
                    "page": target,
                    "url": "",
                    "description": item["description"],
                },
            )
        )
    current = [
        (b.value["title"], b.value["page"].pk if b.value["page"] else None)
        for b in home.service_links
    ]
    if current != [(v["title"], v["page"].pk) for _, v in links]:
        home.service_links = links
        home.save_revision().publish()


def load_accounts(orgs: dict[str, Organisation], stdout=None) -> list[str]:
    """Demo staff accounts, only where settings allow demo accounts (never in production)."""
    if not settings.PORTAL_DEMO_ACCOUNTS:
        return []
    User = get_user_model()
    created = []
    for row in read_fixture("accounts.json"):
        user, _ = User.objects.get_or_create(username=row["username"])
        user.first_name = row["name"]
        user.is_staff = True
        user.is_superuser = row.get("superuser", False)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        StaffProfile.objects.update_or_create(
            user=user, defaults={"organisation": orgs[row["organisation"]]}
        )
        from django.contrib.auth.models import Permission

        user.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        if not user.email:
            user.email = f"{user.username}@demo.sunshine.invalid"
            user.save(update_fields=["email"])
        if row.get("role"):
            staff_role_assign(user=user, role=row["role"])
        created.append(user.username)
    return created


def load_editorial(stdout=None) -> list:
    """Groups, collections, workflows and sections of the publishing organisations (portal/
    org_setup.py). Run again by each app's demo once its area (/xxgk/, /bsfw/) exists, so the
    organisations' sections are there before their content is loaded."""
    slugs = {k: v for k, v in read_fixture("sections.json").items() if not k.startswith("_")}
    return organisations_setup(slugs=slugs)


def load_workday_calendars(stdout=None) -> list[int]:
    """Holiday schedules for years the chinese-calendar package does not cover yet, one file per
    year: fixtures/workdays-<year>.json = {"year", "source", "complete", "days": [{"date",
    "is_workday", "name", "note"}]}. The file is the truth for its year: rows not in it are
    removed, so a corrected file fixes the table."""
    years = []
    for path in sorted(FIXTURES.glob("workdays-*.json")):
        data = read_fixture(path.name)
        calendar_year, _ = WorkdayYear.objects.update_or_create(
            year=data["year"],
            defaults={"source": data.get("source", ""), "complete": data.get("complete", True)},
        )
        dates = []
        for row in data["days"]:
            day = WorkdayOverride(
                calendar_year=calendar_year,
                date=datetime.date.fromisoformat(row["date"]),
                is_workday=row.get("is_workday", False),
                name=row.get("name", ""),
                note=row.get("note", ""),
            )
            day.full_clean(exclude=["calendar_year", "date"])
            WorkdayOverride.objects.update_or_create(
                date=day.date,
                defaults={
                    "calendar_year": calendar_year,
                    "is_workday": day.is_workday,
                    "name": day.name,
                    "note": day.note,
                },
            )
            dates.append(day.date)
        calendar_year.days.exclude(date__in=dates).delete()
        years.append(calendar_year.year)
    return years


@transaction.atomic
def load(stdout=None) -> dict:
    orgs = load_organisations(stdout)
    home = load_home(stdout)
    load_editorial(stdout)
    accounts = load_accounts(orgs, stdout)
    workday_years = load_workday_calendars(stdout)
    return {
        "organisations": orgs,
        "home": home,
        "accounts": accounts,
        "workday_years": workday_years,
    }
