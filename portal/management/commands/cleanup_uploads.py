from django.core.management.base import BaseCommand

from portal.uploads import pending


class Command(BaseCommand):
    help = (
        "Remove stale temporary uploads of unfinished applications (older than 2 hours) and "
        "stored case files no record refers to. Run hourly."
    )

    def handle(self, *args, **options):
        removed = pending.cleanup()
        self.stdout.write(
            f"removed {removed['pending']} pending upload(s), {removed['orphans']} orphan file(s)"
        )
