"""Queue the daily digest of the alerts (订阅提醒) for the task worker.

Run once a day by cron or a systemd timer (docs/operations.md), e.g. at 17:30 after the day's
publishing. The worker (`manage.py db_worker`) sends each daily subscription one mail with the last
day's matching changes and deletes unconfirmed subscriptions whose link has expired. `--now` sends
in this process instead (no worker needed)."""

from django.core.management.base import BaseCommand

from portal.alerts.actions import send_daily_digest


class Command(BaseCommand):
    help = "排队发送订阅提醒的每日汇总邮件（由任务进程发送）；--now 立即在本进程发送。"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="不经任务队列，立即发送")

    def handle(self, *args, now, **options):
        if now:
            counts = send_daily_digest.call()
            self.stdout.write(
                "每日汇总：订阅 {subscriptions}，已发送 {sent}，失败 {failed}，"
                "删除过期未确认订阅 {pending_deleted}".format(**counts)
            )
            return
        result = send_daily_digest.enqueue()
        self.stdout.write(f"已排队每日汇总任务 {result.id}")
