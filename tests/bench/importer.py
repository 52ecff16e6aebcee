"""Import benchmark (`make bench BENCH=import`, never in `make test`).

In a throwaway PostgreSQL database: a seeded generator writes a JSON Lines export of BENCH_DOCS
(default 10,000) documents as an old CMS gives them (unclosed `<br>`, Word paste, a data table with
merged cells in every tenth, a `<script>` now and then, one bad line in every thousand), imports it
through the real command (`manage.py import_disclosures`, per-document transactions, bulk search
indexing) and prints documents per second; then imports the same file again (every document
unchanged) and prints that rate too. BENCH_SEED (default 20261203). BENCH_PROFILE=1 prints the
first import's 30 hottest functions (cProfile, cumulative)."""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from tests.bench.scale import ACTIONS, GENRES, THINGS, TOPICS, setup_django
from tests.bench.stack import say, throwaway_database

DOCS = int(os.environ.get("BENCH_DOCS", "10000"))
SEED = int(os.environ.get("BENCH_SEED", "20261203"))
PROFILE = os.environ.get("BENCH_PROFILE") == "1"

WORD = (
    '<p class=MsoNormal style="mso-line-height-rule:exactly"><span style="font-family:仿宋_GB2312;'
    'mso-bidi-font-size:16.0pt">{text}<o:p></o:p></span></p>'
)
TABLE = (
    "<table border=1><caption>{year}年各区发放情况</caption><tr><th rowspan=2>区</th>"
    "<th colspan=2>人数</th></tr><tr><th>城镇</th><th>农村</th></tr>"
    "<tr><td>黄浦区</td><td>{a}</td><td>—</td></tr><tr><td>浦东新区</td><td>{b}</td><td>{c}</td></tr>"
    "</table>"
)


def export(path: Path, orgs, n: int, rng: random.Random) -> int:
    """Write n documents (and a bad line in every thousand); returns the number of bad lines."""
    bad = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            org = rng.choice(orgs)
            year = rng.randrange(2015, 2027)
            genre = rng.choice(GENRES)
            title = f"关于{year}年{rng.choice(ACTIONS)}{rng.choice(THINGS)}工作的{genre}"
            parts = [
                f"<p>各区民政局：<br>现将{title}有关事项通知如下。<img src='/upload/none.png'></p>",
                WORD.format(text=f"一、{rng.choice(THINGS)}按规定执行。"),
                f"<p>&nbsp;&nbsp;二、请于{year}年{rng.randrange(1, 13)}月底前报送。<br>特此通知。",
            ]
            if i % 10 == 0:
                parts.insert(
                    2,
                    TABLE.format(
                        year=year, a=rng.randrange(9999), b=rng.randrange(9999), c=rng.randrange(99)
                    ),
                )
            if i % 97 == 0:
                parts.append("<script>alert(1)</script><a href='javascript:x()'>查看</a>")
            row = {
                "title": title,
                "index_number": f"{org.code}/{year}-{i + 1:05d}",
                "document_number": f"沪民发〔{year}〕{i + 1}号",
                "written_date": f"{year}-03-0{rng.randrange(1, 9)}",
                "published_date": f"{year}年3月1{rng.randrange(0, 9)}日",
                "topic": rng.choice(TOPICS),
                "genre": genre,
                "organisation": org.code,
                "summary": f"{title}，请各单位认真贯彻执行。",
                "body_html": "".join(parts),
            }
            if i % 1000 == 999:
                row["published_date"] = "去年"  # a bad line: reported, the rest goes on
                bad += 1
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return bad


def run_import(path: Path, report: Path) -> tuple[float, int, dict]:
    """(seconds, SQL statements, the report's summary) of one run of the command."""
    from django.core.management import call_command
    from django.db import connection

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        call_command(
            "import_disclosures",
            str(path),
            "--no-progress",
            "--report",
            str(report),
            stdout=StringIO(),
        )
    seconds = time.perf_counter() - start
    return seconds, statements[0], json.loads(report.read_text(encoding="utf-8"))["summary"]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    with throwaway_database(f"bench_import_{os.getpid()}") as database_url:
        setup_django(database_url, workdir)
        from django.core.management import call_command

        from disclosure.models import DisclosureDocumentPage
        from portal.demo.site import load_organisations
        from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue
        from tests.factories import make_home

        call_command("migrate", "--noinput", verbosity=0)
        orgs = list(load_organisations().values())
        add_catalogue(make_home())
        for i, name in enumerate(TOPICS):
            TopicFactory(name=name, slug=f"t{i}")
        for i, name in enumerate(GENRES):
            GenreFactory(name=name, slug=f"g{i}")
        path = workdir / "export.jsonl"
        bad = export(path, orgs, DOCS, random.Random(SEED))
        say(f"· {DOCS:,} documents in {path.stat().st_size / 1e6:.1f} MB (seed {SEED}, {bad} bad)")
        profile = cProfile.Profile() if PROFILE else None
        if profile:
            profile.enable()
        first, queries, summary = run_import(path, workdir / "first.json")
        if profile:
            profile.disable()
        assert summary["created"] == DOCS - bad and summary["failed"] == bad, summary
        assert DisclosureDocumentPage.objects.live().count() == DOCS - bad
        again, queries_again, summary_again = run_import(path, workdir / "again.json")
        assert summary_again["unchanged"] == DOCS - bad, summary_again
    say("")
    say(f"Import benchmark: {DOCS:,} documents (JSON Lines) through manage.py import_disclosures")
    say(
        f"  first import : {first:8.1f} s  {DOCS / first:8.1f} documents/s"
        f"  {queries / DOCS:6.1f} SQL statements/document  {summary}"
    )
    say(
        f"  again (no-op): {again:8.1f} s  {DOCS / again:8.1f} documents/s"
        f"  {queries_again / DOCS:6.1f} SQL statements/document"
    )
    if profile:
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(30)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
