"""A change of what a booklet or a card prints ends every one built before it (connected in
services/apps.py): a guide's or a centre's publish, unpublish, move or delete, a fee standard's
publish (its amounts), an organisation's publish (its phones). The front cache is purged by portal.frontcache for the whole /bsfw/ section,
which holds the booklets' and the cards' URLs."""

from django.db import transaction

from . import actions


def on_page_changed(sender, instance, **kwargs):
    transaction.on_commit(actions.generation_advance)


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move, published

    from portal.organisations import Organisation

    from ..models import FeeStandardPage, ServiceCentrePage, ServiceGuidePage

    published.connect(on_page_changed, sender=Organisation, dispatch_uid="booklets-organisation")
    for model in (ServiceGuidePage, ServiceCentrePage, FeeStandardPage):
        name = model.__name__
        page_published.connect(on_page_changed, sender=model, dispatch_uid=f"booklets-pub-{name}")
        page_unpublished.connect(
            on_page_changed, sender=model, dispatch_uid=f"booklets-unpub-{name}"
        )
        post_page_move.connect(on_page_changed, sender=model, dispatch_uid=f"booklets-move-{name}")
        post_delete.connect(on_page_changed, sender=model, dispatch_uid=f"booklets-del-{name}")
