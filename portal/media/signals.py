"""Receivers that keep image files where their privacy says and the reference index current."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex
from wagtail.signals import page_published

from portal.uploads.files import clean_display_text

from .privacy import collection_images_sync, image_files_sync, mark_new_image_file

Image = get_image_model()
Document = get_document_model()


@receiver(pre_save, sender=Image)
def image_new_file_placed(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.title = clean_display_text(instance.title) or _("未命名")
        mark_new_image_file(instance)


@receiver(pre_save, sender=Document)
def document_title_cleaned(sender, instance, raw=False, **kwargs):
    """A title defaults to the uploaded file's name: no bidi or control characters in it."""
    if not raw:
        instance.title = clean_display_text(instance.title) or _("未命名")


@receiver(post_save, sender=Image)
def image_files_follow_collection(sender, instance, raw=False, **kwargs):
    if not raw:
        image_files_sync(instance)


@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def collection_privacy_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    collection = type(instance.collection).objects.filter(pk=instance.collection_id).first()
    if collection is not None:
        collection_images_sync(collection)


@receiver(page_published)
def page_references_now(sender, instance, **kwargs):
    """Index the published page at once (Wagtail queues it as a task, which a worker may run
    later): its attachments are public from the moment it is live."""
    page = Page.objects.filter(pk=instance.pk).first()
    if page is not None:
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page.specific)
