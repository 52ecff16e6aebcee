"""Demo data for 政府信息公开: the catalogue at /xxgk/, the sections 条例 Art. 20 requires, topics,
genres and the documents in fixtures/disclosure/documents.jsonl (imported through the same
importer as `manage.py import_disclosures`, so it is idempotent by 索引号)."""

from portal.demo.site import FIXTURES, ensure_child_page, load_editorial, read_fixture
from portal.models import StandardPage

from ..importer import Importer
from ..models import DisclosureIndexPage, Genre, Topic


def load(*, home, organisations, stdout=None) -> str:
    data = read_fixture("disclosure/catalogue.json")
    for model, rows in ((Topic, data["topics"]), (Genre, data["genres"])):
        for order, (name, slug) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    catalogue = ensure_child_page(
        home,
        "xxgk",
        DisclosureIndexPage,
        title=data["catalogue"]["title"],
        intro=data["catalogue"]["intro"],
        show_in_menus=True,
    )
    for section in data["sections"]:
        if section["kind"] == "catalogue":
            ensure_child_page(
                catalogue,
                section["slug"],
                DisclosureIndexPage,
                title=section["title"],
                intro=section["intro"],
                show_in_menus=True,
                # districts and streets submit to it, the bureau reviews (portal/editorial/setup.py)
                accepts_submissions=section.get("accepts_submissions", False),
            )
        else:
            page = ensure_child_page(
                catalogue,
                section["slug"],
                StandardPage,
                title=section["title"],
                intro=section["intro"],
                show_in_menus=True,
            )
            if not page.body:
                page.body = section["body"]
                page.save_revision().publish()
    load_editorial(stdout)  # the organisations' sections below /xxgk/, before their documents
    lines = (FIXTURES / "disclosure" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    result = Importer(catalogue=catalogue).run(lines)
    return (
        f"{len(lines)} documents ({result.created} new, {result.updated} updated), "
        f"{len(data['sections'])} sections"
    )
