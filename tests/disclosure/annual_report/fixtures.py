"""A constructed world for the annual report where every cell is known in advance.

Requests of 黄浦区民政局 (district_a) and its street (street_a1), plus noise in 徐汇区 (district_b):

  P1 natural        2024-12-16 → disclose  2025-01-10   (二 carried over, 三 disclose)
  P2 business       2024-12-23 → unable/not_held 2025-01-15
  P3 natural        2024-11-04 → disclose  2024-11-20   (not in 2025 at all)
  N1 natural        2025-03-03 → disclose  2025-03-20
  N2 natural        2025-03-04 → partial   2025-03-25
  N3 research       2025-04-07 → withhold/third_party_rights 2025-04-21
  N4 public_interest 2025-05-06 → not_processed/duplicate 2025-05-20
  N5 legal_service  2025-06-03 → 补正 2025-06-05, other/no_correction 2025-06-30
  N6 other          2025-06-10 → withdrawn 2025-06-12   (→ （六）3.其他)
  N7 natural        2025-12-22 → accepted, open         (四)
  N8 business       2025-12-29 → replied disclose 2026-01-12 (四 of 2025)
  N10 natural (street_a1) 2025-07-01 → unable/needs_creation 2025-07-15  (the street's own)
  N11 business (centre_a1, the street's unit) 2025-08-04 → disclose 2025-08-15  (the street's)
  N9 natural (district_b) 2025-05-05 → disclose 2025-05-12   (徐汇's own)

The bureau (市民政局) with a unit below it (bureau_unit, 市社会团体管理局: a 窗口单位 whose requests
are the bureau's) and the districts below it (行政机关 that report on their own):

  B1 natural        (bureau)      2025-02-10 → disclose 2025-02-20
  B2 business       (bureau)      2024-12-22 → partial  2025-01-08   (二 carried over)
  B3 research       (bureau_unit) 2025-03-10 → unable/not_held 2025-03-20
  B4 natural        (bureau_unit) 2025-12-24 → accepted, open        (四)
  B5 other          (bureau_unit) 2025-05-06 → withdrawn 2025-05-08  (→ （六）3.其他)

A street office (外滩街道) is a 行政机关 too: N10 and its centre's N11 are in its report, not
黄浦's; 黄浦's and 徐汇's requests are not in the bureau's. The 汇总 of the bureau's subtree sums all.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from portal.cases.actions import case_withdraw
from portal.organisations import OrganisationKind
from services.models import Application, ItemType
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.disclosure.requests.fixtures import act, legal_person, natural_person
from tests.factories import OrganisationFactory, make_home, org_tree

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> str:
    return f"{day} {hour:02d}:00:00+08:00"


def _submit(org, kind: str | None, day: str):
    from disclosure.requests.actions import information_request_submit

    data = (
        natural_person(org)
        if kind is None
        else legal_person(org, organisation_kind=kind, delivery="post")
    )
    with freeze_time(at(day)):
        request, _code = information_request_submit(**data)
    return request


def _reply(request, day: str, reply_type: str, reason: str = ""):
    with freeze_time(at(day, 15)):
        if request.status == "submitted":
            request = act(request, "accept")
        return act(
            request,
            "reply",
            data={"reply_type": reply_type, "reason": reason, "letter": "答复如下。"},
        )


def build_requests(tree) -> dict:
    a, b, street = tree["district_a"], tree["district_b"], tree["street_a1"]
    r = {}
    r["P1"] = _reply(_submit(a, None, "2024-12-16"), "2025-01-10", "disclose")
    r["P2"] = _reply(_submit(a, "business", "2024-12-23"), "2025-01-15", "unable", "not_held")
    r["P3"] = _reply(_submit(a, None, "2024-11-04"), "2024-11-20", "disclose")
    r["N1"] = _reply(_submit(a, None, "2025-03-03"), "2025-03-20", "disclose")
    r["N2"] = _reply(_submit(a, None, "2025-03-04"), "2025-03-25", "partial")
    r["N3"] = _reply(
        _submit(a, "research", "2025-04-07"), "2025-04-21", "withhold", "third_party_rights"
    )
    r["N4"] = _reply(
        _submit(a, "public_interest", "2025-05-06"), "2025-05-20", "not_processed", "duplicate"
    )
    n5 = _submit(a, "legal_service", "2025-06-03")
    with freeze_time(at("2025-06-05")):
        n5 = act(n5, "request_correction", data={"items": ["请写明文件名称"]})
    with freeze_time(at("2025-06-30")):
        r["N5"] = act(
            n5,
            "reply",
            data={"reply_type": "other", "reason": "no_correction", "letter": "不再处理。"},
        )
    n6 = _submit(a, "other", "2025-06-10")
    with freeze_time(at("2025-06-12")):
        r["N6"] = case_withdraw(n6, note="不再需要")
    n7 = _submit(a, None, "2025-12-22")
    with freeze_time(at("2025-12-23")):
        r["N7"] = act(n7, "accept")
    r["N8"] = _reply(_submit(a, "business", "2025-12-29"), "2026-01-12", "disclose")
    r["N10"] = _reply(_submit(street, None, "2025-07-01"), "2025-07-15", "unable", "needs_creation")
    r["N11"] = _reply(
        _at_unit(_submit(street, "business", "2025-08-04"), tree["centre_a1"]),
        "2025-08-15",
        "disclose",
    )
    r["N9"] = _reply(_submit(b, None, "2025-05-05"), "2025-05-12", "disclose")
    bureau, unit = tree["bureau"], tree["bureau_unit"]
    r["B1"] = _reply(_submit(bureau, None, "2025-02-10"), "2025-02-20", "disclose")
    r["B2"] = _reply(_submit(bureau, "business", "2024-12-22"), "2025-01-08", "partial")
    r["B3"] = _reply(
        _at_unit(_submit(bureau, "research", "2025-03-10"), unit),
        "2025-03-20",
        "unable",
        "not_held",
    )
    b4 = _at_unit(_submit(bureau, None, "2025-12-24"), unit)
    with freeze_time(at("2025-12-25")):
        r["B4"] = act(b4, "accept")
    b5 = _at_unit(_submit(bureau, "other", "2025-05-06"), unit)
    with freeze_time(at("2025-05-08")):
        r["B5"] = case_withdraw(b5, note="不再需要")
    return r


def _at_unit(request, unit):
    """A request handled by a unit (received at its window or assigned to it): the online form
    offers only the organs, so it is moved to the unit after submission."""
    from disclosure.requests.models import InformationRequest

    InformationRequest.objects.filter(pk=request.pk).update(organisation=unit)
    request.refresh_from_db()
    return request


def _zeros():
    return dict.fromkeys(
        ("natural_person", "business", "research", "public_interest", "legal_service", "other"),
        0,
    )


def cols(**values) -> dict:
    row = {**_zeros(), **values}
    row["total"] = sum(row.values())
    return row


# Table 三 of 黄浦区民政局 for 2025, cell by cell (outcome rows not listed are all zero): its own
# requests only — 外滩街道 (N10) and its centre (N11) are in the street office's report.
EXPECTED_2025_DISTRICT_A = {
    "new": cols(
        natural_person=3, business=1, research=1, public_interest=1, legal_service=1, other=1
    ),
    "carried_over": cols(natural_person=1, business=1),
    "outcomes": {
        "disclose": cols(natural_person=2),
        "partial": cols(natural_person=1),
        "withhold:third_party_rights": cols(research=1),
        "unable:not_held": cols(business=1),
        "not_processed:duplicate": cols(public_interest=1),
        "other:no_correction": cols(legal_service=1),
        "other:other": cols(other=1),
    },
    "handled": cols(
        natural_person=3, business=1, research=1, public_interest=1, legal_service=1, other=1
    ),
    "carried_forward": cols(natural_person=1, business=1),
}

# Table 三 of 上海市民政局 for 2025: B1–B5 (its own and its unit's), nothing of the districts.
EXPECTED_2025_BUREAU = {
    "new": cols(natural_person=2, research=1, other=1),
    "carried_over": cols(business=1),
    "outcomes": {
        "disclose": cols(natural_person=1),
        "partial": cols(business=1),
        "unable:not_held": cols(research=1),
        "other:other": cols(other=1),
    },
    "handled": cols(natural_person=1, business=1, research=1, other=1),
    "carried_forward": cols(natural_person=1),
}


def build_documents(home, tree) -> None:
    """规章 (gz) and 行政规范性文件 (gfxwj) in and outside 2025; a 通知 that never counts."""
    catalogue = add_catalogue(home)
    topic = TopicFactory(name="社会救助", slug="shjz")
    gz = GenreFactory(name="规章", slug="gz")
    gfxwj = GenreFactory(name="规范性文件", slug="gfxwj")
    tz = GenreFactory(name="通知", slug="tz")
    a, b = tree["district_a"], tree["district_b"]

    def doc(genre, org, written, published, **extra):
        add_document(
            catalogue,
            organisation=org,
            topic=topic,
            genre=genre,
            written_date=written,
            published_date=published,
            **extra,
        )

    repealed = {"validity": "repealed"}
    doc(gz, a, date(2025, 2, 1), date(2025, 2, 10))  # D1 issued, in force
    doc(gz, a, date(2023, 5, 1), date(2023, 5, 10), repealed_date=date(2025, 6, 30), **repealed)
    doc(gfxwj, a, date(2024, 12, 28), date(2025, 1, 5))  # D3 written 2024: in force only
    doc(gfxwj, a, date(2025, 7, 30), date(2025, 8, 1))  # D4 issued, in force
    doc(
        gfxwj,
        a,
        date(2025, 3, 1),
        date(2025, 3, 2),
        validity="expired",
        repealed_date=date(2025, 11, 1),
    )  # D5 issued and expired in 2025
    doc(gfxwj, a, date(2026, 1, 5), date(2026, 1, 6))  # D6 next year
    doc(gfxwj, b, date(2025, 4, 1), date(2025, 4, 2))  # D7 another district
    doc(tz, a, date(2025, 4, 1), date(2025, 4, 2))  # D8 a 通知
    doc(gz, a, date(2022, 1, 1), date(2022, 1, 2), repealed_date=date(2026, 2, 1), **repealed)
    return catalogue


EXPECTED_DOCUMENTS_2025_DISTRICT_A = {
    "regulations": {"issued": 1, "repealed": 1, "in_force": 2},
    "normative": {"issued": 2, "repealed": 1, "in_force": 2},
}


def build_licences(home, tree) -> None:
    """Two 行政许可 applications completed in 2025 (one denied), one in 2024, one rejected, one of
    another item type, and one in district_b: 黄浦 2025 counts 2."""
    from tests.services.case_fixtures import make_guide

    licence = make_guide(home, tree["street_a1"], code="310100-MZ-101", title="社会团体成立登记")
    licence.item_type = ItemType.LICENCE
    licence.save_revision().publish()
    other = make_guide(home, tree["street_a1"], code="310100-MZ-102", title="低保")
    other_b = make_guide(home, tree["district_b"], code="310100-MZ-103", title="民非登记")
    other_b.item_type = ItemType.LICENCE
    other_b.save_revision().publish()
    rows = [
        (licence, tree["street_a1"], "completed", "approved", datetime(2025, 3, 1, 10)),
        (licence, tree["district_a"], "completed", "denied", datetime(2025, 12, 31, 23)),
        (licence, tree["street_a1"], "completed", "approved", datetime(2024, 12, 31, 23)),
        (licence, tree["street_a1"], "rejected", "", datetime(2025, 5, 1, 10)),
        (other, tree["street_a1"], "completed", "approved", datetime(2025, 5, 1, 10)),
        (other_b, tree["district_b"], "completed", "approved", datetime(2025, 5, 1, 10)),
    ]
    for n, (service, org, status, outcome, closed) in enumerate(rows):
        Application.objects.create(
            case_number=f"SQ20250101{n:06d}X",
            query_code_hash="x",
            status=status,
            outcome=outcome,
            organisation=org,
            service=service,
            applicant_name="张三",
            applicant_phone="13812341234",
            closed_at=closed.replace(tzinfo=SHANGHAI),
        )


def build_world() -> dict:
    home = make_home()
    tree = org_tree()
    tree["bureau_unit"] = OrganisationFactory(
        code="000014352",
        name="上海市社会团体管理局",
        kind=OrganisationKind.UNIT,
        parent=tree["bureau"],
    )
    catalogue = build_documents(home, tree)
    build_licences(home, tree)
    requests = build_requests(tree)
    return {"home": home, "tree": tree, "catalogue": catalogue, "requests": requests}


def add_report_index(catalogue):
    from disclosure.annual_report.models import AnnualReportIndexPage

    index = AnnualReportIndexPage(title="政府信息公开工作年度报告", slug="ndbg")
    catalogue.add_child(instance=index)
    index.save_revision().publish()
    return index


ENTERED = {
    "penalty_decisions": 3,
    "enforcement_decisions": 1,
    "fee_amount": Decimal("12.5000"),
    "review_upheld": 2,
    "review_corrected": 1,
    "review_other": 0,
    "review_pending": 1,
    "litigation_direct_upheld": 1,
    "litigation_direct_pending": 2,
    "litigation_after_review_corrected": 1,
}
