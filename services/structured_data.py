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
