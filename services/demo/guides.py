"""Demo data for 办事服务: the /bsfw/ section with 29 civil-affairs service guides, the funeral fee
standard, the service commitments and six community affairs acceptance centres in three districts.

Idempotent: pages are found by their natural key (guide code, slug under their parent), child rows by
their code / key / position, and a page gets a new revision only when something really changed."""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from portal.demo.site import ensure_child_page, load_editorial, read_fixture
from portal.editorial.sections import Area, section_for
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


def load(*, home, organisations, stdout=None) -> str:
    section = read_fixture("services/section.json")
    data = read_fixture("services/guides.json")
    index = ensure_child_page(
        home,
        "bsfw",
        ServiceIndexPage,
        title=section["index"]["title"],
        intro=section["index"]["intro"],
        show_in_menus=True,
    )
    load_editorial(stdout)  # the organisations' sections below /bsfw/, before their pages
    fee_items = {}
    for fee in section["fee_standards"]:
        page = load_fee_standard(index, fee, organisations)
        fee_items.update({item.code: item for item in page.items.all()})
    documents = load_form_documents(data["forms"])
    guides = {}
    for row in data["guides"]:
        guide = load_guide(index, row, organisations, fee_items, documents)
        guides[guide.code] = guide
    centres = load_centres(index, section, organisations, guides)
    load_commitments(index, section["commitment_page"], organisations, guides)
    return (
        f"{len(guides)} service guides "
        f"({sum(g.online_application_open for g in guides.values())} open online), "
        f"{len(fee_items)} fee items, {len(centres)} centres, "
        f"{len(section['commitment_page']['commitments'])} commitments"
    )


# --- generic, idempotent page upsert -------------------------------------------------------------


def section_page(index, organisation):
    """Where an organisation's pages go: its own section below /bsfw/ (or its nearest publishing
    ancestor's), else the index itself."""
    found = section_for(organisation, Area.SERVICES)
    if found is None or not found.page.path.startswith(index.path):
        return index
    return found.page.specific


