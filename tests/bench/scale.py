"""Scale benchmark (`make bench BENCH=scale`, never in `make test`).

In a throwaway PostgreSQL database: a seeded generator writes BENCH_DOCS (default 100,000)
disclosure documents below /xxgk/ in bulk (pages and their rows in batches, then the search index
in batches through portal.search_indexing), then measures the catalogue with filters, the API
list and site search in-process (Django's test client: routing, selectors, templates), and prints
p50/p95 beside the issue's targets. BENCH_SEED (default 20261202), BENCH_RUNS (default 20).
BENCH_SCALE_DB=<name> keeps the generated database under that name and, when it already holds
the documents, measures it again without generating (to try a change of a query or an index)."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from tests.bench.stack import PG, REDIS_URL, say, throwaway_database

DOCS = int(os.environ.get("BENCH_DOCS", "100000"))
SEED = int(os.environ.get("BENCH_SEED", "20261202"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
BATCH = 2000
TARGETS = {"catalogue": 50.0, "search": 100.0}  # p95 in ms, from the issue

TOPICS = [
    "社会救助",
    "养老服务",
    "婚姻登记",
    "儿童福利",
    "殡葬管理",
    "社会组织",
    "慈善事业",
    "区划地名",
]
GENRES = ["通知", "规范性文件", "规划", "统计", "公告", "政策解读"]
ACTIONS = ["做好", "调整", "加强", "开展", "规范", "印发", "实施", "落实"]
THINGS = [
    "最低生活保障标准",
    "特困人员救助供养",
    "居家养老服务补贴",
    "结婚登记预约",
    "孤儿基本生活费",
    "临时救助",
    "惠民殡葬",
    "社区事务受理服务",
    "养老机构等级评定",
    "低保边缘家庭认定",
]


def setup_django(database_url: str, workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"benchscale{os.getpid()}",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
            "LOG_LEVEL": "WARNING",
            # Measure the work, not the in-app page cache (it would answer every run after the first).
            "FRONT_CACHE_APP": "0",
            "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        }
    )
    import django

    django.setup()


def world():
    from portal.demo.site import load_organisations
    from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue
    from tests.factories import make_home

    orgs = list(load_organisations().values())
    home = make_home()
    xxgk = add_catalogue(home)
    topics = [TopicFactory(name=n, slug=f"t{i}") for i, n in enumerate(TOPICS)]
    genres = [GenreFactory(name=n, slug=f"g{i}") for i, n in enumerate(GENRES)]
    return home, xxgk, orgs, topics, genres


def _path_step(n: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = alphabet[r] + out
    return out


def generate(parent, orgs, topics, genres, n: int, rng: random.Random) -> list[int]:
    """n live documents as direct children of `parent`, written in batches: the pages with
    bulk_create, their DisclosureDocumentPage rows with one INSERT per batch."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from disclosure.models import DisclosureDocumentPage, Validity

    ct = ContentType.objects.get_for_model(DisclosureDocumentPage)
    local = [f for f in DisclosureDocumentPage._meta.local_concrete_fields if f.name != "page_ptr"]
    table = DisclosureDocumentPage._meta.db_table
    columns = ", ".join(["page_ptr_id", *[connection.ops.quote_name(f.column) for f in local]])
    placeholders = ", ".join(["%s"] * (len(local) + 1))
    start_child = parent.numchild
    now = timezone.now()
    ids: list[int] = []
    validities = [Validity.VALID] * 8 + [Validity.EXPIRED, Validity.REPEALED]
    for offset in range(0, n, BATCH):
        size = min(BATCH, n - offset)
        pages, docs = [], []
        for i in range(offset, offset + size):
            k = start_child + i + 1
            published = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
            topic, genre, org = rng.choice(topics), rng.choice(genres), rng.choice(orgs)
            title = (
                f"关于{published.year}年{rng.choice(ACTIONS)}{rng.choice(THINGS)}工作的{genre.name}"
            )
            slug = f"d{k}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=ct,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    path=parent.path + _path_step(k),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    locale_id=parent.locale_id,
                    translation_key=uuid.uuid4(),
                )
            )
            docs.append(
                DisclosureDocumentPage(
                    index_number=f"{org.code}/{published.year}-{k:05d}",
                    index_serial=k,
                    document_number=f"沪民发〔{published.year}〕{k}号",
                    written_date=published - timedelta(days=3),
                    published_date=published,
                    topic=topic,
                    genre=genre,
                    issuing_organisation=org,
                    validity=rng.choice(validities),
                    summary=f"{title}，请各单位认真贯彻执行。",
                    body=f"<p>各区民政局：现将{title}有关事项通知如下。</p>",
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            rows = []
            for page, doc in zip(pages, docs, strict=True):
                rows.append(
                    [page.pk]
                    + [f.get_db_prep_save(f.pre_save(doc, True), connection) for f in local]
                )
            with connection.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    rows,
                )
        ids += [p.pk for p in pages]
    Page.objects.filter(pk=parent.pk).update(numchild=start_child + n)
    return ids


def timed(client, url: str, runs: int) -> list[float]:
    client.get(url, HTTP_HOST="localhost")  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


@contextmanager
def kept_database(name: str):
    """The database `name`, created when missing and never dropped."""
    import psycopg2

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    yield f"{PG}/{name}"


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    kept = os.environ.get("BENCH_SCALE_DB")
    database = kept_database(kept) if kept else throwaway_database(f"bench_scale_{os.getpid()}")
    with database as database_url:
        setup_django(database_url, workdir)
        from django.core.management import call_command
        from django.test import Client

        from disclosure.models import DisclosureDocumentPage
        from portal.demo.site import read_fixture
        from portal.organisations import Organisation
        from portal.search_indexing import index_objects

        call_command("migrate", "--noinput", verbosity=0)
        generated = indexed = 0.0
        if kept and DisclosureDocumentPage.objects.count() >= DOCS:
            say(f"· measuring the {DOCS:,} documents already in {kept}")
            # As load_organisations returns them: in the fixture's order.
            codes = [row["code"] for row in read_fixture("organisations.json")]
            by_code = Organisation.objects.in_bulk(codes, field_name="code")
            orgs = [by_code[code] for code in codes]
        else:
            rng = random.Random(SEED)
            home, xxgk, orgs, topics, genres = world()
            say(f"· generating {DOCS:,} documents (seed {SEED}) …")
            start = time.perf_counter()
            ids = generate(xxgk, orgs, topics, genres, DOCS, rng)
            generated = time.perf_counter() - start
            say(f"  pages and rows: {generated:.1f} s")
            start = time.perf_counter()
            index_objects({DisclosureDocumentPage: set(ids)}, batch_size=1000)
            indexed = time.perf_counter() - start
            say(f"  search index (batches of 1000): {indexed:.1f} s")
        from django.db import connection

        with connection.cursor() as cur:
            # The steady state autovacuum reaches on a live site: statistics, the visibility
            # map (index-only scans) and GIN pending lists merged.
            cur.execute("VACUUM ANALYZE")

        client = Client()
        org = orgs[len(orgs) // 2].code
        catalogue = [
            "/xxgk/",
            "/xxgk/?topic=t0",
            "/xxgk/?genre=g1&year=2020",
            f"/xxgk/?organisation={org}",
            "/xxgk/?validity=repealed&sort=published_date",
            "/xxgk/?topic=t2&genre=g0&year=2023&validity=valid",
            "/xxgk/?q=" + quote("低保"),
            "/xxgk/?page=200",
            "/api/v1/disclosures?topic=t3&year=2019",
        ]
        search = [
            "/search/?q=" + quote(q) for q in ("低保", "养老服务补贴", "结婚登记", "临时救助 标准")
        ]
        results = {"catalogue": [], "search": []}
        lines = []
        for kind, urls in (("catalogue", catalogue), ("search", search)):
            for url in urls:
                samples = timed(client, url, RUNS)
                results[kind] += samples
                lines.append(
                    f"  {kind:<10}{url:<60}p50 {pct(samples, 0.5):7.1f} ms  p95 {pct(samples, 0.95):7.1f} ms"
                )
        from django.core.cache import cache

        cache.clear()
    say("")
    say(f"Scale benchmark: {DOCS:,} disclosure documents, {RUNS} runs per URL (in-process client)")
    say(
        f"  generation {generated:.1f} s + search indexing {indexed:.1f} s = {generated + indexed:.1f} s"
    )
    for line in lines:
        say(line)
    for kind, samples in results.items():
        p95 = pct(samples, 0.95)
        ok = "✓" if p95 <= TARGETS[kind] else "✗"
        say(
            f"  {kind:<10} all URLs: p50 {statistics.median(samples):7.1f} ms  p95 {p95:7.1f} ms"
            f"   (target p95 ≤ {TARGETS[kind]:.0f} ms) {ok}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
