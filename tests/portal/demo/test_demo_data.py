"""The one smoke test that loads the whole demo site (twice: it must be idempotent)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from disclosure.annual_report.figures import table3_errors
from disclosure.annual_report.models import AnnualReportPage
from disclosure.requests.models import InformationRequest
from portal.cases.models import CaseEvent
from portal.models import HomePage
from portal.organisations import Organisation, OrganisationKind
from portal.surveys.models import SurveyAnswer
from services.models import Application, Rating, ServiceCentrePage, ServiceCommitmentPage
from services.selectors import commitment_rows

pytestmark = pytest.mark.django_db(transaction=False)


def _counts():
    return {
        "pages": Page.objects.count(),
        "organisations": Organisation.objects.count(),
        "revisions": Revision.objects.count(),
        "requests": InformationRequest.objects.count(),
        "applications": Application.objects.count(),
        "events": CaseEvent.objects.count(),
        "ratings": Rating.objects.count(),
        "survey_answers": SurveyAnswer.objects.count(),
    }


def test_demo_loader_builds_the_site_and_is_idempotent(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", verbosity=0)
    first = _counts()
    assert Organisation.objects.filter(kind=OrganisationKind.DISTRICT).count() >= 3
    assert Organisation.objects.filter(kind=OrganisationKind.CENTRE).count() >= 3
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert client.get("/").status_code == 200
    for path in ("/xxgk/", "/bsfw/", "/hdjl/"):
        assert client.get(path).status_code == 200, path

    # The 2025 annual report is generated from the demo's 2025 requests: table 三 balances. It is
    # the bureau's own report: its 9 requests of 2025, not the district bureaus' (issue 18's hand
    # count: 一 9, 三(七) 9, 四 1).
    report = AnnualReportPage.objects.get(year=2025, organisation__code="000014349")
    requests = report.figures["requests"]
    assert requests["new"]["total"] == 9
    assert requests["carried_over"]["total"] == 1
    assert requests["carried_forward"]["total"] == 1
    assert sum(row["total"] for row in requests["outcomes"].values()) == 9
    assert sum(row["total"] for row in requests["outcomes"].values()) > 0
    assert table3_errors(report.figures) == []
    assert client.get(report.url).status_code == 200

    # The catalogue's bulk downloads exist from the start (the daily export, run once), with
    # every public document; the demo's centres have their booklets (issue 16).
    import csv
    import io

    from disclosure.selectors import document_queryset

    data = b"".join(client.get("/xxgk/sjxz/disclosures.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == document_queryset().count() > 0
    centre = ServiceCentrePage.objects.live().filter(service_items__isnull=False).first()
    booklet = client.get(f"{centre.url}hb/")
    assert booklet.status_code == 200 and booklet["Content-Type"] == "application/pdf"

    # The commitments page shows measured compliance for the demo's completed applications.
    page = ServiceCommitmentPage.objects.live().get()
    measured = [r.compliance for r in commitment_rows(page) if r.compliance is not None]
    assert any(c.finished and c.percent and c.average_days for c in measured)
    assert client.get(page.url).status_code == 200

    # 好差评结果公开 shows a year of real figures: every district has a published 好评率.
    # (The year half a year ago holds at least six months of the demo's 365 days.)
    from services.ratings.selectors import rating_tables

    year = (timezone.localdate() - timedelta(days=183)).year
    tables = rating_tables(year=year)
    assert tables.districts and all(r.figures.good_rate is not None for r in tables.districts)
    html = client.get("/hdjl/hcp/", {"year": year}).content.decode()
    assert "样本不足" not in html.split("各办理事项")[0]  # the districts' table has every rate
    assert 'href="/hdjl/hcp/"' in client.get("/hdjl/").content.decode()

    # 满意度调查结果 shows a year of sampled surveys: every organisation sampled has published
    # rates, last month's comments wait for review, and the page shows approved ones.
    from portal.surveys.selectors import survey_report

    report = survey_report(year=year)
    assert report["rows"] and all(
        r["f"].response_rate is not None and r["f"].satisfaction_rate is not None
        for r in report["rows"]
    )
    assert 0.4 < report["total"].response_rate < 0.8 and report["total"].satisfaction_rate > 0.8
    assert SurveyAnswer.objects.filter(review_status="pending").exists()
    html = client.get("/hdjl/wj/", {"year": year}).content.decode()
    assert "样本不足" not in html.split("各月")[0] and report["texts"][0]["text"] in html

    # 区县排位: every district has every measure of the year, a score and a rank, with the
    # default weights; the page and its XLSX answer.
    from services.ratings.league import league_table

    league = league_table(year=year)
    assert len(league.rows) == 3 and sum(league.weights.values()) == 100
    assert all(None not in r.rates.values() for r in league.rows)
    assert sorted(r.rank for r in league.rows) == [1, 2, 3]
    assert all(Decimal(60) < r.score < Decimal(100) for r in league.rows)
    assert client.get("/hdjl/pw/", {"year": year}).status_code == 200
    assert client.get("/hdjl/pw/xlsx/", {"year": year}).status_code == 200
    assert 'href="/hdjl/pw/"' in client.get("/hdjl/").content.decode()

    # The demo's case handlers reach the workbench; its editors and reviewers do not (issue 12).
    users = get_user_model().objects.in_bulk(
        ["waitan_handler", "huangpu_case_lead", "huangpu_editor", "huangpu_reviewer"],
        field_name="username",
    )
    client.force_login(users["waitan_handler"])
    assert client.get("/admin/workbench/").status_code == 200
    assert client.get("/admin/reports/case-access/").status_code == 403
    client.force_login(users["huangpu_case_lead"])
    assert client.get("/admin/workbench/").status_code == 200
    assert client.get("/admin/reports/case-access/").status_code == 200
    for name in ("huangpu_editor", "huangpu_reviewer"):
        client.force_login(users[name])
        assert client.get("/admin/workbench/").status_code == 403, name
    client.logout()

    call_command("load_demo_data", verbosity=0)
    assert _counts() == first
