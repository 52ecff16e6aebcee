"""Atom feeds of the catalogue: one for every filtered view (`<catalogue>/feed/?topic=...`)."""

from datetime import datetime, time

from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.http import absolute_page_url

from .selectors import _clean_query, active_filters, filtered_documents

FEED_ITEMS = 50


def catalogue_feed_response(page, request) -> HttpResponse:
    query = _clean_query(request.GET)
    query.pop("sort", None)
    filterset, qs = filtered_documents(data=query, within=page)
    documents = list(qs[:FEED_ITEMS])
    page_url = absolute_page_url(page, request)
    suffix = ("?" + query.urlencode()) if query else ""
    described = "，".join(f"{f['label']}：{f['value']}" for f in active_filters(filterset, query))
    feed = Atom1Feed(
        title=page.title + (f"（{described}）" if described else ""),
        link=page_url + suffix,
        description=page.intro or _("政府信息公开目录"),
        feed_url=page_url + "feed/" + suffix,
        language="zh-CN",
        author_name=(getattr(Site.find_for_request(request), "site_name", "") or None),
        feed_guid=page_url + "feed/" + suffix,
    )
    for doc in documents:
        url = absolute_page_url(doc, request)
        updated = doc.last_published_at or timezone.make_aware(
            datetime.combine(doc.published_date, time(9))
        )
        feed.add_item(
            title=doc.title,
            link=url,
            unique_id=url,
            description=doc.summary
            or _("%(org)s %(number)s")
            % {"org": doc.issuing_organisation.name, "number": doc.document_number},
            pubdate=timezone.make_aware(datetime.combine(doc.published_date, time(9))),
            updateddate=updated,
            author_name=doc.issuing_organisation.name,
            categories=[doc.topic.name, doc.genre.name],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
