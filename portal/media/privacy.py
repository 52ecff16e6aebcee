"""Who may see a Wagtail document or image, and keeping image files where their collection's
privacy says.

- A collection is *private* when it or an ancestor has a Wagtail view restriction (the admin's
  collection privacy setting); *public* when it or an ancestor is named in
  WAGTAILDOCS_PUBLIC_COLLECTIONS. Neither: its documents are served only while a page uses them.
- A document is served to everyone while a live page without view restrictions uses it (Wagtail's
  reference index, which indexes the stored, i.e. live, content of a published page) or its
  collection is public; to this request only if it passes the private collection's restrictions,
  the using live page's restrictions, or the user may change/choose the document in the admin;
  otherwise it does not exist (404, never a login redirect that would confirm it).
- An image of a private collection keeps its original and renditions in PROTECTED_MEDIA_ROOT
  (storage.py): moved there when its collection becomes private, back when public again; its
  renditions are dropped on each move and made again where they belong on first use.
"""

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex

from .storage import is_protected_name, protected_name, public_name

PUBLIC = "public"  # anyone; a shared cache may keep it (revalidating)
PERMITTED = "permitted"  # this request only; never cached


def collection_is_private(collection) -> bool:
    # by id: an in-memory collection's tree path goes stale when a sibling is added before it
    # (collections are kept sorted by name)
    ancestors = Collection.objects.filter(pk=collection.pk).values_list("path", flat=True)
    paths = [
        path[:n]
        for path in ancestors
        for n in range(Collection.steplen, len(path) + 1, Collection.steplen)
    ]
    return CollectionViewRestriction.objects.filter(collection__path__in=paths).exists()


def collection_is_public(collection) -> bool:
    names = list(getattr(settings, "WAGTAILDOCS_PUBLIC_COLLECTIONS", ()))
    return bool(names) and collection.get_ancestors(inclusive=True).filter(name__in=names).exists()


def _passes(restrictions, request) -> bool:
    return all(restriction.accept_request(request) for restriction in restrictions)


def _may_manage(request, instance) -> bool:
    """Whether the user may change or choose `instance` (a document or an image) in the admin:
    its collection's permissions."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(instance))
    user = request.user
    return user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], instance
    )


def live_pages_using(obj) -> list[Page]:
    page_type = ContentType.objects.get_for_model(Page)
    ids = {
        int(pk)
        for pk in ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    }
    return list(Page.objects.live().filter(pk__in=ids)) if ids else []


def document_visibility(document, request) -> str | None:
    """PUBLIC, PERMITTED (for this request only) or None (404)."""
    restrictions = list(document.collection.get_view_restrictions())
    if restrictions:
        if _passes(restrictions, request) or _may_manage(request, document):
            return PERMITTED
        return None
    if collection_is_public(document.collection):
        return PUBLIC
    visibility = None
    for page in live_pages_using(document):
        page_restrictions = list(page.get_view_restrictions())
        if not page_restrictions:
            return PUBLIC
        if _passes(page_restrictions, request):
            visibility = PERMITTED
    if visibility is None and _may_manage(request, document):
        visibility = PERMITTED
    return visibility


def image_visible(image, request) -> bool:
    """Whether this request may see a protected image file (original or rendition)."""
    if _may_manage(request, image):
        return True
    return _passes(image.collection.get_view_restrictions(), request)


def mark_new_image_file(image) -> None:
    """Before an image with a new file is saved: a private collection's file goes to the
    protected root from the start."""
    file = image.file
    if file and not file._committed and collection_is_private(image.collection):
        file.name = protected_name(file.name)


def image_files_sync(image) -> bool:
    """Move the image's original to where its collection's privacy says and drop renditions that
    are in the wrong place. True if anything changed."""
    if not image.file or not image.file.name:
        return False
    private = collection_is_private(image.collection)
    name = image.file.name
    wanted = protected_name(name) if private else public_name(name)
    stale = [r for r in image.renditions.all() if is_protected_name(r.file.name) != private]
    if wanted == name and not stale:
        return False
    if wanted != name:
        storage = image.file.storage
        with storage.open(name, "rb") as handle:
            new_name = storage.save(wanted, handle)
        type(image).objects.filter(pk=image.pk).update(file=new_name)
        image.file.name = new_name
        stale = list(image.renditions.all())  # named after the old original

        def remove_old(storage=storage, name=name):
            with contextlib.suppress(OSError):
                storage.delete(name)

        transaction.on_commit(remove_old)
    for rendition in stale:
        rendition.delete()  # Wagtail removes its file and its cache entry
    return True


def collection_images_sync(collection) -> int:
    """After a collection's privacy changed: sync the images of it and of its sub-collections."""
    from wagtail.images import get_image_model

    collections = Collection.objects.filter(pk=collection.pk) | collection.get_descendants()
    images = get_image_model().objects.filter(collection__in=collections)
    return sum(image_files_sync(image) for image in images.select_related("collection"))
