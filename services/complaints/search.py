"""答复公开 in the site search (/search/, section 互动交流): published replies are indexed as they are
published — personal data removed (selectors.redact), never the name, phone or e-mail — and found
by any word of their redacted text. Registered by services/apps.py.

A complaint is indexed when it is saved replied with the complainant's consent (the reply is its
last change); saves of unpublished complaints queue nothing. A search runs over
`published_replies()` (status and consent are filter fields), so only published replies are
found even if the index held anything else. Each reply has its own page, /hdjl/dfgk/<id>/."""

from django.urls import reverse
from django.utils.translation import gettext as _
from modelsearch import index
from modelsearch.backends import get_search_backend
from modelsearch.tasks import insert_or_update_object_task

from portal.frontcache.backends import Ban
from portal.frontcache.purge import ban_after_commit
from portal.search import SearchEntry, SearchSource

from .selectors import published_replies, published_reply_entries


def search_replies(query):
    return get_search_backend().search(query, published_replies(), order_by_relevance=True)


def reply_entries(complaints) -> list[SearchEntry]:
    return [
        SearchEntry(
            title=entry.subject,
            url=reverse("complaint_reply", args=[entry.pk]),
            text=f"{entry.content} {_('答复：')}{entry.reply}",
            label=_("答复公开"),
        )
        for entry in published_reply_entries(complaints)
    ]


REPLIES_SOURCE = SearchSource(
    name="complaint-replies", path="/hdjl/dfgk/", search=search_replies, entries=reply_entries
)


def on_complaint_saved(sender, instance, raw=False, **kwargs):
    """A reply just published: index it (through the task queue, as pages are) and drop the
    cached search answers."""
    if raw or not instance.is_published:
        return
    insert_or_update_object_task.enqueue(
        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
    )
    ban_after_commit({Ban("/search/")})


def on_complaint_deleted(sender, instance, **kwargs):
    index.remove_object(instance)
    if instance.is_published:
        ban_after_commit({Ban("/search/")})
