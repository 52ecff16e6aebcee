"""Daily: write the catalogue's bulk downloads (disclosure/opendata/). Cron, e.g.
`15 2 * * * cd /srv/sunshine && .venv/bin/python manage.py export_open_data`."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "导出政府信息公开目录的开放数据（CSV、JSON Lines），每日运行。"

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="文件中网址的前缀，默认取站点设置")
        parser.add_argument("--queue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args, base_url="", queue=False, **options):
        if queue:
            from disclosure.opendata.tasks import refresh_open_data

            refresh_open_data.enqueue(base_url=base_url)
            self.stdout.write("已加入后台任务队列。")
            return
        from disclosure.opendata.actions import open_data_export

        manifest = open_data_export(base_url=base_url)
        self.stdout.write(f"已导出 {manifest['count']} 条政府信息（{manifest['generated_at']}）。")
