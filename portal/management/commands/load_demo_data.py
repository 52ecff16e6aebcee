import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import site as demo
from portal.search_indexing import index_in_bulk
from portal.surveys import demo as survey_demo


class Command(BaseCommand):
    help = (
        "Build (or bring up to date) the whole demo site. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        # One transaction; the search and reference indexes are written in batches at the end,
        # not as hundreds of queued per-object tasks.
        with index_in_bulk(), transaction.atomic():
            result = demo.load(self.stdout)
            home = result["home"]
            for app in ("disclosure", "services"):
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                module = importlib.import_module(f"{app}.demo")
                summary = module.load(
                    home=home, organisations=result["organisations"], stdout=self.stdout
                )
                if summary:
                    self.stdout.write(f"{app}: {summary}")
            self.stdout.write(survey_demo.load(stdout=self.stdout))
            demo.order_sections(home)
            demo.load_service_links(home)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo site ready: {len(result['organisations'])} organisations, "
                f"{len(result['accounts'])} demo accounts."
            )
        )
