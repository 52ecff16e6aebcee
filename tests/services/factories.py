"""Small worlds for the 办事服务 tests: a services section, guides, fee standards, centres."""

import datetime
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from services.models import (
    FeeItem,
    FeeStandardPage,
    GuideFormField,
    LegalBasis,
    ProcessStep,
    ServiceCentreIndexPage,
    ServiceCentrePage,
    ServiceCommitment,
    ServiceCommitmentPage,
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceMaterial,
)

_serial = itertools.count(1)


def add_service_index(home, slug="bsfw") -> ServiceIndexPage:
    page = ServiceIndexPage(title="办事服务", slug=slug, intro="民政服务事项", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_document(title="申请表", name="form.xlsx") -> Document:
    doc = Document(title=title)
    doc.file.save(name, ContentFile(b"demo form"), save=False)
    doc.save()
    return doc


def add_guide(parent, *, organisation, materials=None, form_fields=None, fee_items=(), **fields):
    n = next(_serial)
    defaults = {
        "title": f"测试事项{n}",
        "slug": f"guide-{n}",
        "code": f"TEST-{n:05d}",
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "topic": "marriage",
        "item_type": "confirmation",
    }
    defaults.update(fields)
    guide = ServiceGuidePage(organisation=organisation, **defaults)
    guide.materials = [
        ServiceMaterial(sort_order=i, **m)
        for i, m in enumerate(
            materials
            if materials is not None
            else [{"code": "id_card", "name": "居民身份证", "kind": "original"}]
        )
    ]
    guide.form_fields = [GuideFormField(sort_order=i, **f) for i, f in enumerate(form_fields or [])]
    guide.legal_bases = [LegalBasis(law_name="中华人民共和国民法典", article="第一千零四十九条")]
    guide.steps = [
        ProcessStep(name=name, sort_order=i) for i, name in enumerate(("受理", "审查", "办结"))
    ]
    if fee_items:
        guide.is_free = False
        guide.fee_items = list(fee_items)
    parent.add_child(instance=guide)
    guide.save_revision().publish()
    return guide


def add_fee_standard(parent, *, organisation, items=None, slug="sfbz") -> FeeStandardPage:
    page = FeeStandardPage(title="殡葬服务收费标准", slug=slug, organisation=organisation)
    rows = items or [
        {"code": "transport", "name": "遗体接运费", "unit": "具", "amount": Decimal("300.00")},
        {"code": "cremation", "name": "遗体火化费", "unit": "具", "amount": Decimal("460.00")},
    ]
    page.items = [
        FeeItem(
            legal_basis="《殡葬管理条例》",
            approval_number="沪价费〔2015〕12号",
            effective_date=datetime.date(2016, 1, 1),
            sort_order=i,
            **row,
        )
        for i, row in enumerate(rows)
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_commitment_page(parent, *, organisation, commitments, slug="fwcn"):
    page = ServiceCommitmentPage(title="服务承诺", slug=slug, organisation=organisation)
    page.commitments = [ServiceCommitment(sort_order=i, **c) for i, c in enumerate(commitments)]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_centre_index(parent, slug="slzx") -> ServiceCentreIndexPage:
    page = ServiceCentreIndexPage(title="社区事务受理中心", slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_centre(parent, *, district="黄浦区", service_items=(), **fields) -> ServiceCentrePage:
    n = next(_serial)
    defaults = {
        "title": f"{district}测试社区事务受理服务中心{n}",
        "slug": f"centre-{n}",
        "address": "上海市黄浦区福州路120号",
        "hours": "周一至周六 9:00-17:00",
        "phone": "021-63211234",
    }
    defaults.update(fields)
    page = ServiceCentrePage(district=district, **defaults)
    page.service_items = list(service_items)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def bulk_guides(parent, n: int, *, organisation, fee_items=(), centres=()) -> list:
    """n live guides (with one material each, and the given fee items), created quickly for query
    budget tests: no revisions, no reference or search index updates."""
    from django.test import override_settings
    from wagtail.signal_handlers import disable_reference_index_auto_update

    no_search = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    guides = []
    with disable_reference_index_auto_update(), override_settings(WAGTAILSEARCH_BACKENDS=no_search):
        for _ in range(n):
            k = next(_serial)
            guide = ServiceGuidePage(
                title=f"批量事项{k}",
                slug=f"bulk-{k}",
                code=f"BULK-{k:05d}",
                organisation=organisation,
                statutory_limit_days=20,
                promised_limit_days=10,
                online_application_open=bool(k % 2),
                is_free=not fee_items,
            )
            guide.materials = [
                ServiceMaterial(code="id_card", name="居民身份证", blank_form=None, sample=None)
            ]
            guide.fee_items = list(fee_items)
            parent.add_child(instance=guide)
            for centre in centres:
                centre.service_items.add(guide)
            guides.append(guide)
    return guides
