"""schema.org `GovernmentService` for a guide page (JSON-LD, rendered by portal's `ld_json`):
what search engines and other portals read without scraping the page."""

from django.utils.translation import gettext as _

from portal.http import absolute_page_url


def guide_service_jsonld(guide, request, *, centres, fee_items) -> dict:
    """The guide as a GovernmentService: name, code, description, provider, channels (its centres
    and the online form), its type and the fee. No query of its own (the caller passes the
    centres and fee items it already read)."""
    url = absolute_page_url(guide, request) if request is not None else (guide.full_url or "")
    organisation = guide.organisation
    provider = {
        "@type": "GovernmentOrganization",
        "name": organisation.name,
        "identifier": organisation.code,
    }
    if organisation.phone:
        provider["telephone"] = organisation.phone
    channels = []
    for centre in centres:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": centre.title,
                "availableLanguage": "zh-CN",
                "servicePhone": {"@type": "ContactPoint", "telephone": centre.phone},
                "serviceLocation": {
                    "@type": "GovernmentOffice",
                    "name": centre.title,
                    "address": centre.address,
                    "telephone": centre.phone,
                    "openingHours": centre.hours,
                },
            }
        )
    if guide.venue:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": guide.venue,
                "availableLanguage": "zh-CN",
                "serviceLocation": {"@type": "Place", "name": guide.venue},
            }
        )
    if guide.online_application_open and request is not None:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": _("网上申请"),
                "availableLanguage": "zh-CN",
                "serviceUrl": request.build_absolute_uri(f"{guide.get_url(request)}apply/"),
            }
        )
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": guide.title,
        "identifier": guide.code,
        "url": url,
        "serviceType": guide.get_topic_display(),
        "category": guide.get_item_type_display(),
        "provider": provider,
        "serviceOperator": provider,
        "availableChannel": channels,
        "isAccessibleForFree": guide.is_free,
    }
    if guide.summary:
        data["description"] = guide.summary
    if guide.consult_phone:
        data["provider"] = {**provider, "telephone": guide.consult_phone}
    if not guide.is_free:
        data["offers"] = [
            {
                "@type": "Offer",
                "name": item.name,
                "price": str(item.amount),
                "priceCurrency": "CNY",
                "unitText": item.unit,
            }
            for item in fee_items
        ]
    if guide.last_published_at:
        data["dateModified"] = guide.last_published_at.isoformat()
    return data


def service_items_dataset(request) -> list[dict]:
    """The service guides as a `dcat:Dataset` of the portal's DCAT-AP catalogue (the
    `open_datasets` slot): the JSON API of the service items and the /bsfw/ pages."""
    absolute = request.build_absolute_uri
    api_url = absolute("/api/v1/service-items")
    eu = "http://publications.europa.eu/resource/authority/"
    return [
        {
            "@id": absolute("/bsfw/") + "#dataset",
            "@type": "dcat:Dataset",
            "dct:identifier": "service-items",
            "dct:title": {"@value": _("办事指南"), "@language": "zh-CN"},
            "dct:description": {
                "@value": _(
                    "民政服务事项的办事指南：事项编码、实施主体、时限、申请材料、收费、办理地点。"
                ),
                "@language": "zh-CN",
            },
            "dcat:landingPage": {"@id": absolute("/bsfw/")},
            "dcat:theme": {"@id": f"{eu}data-theme/GOVE"},
            "dct:language": {"@id": f"{eu}language/ZHO"},
            "dcat:distribution": [
                {
                    "@id": api_url,
                    "@type": "dcat:Distribution",
                    "dct:title": {"@value": _("办事指南接口（JSON，分页）"), "@language": "zh-CN"},
                    "dcat:accessURL": {"@id": api_url},
                    "dcat:mediaType": {
                        "@id": "https://www.iana.org/assignments/media-types/application/json"
                    },
                    "dct:format": {"@id": f"{eu}file-type/JSON"},
                    "dct:conformsTo": {"@id": absolute("/api/v1/openapi.json")},
                }
            ],
        }
    ]