def _apply(obj, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _sync_children(page, relation: str, model, rows: list[dict], key: str | None) -> bool:
    """Make `page.<relation>` equal `rows`, reusing existing rows (matched by `key`, or by position)
    so their ids stay stable. Returns whether anything changed."""
    existing = list(getattr(page, relation).all()) if page.pk else []
    by_key = {getattr(obj, key): obj for obj in existing} if key else {}
    wanted, changed = [], len(existing) != len(rows)
    for position, values in enumerate(rows):
        values = {**values, "sort_order": position}  # Orderable leaves it to the admin form
        if key:
            obj = by_key.get(values[key])
        else:
            obj = existing[position] if position < len(existing) else None
        if obj is None:
            obj, changed = model(**values), True
        else:
            changed |= _apply(obj, values)
        wanted.append(obj)
    if not changed and [o.pk for o in existing] != [o.pk for o in wanted]:
        changed = True  # reordered
    if changed:
        setattr(page, relation, wanted)
    return changed


def _upsert(parent, page, model, *, fields, children=(), m2m=None):
    creating = page is None
    if creating:
        page = model(**fields)
        changed = True
    else:
        changed = _apply(page, fields)
    for relation, child_model, rows, key in children:
        changed |= _sync_children(page, relation, child_model, rows, key)
    for name, objects in (m2m or {}).items():
        current = sorted(o.pk for o in getattr(page, name).all()) if page.pk else []
        if current != sorted(o.pk for o in objects):
            setattr(page, name, list(objects))
            changed = True
    if creating:
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    if page.get_parent().pk != parent.pk:  # loaded before the organisations had sections
        page.move(parent, pos="last-child")
        page.refresh_from_db()
    if changed:
        page.save_revision().publish()
    return page


# --- fee standards --------------------------------------------------------------------------------


def load_fee_standard(index, data, organisations) -> FeeStandardPage:
    page = FeeStandardPage.objects.filter(slug=data["slug"]).first()
    items = [
        {
            "code": row["code"],
            "name": row["name"],
            "unit": row["unit"],
            "amount": Decimal(row["amount"]),
            "fee_type": row["fee_type"],
            "legal_basis": row["legal_basis"],
            "approval_number": row["approval_number"],
            "effective_date": datetime.date.fromisoformat(row["effective_date"]),
            "notes": row["notes"],
        }
        for row in data["items"]
    ]
    return _upsert(
        section_page(index, organisations[data["organisation"]]),
        page,
        FeeStandardPage,
        fields={
            "title": data["title"],
            "slug": data["slug"],
            "intro": data["intro"],
            "organisation": organisations[data["organisation"]],
            "complaint_phone": data["complaint_phone"],
        },
        children=[("items", FeeItem, items, "code")],
    )


# --- downloadable forms ---------------------------------------------------------------------------


def _workbook(title: str, fields: list[list[str]], *, sample: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "填写样本" if sample else "申请表"
    ws.merge_cells("A1:B1")
    ws["A1"] = f"{title}（填写样本）" if sample else title
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for row, (label, example) in enumerate(fields, start=3):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=example if sample else "")
        for col in (1, 2):
            ws.cell(row=row, column=col).border = Border(
                left=thin, right=thin, top=thin, bottom=thin
            )
        ws.row_dimensions[row].height = 30
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    note_row = len(fields) + 4
    ws.cell(
        row=note_row,
        column=1,
        value="样本中的个人信息均为虚构，仅供参考。"
        if sample
        else "请用黑色签字笔填写，字迹清楚，不得涂改。",
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _ensure_document(title: str, filename: str, content) -> Document:
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(content()), save=False)
        document.save()
    return document


def load_form_documents(forms: dict) -> dict[str, tuple[Document, Document]]:
    """For each form: (blank form, filled sample) as downloadable .xlsx documents."""
    documents = {}
    for key, form in forms.items():
        title, fields = form["title"], form["fields"]
        blank = _ensure_document(
            f"{title}（空白表格）",
            f"{key}.xlsx",
            lambda title=title, fields=fields: _workbook(title, fields, sample=False),
        )
        sample = _ensure_document(
            f"{title}（填写样本）",
            f"{key}-sample.xlsx",
            lambda title=title, fields=fields: _workbook(title, fields, sample=True),
        )
        documents[key] = (blank, sample)
    return documents


# --- service guides -------------------------------------------------------------------------------


def load_guide(index, row, organisations, fee_items, documents) -> ServiceGuidePage:
    page = ServiceGuidePage.objects.filter(code=row["code"]).first()
    materials = []
    for material in row["materials"]:
        form = documents.get(material.get("form") or "")
        materials.append(
            {
                "code": material["code"],
                "name": material["name"],
                "kind": material["kind"],
                "copies": material["copies"],
                "required": material["required"],
                "notes": material["notes"],
                "blank_form": form[0] if form else None,
                "sample": form[1] if form else None,
            }
        )
    form_fields = [
        {
            "key": f["key"],
            "label": f["label"],
            "field_type": f["field_type"],
            "required": f.get("required", True),
            "choices": f.get("choices", ""),
            "help_text": f.get("help_text", ""),
            "max_length": f.get("max_length", 200),
            "min_value": f.get("min_value", 0),
            "max_value": f.get("max_value"),
        }
        for f in row.get("form_fields", [])
    ]
    fees = [fee_items[code] for code in row.get("fees", [])]
    return _upsert(
        section_page(index, organisations[row["organisation"]]),
        page,
        ServiceGuidePage,
        fields={
            "title": row["title"],
            "slug": row["slug"],
            "code": row["code"],
            "summary": row["summary"],
            "topic": row["topic"],
            "item_type": row["item_type"],
            "organisation": organisations[row["organisation"]],
            "acceptance_conditions": row["conditions"],
            "case_type": row["case_type"],
            "statutory_limit_days": row["statutory"],
            "promised_limit_days": row["promised"],
            "visits_required": row["visits"],
            "online_depth": row["depth"],
            "online_application_open": row["online"],
            "is_free": not fees,
            "fee_note": row.get("fee_note", ""),
            "venue": row.get("venue", ""),
            "office_hours": row.get("office_hours", ""),
            "result_name": row["result_name"],
            "result_delivery": row["result_delivery"],
            "consult_phone": row["consult_phone"],
            "complaint_phone": row["complaint_phone"],
        },
        children=[
            (
                "legal_bases",
                LegalBasis,
                [{"law_name": b[0], "article": b[1], "text": b[2]} for b in row["legal_bases"]],
                None,
            ),
            ("materials", ServiceMaterial, materials, "code"),
            (
                "steps",
                ProcessStep,
                [{"name": s[0], "description": s[1], "time_limit": s[2]} for s in row["steps"]],
                None,
            ),
            ("form_fields", GuideFormField, form_fields, "key"),
        ],
        m2m={"fee_items": fees},
    )


# --- centres and commitments ----------------------------------------------------------------------


def load_centres(index, section, organisations, guides) -> list[ServiceCentrePage]:
    data = section["centre_index"]
    centre_index = ensure_child_page(
        index, data["slug"], ServiceCentreIndexPage, title=data["title"], intro=data["intro"]
    )
    offered = [guides[code] for code in section["centre_items"]]
    centres = []
    for row in section["centres"]:
        organisation = organisations[row["organisation"]]
        # A centre takes the city's items and its own district's, never another district's (a
        # 黄浦 低保 guide must not send people to a 徐汇 centre).
        above = {o.pk for o in organisation.ancestors()}
        handled = [
            g for g in offered if g.organisation.kind != "district" or g.organisation_id in above
        ]
        page = ServiceCentrePage.objects.filter(organisation=organisation).first()
        parent = section_page(index, organisation)
        centres.append(
            _upsert(
                centre_index if parent.pk == index.pk else parent,
                page,
                ServiceCentrePage,
                fields={
                    "title": organisation.name,
                    "slug": row["slug"],
                    "organisation": organisation,
                    "district": row["district"],
                    "street": row["street"],
                    "address": organisation.address,
                    "hours": row["hours"],
                    "phone": row["phone"],
                    "transport": row["transport"],
                    "notes": row["notes"],
                },
                m2m={"service_items": handled},
            )
        )
    return centres


def load_commitments(index, data, organisations, guides) -> ServiceCommitmentPage:
    page = ServiceCommitmentPage.objects.filter(slug=data["slug"]).first()
    rows = [
        {
            "title": c["title"],
            "content": c["content"],
            "service_item": guides[c["service_item"]] if c.get("service_item") else None,
            "promised_limit_days": c.get("promised_limit_days"),
        }
        for c in data["commitments"]
    ]
    return _upsert(
        section_page(index, organisations[data["organisation"]]),
        page,
        ServiceCommitmentPage,
        fields={
            "title": data["title"],
            "slug": data["slug"],
            "intro": data["intro"],
            "organisation": organisations[data["organisation"]],
            "supervision_phone": data["supervision_phone"],
        },
        children=[("commitments", ServiceCommitment, rows, "title")],
    )
