"""Bulk work indexes in bulk (portal/search_indexing.py); a single publish is searchable at once."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from disclosure.models import DisclosureDocumentPage
from portal.search import search_pages
from portal.search_indexing import index_in_bulk
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def index_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="insert_or_update_object_task")


@pytest.fixture
def world():
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    topic = TopicFactory(name="社会救助", slug="shjz")
    genre = GenreFactory(name="规范性文件", slug="gfxwj")
    return {"orgs": orgs, "home": home, "xxgk": xxgk, "topic": topic, "genre": genre}


def found(query, home):
    results, _terms = search_pages(query, within=home)
    return {page.title for page in results}


def test_an_import_queues_no_task_per_document_and_indexes_everything(world, tmp_path, settings):
    settings.TASKS = DB_TASKS
    rows = [
        {
            "title": f"关于第{n}批殡葬补贴发放的通知",
            "index_number": f"000014349/2021-{n:05d}",
            "document_number": f"沪民发〔2021〕{n}号",
            "written_date": "2021-04-01",
            "published_date": "2021-04-10",
            "topic": "社会救助",
            "genre": "规范性文件",
            "organisation": "000014349",
            "validity": "有效",
        }
        for n in range(1, 31)
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    call_command("import_disclosures", str(path), "--no-progress", stdout=StringIO())
    assert DisclosureDocumentPage.objects.live().count() == 30
    assert index_tasks().count() == 0
    assert len(found("殡葬补贴", world["home"])) == 30


def test_a_single_publish_outside_bulk_work_queues_its_task_and_is_then_searchable(world, settings):
    settings.TASKS = DB_TASKS
    add_document(
        world["xxgk"], organisation=world["orgs"]["bureau"], title="关于孤儿基本生活费的通知"
    )
    assert index_tasks().count() >= 1
    # What the worker does with each queued row (db_worker itself closes the test's connection)
    for row in index_tasks():
        task = import_string(row.task_path)
        task.func(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    assert "关于孤儿基本生活费的通知" in found("孤儿", world["home"])


def test_with_the_immediate_backend_a_publish_is_searchable_at_once(world, client):
    add_document(
        world["xxgk"], organisation=world["orgs"]["bureau"], title="关于临时救助标准的通知"
    )
    response = client.get("/search/", {"q": "临时救助"})
    assert [r["page"].title for r in response.context["results"]] == ["关于临时救助标准的通知"]


def test_failed_bulk_work_indexes_nothing_and_later_saves_queue_again(world, settings):
    settings.TASKS = DB_TASKS
    with pytest.raises(RuntimeError), index_in_bulk():
        add_document(world["xxgk"], organisation=world["orgs"]["bureau"], title="关于某事的通知")
        raise RuntimeError("the import failed")
    assert index_tasks().count() == 0
    add_document(world["xxgk"], organisation=world["orgs"]["bureau"], title="关于别事的通知")
    assert index_tasks().count() >= 1


def test_nested_blocks_index_once_at_the_end(world):
    with index_in_bulk():
        with index_in_bulk():
            add_document(
                world["xxgk"], organisation=world["orgs"]["bureau"], title="关于医疗救助的通知"
            )
        assert "关于医疗救助的通知" not in found("医疗救助", world["home"])
    assert "关于医疗救助的通知" in found("医疗救助", world["home"])


def _records():
    from wagtail.models import ReferenceIndex

    return set(
        ReferenceIndex.objects.values_list(
            "content_type_id",
            "base_content_type_id",
            "object_id",
            "to_content_type_id",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        )
    )


def test_batched_references_are_wagtails_own_in_a_fixed_number_of_queries(world):
    """`update_references` writes exactly the records Wagtail's per-object method writes (foreign
    keys, rich-text links, attachments in a child relation), removes stale ones, and its query
    count does not grow with the number of objects."""
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.documents.models import Document
    from wagtail.models import ReferenceIndex

    from disclosure.models import DisclosureAttachment
    from portal.search_indexing import update_references

    org = world["orgs"]["bureau"]
    target = add_document(world["xxgk"], organisation=org, title="被替代的文件")
    docs = []
    for n in range(6):
        doc = add_document(
            world["xxgk"],
            organisation=org,
            topic=world["topic"],
            genre=world["genre"],
            title=f"关于第{n}批补贴的通知",
            body=f'<p>见<a linktype="page" id="{target.pk}">原文</a>。</p>',
            replaced_by=target if n % 2 else None,
        )
        pdf = Document.objects.create(
            title=f"附件{n}", file=ContentFile(b"%PDF-1.4\n", f"a{n}.pdf")
        )
        DisclosureAttachment.objects.create(page=doc, document=pdf, title=f"附件{n}")
        docs.append(DisclosureDocumentPage.objects.get(pk=doc.pk))

    ReferenceIndex.objects.all().delete()
    for doc in docs:
        ReferenceIndex.create_or_update_for_object(doc)
    wagtails = _records()
    assert any(r[5].startswith("attachments") for r in wagtails)  # the child relation is seen
    assert any(r[5].startswith("body") for r in wagtails)  # and the rich-text link

    ReferenceIndex.objects.all().delete()
    update_references(docs[:2])
    fresh = [DisclosureDocumentPage.objects.get(pk=d.pk) for d in docs]
    with CaptureQueriesContext(connection) as few:
        update_references(fresh[:2])  # nothing to change for these two
    fresh = [DisclosureDocumentPage.objects.get(pk=d.pk) for d in docs]
    with CaptureQueriesContext(connection) as many:
        update_references(fresh)
    assert _records() == wagtails
    assert len(many) <= len(few) + 2  # the insert (and its savepoint), not one query per object

    # A reference that is gone is removed, as Wagtail does.
    DisclosureDocumentPage.objects.filter(pk=docs[1].pk).update(replaced_by=None)
    assert any(r[2] == str(docs[1].pk) and r[5] == "replaced_by" for r in _records())
    update_references([DisclosureDocumentPage.objects.get(pk=docs[1].pk)])
    assert not any(r[2] == str(docs[1].pk) and r[5] == "replaced_by" for r in _records())
