"""Indexes for the public reads that grow with the number of pages (issue 13, `make bench
BENCH=scale`):

- every section page lists its in-menu children (`get_children().live().in_menu()`): below the
  catalogue that scanned all its documents for the few sections; a partial index holds only the
  pages that are live and in menus (a handful), on every database;
- every request is routed by `url_path` (portal.pages.PathRoutingMixin), which Wagtail does not
  index: without one, each page view scanned the whole page table;
- site search matches `title || body` of the search index (Wagtail's PostgreSQL backend), which
  the two separate GIN indexes on `title` and `body` cannot serve: an expression GIN index on the
  same expression lets PostgreSQL find the matching entries instead of testing every one."""

from django.db import migrations

MENU_INDEX = "portal_page_live_in_menu_idx"
URL_PATH_INDEX = "portal_page_url_path_idx"
VECTOR_INDEX = "portal_search_title_body_gin"


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {MENU_INDEX} ON wagtailcore_page (depth, path) "
            "WHERE live AND show_in_menus"
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {URL_PATH_INDEX} ON wagtailcore_page (url_path)")
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON wagtailsearch_indexentry "
                "USING gin ((title || body))"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {MENU_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {URL_PATH_INDEX}")
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_organisation_disclosure_role"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
