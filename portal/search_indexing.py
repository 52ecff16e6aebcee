"""Bulk work indexes in bulk.

Wagtail (through django-modelsearch) queues one task per saved object to update the search index
(`insert_or_update_object_task`), and one more to update the reference index. One publish is one
task: picked up by the worker within a second or so, searchable right after. An import of
thousands of documents queued thousands of such tasks, and the index lagged behind for minutes.

`index_in_bulk()` suspends both for the objects saved in the current thread inside the block,
collects them, and at the end writes their search entries with the backends' `add_bulk`, in
batches of `batch_size`, and their references (`update_references`, a few queries per batch),
without queueing anything. Saves in other threads
(and after the block) are queued as before.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from django.db.models.signals import post_save

BATCH_SIZE = 500

_state = threading.local()
_install_lock = threading.Lock()
_installed = False


def _collecting() -> dict | None:
    return getattr(_state, "pending", None)


def _post_save(sender, instance, raw=False, **kwargs):
    """Stands in for modelsearch's post_save handler: queue the object as usual, or, inside
    `index_in_bulk`, note it for the batch at the end."""
    from modelsearch.signal_handlers import post_save_signal_handler

    if raw:
        return
    pending = _collecting()
    if pending is None:
        post_save_signal_handler(instance, raw=raw, **kwargs)
    else:
        pending[type(instance)].add(instance.pk)


def _install() -> None:
    """Swap modelsearch's per-object handler for `_post_save` on every indexed model (once per
    process; the swap changes nothing outside `index_in_bulk`)."""
    global _installed
    if _installed:
        return
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    with _install_lock:
        if _installed:
            return
        for model in index.get_indexed_models():
            if post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.connect(_post_save, sender=model, dispatch_uid=f"portal-bulk-{model}")
        _installed = True


@contextmanager
def index_in_bulk(*, batch_size: int = BATCH_SIZE) -> Iterator[None]:
    """Inside the block, saves queue no indexing tasks; on leaving it, everything saved is
    indexed in batches (search and references). Nested blocks index once, at the outermost."""
    from wagtail.signal_handlers import (
        disable_reference_index_auto_update,
        reference_index_auto_update_disabled,
    )

    if _collecting() is not None:
        yield
        return
    _install()
    _state.pending = defaultdict(set)
    # Wagtail's switch does not nest: enter it only if nobody has yet.
    if getattr(reference_index_auto_update_disabled, "value", False):
        references_off = nullcontext()
    else:
        references_off = disable_reference_index_auto_update()
    try:
        with references_off:
            yield
        pending = _state.pending
    finally:
        del _state.pending
    index_objects(pending, batch_size=batch_size)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _indexed_instances(model, pks: list) -> dict[type, list]:
    """The objects to index for `pks` of `model`, by their specific class (pages saved as plain
    `Page` objects are indexed as their own type). One or two queries per batch."""
    from wagtail.models import Page

    if issubclass(model, Page):
        objects = Page.objects.filter(pk__in=pks).specific()
    else:
        objects = model.get_indexed_objects().filter(pk__in=pks)
    by_class: dict[type, list] = defaultdict(list)
    for obj in objects:
        by_class[type(obj)].append(obj)
    return by_class


def update_references(objects: list) -> None:
    """`ReferenceIndex.create_or_update_for_object` for many objects of one class at once, in a
    fixed number of queries per batch instead of four or more per object: the child relations
    prefetched, the existing records read in one query, the new ones written in one bulk insert,
    the removed ones deleted in one query. The records are Wagtail's own (its extraction, its
    content types and hashes; tests/portal/test_search_indexing.py compares the two)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import prefetch_related_objects
    from modelcluster.models import ClusterableModel, get_all_child_relations
    from wagtail.models import ReferenceIndex

    if not objects:
        return
    cls = type(objects[0])
    if isinstance(objects[0], ClusterableModel):
        prefetch_related_objects(
            objects, *[r.get_accessor_name() for r in get_all_child_relations(objects[0])]
        )
    content_types = [
        ContentType.objects.get_for_model(model, for_concrete_model=False)
        for model in [cls, *cls._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known = {ct.id for ct in content_types}
    existing: dict[str, dict[tuple, tuple]] = defaultdict(dict)
    for (
        pk,
        ct_id,
        to_ct,
        to_id,
        model_path,
        content_path,
        object_id,
    ) in ReferenceIndex.objects.filter(
        base_content_type=base_content_type, object_id__in=[str(o.pk) for o in objects]
    ).values_list(
        "id",
        "content_type_id",
        "to_content_type",
        "to_object_id",
        "model_path",
        "content_path",
        "object_id",
    ):
        existing[object_id][(to_ct, to_id, model_path, content_path)] = (ct_id, pk)
    new, removed = [], []
    for obj in objects:
        found = set(ReferenceIndex._extract_references_from_object(obj))
        have = existing.get(str(obj.pk), {})
        new += [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=obj.pk,
                to_content_type_id=to_ct,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_ct, to_id, model_path, content_path in found - have.keys()
        ]
        # As in Wagtail: a record under a more specific content type than this class is not
        # visible from here and is kept.
        removed += [
            pk for record, (ct_id, pk) in have.items() if record not in found and ct_id in known
        ]
    with transaction.atomic():
        ReferenceIndex.objects.bulk_create(
            new,
            batch_size=1000,
            ignore_conflicts=connection.features.supports_ignore_conflicts,
        )
        if removed:
            ReferenceIndex.objects.filter(id__in=removed).delete()


def index_objects(pending: dict[type, set], *, batch_size: int = BATCH_SIZE) -> int:
    """Write search entries (every auto-updating backend) and references for the given
    {model: pks}, `batch_size` objects at a time. Returns how many objects were indexed."""
    from modelsearch import index
    from modelsearch.backends import get_search_backends
    from wagtail.models import ReferenceIndex

    backends = list(get_search_backends(with_auto_update=True))
    done = 0
    for model, pks in pending.items():
        for chunk in _chunks(sorted(pks), batch_size):
            for cls, objects in _indexed_instances(model, chunk).items():
                if index.class_is_indexed(cls):
                    for backend in backends:
                        backend.add_bulk(cls, objects)
                if ReferenceIndex.is_indexed(cls):
                    update_references(objects)
                done += len(objects)
    return done
