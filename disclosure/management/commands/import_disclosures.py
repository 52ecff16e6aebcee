"""manage.py import_disclosures FILE: bulk import from JSON Lines (see disclosure/importer.py)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from disclosure.importer import Importer, ImportRejected
from disclosure.models import DisclosureIndexPage


class Command(BaseCommand):
    help = (
        "Import disclosure documents from a JSON Lines file (one document per line). Validates every "
        "line first; a file with bad lines imports nothing unless --skip-bad-lines is given. "
        "Idempotent by index number (or document number)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file (UTF-8); '-' reads standard input")
        parser.add_argument(
            "--create-terms",
            action="store_true",
            help="create unknown topics and genres instead of rejecting their lines",
        )
        parser.add_argument(
            "--skip-bad-lines",
            action="store_true",
            help="import the good lines of a file that has bad ones (the bad ones are reported)",
        )
        parser.add_argument(
            "--catalogue",
            default="",
            help="url path of the catalogue page to import under (default: the first catalogue)",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--user",
            default="",
            help="username of the staff member running the import: revisions, publishes and "
            "validity changes are logged under this user in the audit log",
        )

    def _user(self, username: str):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not (
            user.is_superuser or user.is_staff or hasattr(user, "staff_profile")
        ):
            raise CommandError(f"没有名为“{username}”的在职工作人员账号。")
        return user

    def handle(self, *args, **options):
        catalogue = self._catalogue(options["catalogue"])
        try:
            if options["file"] == "-":
                import sys

                lines = sys.stdin.read().splitlines()
            else:
                with open(options["file"], encoding="utf-8-sig") as fh:
                    lines = fh.read().splitlines()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码。") from None

        importer = Importer(
            catalogue=catalogue,
            create_terms=options["create_terms"],
            user=self._user(options["user"]),
        )
        show = not options["no_progress"]

        def progress(records):
            return tqdm(records, desc="导入", unit="件", disable=not show, file=self.stderr._out)

        try:
            result = importer.run(lines, skip_bad=options["skip_bad_lines"], progress=progress)
        except ImportRejected as exc:
            for line, reason in exc.errors:
                self.stderr.write(f"第 {line} 行：{reason}")
            raise CommandError(
                f"文件有 {len(exc.errors)} 行数据有误，未导入任何文件。"
                "修正后重新导入，或使用 --skip-bad-lines 只导入正确的行。"
            ) from None
        for line, reason in result.skipped:
            self.stderr.write(f"第 {line} 行（已跳过）：{reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：新建 {result.created} 件，更新 {result.updated} 件，"
                f"未变化 {result.unchanged} 件，跳过 {len(result.skipped)} 行。"
            )
        )

    @staticmethod
    def _catalogue(url_path: str) -> DisclosureIndexPage:
        qs = DisclosureIndexPage.objects.order_by("depth", "path")
        if url_path:
            path = "/" + url_path.strip("/") + "/"
            page = next((p for p in qs if p.url_path.endswith(path)), None)
        else:
            page = qs.first()
        if page is None:
            raise CommandError("找不到信息公开目录页面，请先创建（或用 --catalogue 指定）。")
        return page
