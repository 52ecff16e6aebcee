"""Send every notice that is due: first attempts whose task was lost, and retries.

Run by cron or a systemd timer every minute, like publish_scheduled (docs/operations.md). Safe to
run while workers deliver the same notices: each attempt is claimed once."""

from django.core.management.base import BaseCommand

from portal.notify.actions import notices_send_due


class Command(BaseCommand):
    help = "发送到期的待发送通知（首次发送的任务丢失的、到了重试时间的）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="本次最多处理的通知条数（默认500）"
        )

    def handle(self, *args, limit, **options):
        counts = notices_send_due(limit=limit)
        if options["verbosity"] >= 1:
            self.stdout.write(
                "已发送 {sent}，待重试 {retrying}，未送达 {failed}，跳过 {skipped}".format(**counts)
            )
