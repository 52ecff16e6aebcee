"""The DCAT-AP catalogue (JSON-LD) of the portal's open data: the 政府信息公开目录 with its
distributions — the daily CSV and JSON Lines files and the paginated JSON API — and the other
apps' datasets (the `open_datasets` slot: the service guides). Two
queries (the publisher, the date of the latest document) plus the manifest file."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.organisations import Organisation, OrganisationKind
from portal.registry import open_datasets

from ..selectors import document_queryset
from . import selectors

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA = {
    "csv": ("text/csv", "CSV", _("CSV（UTF-8，带 BOM）")),
    "jsonl": ("application/x-ndjson", "JSON", _("JSON Lines（每行一条）")),
}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "zh-CN"}


def _datetime(value: str) -> dict:
    return {"@value": value, "@type": "xsd:dateTime"}


def dcat_catalogue(request, *, site_name: str) -> dict:
    absolute = request.build_absolute_uri
    publisher_org = (
        Organisation.objects.filter(kind=OrganisationKind.BUREAU, live=True)
        .order_by("sort_order", "code")
        .first()
    )
    publisher = {
        "@type": "foaf:Agent",
        "foaf:name": _text(publisher_org.name if publisher_org else site_name),
    }
    contact = {"@type": "vcard:Organization", "vcard:fn": publisher["foaf:name"]["@value"]}
    if publisher_org and publisher_org.email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{publisher_org.email}"}
    if publisher_org and publisher_org.phone:
        contact["vcard:hasTelephone"] = publisher_org.phone
    latest = document_queryset().select_related(None).aggregate(m=Max("last_published_at"))["m"]
    manifest = selectors.manifest()
    distributions = []
    if manifest:
        for fmt, entry in manifest["files"].items():
            media_type, file_type, title = MEDIA[fmt]
            url = absolute(reverse("disclosure_open_data", kwargs={"fmt": fmt}))
            distributions.append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": _text(title),
                    "dcat:accessURL": {"@id": url},
                    "dcat:downloadURL": {"@id": url},
                    "dcat:mediaType": {"@id": IANA + media_type},
                    "dct:format": {"@id": f"{EU}file-type/{file_type}"},
                    "dcat:byteSize": {"@value": entry["size"], "@type": "xsd:nonNegativeInteger"},
                    "spdx:checksum": {
                        "@type": "spdx:Checksum",
                        "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                        "spdx:checksumValue": entry["sha256"],
                    },
                    "dct:modified": _datetime(manifest["generated_at"]),
                }
            )
    api_url = absolute("/api/v1/disclosures")
    distributions.append(
        {
            "@id": api_url,
            "@type": "dcat:Distribution",
            "dct:title": _text(_("政府信息公开目录接口（JSON，分页）")),
            "dcat:accessURL": {"@id": api_url},
            "dcat:mediaType": {"@id": IANA + "application/json"},
            "dct:format": {"@id": f"{EU}file-type/JSON"},
            "dct:conformsTo": {"@id": absolute("/api/v1/openapi.json")},
        }
    )
    dataset = {
        "@id": absolute("/xxgk/") + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": "disclosures",
        "dct:title": _text(_("政府信息公开目录")),
        "dct:description": _text(
            _(
                "主动公开的政府信息：索引号、标题、发文字号、成文和发布日期、主题、体裁、发布机构、有效性。每日更新。"
            )
        ),
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dcat:landingPage": {"@id": absolute("/xxgk/")},
        "dcat:theme": {"@id": f"{EU}data-theme/GOVE"},
        "dcat:keyword": [_text(_("政府信息公开")), _text(_("民政"))],
        "dct:language": {"@id": f"{EU}language/ZHO"},
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/DAILY"},
        "dcat:distribution": distributions,
    }
    if latest:
        dataset["dct:modified"] = _datetime(latest.isoformat(timespec="seconds"))
    catalogue = {
        "@context": CONTEXT,
        "@id": absolute("/api/v1/catalogue.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": _text(_("%(site)s开放数据目录") % {"site": site_name}),
        "dct:description": _text(_("本站以开放格式提供的数据集。")),
        "dct:publisher": publisher,
        "dct:language": {"@id": f"{EU}language/ZHO"},
        "foaf:homepage": {"@id": absolute("/")},
        "dcat:dataset": [dataset, *open_datasets(request)],
    }
    if manifest:
        catalogue["dct:modified"] = _datetime(manifest["generated_at"])
    return catalogue
