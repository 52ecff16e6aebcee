"""Create the booking slots of every active bookable service up to the end of the booking window
(APPOINTMENTS["open_days"]), from the opening periods and the working-day calendar. Idempotent: run
it daily (docs/operations.md) and after a new year's holiday schedule is entered."""

from django.core.management.base import BaseCommand

from services.appointments.actions import slots_generate_all


class Command(BaseCommand):
    help = "生成预约时段（从今天到预约开放的最后一天，跳过法定节假日）。"

    def handle(self, *args, **options):
        created = slots_generate_all()
        if options["verbosity"] >= 1:
            self.stdout.write(f"新增预约时段 {created} 个")
