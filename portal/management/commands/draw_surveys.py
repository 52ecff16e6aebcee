"""Queue the monthly draw of the satisfaction surveys (随机问卷) on the task worker.

Run daily by cron or a systemd timer (docs/operations.md) or by `make scheduled`: the draw of a
month happens once per organisation, so the runs after the first draw nothing. `--year/--month`
draws another month (e.g. after an outage); `--now` runs it here instead of on the worker."""

from django.core.management.base import BaseCommand, CommandError

from portal.surveys.actions import draw_monthly_surveys, survey_month_draw


class Command(BaseCommand):
    help = "抽取满意度回访问卷样本（默认上个月），并发送答卷链接。同一月份不会重复抽样。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="年份（默认上个月所在年份）")
        parser.add_argument("--month", type=int, help="月份 1–12（默认上个月）")
        parser.add_argument("--now", action="store_true", help="在本进程中立即抽样，不交给后台任务")

    def handle(self, *args, year=None, month=None, now=False, **options):
        if (year is None) != (month is None):
            raise CommandError("请同时指定 --year 和 --month。")
        if month is not None and not 1 <= month <= 12:
            raise CommandError("月份应为1到12。")
        if now:
            if year is None:
                result = draw_monthly_surveys.call()
            else:
                draws = survey_month_draw(year=year, month=month)
                result = {
                    "year": year,
                    "month": month,
                    "draws": len(draws),
                    "sampled": sum(d.sampled for d in draws),
                }
            self.stdout.write("{year}年{month}月：{draws}个机构，抽取{sampled}件".format(**result))
            return
        draw_monthly_surveys.enqueue(year=year, month=month)
        self.stdout.write("已交由后台任务抽样。")
